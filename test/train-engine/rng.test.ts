// The engine's PRNG (sfc32) and the wire protocol's validation.
import { describe, expect, it } from 'vitest';
import { workerToMainSchema } from '../../electron/core/train/engine/protocol';
import { Rng } from '../../electron/core/train/engine/rng';

describe('Rng (sfc32)', () => {
  it('is a pure function of the seed, and its state round-trips', () => {
    const a = Rng.fromSeed(123);
    const b = Rng.fromSeed(123);
    const xs = Array.from({ length: 100 }, () => a.nextUint32());
    expect(Array.from({ length: 100 }, () => b.nextUint32())).toEqual(xs);
    expect(Rng.fromSeed(124).nextUint32()).not.toBe(xs[0]);
    const state = a.state();
    expect(state.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)).toBe(true);
    const c = Rng.fromState(state);
    expect(Array.from({ length: 50 }, () => c.uniform())).toEqual(Array.from({ length: 50 }, () => a.uniform()));
    expect(() => Rng.fromState([1, 2, 3])).toThrow();
    expect(() => Rng.fromState([1, 2, 3, -1])).toThrow();
  });

  it('draws uniform, integer, normal and permutation values with the right distributions', () => {
    const rng = Rng.fromSeed(1);
    const n = 50_000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.int(7)]! += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const z = rng.normal(n + 1, 2, 3); // odd length: the last Box–Muller pair is half used
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    expect(mean).toBeCloseTo(2, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(3, 1);
    const p = rng.permutation(1000);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(p.slice(0, 10)).not.toEqual(Int32Array.from({ length: 10 }, (_, i) => i));
  });
});

describe('worker → main messages', () => {
  it('accept well-formed messages and refuse malformed ones', () => {
    expect(workerToMainSchema.safeParse({ type: 'cancelled', epoch: 3 }).success).toBe(true);
    expect(workerToMainSchema.safeParse({ type: 'failed', code: 'TRAINING_DIVERGED', message: 'x' }).success).toBe(true);
    expect(workerToMainSchema.safeParse({ type: 'failed', code: 'SOMETHING', message: 'x' }).success).toBe(false);
    expect(workerToMainSchema.safeParse({ type: 'progress', epoch: 0, epochs: 1, step: 1, stepsPerEpoch: 1, losses: {}, elapsedMs: 0, etaSeconds: 0 }).success).toBe(false);
    const weights = [{ name: 'w', shape: [2], dtype: 'float32', data: new Float32Array(2).buffer }];
    expect(workerToMainSchema.safeParse({ type: 'done', weights, lossHistory: [] }).success).toBe(true);
    expect(workerToMainSchema.safeParse({ type: 'done', weights: [{ ...weights[0], data: [1, 2] }], lossHistory: [] }).success).toBe(false);
    expect(workerToMainSchema.safeParse({ type: 'checkpoint', kind: 'tvae', epoch: 1, weights, optimizer: [], rngState: [1, 2, 3, 2 ** 32], lossHistory: [] }).success).toBe(false);
  });
});
