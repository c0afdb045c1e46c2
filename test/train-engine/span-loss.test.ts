// The all-spans cross-entropy with its hand-written gradient (models/span-loss.ts) equals the autodiff of
// −Σ target · logSoftmax on the padded layout, on cpu and wasm, stays finite for large logits, and leaks nothing.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { spanCrossEntropy } from '../../electron/core/train/models/span-loss';
import { lcgValues, onBackend, relativeError } from './helpers';

beforeAll(async () => {
  delete process.env.AIRLOCK_TF_BACKEND;
  expect((await selectBackend()).name).toBe('wasm');
});

const WIDTHS = [3, 7, 2, 5, 1];
const MAX = 7;

/** Padded logits (−1e9 on padding) and one-hot targets; span 3's target is all zero, as a CTGAN condition leaves it. */
function layout(rows: number, scale: number): { logits: Float32Array; target: Float32Array } {
  const k = WIDTHS.length;
  const logits = lcgValues(rows * k * MAX, 91).map((v) => v * scale);
  const target = new Float32Array(rows * k * MAX);
  const pick = lcgValues(rows * k, 17);
  for (let r = 0; r < rows; r++) {
    WIDTHS.forEach((w, s) => {
      const o = (r * k + s) * MAX;
      for (let j = w; j < MAX; j++) logits[o + j] = -1e9;
      if (s !== 3) target[o + Math.min(w - 1, Math.floor(Math.abs(pick[r * k + s] as number) * w))] = 1;
    });
  }
  return { logits, target };
}

function both(rows: number, scale: number): { ours: Float32Array[]; reference: Float32Array[] } {
  return tf.tidy(() => {
    const { logits, target } = layout(rows, scale);
    const shape: [number, number, number] = [rows, WIDTHS.length, MAX];
    const x = tf.tensor3d(logits, shape);
    const t = tf.tensor3d(target, shape);
    // A downstream factor so the incoming gradient is not 1.
    const ours = tf.valueAndGrad((l: tf.Tensor) => spanCrossEntropy(l as tf.Tensor3D, t).mul<tf.Scalar>(0.37))(x);
    const reference = tf.valueAndGrad((l: tf.Tensor) => t.mul(tf.logSoftmax(l)).sum().neg().mul<tf.Scalar>(0.37))(x);
    return {
      ours: [ours.value.dataSync() as Float32Array, ours.grad.dataSync() as Float32Array],
      reference: [reference.value.dataSync() as Float32Array, reference.grad.dataSync() as Float32Array],
    };
  });
}

describe('spanCrossEntropy', () => {
  it.each([
    [64, 1],
    [500, 3],
    [37, 40],
  ])('matches −Σ target·logSoftmax and its gradient: %i rows, logits ×%i', async (rows, scale) => {
    for (const backend of ['cpu', 'wasm'] as const) {
      const { ours, reference } = await onBackend(backend, () => both(rows, scale));
      // The forward pass runs logSoftmax's own ops: the same number.
      expect(ours[0]?.[0]).toBe(reference[0]?.[0]);
      expect(Number.isFinite(ours[0]?.[0])).toBe(true);
      expect(relativeError(ours[1] as Float32Array, reference[1] as Float32Array)).toBeLessThan(1e-5);
    }
  });

  it('gives the same on wasm as on cpu', async () => {
    const cpu = await onBackend('cpu', () => both(200, 2).ours);
    const wasm = await onBackend('wasm', () => both(200, 2).ours);
    expect(relativeError(wasm[0] as Float32Array, cpu[0] as Float32Array)).toBeLessThan(1e-5);
    expect(relativeError(wasm[1] as Float32Array, cpu[1] as Float32Array)).toBeLessThan(1e-5);
  });

  it('leaves no tensors behind', async () => {
    await onBackend('wasm', () => {
      const before = tf.memory().numTensors;
      both(50, 1);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
