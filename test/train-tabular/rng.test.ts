// The seeded PRNG and the normal distribution functions everything else rests on.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../electron/core/train/rng';
import { cholesky, choleskyShrunk, normalCdf, normalQuantile } from '../../electron/core/train/tabular/gaussian';
import { truncatedNormal } from '../../electron/core/train/tabular/conditional';

describe('createRng', () => {
  it('is reproducible by seed, differs across seeds, and 42 ≡ "42"', () => {
    const draw = (seed: string | number) => {
      const rng = createRng(seed);
      return [rng.uniform(), rng.normal(), rng.int(1000), rng.choice([1, 2, 3])];
    };
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
    expect(draw(42)).toEqual(draw('42'));
    const parent = createRng('p');
    expect(parent.fork('x').uniform()).toBe(createRng('p').fork('x').uniform());
    expect(parent.fork('x').uniform()).not.toBe(parent.fork('y').uniform());
  });

  it('draws uniforms, normals and integers with the right moments', () => {
    const rng = createRng('moments');
    const n = 100_000;
    const u = Array.from({ length: n }, () => rng.uniform());
    const z = Array.from({ length: n }, () => rng.normal());
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(mean(u)).toBeCloseTo(0.5, 2);
    expect(mean(z)).toBeCloseTo(0, 1);
    expect(mean(z.map((v) => v * v))).toBeCloseTo(1, 1);
    expect(z.filter((v) => v < -1.96).length / n).toBeCloseTo(0.025, 2);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.int(7)]! += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(() => rng.int(0)).toThrow(RangeError);
  });

  it('chooses by weight and shuffles to a permutation', () => {
    const rng = createRng('choice');
    const hits = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) hits[rng.choice([1, 0, 3])]! += 1;
    expect(hits[1]).toBe(0);
    expect(hits[2]! / 30_000).toBeCloseTo(0.75, 1);
    expect(() => rng.choice([0, 0])).toThrow(RangeError);
    const items = [...Array(50).keys()];
    const shuffled = rng.shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
  });
});

describe('normal distribution', () => {
  it('Φ matches reference values to near double precision, tails included', () => {
    const reference: [number, number][] = [[0, 0.5], [1, 0.8413447460685429], [-1.96, 0.024997895148220435], [-5, 2.866515718791939e-7], [-10, 7.619853024160527e-24]];
    for (const [x, p] of reference) expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(1e-8);
  });

  it('Φ⁻¹ inverts Φ across the range', () => {
    for (const p of [1e-15, 1e-6, 0.001, 0.02425, 0.1, 0.5, 0.9, 0.999, 1 - 1e-9]) expect(Math.abs(normalCdf(normalQuantile(p)) - p) / Math.min(p, 1 - p)).toBeLessThan(1e-9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });

  it('truncated normals stay in their interval, even far in a tail', () => {
    const rng = createRng('trunc');
    for (const [lo, hi] of [[1, 2], [-Infinity, -6], [8, Infinity], [-0.1, 0.1]] as [number, number][])
      for (let i = 0; i < 200; i++) {
        const z = truncatedNormal(0, 1, lo, hi, rng);
        expect(z).toBeGreaterThanOrEqual(lo);
        expect(z).toBeLessThanOrEqual(hi);
      }
  });

  it('factorises positive-definite matrices and shrinks the rest toward the identity', () => {
    const good = Float64Array.from([1, 0.5, 0.5, 1]);
    expect(Array.from(cholesky(good, 2) ?? [])).toEqual([1, 0, 0.5, Math.sqrt(0.75)]);
    // Pairwise-complete estimates can be inconsistent: a ≈ b, b ≈ c, but a ≈ −c.
    const bad = Float64Array.from([1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1]);
    expect(cholesky(bad, 3)).toBeNull();
    const { shrink, matrix } = choleskyShrunk(bad, 3);
    expect(shrink).toBeGreaterThan(0);
    expect(shrink).toBeLessThan(0.5);
    expect(matrix[0]).toBe(1);
  });
});
