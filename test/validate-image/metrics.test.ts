// The image metrics equal their references on fixed data: Wasserstein/mean/std/histogram = scipy/numpy, SSIM =
// scikit-image, MS-SSIM = an independent numpy implementation, power spectrum = numpy.fft, Fréchet = the
// scipy.linalg.sqrtm formula, NCC max = numpy, improved precision/recall = sklearn NearestNeighbors.
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { createRng } from '../../electron/core/train/rng';
import { frechetDistance, precisionRecall } from '../../electron/core/validate/image/frechet';
import { intensityFidelity } from '../../electron/core/validate/image/intensity';
import { memorisation, shiftedNcc } from '../../electron/core/validate/image/memorisation';
import { msSsim, msSsimScales, ssim } from '../../electron/core/validate/image/ssim';
import { powerSpectrum } from '../../electron/core/validate/image/spectrum';
import type { ImageFrames } from '../../electron/core/validate/image/types';
import { hasSciPy } from '../validate/python';
import { featureRows, frameAt, framesOf, mrFrames, noiseFrames, phantomFrames, reference, rowsOf, shiftRight, type Task } from './metrics-fixtures';

const scipy = hasSciPy();
const arr = (x: Float32Array): number[] => Array.from(x);

let mr64: ImageFrames;
let mr32: ImageFrames;
beforeAll(async () => {
  mr64 = await mrFrames(64);
  mr32 = await mrFrames(32);
});

