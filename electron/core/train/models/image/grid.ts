// Preview grids: n square greyscale images tiled row by row into one image, as the UI shows a run's samples
// (torchvision's make_grid, for one channel). tileGrid keeps the model's [−1, 1] floats; gridToBytes maps them to
// 8-bit grey (−1 → 0, 1 → 255) for a PNG.
import { invalidInput } from '../../engine/errors';
import type { Rng } from '../../engine/rng';

export interface GridOptions {
  /** Images per row (default ⌈√n⌉). */
  columns?: number;
  /** Pixels between images and around the edge (default 2). */
  padding?: number;
  /** Value of the padding in [−1, 1] (default −1, black). */
  background?: number;
}

export interface Grid<T extends Float32Array | Uint8Array> {
  width: number;
  height: number;
  columns: number;
  rows: number;
  /** height × width, row-major. */
  pixels: T;
}

/** Tile `count` images of size × size (count × size² values, row-major) into one grid. */
export function tileGrid(images: Float32Array, count: number, size: number, options: GridOptions = {}): Grid<Float32Array> {
  if (!Number.isInteger(count) || count < 1) throw invalidInput('A grid needs at least one image.');
  if (images.length !== count * size * size) throw invalidInput(`${images.length} values are not ${count} images of ${size} × ${size}.`);
  const columns = Math.min(count, options.columns ?? Math.ceil(Math.sqrt(count)));
  if (!Number.isInteger(columns) || columns < 1) throw invalidInput('A grid needs at least one column.');
  const pad = options.padding ?? 2;
  if (!Number.isInteger(pad) || pad < 0) throw invalidInput('Grid padding is a whole number of pixels.');
  const rows = Math.ceil(count / columns);
  const width = columns * (size + pad) + pad;
  const height = rows * (size + pad) + pad;
  const pixels = new Float32Array(width * height).fill(options.background ?? -1);
  for (let k = 0; k < count; k++) {
    const top = pad + Math.floor(k / columns) * (size + pad);
    const left = pad + (k % columns) * (size + pad);
    for (let r = 0; r < size; r++) {
      const from = (k * size + r) * size;
      pixels.set(images.subarray(from, from + size), (top + r) * width + left);
    }
  }
  return { width, height, columns, rows, pixels };
}

/** [−1, 1] → 0…255, rounded and clamped. */
export function gridToBytes(grid: Grid<Float32Array>): Grid<Uint8Array> {
  const pixels = new Uint8Array(grid.pixels.length);
  grid.pixels.forEach((v, i) => (pixels[i] = Math.round(Math.min(1, Math.max(-1, v)) * 127.5 + 127.5)));
  return { ...grid, pixels };
}

/** Anything that makes images: a trainer, or a model loaded from a run's weights. */
export interface ImageSampler {
  readonly size: number;
  readonly classes: number;
  /** n images (n × size² values in [−1, 1]); labels pick each image's class for a conditional model. */
  sample(n: number, rng: Rng, labels?: ArrayLike<number> | null): Float32Array;
}

/** Sample n images and tile them into an 8-bit preview grid. */
export function sampleGrid(model: ImageSampler, n: number, rng: Rng, options: GridOptions & { labels?: ArrayLike<number> | null } = {}): Grid<Uint8Array> {
  const { labels, ...grid } = options;
  return gridToBytes(tileGrid(model.sample(n, rng, labels), n, model.size, grid));
}
