// Memorisation: for every synthetic frame, its highest zero-shift normalised cross-correlation (the Pearson
// correlation of pixels) with any training frame and with any holdout frame (the control), as blocked matrix
// products of mean-centred, unit-norm frames; then SSIM against the closest few training frames by NCC.
import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '../../errors';
import { checkFrames } from './intensity';
import { prepareSsim, ssimParts, type SsimPrepared } from './ssim';
import type { Checkpoint, ImageFrames, MemorisationPair, MemorisationResult, MemorisationRow, MetricInfo, Quantiles } from './types';

export const MEMORISATION_NCC: MetricInfo = {
  name: 'MemorisationNCC',
  definition: 'For each synthetic frame, the highest normalised cross-correlation at zero shift (the Pearson correlation of the pixels, each frame mean-centred) with any training frame; a flat frame correlates 0 with every frame. 1 is a copy up to brightness and contrast.',
  goal: 'minimize',
  min: -1,
  max: 1,
};
export const MEMORISATION_HOLDOUT_NCC: MetricInfo = {
  name: 'MemorisationHoldoutNCC',
  definition: 'The same highest NCC against the holdout frames, which the generator never saw: what closeness to a real frame looks like by chance, the scale for the training figure.',
  goal: 'minimize',
  min: -1,
  max: 1,
};
export const MEMORISATION_SSIM: MetricInfo = {
  name: 'MemorisationSSIM',
  definition: 'For each synthetic frame, the highest SSIM against the training frames with the highest NCC with it (the top 5 by default: SSIM against every training frame is too slow at 2,000 × 10,000 frames).',
  goal: 'minimize',
  min: -1,
  max: 1,
};
export const MEMORISATION_SHIFTED_NCC: MetricInfo = {
  name: 'MemorisationShiftedNCC',
  definition: 'For each synthetic frame, the highest NCC over shifts of up to 1 pixel each way (by default) and a left-right mirror (correlation over the overlap), against its 5 closest training frames by plain NCC (too slow against all): catches shifted and mirrored copies that zero-shift NCC scores lower.',
  goal: 'minimize',
  min: -1,
  max: 1,
};
export const MEMORISATION_SHARE: MetricInfo = {
  name: 'MemorisationShare',
  definition: 'The share of synthetic frames whose highest NCC with a training frame reaches the threshold (near-copies of a patient’s frame).',
  goal: 'minimize',
  min: 0,
  max: 1,
};

export type MatmulKernel = 'tfjs' | 'js';

export interface MemorisationOptions {
  /** NCC at or above which a synthetic frame counts as a near-copy. */
  threshold: number;
  /** Training neighbours by NCC whose SSIM is computed (default 5). */
  topK?: number;
  /** Pairs listed, highest NCC first (default 20). */
  worstPairs?: number;
  checkpoint?: Checkpoint;
  /** 'tfjs' multiplies on the active TensorFlow.js backend (WASM: ~3× the JS kernel); default: 'js' on tfjs's CPU backend. */
  kernel?: MatmulKernel;
  /** Rows of real frames per product block (default 2048). */
  blockRows?: number;
  /** Largest shift in pixels of the shift- and mirror-tolerant NCC on the candidates (default 1; 0: mirror only). */
  maxShift?: number;
}

/** Every frame mean-centred and scaled to unit norm (a flat frame stays all zero), so a dot product is the NCC. */
export function normaliseFrames(frames: ImageFrames): Float32Array {
  const d = frames.size * frames.size;
  const out = new Float32Array(frames.count * d);
  for (let f = 0; f < frames.count; f++) {
    const o = f * d;
    let sum = 0;
    for (let i = 0; i < d; i++) sum += frames.data[o + i] as number;
    const mean = sum / d;
    let ss = 0;
    for (let i = 0; i < d; i++) ss += ((frames.data[o + i] as number) - mean) ** 2;
    // Relative to the frame's scale, so rounding noise of a flat frame is not blown up into a pattern.
    if (!(ss > 1e-12 * d * (1 + mean * mean))) continue;
    const inv = 1 / Math.sqrt(ss);
    for (let i = 0; i < d; i++) out[o + i] = ((frames.data[o + i] as number) - mean) * inv;
  }
  return out;
}

