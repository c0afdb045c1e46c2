// Identity and same-dtype Cast on wasm share the input's buffer (engine/wasm-share.ts): the values are the same,
// a real dtype conversion still converts, freeing one side leaves the other readable, nothing leaks, and a
// TVAE-sized gradient step clones tensors without copying their bytes.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { lcgValues } from './helpers';

beforeAll(async () => {
  delete process.env.AIRLOCK_TF_BACKEND;
  expect((await selectBackend()).name).toBe('wasm');
});

describe('buffer-sharing Identity and Cast on wasm', () => {
  it('clone and float32→float32 cast keep the values and share one buffer', () => {
    const before = tf.memory().numDataBuffers;
    const x = tf.tensor2d(lcgValues(600, 5), [20, 30]);
    const c = x.clone();
    const k = tf.cast(x, 'float32');
    expect(tf.memory().numDataBuffers - before).toBe(1); // one buffer, not three
    expect(Array.from(c.dataSync())).toEqual(Array.from(x.dataSync()));
    expect(Array.from(k.dataSync())).toEqual(Array.from(x.dataSync()));
    x.dispose();
    // The shared buffer outlives the tensor it came from.
    expect(Array.from(c.dataSync())).toEqual(Array.from(lcgValues(600, 5)));
    c.dispose();
    expect(Array.from(k.dataSync())).toEqual(Array.from(lcgValues(600, 5)));
    k.dispose();
    expect(tf.memory().numDataBuffers).toBe(before);
  });

  it('a dtype change still converts', () => {
    tf.tidy(() => {
      expect(Array.from(tf.tensor1d([1.7, -2.2, 3.9]).cast('int32').dataSync())).toEqual([1, -2, 3]);
      const f = tf.tensor1d([4, 5], 'int32').cast('float32');
      expect(f.dtype).toBe('float32');
      expect(Array.from(f.dataSync())).toEqual([4, 5]);
    });
  });

  it('a dense gradient step gives the same numbers as before and leaks nothing', () => {
    const w = tf.variable(tf.tensor2d(lcgValues(48 * 16, 9), [48, 16]));
    const x = tf.tensor2d(lcgValues(32 * 48, 11), [32, 48]);
    const start = tf.memory();
    const grad = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.fused.matMul({ a: x, b: w, activation: 'relu' }).square().mul(0.5).sum(), [w]);
        return Array.from((grads[w.name] as tf.Tensor).dataSync());
      });
    const first = grad();
    expect(first.some((v) => v !== 0)).toBe(true);
    expect(grad()).toEqual(first);
    expect(tf.memory().numTensors).toBe(start.numTensors);
    expect(tf.memory().numDataBuffers).toBe(start.numDataBuffers);
    // Against plain arithmetic: dW = xᵀ · (relu(xW) ⊙ 1[xW > 0]).
    const xv = lcgValues(32 * 48, 11);
    const wv = lcgValues(48 * 16, 9);
    const expected = new Float64Array(48 * 16);
    for (let r = 0; r < 32; r++) {
      for (let o = 0; o < 16; o++) {
        let y = 0;
        for (let i = 0; i < 48; i++) y += (xv[r * 48 + i] as number) * (wv[i * 16 + o] as number);
        if (y <= 0) continue;
        for (let i = 0; i < 48; i++) expected[i * 16 + o] = (expected[i * 16 + o] as number) + (xv[r * 48 + i] as number) * y;
      }
    }
    first.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 3));
    w.dispose();
    x.dispose();
  });
});
