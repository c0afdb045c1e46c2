// SSIM exactly as scikit-image's structural_similarity(data_range=2, gaussian_weights=True, sigma=1.5,
// use_sample_covariance=False), MS-SSIM (Wang, Simoncelli & Bovik 2003) on the same windows, and the mean pairwise
// MS-SSIM of a set of frames (diversity: a mode-collapsed generator makes frames far more alike than real ones).
import { InvalidArgumentError } from '../../errors';
import type { Rng } from '../../train/rng';
import { checkFrames, framesByClass } from './intensity';
import type { Checkpoint, DiversityResult, ImageFrames, MetricInfo } from './types';

/** The images are on [−1, 1]: the data range of the SSIM constants. */
const DATA_RANGE = 2;
const C1 = (0.01 * DATA_RANGE) ** 2;
const C2 = (0.03 * DATA_RANGE) ** 2;
const SIGMA = 1.5;
/** scipy.ndimage's radius for sigma 1.5, truncate 3.5 (skimage's choice): int(3.5·1.5 + 0.5) = 5, an 11×11 window. */
const RADIUS = Math.trunc(3.5 * SIGMA + 0.5);
export const SSIM_WINDOW = 2 * RADIUS + 1;
export const MS_SSIM_WEIGHTS: readonly number[] = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333];

export const SSIM: MetricInfo = {
  name: 'SSIM',
  definition: 'Structural similarity of two frames (Wang et al. 2004, as scikit-image computes it): an 11×11 Gaussian window of σ 1.5, data range 2, averaged over the pixels whose window lies inside the frame.',
  goal: 'maximize',
  min: -1,
  max: 1,
};
export const MS_SSIM: MetricInfo = {
  name: 'MS-SSIM',
  definition: 'Multi-scale SSIM (Wang et al. 2003): contrast-structure at each scale and luminance at the coarsest, halving the frame by 2×2 averaging between scales, with the 5 standard weights; a frame uses as many scales (at most 5) as keep it at least 11 pixels wide (32: 2, 64: 3, 128: 4), the weights of those scales renormalised to sum to 1, negative terms clamped to 0.',
  goal: 'maximize',
  min: 0,
  max: 1,
};
export const MEAN_PAIRWISE_MS_SSIM: MetricInfo = {
  name: 'MeanPairwiseMsSsim',
  definition: 'The mean MS-SSIM over pairs of distinct frames of one side (every pair, or a seeded random sample of pairs when there are more than the budget), per class and overall: higher means the frames are more alike (less diverse).',
  goal: 'minimize',
  min: 0,
  max: 1,
};

const KERNEL: Float64Array = (() => {
  const k = new Float64Array(SSIM_WINDOW);
  let sum = 0;
  for (let x = -RADIUS; x <= RADIUS; x++) {
    k[x + RADIUS] = Math.exp((-0.5 / (SIGMA * SIGMA)) * x * x);
    sum += k[x + RADIUS] as number;
  }
  for (let i = 0; i < k.length; i++) k[i] = (k[i] as number) / sum;
  return k;
})();

/**
 * The Gaussian filter (scipy.ndimage.gaussian_filter, truncate 3.5) at the pixels whose window lies inside the
 * frame, as a (size − 10)² array: skimage averages only those, so its 'reflect' edges never reach the result.
 */
function gaussianInterior(src: Float64Array, size: number): Float64Array {
  const w = size - 2 * RADIUS;
  const tmp = new Float64Array(size * w);
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = 0; t < SSIM_WINDOW; t++) s += (KERNEL[t] as number) * (src[row + x + t] as number);
      tmp[y * w + x] = s;
    }
  }
  const out = new Float64Array(w * w);
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = 0; t < SSIM_WINDOW; t++) s += (KERNEL[t] as number) * (tmp[(y + t) * w + x] as number);
      out[y * w + x] = s;
    }
  }
  return out;
}

/** A frame at one scale with its local means and local mean squares, computed once and reused across pairs. */
export interface SsimPrepared {
  size: number;
  pixels: Float64Array;
  /** Local means and local mean squares at the interior pixels, (size − 10)² values. */
  mu: Float64Array;
  sq: Float64Array;
}

export function prepareSsim(pixels: ArrayLike<number>, size: number): SsimPrepared {
  if (size < SSIM_WINDOW) throw new InvalidArgumentError(`SSIM needs frames of at least ${SSIM_WINDOW}×${SSIM_WINDOW} pixels (these are ${size}×${size}).`);
  if (pixels.length !== size * size) throw new InvalidArgumentError(`A ${size}×${size} frame needs ${size * size} pixels, not ${pixels.length}.`);
  const p = Float64Array.from(pixels);
  const sq = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) sq[i] = (p[i] as number) * (p[i] as number);
  return { size, pixels: p, mu: gaussianInterior(p, size), sq: gaussianInterior(sq, size) };
}

/** SSIM (the mean of the full map) and contrast-structure (the mean of its second factor) over the cropped interior. */
export function ssimParts(a: SsimPrepared, b: SsimPrepared): { ssim: number; cs: number } {
  const size = a.size;
  if (b.size !== size) throw new InvalidArgumentError(`SSIM compares frames of one size (${a.size} and ${b.size} given).`);
  const prod = new Float64Array(size * size);
  for (let i = 0; i < prod.length; i++) prod[i] = (a.pixels[i] as number) * (b.pixels[i] as number);
  const muxy = gaussianInterior(prod, size);
  let ssim = 0;
  let cs = 0;
  for (let i = 0; i < muxy.length; i++) {
    const ux = a.mu[i] as number;
    const uy = b.mu[i] as number;
    const vx = (a.sq[i] as number) - ux * ux;
    const vy = (b.sq[i] as number) - uy * uy;
    const vxy = (muxy[i] as number) - ux * uy;
    const c = (2 * vxy + C2) / (vx + vy + C2);
    cs += c;
    ssim += ((2 * ux * uy + C1) / (ux * ux + uy * uy + C1)) * c;
  }
  return { ssim: ssim / muxy.length, cs: cs / muxy.length };
}

