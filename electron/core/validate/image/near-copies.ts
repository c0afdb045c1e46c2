// Memorisation that a mirror or a one-pixel shift does not hide: zero-shift NCC of a synthetic image against a
// training frame it copies but mirrors or shifts by a pixel drops to 0.85–0.95 on MR slices, below what an
// unseen neighbouring slice scores, so every synthetic image is also compared mirrored and shifted back by one
// pixel, and keeps its best variant. The holdout control gets the same search, so the comparison stays fair.
import { quantiles } from './memorisation';
import type { Checkpoint, ImageFrames, MemorisationPair, MemorisationResult, MemorisationRow } from './types';

export const VARIANTS = ['as made', 'mirrored left–right', 'mirrored top–bottom', 'shifted one pixel left', 'shifted one pixel right', 'shifted one pixel up', 'shifted one pixel down'] as const;

/** The memorisation metric of one synthetic set (imgmetrics' memorisation.ts, zero-shift NCC). */
export type Memorise = (synthetic: ImageFrames, train: ImageFrames, holdout: ImageFrames, opts: { threshold: number; checkpoint?: Checkpoint }) => MemorisationResult | Promise<MemorisationResult>;

/** Each frame transformed by variant `v`; shifts replicate the edge row or column. */
export function variantFrames(frames: ImageFrames, v: number): ImageFrames {
  if (v === 0) return frames;
  const n = frames.size;
  const area = n * n;
  const out = new Float32Array(frames.data.length);
  const clamp = (x: number): number => (x < 0 ? 0 : x >= n ? n - 1 : x);
  // Source pixel (sy, sx) of target (y, x) for each variant.
  const source = (y: number, x: number): number => {
    if (v === 1) return y * n + (n - 1 - x);
    if (v === 2) return (n - 1 - y) * n + x;
    if (v === 3) return y * n + clamp(x + 1);
    if (v === 4) return y * n + clamp(x - 1);
    if (v === 5) return clamp(y + 1) * n + x;
    return clamp(y - 1) * n + x;
  };
  const map = new Int32Array(area);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) map[y * n + x] = source(y, x);
  for (let f = 0; f < frames.count; f++) {
    const base = f * area;
    for (let i = 0; i < area; i++) out[base + i] = frames.data[base + (map[i] as number)] as number;
  }
  return { ...frames, data: out };
}

export interface NearCopyResult {
  result: MemorisationResult;
  /** Per synthetic image, the variant (index into VARIANTS) its best training match was found with. */
  variant: number[];
  /** Per synthetic image, the holdout frame it is closest to (over every variant), for the findings' control pairs. */
  bestHoldout: { index: number; ncc: number }[];
}

/** The memorisation result over every variant: per image its best training match; summary recomputed from those. */
export async function nearCopies(memorise: Memorise, synthetic: ImageFrames, train: ImageFrames, holdout: ImageFrames, opts: { threshold: number; worstPairs: number; checkpoint?: Checkpoint }): Promise<NearCopyResult> {
  let rows: MemorisationRow[] = [];
  const variant: number[] = [];
  let ssimCandidates = 0;
  for (let v = 0; v < VARIANTS.length; v++) {
    const part = (p = 0): void => opts.checkpoint?.((v + p) / VARIANTS.length);
    const r = await memorise(variantFrames(synthetic, v), train, holdout, { threshold: opts.threshold, checkpoint: part });
    ssimCandidates = r.ssimCandidates;
    if (v === 0) {
      rows = r.rows.map((x) => ({ ...x }));
      rows.forEach(() => variant.push(0));
      continue;
    }
    for (const x of r.rows) {
      const best = rows[x.synthetic] as MemorisationRow;
      const holdoutBetter = x.bestHoldoutNcc > best.bestHoldoutNcc;
      const [bestHoldout, bestHoldoutNcc] = holdoutBetter ? [x.bestHoldout, x.bestHoldoutNcc] : [best.bestHoldout, best.bestHoldoutNcc];
      if (x.bestTrainNcc > best.bestTrainNcc) {
        rows[x.synthetic] = { ...x, bestHoldout, bestHoldoutNcc };
        variant[x.synthetic] = v;
      } else rows[x.synthetic] = { ...best, bestHoldout, bestHoldoutNcc };
    }
  }
  const train_ = Float64Array.from(rows, (r) => r.bestTrainNcc);
  const hold = Float64Array.from(rows, (r) => r.bestHoldoutNcc);
  const ssim = Float64Array.from(rows, (r) => r.bestTrainSsim);
  const count = train_.filter((x) => x >= opts.threshold).length;
  const n = rows.length || 1;
  const worstPairs: MemorisationPair[] = [...rows]
    .sort((a, b) => b.bestTrainNcc - a.bestTrainNcc || a.synthetic - b.synthetic)
    .slice(0, opts.worstPairs)
    .map((r) => ({ synthetic: r.synthetic, train: r.bestTrain, ncc: r.bestTrainNcc, ssim: r.bestTrainPairSsim }));
  return {
    result: {
      threshold: opts.threshold,
      shareAboveThreshold: count / n,
      holdoutShareAboveThreshold: hold.filter((x) => x >= opts.threshold).length / n,
      countAboveThreshold: count,
      closestTrain: quantiles(train_),
      closestHoldout: quantiles(hold),
      closestTrainSsim: quantiles(ssim),
      worstPairs,
      rows,
      ssimCandidates,
    },
    variant,
    bestHoldout: rows.map((r) => ({ index: r.bestHoldout, ncc: r.bestHoldoutNcc })),
  };
}
