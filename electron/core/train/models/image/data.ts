// Training images as plain arrays: what an image trainer takes, checked once, and gathered into batches.
import { invalidInput } from '../../engine/errors';
import type { Rng } from '../../engine/rng';
import type { ModelTrainer } from '../model';
import type { Grid, GridOptions, ImageSampler } from './grid';

/** The engine's ModelTrainer, plus sampling and preview grids. */
export interface ImageTrainer extends ModelTrainer, ImageSampler {
  sampleGrid(n: number, rng: Rng, options?: GridOptions & { labels?: ArrayLike<number> | null }): Grid<Uint8Array>;
}

export interface ImageSet {
  /** count × size × size greyscale values in [−1, 1], row-major (NHWC with one channel). */
  images: Float32Array;
  count: number;
  /** Side in pixels (square images). */
  size: number;
  /** One class index per image in [0, classes); required when the model is conditional, ignored otherwise. */
  labels?: Int32Array | null;
}

/** Refuse data that does not match the model: shape, range, labels. Returns the labels to use (null if none). */
export function checkImageSet(data: ImageSet, size: number, classes: number): Int32Array | null {
  if (data.size !== size) throw invalidInput(`The images are ${data.size} × ${data.size}; this model makes ${size} × ${size}.`);
  if (!Number.isInteger(data.count) || data.count < 1) throw invalidInput('There are no training images.');
  const per = size * size;
  if (data.images.length !== data.count * per) {
    throw invalidInput(`The image data holds ${data.images.length} values, not ${data.count} images of ${size} × ${size}.`);
  }
  for (let i = 0; i < data.images.length; i++) {
    const v = data.images[i] as number;
    if (!(v >= -1 && v <= 1)) throw invalidInput(`Image ${Math.floor(i / per) + 1} has a value outside [−1, 1] (${v}); normalise the pixels first.`);
  }
  if (classes === 0) return null;
  const labels = data.labels;
  if (!labels) throw invalidInput(`This model is conditioned on ${classes} classes but the images have no labels.`);
  if (labels.length !== data.count) throw invalidInput(`There are ${labels.length} labels for ${data.count} images.`);
  labels.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0 || l >= classes) throw invalidInput(`Image ${i + 1} has label ${l}; labels run from 0 to ${classes - 1}.`);
  });
  return labels;
}

/** Images at order[from..to) packed into one [to − from, size, size, 1] array, and their labels. */
export function gatherImages(data: ImageSet, labels: Int32Array | null, order: ArrayLike<number>, from: number, to: number): { x: Float32Array; y: Int32Array | null } {
  const per = data.size * data.size;
  const x = new Float32Array((to - from) * per);
  const y = labels ? new Int32Array(to - from) : null;
  for (let i = from; i < to; i++) {
    const r = order[i] as number;
    x.set(data.images.subarray(r * per, r * per + per), (i - from) * per);
    if (y && labels) y[i - from] = labels[r] as number;
  }
  return { x, y };
}

/** [n, classes] one-hot rows. */
export function oneHot(labels: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((l, i) => (out[i * classes + l] = 1));
  return out;
}

/**
 * The labels to sample with: the caller's (checked), or — for a conditional model given none — 0, 1, …, classes−1
 * repeated (a grid then shows every class in turn). Null for an unconditional model.
 */
export function sampleLabels(n: number, classes: number, labels?: ArrayLike<number> | null): Int32Array | null {
  if (classes === 0) {
    if (labels && labels.length > 0) throw invalidInput('This model is not conditional: it takes no labels.');
    return null;
  }
  if (!labels) return Int32Array.from({ length: n }, (_, i) => i % classes);
  if (labels.length !== n) throw invalidInput(`${labels.length} labels were given for ${n} images.`);
  const out = Int32Array.from(labels);
  out.forEach((l) => {
    if (l < 0 || l >= classes) throw invalidInput(`Label ${l} is outside 0…${classes - 1}.`);
  });
  return out;
}

/** Check a sampling request's count before any work. */
export function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw invalidInput(`Cannot sample ${n} images.`);
}
