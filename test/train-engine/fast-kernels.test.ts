// The faster WASM BatchMatMul (engine/wasm-matmul.ts): transposed operands give what the CPU backend gives, the
// very same numbers as an explicit transpose on wasm (so they take XNNPACK's path), nothing leaks, and a
// transposed product no longer costs several times an untransposed one.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { lcgValues, onBackend, relativeError } from './helpers';

beforeAll(async () => {
  delete process.env.AIRLOCK_TF_BACKEND;
  expect((await selectBackend()).name).toBe('wasm');
});

interface Case {
  a: number[];
  b: number[];
  ta: boolean;
  tb: boolean;
}

// Dense-layer backward shapes (rank 2 and the rank-3 form tf.fused.matMul's gradient uses), odd sizes, broadcast batch.
const CASES: Case[] = [
  { a: [37, 11], b: [11, 5], ta: false, tb: false },
  { a: [37, 11], b: [5, 11], ta: false, tb: true },
  { a: [11, 37], b: [11, 5], ta: true, tb: false },
  { a: [11, 37], b: [5, 11], ta: true, tb: true },
  { a: [1, 500, 50], b: [1, 128, 50], ta: false, tb: true },
  { a: [1, 500, 128], b: [1, 500, 50], ta: true, tb: false },
  { a: [3, 7, 9], b: [3, 4, 7], ta: true, tb: true },
  { a: [3, 6, 9], b: [1, 4, 9], ta: false, tb: true },
];

function product(c: Case): Float32Array {
  return tf.tidy(() => {
    const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
    const a = tf.tensor(lcgValues(size(c.a), 3 + c.a[0]!), c.a);
    const b = tf.tensor(lcgValues(size(c.b), 17 + c.b[1]!), c.b);
    return tf.matMul(a, b, c.ta, c.tb).dataSync() as Float32Array;
  });
}

function explicit(c: Case): Float32Array {
  return tf.tidy(() => {
    const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
    const swap = (t: tf.Tensor) => t.transpose([...Array(t.rank - 2).keys(), t.rank - 1, t.rank - 2]);
    let a = tf.tensor(lcgValues(size(c.a), 3 + c.a[0]!), c.a);
    let b = tf.tensor(lcgValues(size(c.b), 17 + c.b[1]!), c.b);
    if (c.ta) a = swap(a);
    if (c.tb) b = swap(b);
    return tf.matMul(a, b).dataSync() as Float32Array;
  });
}

describe('BatchMatMul with transposed operands on wasm', () => {
  it.each(CASES)('matches cpu: a=$a b=$b transposeA=$ta transposeB=$tb', async (c) => {
    const cpu = await onBackend('cpu', () => product(c));
    const wasm = await onBackend('wasm', () => product(c));
    expect(wasm.length).toBe(cpu.length);
    expect(relativeError(wasm, cpu)).toBeLessThan(1e-5);
  });

  it.each(CASES.filter((c) => c.ta || c.tb))('equals an explicit transpose bit for bit: a=$a b=$b', async (c) => {
    const viaFlag = await onBackend('wasm', () => product(c));
    const viaTranspose = await onBackend('wasm', () => explicit(c));
    expect(viaFlag.length).toBe(viaTranspose.length);
    expect(viaFlag.filter((v, i) => v !== viaTranspose[i]).length).toBe(0);
  });

  it('gives the same gradients of a dense layer as cpu', async () => {
    const grads = () =>
      tf.tidy(() => {
        const x = tf.tensor2d(lcgValues(500 * 50, 5), [500, 50]);
        const w = tf.tensor2d(lcgValues(50 * 128, 6), [50, 128]);
        const b = tf.tensor1d(lcgValues(128, 7));
        const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.fused.matMul({ a: xx, b: ww, bias: bb, activation: 'relu' }).square().sum();
        return tf.grads(f)([x, w, b]).map((g) => g.dataSync() as Float32Array);
      });
    const cpu = await onBackend('cpu', grads);
    const wasm = await onBackend('wasm', grads);
    cpu.forEach((g, i) => expect(relativeError(wasm[i] as Float32Array, g)).toBeLessThan(1e-5));
  });

  it('leaves no tensors or backend buffers behind', async () => {
    await onBackend('wasm', () => {
      const before = tf.memory().numTensors;
      const buffers = tf.engine().backend.numDataIds();
      for (const c of CASES) product(c);
      expect(tf.memory().numTensors).toBe(before);
      expect(tf.engine().backend.numDataIds()).toBe(buffers);
    });
  });

  it('costs about what the untransposed product costs (the slow loop took 5–10×)', async () => {
    await onBackend('wasm', () => {
      const a = tf.tensor2d(lcgValues(500 * 128, 1), [500, 128]);
      const b = tf.tensor2d(lcgValues(128 * 128, 2), [128, 128]);
      const best = (f: () => tf.Tensor): number => {
        let min = Infinity;
        for (let i = 0; i < 15; i++) {
          const t0 = performance.now();
          const y = f();
          y.dataSync();
          min = Math.min(min, performance.now() - t0);
          y.dispose();
        }
        return min;
      };
      // Alternated, best of 15 each: robust to another process taking the core for a moment.
      const plain = Math.min(best(() => tf.matMul(a, b)), best(() => tf.matMul(a, b)));
      const transposedB = best(() => tf.matMul(a, b, false, true));
      const transposedA = best(() => tf.matMul(a, a, true, false));
      tf.dispose([a, b]);
      expect(transposedB / plain).toBeLessThan(3);
      // Xᵀ·X is 128×128×500, the same work as X·W.
      expect(transposedA / plain).toBeLessThan(3);
    });
  });
});
