// The stride-2 layers' sub-pixel formulation (what wasm runs) against tfjs's own conv2d / conv2dTranspose on the
// CPU backend: values and both gradients, and the single-gradient variants ('input', 'filter').
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { down, up, type ConvPath, type GradNeed } from '../../electron/core/train/models/image/ops';
import { lcgValues, onBackend, relativeError } from '../train-engine/helpers';

beforeAll(async () => {
  delete process.env.AIRLOCK_TF_BACKEND;
  expect((await selectBackend()).name).toBe('wasm');
});

/** [N, H, W] of the smaller side, C_small, C_large. */
const CASES: [number, number, number, number, number][] = [
  [2, 4, 4, 3, 5],
  [3, 8, 6, 7, 2],
  [2, 16, 16, 6, 1],
  [1, 4, 8, 1, 9],
  [2, 8, 8, 12, 24],
];

function run(c: (typeof CASES)[number], path: ConvPath, need: GradNeed = 'both'): Float32Array[] {
  const [n, h, w, cs, cl] = c;
  return tf.tidy(() => {
    const small = tf.tensor4d(lcgValues(n * h * w * cs, 1 + h), [n, h, w, cs]);
    const large = tf.tensor4d(lcgValues(n * 4 * h * w * cl, 2 + w), [n, 2 * h, 2 * w, cl]);
    const filter = tf.tensor4d(lcgValues(16 * cs * cl, 3 + cs), [4, 4, cl, cs]); // up: [4, 4, C_out, C_in]; down: [4, 4, C_in, C_out]
    const wantX = need !== 'filter';
    const wantW = need !== 'input';
    const grads = (f: (x: tf.Tensor4D, k: tf.Tensor4D) => tf.Tensor4D, x: tf.Tensor4D, weight: tf.Tensor4D) => {
      const probe = tf.tensor4d(lcgValues(f(x, weight).size, 7), f(x, weight).shape);
      const out = [f(x, weight)];
      if (wantX) out.push(tf.grad((a: tf.Tensor) => f(a as tf.Tensor4D, weight).mul(probe).sum())(x) as tf.Tensor4D);
      if (wantW) out.push(tf.grad((b: tf.Tensor) => f(x, b as tf.Tensor4D).mul(probe).sum())(weight) as tf.Tensor4D);
      return out;
    };
    return [...grads((x, k) => up(x, k, need, path), small, filter), ...grads((x, k) => down(x, k, need, path), large, filter)].map((t) => t.dataSync() as Float32Array);
  });
}

describe('stride-2 layers', () => {
  it.each(CASES)('sub-pixel on wasm = tfjs ops on cpu: N=%i H=%i W=%i C=%i/%i', async (...c) => {
    const ref = await onBackend('cpu', () => run(c, 'builtin'));
    for (const got of [await onBackend('wasm', () => run(c, 'subpixel')), await onBackend('cpu', () => run(c, 'subpixel'))]) {
      expect(got).toHaveLength(6);
      got.forEach((g, i) => expect(relativeError(g, ref[i] as Float32Array), `output ${i}`).toBeLessThan(1e-5));
    }
  });

  it.each(['input', 'filter'] as const)("'%s' gives that gradient alone, equal to 'both''s", async (need) => {
    const c = CASES[1] as (typeof CASES)[number];
    const both = await onBackend('wasm', () => run(c, 'subpixel'));
    const one = await onBackend('wasm', () => run(c, 'subpixel', need));
    const pick = need === 'input' ? [0, 1, 3, 4] : [0, 2, 3, 5];
    expect(one).toHaveLength(4);
    one.forEach((g, i) => expect(Buffer.from(g.buffer).equals(Buffer.from((both[pick[i] as number] as Float32Array).buffer))).toBe(true));
  });

  it('leaves no tensors behind', async () => {
    await onBackend('wasm', () => {
      const before = tf.memory().numTensors;
      run(CASES[0] as (typeof CASES)[number], 'subpixel');
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