/** skimage.metrics.structural_similarity(a, b, data_range=2, gaussian_weights=True, sigma=1.5, use_sample_covariance=False). */
export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, size: number): number {
  return ssimParts(prepareSsim(a, size), prepareSsim(b, size)).ssim;
}

/** The number of MS-SSIM scales a frame allows: at most 5, each at least one SSIM window wide. */
export function msSsimScales(size: number): number {
  let scales = 0;
  for (let s = size; scales < MS_SSIM_WEIGHTS.length && s >= SSIM_WINDOW; s = Math.floor(s / 2)) scales++;
  if (scales === 0) throw new InvalidArgumentError(`MS-SSIM needs frames of at least ${SSIM_WINDOW}×${SSIM_WINDOW} pixels (these are ${size}×${size}).`);
  return scales;
}

/** 2×2 block means (an odd last row or column is dropped), the MS-SSIM low-pass and downsample. */
function halve(pixels: Float64Array, size: number): Float64Array {
  const h = Math.floor(size / 2);
  const out = new Float64Array(h * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < h; x++) {
      const i = 2 * y * size + 2 * x;
      out[y * h + x] = ((pixels[i] as number) + (pixels[i + 1] as number) + (pixels[i + size] as number) + (pixels[i + size + 1] as number)) / 4;
    }
  }
  return out;
}

/** The prepared frame at every MS-SSIM scale, finest first. */
export function prepareMsSsim(pixels: ArrayLike<number>, size: number): SsimPrepared[] {
  const scales = msSsimScales(size);
  const out = [prepareSsim(pixels, size)];
  for (let j = 1; j < scales; j++) {
    const prev = out[j - 1] as SsimPrepared;
    out.push(prepareSsim(halve(prev.pixels, prev.size), Math.floor(prev.size / 2)));
  }
  return out;
}

export function msSsimPrepared(a: SsimPrepared[], b: SsimPrepared[]): number {
  const scales = a.length;
  let wsum = 0;
  for (let j = 0; j < scales; j++) wsum += MS_SSIM_WEIGHTS[j] as number;
  let log = 0;
  for (let j = 0; j < scales; j++) {
    const { ssim: s, cs } = ssimParts(a[j] as SsimPrepared, b[j] as SsimPrepared);
    const term = Math.max(j === scales - 1 ? s : cs, 0);
    if (term === 0) return 0;
    log += ((MS_SSIM_WEIGHTS[j] as number) / wsum) * Math.log(term);
  }
  return Math.exp(log);
}

export function msSsim(a: ArrayLike<number>, b: ArrayLike<number>, size: number): number {
  return msSsimPrepared(prepareMsSsim(a, size), prepareMsSsim(b, size));
}

export interface DiversityReport {
  overall: DiversityResult;
  /** One per class of `frames.classes` (empty without labels). */
  perClass: DiversityResult[];
}

/** Frames kept prepared between pairs; beyond this the cache starts over (bounds memory at 128×128). */
const CACHE_LIMIT = 256;

function meanOver(frames: ImageFrames, indices: number[], className: string | null, maxPairs: number, rng: Rng, checkpoint?: Checkpoint): DiversityResult {
  const n = indices.length;
  const all = (n * (n - 1)) / 2;
  const sampled = all > maxPairs;
  const pairs = sampled ? maxPairs : all;
  if (pairs === 0) return { className, frames: n, pairs: 0, sampled: false, meanMsSsim: null };
  const area = frames.size * frames.size;
  const cache = new Map<number, SsimPrepared[]>();
  const prepared = (f: number): SsimPrepared[] => {
    let p = cache.get(f);
    if (p === undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      p = prepareMsSsim(frames.data.subarray(f * area, (f + 1) * area), frames.size);
      cache.set(f, p);
    }
    return p;
  };
  let sum = 0;
  let done = 0;
  const add = (i: number, j: number): void => {
    sum += msSsimPrepared(prepared(indices[i] as number), prepared(indices[j] as number));
    if (++done % 64 === 0) checkpoint?.(done / pairs);
  };
  if (sampled) {
    for (let p = 0; p < pairs; p++) {
      const i = rng.int(n);
      let j = rng.int(n - 1);
      if (j >= i) j++;
      add(i, j);
    }
  } else {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) add(i, j);
  }
  return { className, frames: n, pairs, sampled, meanMsSsim: sum / pairs };
}

/**
 * Mean pairwise MS-SSIM of one side, overall and per class, with at most `maxPairs` pairs each (random pairs of
 * distinct frames drawn from `rng`, forked per class so one class's draws never shift another's).
 */
export function meanPairwiseMsSsim(frames: ImageFrames, maxPairs: number, rng: Rng, checkpoint?: Checkpoint): DiversityReport {
  checkFrames(frames, 'compared');
  if (!Number.isInteger(maxPairs) || maxPairs < 1) throw new InvalidArgumentError(`The pair budget for diversity must be a whole number of at least 1 (it is ${maxPairs}).`);
  const everyFrame = Array.from({ length: frames.count }, (_, i) => i);
  const overall = meanOver(frames, everyFrame, null, maxPairs, rng.fork('overall'), checkpoint);
  const perClass: DiversityResult[] = [];
  if (frames.labels !== null) {
    for (const [name, indices] of framesByClass(frames)) perClass.push(meanOver(frames, indices, name, maxPairs, rng.fork(`class:${name}`), checkpoint));
  }
  return { overall, perClass };
}
