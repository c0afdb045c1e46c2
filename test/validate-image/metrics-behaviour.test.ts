// What a steward would notice: copies of a patient's MR slice are caught (exact, flipped, shifted, noised), noise
// is not; identical feature sets score Fréchet 0 and precision = recall = 1; mode collapse raises MS-SSIM;
// checkerboard artifacts and blur show in the spectrum bands; long loops report progress and can be cancelled.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { createRng } from '../../electron/core/train/rng';
import { frechetDistance, precisionRecall } from '../../electron/core/validate/image/frechet';
import { memorisation } from '../../electron/core/validate/image/memorisation';
import { meanPairwiseMsSsim } from '../../electron/core/validate/image/ssim';
import { spectrumComparison } from '../../electron/core/validate/image/spectrum';
import type { ImageFrames } from '../../electron/core/validate/image/types';
import { addNoise, concatFrames, featureRows, flipLeftRight, frameAt, framesOf, mrFrames, noiseFrames, phantomFrames, shiftRight } from './metrics-fixtures';

let mr: ImageFrames;
beforeAll(async () => {
  await selectBackend();
  mr = await mrFrames(64);
});

function split(frames: ImageFrames, pick: (i: number) => boolean): ImageFrames {
  const idx = Array.from({ length: frames.count }, (_, i) => i).filter(pick);
  return concatFrames(frames.size, idx.map((i) => frameAt(frames, i)));
}

describe('memorisation on the real MR series', () => {
  it('flags a copy (NCC 1), and a flipped, 1-pixel-shifted or lightly noised copy; independent noise scores low', () => {
    // Every third slice is the holdout (a neighbour of the training slices: the hardest honest control).
    const train = split(mr, (i) => i % 3 !== 1);
    const holdout = split(mr, (i) => i % 3 === 1);
    const rng = createRng('copies');
    const source = frameAt(train, 6);
    const syn = concatFrames(64, [
      source,
      flipLeftRight(source, 64),
      shiftRight(source, 64),
      addNoise(source, rng, 0.05),
      frameAt(noiseFrames(rng, 1, 64), 0),
      frameAt(phantomFrames(rng, 1, 64), 0),
    ]);
    const memBefore = tf.memory().numTensors;
    const res = memorisation(syn, train, holdout, { threshold: 0.95, kernel: 'tfjs' });
    expect(tf.memory().numTensors).toBe(memBefore);
    const [copy, flipped, shifted, noised, noise, phantom] = res.rows;
    console.log('MR 64×64 NCC / SSIM / holdout NCC / shift+mirror NCC / holdout shift+mirror NCC:', res.rows.map((r) => [r.bestTrainNcc, r.bestTrainSsim, r.bestHoldoutNcc, r.bestShiftedTrainNcc, r.bestShiftedHoldoutNcc].map((v) => v.toFixed(4)).join(' / ')).join('; '));
    expect(copy!.bestTrain).toBe(6);
    expect(copy!.bestTrainNcc).toBeGreaterThan(0.99999);
    expect(copy!.bestTrainSsim).toBeGreaterThan(0.99999);
    expect(noised!.bestTrain).toBe(6);
    expect(noised!.bestTrainNcc).toBeGreaterThan(0.99);
    // Zero-shift NCC sees a flip through the head's rough symmetry and a 1-pixel shift (4 at 256²) as a blur: about
    // 0.9, no higher than neighbouring slices of the same patient score; the shift- and mirror-tolerant NCC gives 1.
    for (const r of [flipped, shifted]) {
      expect(r!.bestTrain).toBe(6);
      expect(r!.bestTrainNcc).toBeGreaterThan(0.85);
      expect(r!.bestTrainNcc).toBeLessThan(0.95);
      expect(r!.bestShiftedTrain).toBe(6);
      expect(r!.bestShiftedTrainNcc).toBeGreaterThan(0.99999);
      expect(r!.bestShiftedHoldoutNcc).toBeLessThan(0.97);
    }
    expect(res.shiftedShareAboveThreshold).toBeCloseTo(4 / 6, 12);
    expect(noise!.bestShiftedTrainNcc).toBeLessThan(0.1);
    expect(noise!.bestTrainNcc).toBeLessThan(0.1);
    expect(noise!.bestTrainSsim).toBeLessThan(0.1);
    expect(phantom!.bestTrainNcc).toBeLessThan(copy!.bestTrainNcc);
    // The copy sits closer to a training slice than to any holdout slice.
    expect(copy!.bestHoldoutNcc).toBeLessThan(copy!.bestTrainNcc - 0.01);
    expect(res.countAboveThreshold).toBe(2);
    expect(res.shareAboveThreshold).toBeCloseTo(2 / 6, 12);
    expect(res.worstPairs[0]).toEqual({ synthetic: 0, train: 6, ncc: copy!.bestTrainNcc, ssim: copy!.bestTrainPairSsim });
    expect(res.worstPairs.map((p) => p.ncc)).toEqual([...res.worstPairs.map((p) => p.ncc)].sort((a, b) => b - a));
    expect(res.closestTrain.max).toBe(copy!.bestTrainNcc);
    // Indices and figures only: no array in the result is a frame's worth of pixels.
    expect(JSON.stringify(res).length).toBeLessThan(6000);
  });

  it('gives the same answer with both kernels, reports progress up to 1 and stops when the checkpoint throws', () => {
    const train = split(mr, (i) => i < 14);
    const holdout = split(mr, (i) => i >= 14);
    const syn = noiseFrames(createRng('kernels'), 5, 64);
    const progress: number[] = [];
    const a = memorisation(syn, train, holdout, { threshold: 0.5, kernel: 'js', blockRows: 4, checkpoint: (p) => progress.push(p ?? -1) });
    const b = memorisation(syn, train, holdout, { threshold: 0.5, kernel: 'tfjs', blockRows: 4 });
    expect(b.rows.map((r) => [r.bestTrain, r.bestHoldout])).toEqual(a.rows.map((r) => [r.bestTrain, r.bestHoldout]));
    b.rows.forEach((r, i) => expect(r.bestTrainNcc).toBeCloseTo(a.rows[i]!.bestTrainNcc, 5));
    expect(progress.length).toBeGreaterThan(5);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(progress.at(-1)).toBeCloseTo(1, 9);
    let calls = 0;
    const before = tf.memory().numTensors;
    expect(() => memorisation(syn, train, holdout, { threshold: 0.5, kernel: 'tfjs', blockRows: 4, checkpoint: () => { if (++calls === 3) throw new Error('cancelled'); } })).toThrow('cancelled');
    expect(tf.memory().numTensors).toBe(before);
    expect(() => memorisation(syn, train, framesOf(new Float32Array(0), 64), { threshold: 0.5 })).toThrow(/holdout/);
    expect(() => memorisation(syn, train, holdout, { threshold: 1.5 })).toThrow(/between −1 and 1/);
  });
});