describe.runIf(scipy)('image metrics against numpy / scipy / scikit-image / sklearn', () => {
  it('intensity: Wasserstein, mean, std and 64-bin counts per class and overall equal scipy/numpy', () => {
    const rng = createRng('intensity');
    const real = phantomFrames(rng, 12, 32);
    real.labels = Int32Array.from({ length: 12 }, (_, i) => i % 3);
    real.classes = ['a', 'b', 'c'];
    // Synthetic classes in another order: matched by name, not position.
    const syn = noiseFrames(rng, 9, 32);
    syn.data.forEach((v, i) => { syn.data[i] = v * 1.2; }); // overshoots [−1, 1]: clipped into the end bins
    syn.labels = Int32Array.from({ length: 9 }, (_, i) => i % 3);
    syn.classes = ['c', 'a', 'b'];
    const got = intensityFidelity(real, syn);
    const pick = (f: ImageFrames, name: string): number[] => {
      const code = f.classes.indexOf(name);
      return Array.from({ length: f.count }, (_, i) => i).filter((i) => f.labels?.[i] === code).flatMap((i) => arr(frameAt(f, i)));
    };
    const tasks: Task[] = [
      { op: 'intensity', u: arr(real.data), v: arr(syn.data), bins: 64 },
      ...['a', 'b', 'c'].map((c) => ({ op: 'intensity', u: pick(real, c), v: pick(syn, c), bins: 64 })),
    ];
    type Ref = { w: number; meanU: number; stdU: number; meanV: number; stdV: number; histU: number[]; histV: number[] };
    const refs = reference<Ref[]>(tasks);
    [got.overall, ...got.perClass].forEach((g, i) => {
      const r = refs[i] as Ref;
      expect(g.wasserstein).toBeCloseTo(r.w, 9);
      expect(g.realMean).toBeCloseTo(r.meanU, 9);
      expect(g.realStd).toBeCloseTo(r.stdU, 9);
      expect(g.syntheticMean).toBeCloseTo(r.meanV, 9);
      expect(g.syntheticStd).toBeCloseTo(r.stdV, 9);
      expect(g.realCounts).toEqual(r.histU);
      expect(g.syntheticCounts).toEqual(r.histV);
    });
    expect(got.perClass.map((c) => [c.className, c.realFrames, c.syntheticFrames])).toEqual([['a', 4, 3], ['b', 4, 3], ['c', 4, 3]]);
    expect(got.edges).toHaveLength(65);
    expect(got.overall.wasserstein).toBeGreaterThan(0.1);
  });

  it('SSIM equals skimage structural_similarity within 1e-4 and MS-SSIM the numpy reference, at 32, 40, 64 and 128', () => {
    const rng = createRng('ssim');
    const cases: { a: Float32Array; b: Float32Array; size: number }[] = [];
    for (const size of [32, 40, 64, 128]) {
      const p = phantomFrames(rng, 2, size);
      const n = noiseFrames(rng, 1, size);
      cases.push({ a: frameAt(p, 0), b: frameAt(p, 1), size });
      cases.push({ a: frameAt(p, 0), b: shiftRight(frameAt(p, 0), size), size });
      cases.push({ a: frameAt(p, 0), b: frameAt(n, 0), size });
    }
    cases.push({ a: frameAt(mr64, 8), b: frameAt(mr64, 9), size: 64 });
    cases.push({ a: frameAt(mr32, 3), b: frameAt(mr32, 15), size: 32 });
    const tasks = cases.flatMap((c): Task[] => [{ op: 'ssim', a: arr(c.a), b: arr(c.b), size: c.size }, { op: 'msssim', a: arr(c.a), b: arr(c.b), size: c.size }]);
    const refs = reference<number[]>(tasks);
    cases.forEach((c, i) => {
      expect(Math.abs(ssim(c.a, c.b, c.size) - (refs[2 * i] as number))).toBeLessThan(1e-4);
      expect(Math.abs(msSsim(c.a, c.b, c.size) - (refs[2 * i + 1] as number))).toBeLessThan(1e-6);
    });
    // The references span the range, so agreement is not agreement on one value.
    expect(Math.min(...refs)).toBeLessThan(0.1);
    expect(Math.max(...refs)).toBeGreaterThan(0.8);
    expect([32, 64, 128].map(msSsimScales)).toEqual([2, 3, 4]);
    expect(ssim(cases[0]!.a, cases[0]!.a, 32)).toBeCloseTo(1, 12);
  });

  it('the radially averaged power spectrum equals numpy.fft.fft2 binned by rounded radius (radix-2 and plain DFT sizes)', () => {
    const rng = createRng('spectrum');
    const sets = [phantomFrames(rng, 5, 32), noiseFrames(rng, 3, 24), mr64];
    const refs = reference<number[][]>(sets.map((f) => ({ op: 'spectrum', frames: arr(f.data), size: f.size })));
    sets.forEach((f, i) => {
      const got = powerSpectrum(f).power;
      const ref = refs[i] as number[];
      expect(got).toHaveLength(Math.round((f.size / 2) * Math.SQRT2) + 1);
      got.forEach((v, r) => expect(Math.abs(v - (ref[r] as number))).toBeLessThanOrEqual(1e-9 * Math.max(1, ref[r] as number)));
    });
  });

  it('the Fréchet distance equals the scipy.linalg.sqrtm formula', () => {
    const rng = createRng('frechet');
    const pairs = [
      [featureRows(rng, 200, 8), featureRows(rng, 150, 8, 0.5, 1.3)],
      [featureRows(rng, 300, 32), featureRows(rng, 300, 32, 2, 0.7)],
      [featureRows(rng, 40, 16), featureRows(rng, 60, 16)],
    ] as const;
    const refs = reference<number[]>(pairs.map(([a, b]) => ({ op: 'frechet', a: rowsOf(a), b: rowsOf(b) })));
    pairs.forEach(([a, b], i) => {
      const got = frechetDistance(a, b);
      expect(Math.abs(got.distance - (refs[i] as number))).toBeLessThan(1e-6 * Math.max(1, refs[i] as number));
      expect(got.meanTerm + got.covarianceTerm).toBeCloseTo(got.distance, 9);
    });
    expect(refs[1]).toBeGreaterThan(3);
  });

  it('the highest NCC and its training index equal numpy’s normalised products, with the JS and the tfjs kernels', async () => {
    await selectBackend();
    const rng = createRng('ncc');
    const train = phantomFrames(rng, 37, 32);
    const holdout = phantomFrames(rng, 9, 32);
    const syn = phantomFrames(rng, 13, 32);
    const [ref, refHold] = reference<{ max: number[]; argmax: number[] }[]>([
      { op: 'ncc', synthetic: arr(syn.data), real: arr(train.data), size: 32 },
      { op: 'ncc', synthetic: arr(syn.data), real: arr(holdout.data), size: 32 },
    ]);
    for (const kernel of ['js', 'tfjs'] as const) {
      // Blocks of 8 rows: several blocks and a ragged last one, so the block bookkeeping is exercised.
      const got = memorisation(syn, train, holdout, { threshold: 0.9, kernel, blockRows: 8 });
      got.rows.forEach((r, i) => {
        expect(Math.abs(r.bestTrainNcc - (ref!.max[i] as number))).toBeLessThan(1e-5);
        expect(r.bestTrain).toBe(ref!.argmax[i]);
        expect(Math.abs(r.bestHoldoutNcc - (refHold!.max[i] as number))).toBeLessThan(1e-5);
        expect(r.bestHoldout).toBe(refHold!.argmax[i]);
      });
    }
  });

  it('the shift- and mirror-tolerant NCC equals numpy’s correlation over the overlap, for every shift', () => {
    const rng = createRng('shifted');
    const p = phantomFrames(rng, 3, 32);
    const cases = [
      { a: frameAt(p, 0), b: frameAt(p, 1), m: 1 },
      { a: shiftRight(frameAt(p, 0), 32), b: frameAt(p, 0), m: 2 },
      { a: frameAt(mr32, 4), b: frameAt(mr32, 5), m: 1 },
      { a: frameAt(noiseFrames(rng, 1, 32), 0), b: frameAt(p, 2), m: 0 },
    ];
    const refs = reference<number[]>(cases.map((c) => ({ op: 'shifted', a: arr(c.a), b: arr(c.b), size: 32, m: c.m })));
    cases.forEach((c, i) => expect(Math.abs(shiftedNcc(c.a, c.b, 32, c.m) - (refs[i] as number))).toBeLessThan(1e-9));
    expect(refs[1]).toBeCloseTo(1, 9);
    expect(refs[3]).toBeLessThan(0.2);
  });

  it('improved precision and recall equal a sklearn NearestNeighbors implementation', () => {
    const rng = createRng('pr');
    const cases = [
      [featureRows(rng, 120, 6), featureRows(rng, 90, 6, 1.5, 0.6), 3],
      [featureRows(rng, 80, 4), featureRows(rng, 80, 4, 0, 2), 5],
      [featureRows(rng, 60, 10), featureRows(rng, 70, 10), 3],
    ] as const;
    const refs = reference<{ precision: number; recall: number }[]>(cases.map(([r, f, k]) => ({ op: 'pr', real: rowsOf(r), fake: rowsOf(f), k })));
    cases.forEach(([r, f, k], i) => {
      const got = precisionRecall(r, f, k);
      expect(got.precision).toBeCloseTo(refs[i]!.precision, 12);
      expect(got.recall).toBeCloseTo(refs[i]!.recall, 12);
    });
    // Shifted, narrower synthetic: precision high, recall low; the references are not all 1.
    expect(refs[0]!.recall).toBeLessThan(0.6);
    expect(refs[1]!.precision).toBeLessThan(0.8);
  });
});

describe('image metric inputs', () => {
  it('refuse frames whose pixel count does not match their shape, and frames too small for SSIM', () => {
    const bad = framesOf(new Float32Array(100), 10);
    bad.count = 2;
    expect(() => intensityFidelity(bad, bad)).toThrow(/pixels/);
    expect(() => ssim(new Float32Array(64), new Float32Array(64), 8)).toThrow(/at least 11×11/);
  });
});
