// Shared helpers for the training-engine tests: backend switching, comparisons and a synthetic encoded table.
import * as tf from '@tensorflow/tfjs';
import type { OutputSpan } from '../../electron/core/train/models/spans';

/** Run `fn` with `backend` active and return its result (tensors read back to plain arrays by the caller). */
export async function onBackend<T>(backend: 'cpu' | 'wasm', fn: () => T): Promise<T> {
  const before = tf.getBackend();
  await tf.setBackend(backend);
  try {
    return fn();
  } finally {
    await tf.setBackend(before);
  }
}

/**
 * max |a − b| / max(max |b|, floor): the error relative to the reference's scale. The floor keeps a quantity that
 * is zero in exact arithmetic (a bias gradient in front of a BatchNorm) from dividing rounding noise by noise.
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 0): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return Infinity;
    maxDiff = Math.max(maxDiff, Math.abs(x - y));
    scale = Math.max(scale, Math.abs(y));
  }
  const denom = Math.max(scale, floor);
  return denom === 0 ? maxDiff : maxDiff / denom;
}

/** Deterministic pseudo-random floats in [-1, 1) for test inputs (not the engine's PRNG on purpose). */
export function lcgValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export interface SyntheticShape {
  /** Continuous columns, each an alpha (tanh) span and a `modes`-wide mode span. */
  continuous: number;
  modes: number;
  /** Category counts of the categorical columns. */
  categories: number[];
}

/** 2 continuous columns (3 modes) and categoricals of 4 and 3: width 15. */
export const SMALL: SyntheticShape = { continuous: 2, modes: 3, categories: [4, 3] };
/** Width 59, like a ~12-column clinical table after mode-specific normalisation. */
export const CLINICAL: SyntheticShape = { continuous: 6, modes: 5, categories: [8, 6, 4, 3, 2] };

/**
 * A synthetic encoded table in the data transformer's layout, with some structure to learn: mode choice and
 * alpha depend on the first categorical, categories are skewed.
 */
export function syntheticTable(rows: number, seed = 7, shape: SyntheticShape = SMALL): { values: Float32Array<ArrayBuffer>; rows: number; width: number; spans: OutputSpan[] } {
  const spans: OutputSpan[] = [];
  let at = 0;
  for (let c = 0; c < shape.continuous; c++) {
    spans.push({ column: c, kind: 'alpha', start: at, width: 1, activation: 'tanh' });
    spans.push({ column: c, kind: 'mode', start: at + 1, width: shape.modes, activation: 'softmax' });
    at += 1 + shape.modes;
  }
  shape.categories.forEach((k, i) => {
    spans.push({ column: shape.continuous + i, kind: 'category', start: at, width: k, activation: 'softmax' });
    at += k;
  });
  const width = at;
  const values = new Float32Array(rows * width);
  const per = shape.continuous * 2 + shape.categories.length;
  const u = lcgValues(rows * per, seed);
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    const k = (i: number) => Math.abs(u[r * per + i] as number);
    const catSpans = spans.filter((s) => s.kind === 'category');
    const cats = catSpans.map((s, i) => Math.min(s.width - 1, Math.floor(k(shape.continuous * 2 + i) ** 2 * s.width)));
    cats.forEach((c, i) => {
      values[o + (catSpans[i] as OutputSpan).start + c] = 1;
    });
    const driver = cats[0] ?? 0;
    for (let c = 0; c < shape.continuous; c++) {
      const alpha = spans[2 * c] as OutputSpan;
      const mode = spans[2 * c + 1] as OutputSpan;
      values[o + alpha.start] = Math.tanh((u[r * per + 2 * c] as number) * 1.5 + (driver === 0 ? 0.4 : -0.2));
      values[o + mode.start + Math.min(shape.modes - 1, Math.floor((k(2 * c + 1) + driver * 0.13) * shape.modes) % shape.modes)] = 1;
    }
  }
  return { values, rows, width, spans };
}