describe('feature-space fidelity', () => {
  it('identical sets: Fréchet 0, precision = recall = 1; a shifted set: larger distance and lower precision', () => {
    const rng = createRng('identical');
    const real = featureRows(rng, 150, 12);
    expect(frechetDistance(real, real).distance).toBeLessThan(1e-9);
    expect(precisionRecall(real, real)).toEqual({ precision: 1, recall: 1, k: 3 });
    const other = featureRows(rng, 150, 12);
    const far = featureRows(rng, 150, 12, 4);
    const near = frechetDistance(real, other).distance;
    expect(frechetDistance(real, far).distance).toBeGreaterThan(near + 10);
    expect(precisionRecall(real, far).precision).toBeLessThan(precisionRecall(real, other).precision);
  });
});

describe('diversity', () => {
  it('mode collapse shows as mean pairwise MS-SSIM near 1, far above the real slices; per class; seeded sampling', () => {
    const rng = createRng('collapse');
    const one = frameAt(mr, 10);
    const collapsed = concatFrames(64, Array.from({ length: 12 }, () => addNoise(one, rng, 0.01)));
    const real = meanPairwiseMsSsim(mr, 1000, createRng(1));
    const syn = meanPairwiseMsSsim(collapsed, 1000, createRng(1));
    console.log(`mean pairwise MS-SSIM: real MR ${real.overall.meanMsSsim?.toFixed(4)}, collapsed ${syn.overall.meanMsSsim?.toFixed(4)}`);
    expect(real.overall).toMatchObject({ frames: 20, pairs: 190, sampled: false });
    expect(syn.overall.meanMsSsim).toBeGreaterThan(0.95);
    expect(real.overall.meanMsSsim).toBeLessThan(syn.overall.meanMsSsim! - 0.2);
    const labelled: ImageFrames = { ...mr, labels: Int32Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 1)), classes: ['upper', 'lower'] };
    const sampledA = meanPairwiseMsSsim(labelled, 20, createRng('s'));
    const sampledB = meanPairwiseMsSsim(labelled, 20, createRng('s'));
    expect(sampledA).toEqual(sampledB);
    expect(sampledA.overall).toMatchObject({ pairs: 20, sampled: true });
    expect(sampledA.perClass.map((c) => [c.className, c.frames, c.pairs, c.sampled])).toEqual([['upper', 10, 20, true], ['lower', 10, 20, true]]);
    expect(meanPairwiseMsSsim(concatFrames(64, [one]), 10, createRng(1)).overall.meanMsSsim).toBeNull();
  });
});

describe('artifacts', () => {
  it('a checkerboard raises the high band, blur lowers it, an unchanged copy differs by 0', () => {
    const base = split(mr, (i) => i >= 4 && i < 16);
    const checker = framesOf(base.data.map((v, i) => v + (((i % 64) + Math.floor(i / 64)) % 2 === 0 ? 0.1 : -0.1)), 64);
    const blurred = framesOf(base.data.map((_, i) => {
      const x = i % 64, y = Math.floor(i / 64) % 64, f = Math.floor(i / 4096) * 4096;
      let s = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += base.data[f + Math.min(63, Math.max(0, y + dy)) * 64 + Math.min(63, Math.max(0, x + dx))] as number;
      return s / 9;
    }), 64);
    const same = spectrumComparison(base, base).bands;
    const ch = spectrumComparison(base, checker).bands;
    const bl = spectrumComparison(base, blurred).bands;
    console.log('band relative difference checker / blur:', ch.map((b) => b.relativeDifference.toFixed(3)).join(' '), '/', bl.map((b) => b.relativeDifference.toFixed(3)).join(' '));
    expect(same.map((b) => b.relativeDifference)).toEqual([0, 0, 0]);
    expect(same.map((b) => [b.name, b.from, b.to])).toEqual([['low', 1, 16], ['mid', 16, 31], ['high', 31, 46]]);
    expect(ch[2]!.relativeDifference).toBeGreaterThan(1);
    expect(Math.abs(ch[0]!.relativeDifference)).toBeLessThan(0.05);
    expect(bl[2]!.relativeDifference).toBeLessThan(-0.8);
  });
});