/** out[i·n + j] = a_i · b_j for m rows of a and n rows of b, all of length d: 4×4 register blocks. */
export function dotRowsJs(a: Float32Array, m: number, b: Float32Array, n: number, d: number): Float32Array {
  const out = new Float32Array(m * n);
  const dot = (i: number, j: number): number => {
    let s = 0;
    for (let k = 0; k < d; k++) s += (a[i * d + k] as number) * (b[j * d + k] as number);
    return s;
  };
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
    for (let j = 0; j < n4; j += 4) {
      const b0 = j * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let k = 0; k < d; k++) {
        const x0 = a[a0 + k] as number, x1 = a[a1 + k] as number, x2 = a[a2 + k] as number, x3 = a[a3 + k] as number;
        const y0 = b[b0 + k] as number, y1 = b[b1 + k] as number, y2 = b[b2 + k] as number, y3 = b[b3 + k] as number;
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
        s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
      }
      const r0 = i * n + j, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      out[r0] = s00; out[r0 + 1] = s01; out[r0 + 2] = s02; out[r0 + 3] = s03;
      out[r1] = s10; out[r1 + 1] = s11; out[r1 + 2] = s12; out[r1 + 3] = s13;
      out[r2] = s20; out[r2 + 1] = s21; out[r2 + 2] = s22; out[r2 + 3] = s23;
      out[r3] = s30; out[r3 + 1] = s31; out[r3 + 2] = s32; out[r3 + 3] = s33;
    }
    for (let j = n4; j < n; j++) for (let r = 0; r < 4; r++) out[(i + r) * n + j] = dot(i + r, j);
  }
  for (let i = m4; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = dot(i, j);
  return out;
}

/** The same product on the active tfjs backend (matMul with b transposed), every tensor freed. */
function dotRowsTf(a: tf.Tensor2D, b: Float32Array, n: number, d: number): Float32Array {
  const t = tf.tidy(() => tf.matMul(a, tf.tensor2d(b, [n, d]), false, true));
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}

/** The k best (value, index) per synthetic row over the real frames, best first; ties keep the lower index. */
interface TopK {
  k: number;
  values: Float32Array;
  indices: Int32Array;
}

function scanBlock(top: TopK, scores: Float32Array, rows: number, cols: number, colOffset: number): void {
  const { k, values, indices } = top;
  for (let i = 0; i < rows; i++) {
    const base = i * k;
    let floor = values[base + k - 1] as number;
    for (let j = 0; j < cols; j++) {
      const v = scores[i * cols + j] as number;
      if (!(v > floor)) continue;
      let p = k - 1;
      while (p > 0 && v > (values[base + p - 1] as number)) {
        values[base + p] = values[base + p - 1] as number;
        indices[base + p] = indices[base + p - 1] as number;
        p--;
      }
      values[base + p] = v;
      indices[base + p] = colOffset + j;
      floor = values[base + k - 1] as number;
    }
  }
}

/** Highest NCC of every synthetic row against every row of `real`, blocked so memory stays bounded. */
function nearest(syn: Float32Array, synRows: number, real: Float32Array, realRows: number, d: number, k: number, kernel: MatmulKernel, blockRows: number, tick: (done: number) => void): TopK {
  const top: TopK = { k, values: new Float32Array(synRows * k).fill(Number.NEGATIVE_INFINITY), indices: new Int32Array(synRows * k).fill(-1) };
  const synTensor = kernel === 'tfjs' ? tf.tensor2d(syn, [synRows, d]) : null;
  try {
    for (let from = 0; from < realRows; from += blockRows) {
      const rows = Math.min(blockRows, realRows - from);
      const block = real.subarray(from * d, (from + rows) * d);
      const scores = synTensor !== null ? dotRowsTf(synTensor, block, rows, d) : dotRowsJs(syn, synRows, block, rows, d);
      scanBlock(top, scores, synRows, rows, from);
      tick(rows);
    }
  } finally {
    synTensor?.dispose();
  }
  return top;
}

