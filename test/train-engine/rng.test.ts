// The engine's PRNG (sfc32) and the wire protocol's validation.
import { describe, expect, it } from 'vitest';
import { workerToMainSchema } from '../../electron/core/train/engine/protocol';
import { Rng } from '../../electron/core/train/engine/rng';
import { normalCdf } from '../../electron/core/train/tabular/gaussian';

/** Kolmogorov–Smirnov distance between the sample's empirical CDF and Φ. */
function ksDistance(sample: Float32Array): number {
  const xs = Float64Array.from(sample).sort();
  let d = 0;
  for (let i = 0; i < xs.length; i++) {
    const f = normalCdf(xs[i] as number);
    d = Math.max(d, (i + 1) / xs.length - f, f - i / xs.length);
  }
  return d;
}

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

  it('draws normals that are N(0, 1) in the body and in the tails (ziggurat rectangles, wedges and tail)', () => {
    const n = 400_000;
    const z = Rng.fromSeed(11).normal(n);
    // KS at α = 0.001 is 1.95/√n ≈ 0.0031; a wrong layer table or wedge test shifts the CDF by more.
    expect(ksDistance(z)).toBeLessThan(1.95 / Math.sqrt(n));
    // Beyond 3 and beyond the tail's start R: counts within 4 binomial standard deviations of Φ's.
    for (const cut of [3, 3.6541528853610088, 4]) {
      const p = 2 * normalCdf(-cut);
      const seen = z.reduce((k, x) => k + (Math.abs(x) > cut ? 1 : 0), 0);
      expect(Math.abs(seen - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)));
    }
    // The tail's shape: beyond R the mean excess is φ(R)/Q(R) − R; ~1,000 tail draws of 4 million pin it to ±4 SE.
    const R = 3.6541528853610088;
    const excess = Array.from(Rng.fromSeed(12).normal(4_000_000)).filter((x) => Math.abs(x) > R).map((x) => Math.abs(x) - R);
    const mean = excess.reduce((a, b) => a + b, 0) / excess.length;
    const sd = Math.sqrt(excess.reduce((a, b) => a + (b - mean) ** 2, 0) / (excess.length - 1));
    const expected = Math.exp(-0.5 * R * R) / Math.sqrt(2 * Math.PI) / normalCdf(-R) - R;
    expect(Math.abs(mean - expected)).toBeLessThan((4 * sd) / Math.sqrt(excess.length));
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
    const z = rng.normal(n + 1, 2, 3);
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
