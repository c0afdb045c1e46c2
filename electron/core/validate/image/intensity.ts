// Intensity fidelity of synthetic images: per class and overall, the exact 1-D Wasserstein distance between the
// real and synthetic pixel values (scipy.stats.wasserstein_distance), their mean and std, and fixed-bin counts.
import { InvalidArgumentError } from '../../errors';
import type { ImageFrames, IntensityClassResult, IntensityResult, MetricInfo } from './types';

export const INTENSITY_WASSERSTEIN: MetricInfo = {
  name: 'IntensityWasserstein',
  definition: 'The 1-D Wasserstein (earth mover’s) distance between the pixel intensities of the real and the synthetic frames, on the training scale [−1, 1] (exact, over every pixel), per class and overall.',
  goal: 'minimize',
  min: 0,
  max: 2,
};
export const INTENSITY_MEAN: MetricInfo = {
  name: 'IntensityMean',
  definition: 'The mean pixel intensity of the frames of one side, on the training scale [−1, 1]; descriptive: the synthetic value should be close to the real one.',
  goal: 'maximize',
  min: -1,
  max: 1,
};
export const INTENSITY_STD: MetricInfo = {
  name: 'IntensityStd',
  definition: 'The standard deviation (population) of the pixel intensities of the frames of one side, on the training scale [−1, 1]; descriptive: the synthetic value should be close to the real one.',
  goal: 'maximize',
  min: 0,
  max: 1,
};

export const INTENSITY_BINS = 64;

/** Checks the layout every image metric relies on; a mismatch is a programming error upstream, said plainly. */
export function checkFrames(frames: ImageFrames, what: string): void {
  const { count, size, data, labels } = frames;
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(size) || size < 1) {
    throw new InvalidArgumentError(`The ${what} images have an invalid shape (${count} frames of ${size}×${size}).`);
  }
  if (data.length !== count * size * size) {
    throw new InvalidArgumentError(`The ${what} images hold ${data.length} pixels where ${count} frames of ${size}×${size} need ${count * size * size}.`);
  }
  if (labels !== null && labels.length !== count) {
    throw new InvalidArgumentError(`The ${what} images have ${labels.length} class labels for ${count} frames.`);
  }
}

/** The frame indices per class name (names, not positions, so two sides with differently ordered classes still match). */
export function framesByClass(frames: ImageFrames): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const name of frames.classes) out.set(name, []);
  if (frames.labels === null) return out;
  for (let i = 0; i < frames.count; i++) {
    const name = frames.classes[frames.labels[i] as number];
    if (name !== undefined) out.get(name)?.push(i);
  }
  return out;
}

/** The pixels of the given frames (all when `indices` is null), copied out and sorted ascending. */
function sortedPixels(frames: ImageFrames, indices: number[] | null): Float32Array {
  const area = frames.size * frames.size;
  if (indices === null) return Float32Array.from(frames.data).sort();
  const out = new Float32Array(indices.length * area);
  indices.forEach((f, i) => out.set(frames.data.subarray(f * area, (f + 1) * area), i * area));
  return out.sort();
}

/**
 * ∫ |F_u − F_v| over the merged sorted samples, as scipy computes it: exact for the empirical distributions.
 * Both inputs must be sorted ascending and non-empty.
 */
export function wassersteinSorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const n = u.length;
  const m = v.length;
  let i = 0;
  let j = 0;
  let total = 0;
  let prev = Math.min(u[0] as number, v[0] as number);
  while (i < n || j < m) {
    const x = j >= m || (i < n && (u[i] as number) <= (v[j] as number)) ? (u[i] as number) : (v[j] as number);
    total += Math.abs(i / n - j / m) * (x - prev);
    prev = x;
    // Step past every sample equal to x on both sides, so ties move both CDFs at once.
    while (i < n && (u[i] as number) === x) i++;
    while (j < m && (v[j] as number) === x) j++;
  }
  return total;
}

/** scipy.stats.wasserstein_distance of two unsorted samples. */
export function wasserstein1d(u: ArrayLike<number>, v: ArrayLike<number>): number {
  if (u.length === 0 || v.length === 0) throw new InvalidArgumentError('The Wasserstein distance needs values on both sides.');
  return wassersteinSorted(Float64Array.from(u).sort(), Float64Array.from(v).sort());
}

function moments(sorted: Float32Array): { mean: number; std: number } {
  if (sorted.length === 0) return { mean: NaN, std: NaN };
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i] as number;
  const mean = sum / sorted.length;
  let ss = 0;
  for (let i = 0; i < sorted.length; i++) {
    const d = (sorted[i] as number) - mean;
    ss += d * d;
  }
  return { mean, std: Math.sqrt(ss / sorted.length) };
}

/** Counts on `bins` equal bins of [−1, 1]; values outside (generators can overshoot) go to the end bins. */
export function histogram(values: ArrayLike<number>, bins = INTENSITY_BINS): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const b = Math.floor((((values[i] as number) + 1) / 2) * bins);
    counts[b < 0 ? 0 : b >= bins ? bins - 1 : b]! += 1;
  }
  return counts;
}

function compare(className: string | null, real: Float32Array, synthetic: Float32Array, realFrames: number, syntheticFrames: number, bins: number): IntensityClassResult {
  const r = moments(real);
  const s = moments(synthetic);
  return {
    className,
    realFrames,
    syntheticFrames,
    wasserstein: real.length > 0 && synthetic.length > 0 ? wassersteinSorted(real, synthetic) : null,
    realMean: r.mean,
    realStd: r.std,
    syntheticMean: s.mean,
    syntheticStd: s.std,
    realCounts: histogram(real, bins),
    syntheticCounts: histogram(synthetic, bins),
  };
}

/**
 * Intensity fidelity of `synthetic` against `real` (normally the training frames), overall and per class of the
 * real side (matched by class name; a class missing on one side reports that side empty, Wasserstein null).
 */
export function intensityFidelity(real: ImageFrames, synthetic: ImageFrames, bins = INTENSITY_BINS): IntensityResult {
  checkFrames(real, 'real');
  checkFrames(synthetic, 'synthetic');
  if (real.size !== synthetic.size) throw new InvalidArgumentError(`The real images are ${real.size}×${real.size} but the synthetic ones ${synthetic.size}×${synthetic.size}.`);
  const edges = Array.from({ length: bins + 1 }, (_, i) => -1 + (2 * i) / bins);
  const overall = compare(null, sortedPixels(real, null), sortedPixels(synthetic, null), real.count, synthetic.count, bins);
  const perClass: IntensityClassResult[] = [];
  if (real.labels !== null) {
    const realBy = framesByClass(real);
    const synBy = synthetic.labels !== null ? framesByClass(synthetic) : new Map<string, number[]>();
    for (const name of real.classes) {
      const r = realBy.get(name) ?? [];
      const s = synBy.get(name) ?? [];
      perClass.push(compare(name, sortedPixels(real, r), sortedPixels(synthetic, s), r.length, s.length, bins));
    }
  }
  return { edges, overall, perClass };
}