/** Highest Pearson correlation of `a` or its left-right mirror with `b` displaced by up to `maxShift` pixels, over the overlap. */
export function shiftedNcc(a: ArrayLike<number>, b: ArrayLike<number>, size: number, maxShift: number): number {
  let best = Number.NEGATIVE_INFINITY;
  const mirrored = new Float64Array(size * size);
  for (let i = 0; i < mirrored.length; i++) mirrored[i] = a[i - (i % size) + size - 1 - (i % size)] as number;
  for (let mirror = 0; mirror < 2; mirror++) {
    const src = mirror === 1 ? mirrored : a;
    for (let dy = -maxShift; dy <= maxShift; dy++) {
      for (let dx = -maxShift; dx <= maxShift; dx++) {
        let n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        for (let y = Math.max(0, -dy); y < Math.min(size, size - dy); y++) {
          const rowA = y * size;
          const rowB = (y + dy) * size + dx;
          for (let x = Math.max(0, -dx); x < Math.min(size, size - dx); x++) {
            const va = src[rowA + x] as number;
            const vb = b[rowB + x] as number;
            n++; sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb;
          }
        }
        const varA = saa - (sa * sa) / n;
        const varB = sbb - (sb * sb) / n;
        // A flat overlap correlates 0, as a flat frame does in the plain NCC.
        const r = varA > 1e-12 * n && varB > 1e-12 * n ? (sab - (sa * sb) / n) / Math.sqrt(varA * varB) : 0;
        if (r > best) best = r;
      }
    }
  }
  return best;
}

/** numpy.quantile's default (linear interpolation between order statistics). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

export function quantiles(values: ArrayLike<number>): Quantiles {
  const s = Float64Array.from(values).sort();
  return { p01: quantile(s, 0.01), p05: quantile(s, 0.05), p25: quantile(s, 0.25), p50: quantile(s, 0.5), p75: quantile(s, 0.75), p95: quantile(s, 0.95), p99: quantile(s, 0.99), max: s[s.length - 1] as number };
}

function defaultKernel(): MatmulKernel {
  // tfjs's CPU backend multiplies in plain JS without register blocking: slower than dotRowsJs.
  return tf.getBackend() === 'cpu' ? 'js' : 'tfjs';
}

/**
 * Near-copies of training frames among the synthetic frames, beside the holdout as the control. Cost: (training + holdout) × synthetic dot products of size² values, plus synthetic × topK SSIMs.
 */
