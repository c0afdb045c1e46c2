// The data layout every image validation metric reads, and the JSON-serialisable results the metrics return.
export type { MetricInfo, Checkpoint, Goal } from '../types';

/** n frames of size×size, row-major, values in [−1, 1] (as the generator trained on them). */
export interface ImageFrames {
  count: number;
  size: number;
  data: Float32Array;
  /** Class index per frame into `classes`, or null when the spec has no class labels. */
  labels: Int32Array | null;
  classes: string[];
}

/** Intensity comparison of one class (or of all frames, class null). */
export interface IntensityClassResult {
  /** Class name, or null for all frames together. */
  className: string | null;
  realFrames: number;
  syntheticFrames: number;
  /** 1-D Wasserstein distance between the real and synthetic pixel values (null when one side is empty). */
  wasserstein: number | null;
  realMean: number;
  realStd: number;
  syntheticMean: number;
  syntheticStd: number;
  /** Pixel counts per fixed bin (edges in IntensityResult), for the overlaid histogram plot. */
  realCounts: number[];
  syntheticCounts: number[];
}

export interface IntensityResult {
  /** bins + 1 fixed edges on [−1, 1]; values outside are clipped into the end bins. */
  edges: number[];
  overall: IntensityClassResult;
  /** One entry per class, in `classes` order (empty when there are no labels). */
  perClass: IntensityClassResult[];
}

/** Mean pairwise MS-SSIM among the frames of one side (one class or all). */
export interface DiversityResult {
  className: string | null;
  frames: number;
  /** Number of pairs averaged (all pairs, or maxPairs random ones). */
  pairs: number;
  /** True when the pairs were sampled rather than exhaustive. */
  sampled: boolean;
  /** Null when fewer than 2 frames. */
  meanMsSsim: number | null;
}

/** Radially averaged power spectrum of one side: mean |F|² per rounded radius 0 … the corner (round(size/√2)). */
export interface PowerSpectrum {
  size: number;
  frames: number;
  /** power[r] for r = 0 … round(√2·size/2). */
  power: number[];
}

export interface SpectrumBand {
  name: 'low' | 'mid' | 'high';
  /** Radii [from, to) of the band (DC excluded). */
  from: number;
  to: number;
  realPower: number;
  syntheticPower: number;
  /** (synthetic − real) / real summed power in the band, capped at 10⁶ (also when the real power there is 0). */
  relativeDifference: number;
}

export interface SpectrumResult {
  real: PowerSpectrum;
  synthetic: PowerSpectrum;
  bands: SpectrumBand[];
}

/** Closest real frames of one synthetic frame. */
export interface MemorisationRow {
  /** Index of the synthetic frame. */
  synthetic: number;
  /** Index of the training frame with the highest NCC. */
  bestTrain: number;
  bestTrainNcc: number;
  /** SSIM with bestTrain. */
  bestTrainPairSsim: number;
  /** Highest SSIM among the top-k NCC training neighbours. */
  bestTrainSsim: number;
  /** Index of the training frame with that highest SSIM. */
  bestSsimTrain: number;
  bestHoldout: number;
  bestHoldoutNcc: number;
  /** Highest NCC allowing shifts of up to maxShift pixels and a left-right mirror, over the top-k NCC training neighbours. */
  bestShiftedTrainNcc: number;
  bestShiftedTrain: number;
  /** The same over the top-k holdout neighbours (the control). */
  bestShiftedHoldoutNcc: number;
}

export interface Quantiles {
  p01: number;
  p05: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  p99: number;
  max: number;
}

export interface MemorisationPair {
  synthetic: number;
  train: number;
  ncc: number;
  /** SSIM of the same pair. */
  ssim: number;
}

export interface MemorisationResult {
  threshold: number;
  /** Share of synthetic frames whose closest training NCC is ≥ threshold. */
  shareAboveThreshold: number;
  /** The same share against the holdout (the control: what real, unseen frames score). */
  holdoutShareAboveThreshold: number;
  countAboveThreshold: number;
  closestTrain: Quantiles;
  closestHoldout: Quantiles;
  /** Same for the top-k SSIM. */
  closestTrainSsim: Quantiles;
  // The shift- and mirror-tolerant NCC figures: memorisation() always sets them; optional so summaries built
  // from the zero-shift figures alone still type-check.
  /** Largest shift (pixels, each axis) of the shift- and mirror-tolerant NCC. */
  maxShift?: number;
  shiftedShareAboveThreshold?: number;
  holdoutShiftedShareAboveThreshold?: number;
  closestTrainShifted?: Quantiles;
  closestHoldoutShifted?: Quantiles;
  /** Indices only (no pixels), highest NCC first. */
  worstPairs: MemorisationPair[];
  rows: MemorisationRow[];
  /** k of the top-k NCC neighbours SSIM was computed on. */
  ssimCandidates: number;
}

export interface FrechetResult {
  distance: number;
  /** ‖μ1 − μ2‖² part. */
  meanTerm: number;
  /** Tr(Σ1 + Σ2 − 2(Σ1Σ2)^½) part. */
  covarianceTerm: number;
}

export interface PrecisionRecallResult {
  precision: number;
  recall: number;
  k: number;
}

/** n feature vectors of dimension d, row-major. */
export interface FeatureRows {
  n: number;
  d: number;
  data: Float32Array;
}
