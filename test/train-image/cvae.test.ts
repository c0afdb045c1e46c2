// Convolutional VAE on 32 × 32 MR slices (ngf = ndf = 8, latent 32, batch 8): training lowers the loss on wasm,
// the same gradients as the CPU backend's, bitwise determinism by seed, no tensor leaks, checkpoint/resume equal
// to an uninterrupted run, conditional sampling.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { Rng } from '../../electron/core/train/engine/rng';
import { createImageTrainer, cvaeConfigSchema, CvaeModel, CvaeTrainer, imageConfigSchema, loadImageModel, type ImageSet } from '../../electron/core/train/models/image';
import { oneHot } from '../../electron/core/train/models/image/data';
import { onBackend, relativeError } from '../train-engine/helpers';
import { brainImages, checkpointRoundTrip, expectFinite, gradArrays, sameBits, trainEpochs } from './helpers';

const INPUT = { size: 32, ngf: 8, ndf: 8, latent: 32, classes: 2 } as const;
const CONFIG = cvaeConfigSchema.parse(INPUT);
const BATCH = 8;
type Grads = { loss: number; grads: Map<string, Float32Array> };
let data: ImageSet & { labels: Int32Array };

beforeAll(async () => {
  delete process.env.AIRLOCK_TF_BACKEND;
  expect((await selectBackend()).name).toBe('wasm');
  data = await brainImages(32);
});

const trainer = (rng: Rng, config = CONFIG) => new CvaeTrainer(config, data, BATCH, rng);

describe('CVAE', () => {
  it('trains on wasm with finite losses that fall (BCE and MSE reconstruction)', () => {
    for (const reconstruction of ['bce', 'mse'] as const) {
      const rng = Rng.fromSeed(1);
      const t = trainer(rng, { ...CONFIG, reconstruction });
      expect(t.stepsPerEpoch()).toBe(3); // ⌈20 / 8⌉, the last batch short
      const losses = trainEpochs(t, rng, 8);
      t.dispose();
      expectFinite(losses);
      const mean = (from: number) => losses.slice(from, from + 3).reduce((a, l) => a + (l.loss as number), 0) / 3;
      expect(mean(21), reconstruction).toBeLessThan(mean(0));
    }
  });

  it('computes the same losses and gradients on wasm (sub-pixel ops) as on cpu (tfjs ops)', async () => {
    const n = BATCH;
    const step = () => {
      const model = new CvaeModel(CONFIG, Rng.fromSeed(3));
      const vars = model.params.trainable().map((p) => p.variable);
      let out: Grads | undefined;
      tf.tidy(() => {
        const x = tf.tensor4d(data.images.subarray(0, n * 1024), [n, 32, 32, 1]);
        const eps = tf.tensor2d(Rng.fromSeed(4).normal(n * CONFIG.latent), [n, CONFIG.latent]);
        const cond = tf.tensor2d(oneHot(data.labels.subarray(0, n), 2), [n, 2]);
        const r = tf.variableGrads(() => model.losses(x, eps, cond).total, vars);
        out = { loss: r.value.dataSync()[0] as number, grads: gradArrays(r.grads) };
      });
      model.dispose();
      return { ...(out as Grads), trainable: vars.length };
    };
    const cpu = await onBackend('cpu', step);
    const wasm = await onBackend('wasm', step);
    expect(Math.abs(wasm.loss - cpu.loss) / cpu.loss).toBeLessThan(1e-5);
    expect(cpu.grads.size).toBe(cpu.trainable);
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
    expect(sameBits(a.w, b.w)).toBe(true);
    expect(a.losses).toEqual(b.losses);
    expect(sameBits(a.w, run(6).w)).toBe(false);
  });

  it('leaks no tensors per step, per epoch, or when sampling', () => {
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
    t.sample(70, rng); // more than one sampling chunk
    t.sampleGrid(4, rng);
    expect(tf.memory().numTensors).toBe(after[0]);
    t.dispose();
    expect(tf.memory().numTensors).toBe(initial);
  });

  it('resumed from a checkpoint equals an uninterrupted run, bit for bit', () => {
    const r = checkpointRoundTrip((rng) => trainer(rng), 2, 2);
    expect(sameBits(r.full, r.resumed)).toBe(true);
    expect(r.resumedLosses).toEqual(r.fullLosses);
  });

  it('samples the requested classes through the registry and from saved weights', () => {
    const rng = Rng.fromSeed(8);
    const config = imageConfigSchema.parse({ kind: 'cvae', ...INPUT });
    const t = createImageTrainer(config, data, BATCH, rng);
    expect(t).toBeInstanceOf(CvaeTrainer);
    trainEpochs(t, rng, 1);
    const labels = Int32Array.from([0, 1, 1]);
    const a = t.sample(3, Rng.fromSeed(9), labels);
    expect(a).toHaveLength(3 * 32 * 32);
    expect(a.every((v) => v >= -1 && v <= 1)).toBe(true);
    const loaded = loadImageModel({ kind: 'cvae', ...INPUT }, t.exportWeights());
    expect(Buffer.from(loaded.sample(3, Rng.fromSeed(9), labels).buffer).equals(Buffer.from(a.buffer))).toBe(true);
    loaded.dispose();
    const unconditional = createImageTrainer(imageConfigSchema.parse({ kind: 'cvae', ...INPUT, classes: 0 }), data, BATCH, rng);
    expect(() => unconditional.sample(2, rng, [0, 1])).toThrow(/not conditional/);
    expect(unconditional.sample(2, rng)).toHaveLength(2 * 32 * 32);
    unconditional.dispose();
    t.dispose();
  });
});