export function memorisation(synthetic: ImageFrames, train: ImageFrames, holdout: ImageFrames, opts: MemorisationOptions): MemorisationResult {
  checkFrames(synthetic, 'synthetic');
  checkFrames(train, 'training');
  checkFrames(holdout, 'holdout');
  const size = synthetic.size;
  if (train.size !== size || holdout.size !== size) throw new InvalidArgumentError(`The synthetic, training and holdout images must have one size (${size}, ${train.size}, ${holdout.size} given).`);
  if (synthetic.count === 0 || train.count === 0 || holdout.count === 0) throw new InvalidArgumentError('Memorisation needs at least one synthetic, one training and one holdout image (the holdout is the control).');
  const { threshold, checkpoint } = opts;
  if (!(threshold >= -1 && threshold <= 1)) throw new InvalidArgumentError(`The memorisation NCC threshold must lie between −1 and 1 (it is ${threshold}).`);
  const topK = Math.min(opts.topK ?? 5, train.count);
  const worstCount = opts.worstPairs ?? 20;
  const blockRows = opts.blockRows ?? 2048;
  const maxShift = opts.maxShift ?? 1;
  if (!Number.isInteger(maxShift) || maxShift < 0 || maxShift >= size) throw new InvalidArgumentError(`The largest shift must be a whole number of pixels from 0 to ${size - 1} (it is ${maxShift}).`);
  if (!Number.isInteger(topK) || topK < 1 || !Number.isInteger(blockRows) || blockRows < 1) throw new InvalidArgumentError('The SSIM candidate count and block size must be whole numbers of at least 1.');
  const kernel = opts.kernel ?? defaultKernel();
  const d = size * size;
  // Progress counts dot-product rows, and the SSIM stage as much as a training pass (roughly its share of time).
  const total = train.count + holdout.count + train.count;
  let done = 0;
  const tick = (n: number): void => {
    done += n;
    checkpoint?.(done / total);
  };
  checkpoint?.(0);
  const syn = normaliseFrames(synthetic);
  const trainTop = nearest(syn, synthetic.count, normaliseFrames(train), train.count, d, topK, kernel, blockRows, tick);
  const holdK = Math.min(topK, holdout.count);
  const holdTop = nearest(syn, synthetic.count, normaliseFrames(holdout), holdout.count, d, holdK, kernel, blockRows, tick);
  const frameOf = (f: ImageFrames, i: number): Float32Array => f.data.subarray(i * d, (i + 1) * d);

  const rows: MemorisationRow[] = [];
  const perRow = train.count / synthetic.count;
  for (let s = 0; s < synthetic.count; s++) {
    const a = prepareSsim(synthetic.data.subarray(s * d, (s + 1) * d), size);
    let bestSsim = Number.NEGATIVE_INFINITY;
    let bestSsimTrain = -1;
    let pairSsim = Number.NaN;
    let shifted = Number.NEGATIVE_INFINITY;
    let shiftedTrain = -1;
    let shiftedHoldout = Number.NEGATIVE_INFINITY;
    const own = frameOf(synthetic, s);
    for (let c = 0; c < holdK; c++) shiftedHoldout = Math.max(shiftedHoldout, shiftedNcc(own, frameOf(holdout, holdTop.indices[s * holdK + c] as number), size, maxShift));
    for (let c = 0; c < topK; c++) {
      const t = trainTop.indices[s * topK + c] as number;
      const b: SsimPrepared = prepareSsim(train.data.subarray(t * d, (t + 1) * d), size);
      const v = ssimParts(a, b).ssim;
      if (c === 0) pairSsim = v;
      const sh = shiftedNcc(own, frameOf(train, t), size, maxShift);
      if (sh > shifted) {
        shifted = sh;
        shiftedTrain = t;
      }
      if (v > bestSsim) {
        bestSsim = v;
        bestSsimTrain = t;
      }
    }
    rows.push({
      synthetic: s,
      bestTrain: trainTop.indices[s * topK] as number,
      bestTrainNcc: trainTop.values[s * topK] as number,
      bestTrainPairSsim: pairSsim,
      bestTrainSsim: bestSsim,
      bestSsimTrain,
      bestHoldout: holdTop.indices[s * holdK] as number,
      bestHoldoutNcc: holdTop.values[s * holdK] as number,
      bestShiftedTrainNcc: shifted,
      bestShiftedTrain: shiftedTrain,
      bestShiftedHoldoutNcc: shiftedHoldout,
    });
    tick(perRow);
  }

  const above = rows.filter((r) => r.bestTrainNcc >= threshold).length;
  const share = (f: (r: MemorisationRow) => number): number => rows.filter((r) => f(r) >= threshold).length / rows.length;
  const worstPairs: MemorisationPair[] = [...rows]
    .sort((x, y) => y.bestTrainNcc - x.bestTrainNcc || x.synthetic - y.synthetic)
    .slice(0, worstCount)
    .map((r) => ({ synthetic: r.synthetic, train: r.bestTrain, ncc: r.bestTrainNcc, ssim: r.bestTrainPairSsim }));
  return {
    threshold,
    shareAboveThreshold: above / rows.length,
    holdoutShareAboveThreshold: share((r) => r.bestHoldoutNcc),
    countAboveThreshold: above,
    closestTrain: quantiles(rows.map((r) => r.bestTrainNcc)),
    closestHoldout: quantiles(rows.map((r) => r.bestHoldoutNcc)),
    closestTrainSsim: quantiles(rows.map((r) => r.bestTrainSsim)),
    maxShift,
    shiftedShareAboveThreshold: share((r) => r.bestShiftedTrainNcc),
    holdoutShiftedShareAboveThreshold: share((r) => r.bestShiftedHoldoutNcc),
    closestTrainShifted: quantiles(rows.map((r) => r.bestShiftedTrainNcc)),
    closestHoldoutShifted: quantiles(rows.map((r) => r.bestShiftedHoldoutNcc)),
    worstPairs,
    rows,
    ssimCandidates: topK,
  };
}
