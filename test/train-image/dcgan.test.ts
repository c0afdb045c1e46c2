// Conditional DCGAN on 32 × 32 MR slices (ngf = ndf = 8, batch 8): steps on wasm with finite losses, the same
// gradients as the CPU backend's, bitwise determinism by seed, no tensor leaks, checkpoint/resume equal to an
// uninterrupted run, conditional sampling and preview grids.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { Rng } from '../../electron/core/train/engine/rng';
import { dcganConfigSchema, DcganModel, DcganTrainer, loadDcgan, type ImageSet } from '../../electron/core/train/models/image';
import { oneHot } from '../../electron/core/train/models/image/data';
import { onBackend, relativeError } from '../train-engine/helpers';
import { brainImages, checkpointRoundTrip, expectFinite, gradArrays, sameBits, trainEpochs } from './helpers';

const CONFIG = dcganConfigSchema.parse({ size: 32, ngf: 8, ndf: 8, classes: 2 });
const BATCH = 8;
type Grads = { lossD: number; lossG: number; grads: Map<string, Float32Array> };
let data: ImageSet & { labels: Int32Array };

beforeAll(async () => {
  delete process.env.AIRLOCK_TF_BACKEND;
  expect((await selectBackend()).name).toBe('wasm');
  data = await brainImages(32);
});

const trainer = (rng: Rng, config = CONFIG) => new DcganTrainer(config, data, BATCH, rng);

