// What the training loop needs from a model. A trainer owns its variables and optimiser state; every step is
// synchronous tfjs work wrapped in tf.tidy, and returns its losses as plain numbers.
import type { Rng } from '../engine/rng';
import type { SerializedTensor } from '../engine/tensors';
import type { OutputSpan } from './spans';

export interface EncodedTable {
  /** rows × width, row-major. */
  values: Float32Array;
  rows: number;
  width: number;
  spans: OutputSpan[];
}

export interface ModelTrainer {
  /** Loss names in the order they are reported, e.g. ['loss', 'reconstruction', 'kl']. */
  readonly lossNames: readonly string[];
  /** How a loss is named in a sentence: "The generator's loss". */
  lossLabel(name: string): string;
  stepsPerEpoch(): number;
  /** Called at the start of every epoch (shuffling happens here). */
  beginEpoch(rng: Rng): void;
  /** Step `step` (0-based) of the current epoch. */
  trainStep(step: number, rng: Rng): Record<string, number>;
  exportWeights(): SerializedTensor[];
  exportOptimizer(): SerializedTensor[];
  importWeights(list: readonly SerializedTensor[]): void;
  importOptimizer(list: readonly SerializedTensor[]): void;
  dispose(): void;
}

/** Rows of `table` at `indices`, packed into one [indices.length, width] Float32Array. */
export function gatherRows(table: EncodedTable, indices: ArrayLike<number>, from = 0, to = indices.length): Float32Array {
  const w = table.width;
  const out = new Float32Array((to - from) * w);
  for (let i = from; i < to; i++) {
    const r = indices[i] as number;
    out.set(table.values.subarray(r * w, r * w + w), (i - from) * w);
  }
  return out;
}

// Rebuilding a trained model: load its weights into a fresh one, freeing the fresh one's tensors if they don't fit.
export function withWeights<T extends { dispose(): void }>(fresh: T, load: (target: T) => void): T {
  try {
    load(fresh);
  } catch (err) {
    fresh.dispose();
    throw err;
  }
  return fresh;
}