describe('DCGAN', () => {
  it('trains a few steps on wasm with finite losses', () => {
    expect(tf.getBackend()).toBe('wasm');
    const rng = Rng.fromSeed(1);
    const t = trainer(rng);
    expect(t.stepsPerEpoch()).toBe(2); // ⌊20 / 8⌋ full batches
    const losses = trainEpochs(t, rng, 2);
    t.dispose();
    expect(losses).toHaveLength(4);
    expectFinite(losses);
    expect(Object.keys(losses[0] ?? {})).toEqual(['generator', 'discriminator']);
  });

  it('computes the same losses and gradients on wasm (sub-pixel ops) as on cpu (tfjs ops)', async () => {
    const n = BATCH;
    const step = () => {
      const model = new DcganModel(CONFIG, Rng.fromSeed(3));
      let out: Grads | undefined;
      tf.tidy(() => {
        const real = tf.tensor4d(data.images.subarray(0, n * 1024), [n, 32, 32, 1]);
        const z = tf.tensor2d(Rng.fromSeed(4).normal(n * CONFIG.latent), [n, CONFIG.latent]);
        const cond = tf.tensor2d(oneHot(data.labels.subarray(0, n), 2), [n, 2]);
        const fake = model.generate(z, cond, []);
        const d = tf.variableGrads(() => model.discriminatorLoss(real, fake, cond), model.discriminatorParams.map((p) => p.variable));
        const g = tf.variableGrads(() => model.generatorLoss(z, cond), model.generatorParams.map((p) => p.variable));
        out = { lossD: d.value.dataSync()[0] as number, lossG: g.value.dataSync()[0] as number, grads: gradArrays({ ...d.grads, ...g.grads }) };
      });
      const trainable = model.params.trainable().length;
      model.dispose();
      return { ...(out as Grads), trainable };
    };
    const cpu = await onBackend('cpu', step);
    const wasm = await onBackend('wasm', step);
    expect(Math.abs(wasm.lossD - cpu.lossD) / cpu.lossD).toBeLessThan(1e-5);
    expect(Math.abs(wasm.lossG - cpu.lossG) / cpu.lossG).toBeLessThan(1e-5);
    expect([...wasm.grads.keys()].sort()).toEqual([...cpu.grads.keys()].sort());
    expect(cpu.grads.size).toBe(cpu.trainable); // every trainable weight gets a gradient
    for (const [name, g] of cpu.grads) expect(relativeError(wasm.grads.get(name) as Float32Array, g, 1e-6), name).toBeLessThan(1e-4);
  });

  it('gives bitwise-identical weights for the same seed, different ones for another', () => {
    const run = (seed: number) => {
      const rng = Rng.fromSeed(seed);
      const t = trainer(rng);
      const losses = trainEpochs(t, rng, 2);
      const w = t.exportWeights();
      t.dispose();
      return { w, losses };
    };
    const a = run(5);
    const b = run(5);
    const c = run(6);
    expect(sameBits(a.w, b.w)).toBe(true);
    expect(a.losses).toEqual(b.losses);
    expect(sameBits(a.w, c.w)).toBe(false);
  });

  it('leaks no tensors per step, per epoch, when sampling or tiling', () => {
    const initial = tf.memory().numTensors;
    const rng = Rng.fromSeed(2);
    const t = trainer(rng);
    const after: number[] = [];
    for (let e = 0; e < 2; e++) {
      t.beginEpoch(rng);
      for (let s = 0; s < t.stepsPerEpoch(); s++) {
        t.trainStep(s, rng);
        after.push(tf.memory().numTensors);
      }
    }
    expect(new Set(after).size).toBe(1);
    t.sample(10, rng, null);
    t.sampleGrid(6, rng, { labels: [0, 1, 0, 1, 0, 1] });
    expect(tf.memory().numTensors).toBe(after[0]);
    t.dispose();
    expect(tf.memory().numTensors).toBe(initial);
  });

  it('resumed from a checkpoint equals an uninterrupted run, bit for bit', () => {
    const r = checkpointRoundTrip((rng) => trainer(rng), 2, 2);
    expect(sameBits(r.full, r.resumed)).toBe(true);
    expect(r.resumedLosses).toEqual(r.fullLosses);
    expect(r.full.some((w) => w.name.endsWith('runningMean'))).toBe(true); // BatchNorm statistics travel too
  });

  it('samples the requested classes, reproducibly and independently of batching; loads from weights', () => {
    const rng = Rng.fromSeed(8);
    const t = trainer(rng);
    trainEpochs(t, rng, 1);
    const labels = [1, 0, 0, 1, 1];
    const a = t.model.sample(5, Rng.fromSeed(9), labels, 2);
    const b = t.model.sample(5, Rng.fromSeed(9), labels, 64);
    expect(a).toHaveLength(5 * 32 * 32);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true); // running BatchNorm statistics
    expect(a.every((v) => v >= -1 && v <= 1)).toBe(true);
    const other = t.model.sample(5, Rng.fromSeed(9), [0, 0, 0, 0, 0], 64);
    expect(Buffer.from(other.buffer).equals(Buffer.from(a.buffer))).toBe(false); // the class changes the image
    const loaded = loadDcgan({ size: 32, ngf: 8, ndf: 8, classes: 2 }, t.exportWeights());
    expect(Buffer.from(loaded.sample(5, Rng.fromSeed(9), labels).buffer).equals(Buffer.from(a.buffer))).toBe(true);
    loaded.dispose();
    expect(() => t.sample(2, rng, [0, 2])).toThrow(/outside/);
    expect(() => t.sample(2, rng, [0])).toThrow(/1 labels were given for 2/);
    const grid = t.sampleGrid(6, Rng.fromSeed(9), { columns: 3, padding: 1 });
    expect([grid.width, grid.height, grid.pixels.length]).toEqual([3 * 33 + 1, 2 * 33 + 1, (3 * 33 + 1) * (2 * 33 + 1)]);
    t.dispose();
  });

  it('refuses data that does not fit', () => {
    const rng = Rng.fromSeed(1);
    expect(() => new DcganTrainer(CONFIG, { ...data, labels: null }, BATCH, rng)).toThrow(/no labels/);
    expect(() => new DcganTrainer(dcganConfigSchema.parse({ size: 64, ngf: 8, ndf: 8 }), data, BATCH, rng)).toThrow(/32 × 32/);
    const bad = { ...data, images: data.images.map((v, i) => (i === 5 ? 3 : v)) };
    expect(() => new DcganTrainer(CONFIG, bad, BATCH, rng)).toThrow(/outside \[−1, 1\]/);
  });
});
