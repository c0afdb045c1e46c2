// CTGAN: the gradient penalty's second-order gradient is right (finite differences), training-by-sampling
// follows log-frequencies, no tensor leaks per epoch or when sampling, samples are well-formed, runs are
// reproducible by seed and resumable bit-for-bit, and wasm agrees with cpu.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { runTraining } from '../../electron/core/train/engine/loop';
import { trainingJobSchema, type Checkpoint, type TrainingJob } from '../../electron/core/train/engine/protocol';
import { Rng } from '../../electron/core/train/engine/rng';
import { ConditionSampler, ctganConfigSchema, CtganTrainer, leakyRelu2, loadCtgan } from '../../electron/core/train/models/ctgan';
import { lcgValues, onBackend, relativeError, syntheticTable } from './helpers';

const SMALL_NET = { embeddingDim: 8, generatorDims: [16, 16], discriminatorDims: [16, 16], pac: 5 };

beforeAll(async () => {
  delete process.env.AIRLOCK_TF_BACKEND;
  expect((await selectBackend()).name).toBe('wasm');
});

function job(overrides: Partial<TrainingJob> = {}): TrainingJob {
  const t = syntheticTable(90);
  return {
    kind: 'ctgan',
    config: SMALL_NET,
    data: { buffer: t.values.buffer, rows: t.rows, width: t.width, spans: t.spans },
    seed: 3,
    epochs: 3,
    batchSize: 30,
    checkpointEvery: 0,
    ...overrides,
  };
}

async function train(j: TrainingJob, checkpoints: Checkpoint[] = []) {
  const outcome = await runTraining(trainingJobSchema.parse(j), { progress: () => undefined, checkpoint: (c) => checkpoints.push(c) }, () => false);
  if (outcome.status !== 'done') throw new Error('expected done');
  return outcome.output;
}

const bytes = (list: { data: ArrayBuffer }[]) => Buffer.concat(list.map((w) => Buffer.from(w.data)));

describe('CTGAN', () => {
  it('LeakyReLU as ((1+α)x + (1−α)|x|)/2 equals tf.leakyRelu', () => {
    tf.tidy(() => {
      const x = tf.tensor2d(lcgValues(64, 2), [8, 8]);
      expect(relativeError(leakyRelu2(x, 0.2).dataSync(), tf.leakyRelu(x, 0.2).dataSync())).toBeLessThan(1e-6);
    });
  });

  it('differentiates the gradient penalty in the critic weights correctly (vs central differences)', async () => {
    await onBackend('cpu', () => {
      const t = syntheticTable(40);
      const rng = Rng.fromSeed(11);
      const trainer = new CtganTrainer(ctganConfigSchema.parse({ ...SMALL_NET, discriminatorDims: [6] }), t, 10, rng);
      const model = trainer.model;
      const dIn = t.width + trainer.sampler.width;
      const x = tf.tensor2d(lcgValues(10 * dIn, 4), [10, dIn]);
      const masks = [tf.tensor2d(Float32Array.from(lcgValues(2 * 6, 8), (v) => (v > -0.4 ? 2 : 0)), [2, 6])];
      const params = model.criticParams;
      const { grads } = tf.variableGrads(() => model.gradientPenalty(x, masks), params.map((p) => p.variable));
      const penaltyAt = () => tf.tidy(() => model.gradientPenalty(x, masks).dataSync()[0] as number);
      let checked = 0;
      for (const p of params.filter((q) => q.name.endsWith('weight'))) {
        const g = (grads[p.variable.name] as tf.Tensor).dataSync();
        const values = p.variable.dataSync().slice();
        for (const i of [0, values.length >> 1, values.length - 1]) {
          const h = 1e-2;
          const probe = (delta: number) => {
            const v = values.slice();
            v[i] = (v[i] as number) + delta;
            tf.tidy(() => p.variable.assign(tf.tensor(v, p.variable.shape)));
            return penaltyAt();
          };
          const fd = (probe(h) - probe(-h)) / (2 * h);
          tf.tidy(() => p.variable.assign(tf.tensor(values, p.variable.shape)));
          expect(Math.abs((g[i] as number) - fd)).toBeLessThan(2e-2 * Math.max(1, Math.abs(fd)));
          checked++;
        }
      }
      expect(checked).toBe(6);
      tf.dispose([x, ...masks, ...Object.values(grads)]);
      trainer.dispose();
    });
  });

  it('draws conditions by log-frequency and real rows that match them', () => {
    const t = syntheticTable(400);
    const sampler = new ConditionSampler(t, true);
    expect(sampler.width).toBe(7);
    const rng = Rng.fromSeed(1);
    const n = 20000;
    const { cond, column, category } = sampler.sampleTraining(n, rng);
    // Expected: column uniform; category ∝ log(1 + count).
    const span = t.spans.find((s) => s.kind === 'category') as { start: number; width: number };
    const counts = new Array<number>(span.width).fill(0);
    for (let r = 0; r < t.rows; r++) for (let j = 0; j < span.width; j++) counts[j] = (counts[j] as number) + (t.values[r * t.width + span.start + j] as number);
    const logf = counts.map((c) => Math.log(c + 1));
    const total = logf.reduce((a, b) => a + b, 0);
    const seen = new Array<number>(span.width).fill(0);
    let col0 = 0;
    for (let i = 0; i < n; i++) {
      if (column[i] === 0) {
        col0++;
        seen[category[i] as number] = (seen[category[i] as number] as number) + 1;
      }
      expect(cond.subarray(i * 7, i * 7 + 7).reduce((a, b) => a + b, 0)).toBe(1);
    }
    expect(col0 / n).toBeCloseTo(0.5, 1);
    seen.forEach((s, j) => expect(s / col0).toBeCloseTo((logf[j] as number) / total, 1));
    for (let i = 0; i < 50; i++) {
      const row = sampler.sampleRow(column[i] as number, category[i] as number, rng);
      const s = t.spans.filter((x) => x.kind === 'category')[column[i] as number] as { start: number };
      expect(t.values[row * t.width + s.start + (category[i] as number)]).toBe(1);
    }
  });

  it('leaks no tensors per epoch nor when sampling', () => {
    const t = syntheticTable(90);
    const rng = Rng.fromSeed(1);
    const initial = tf.memory().numTensors;
    const trainer = new CtganTrainer(ctganConfigSchema.parse(SMALL_NET), t, 30, rng);
    const counts: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      trainer.beginEpoch();
      for (let s = 0; s < trainer.stepsPerEpoch(); s++) trainer.trainStep(s, rng);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    const rows = trainer.sample(77, rng);
    expect(tf.memory().numTensors).toBe(counts[0]);
    expect(rows).toHaveLength(77 * t.width);
    for (let r = 0; r < 77; r++) {
      for (const s of t.spans) {
        const vals = Array.from(rows.subarray(r * t.width + s.start, r * t.width + s.start + s.width));
        if (s.activation === 'tanh') expect(Math.abs(vals[0] as number)).toBeLessThanOrEqual(1);
        else expect(vals.filter((v) => v === 1)).toHaveLength(1);
      }
    }
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(initial);
  });

  it('is reproducible by seed and resumes bit-for-bit from a checkpoint', async () => {
    const checkpoints: Checkpoint[] = [];
    const a = await train(job({ epochs: 4, checkpointEvery: 1 }), checkpoints);
    const b = await train(job({ epochs: 4 }));
    const c = await train(job({ epochs: 4, seed: 4 }));
    expect(bytes(a.weights).equals(bytes(b.weights))).toBe(true);
    expect(bytes(a.weights).equals(bytes(c.weights))).toBe(false);
    const resumed = await train(job({ epochs: 4, resume: checkpoints[1] }));
    expect(bytes(resumed.weights).equals(bytes(a.weights))).toBe(true);
    expect(resumed.lossHistory).toEqual(a.lossHistory);
  });

  it('rebuilds from its weights to sample', async () => {
    const out = await train(job({ epochs: 1 }));
    const t = syntheticTable(90);
    const model = loadCtgan(SMALL_NET, t, 30, out.weights);
    const a = model.sample(40, Rng.fromSeed(2));
    const b = model.sample(40, Rng.fromSeed(2));
    model.dispose();
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });

  it('refuses a batch size that is not a multiple of pac', async () => {
    await expect(train(job({ batchSize: 32 }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('multiple of pac') });
  });

  it('computes the same gradients on wasm and cpu (second-order included)', async () => {
    const t = syntheticTable(60);
    const grads = () =>
      tf.tidy(() => {
        const trainer = new CtganTrainer(ctganConfigSchema.parse(SMALL_NET), t, 30, Rng.fromSeed(9));
        const m = trainer.model;
        const cw = trainer.sampler.width;
        const cond = tf.tensor2d(trainer.sampler.sampleTraining(30, Rng.fromSeed(1)).cond, [30, cw]);
        const mask = tf.tensor2d(trainer.sampler.sampleTraining(30, Rng.fromSeed(1)).mask, [30, 2]);
        const z = tf.concat([tf.tensor2d(lcgValues(30 * 8, 5), [30, 8]), cond], 1);
        const gumbel = tf.tensor2d(lcgValues(30 * m.gumbelWidth, 6), [30, m.gumbelWidth]);
        const masks = [tf.fill<tf.Rank.R2>([6, 16], 2), tf.tensor2d(Float32Array.from(lcgValues(96, 7), (v) => (v > 0 ? 2 : 0)), [6, 16])];
        const real = tf.concat([tf.tensor2d(t.values.subarray(0, 30 * t.width), [30, t.width]), cond], 1);
        const critic = tf.variableGrads(() => {
          const fake = tf.concat([m.activate(m.generate(z), gumbel), cond], 1);
          const interp = real.mul(0.3).add<tf.Tensor2D>(fake.mul(0.7));
          return m.gradientPenalty(interp, masks).add<tf.Scalar>(m.score(fake, masks).mean().sub(m.score(real, masks).mean()));
        }, m.criticParams.map((p) => p.variable));
        const generator = tf.variableGrads(() => {
          const raw = m.generate(z);
          return m.score(tf.concat([m.activate(raw, gumbel), cond], 1), masks).mean().neg().add<tf.Scalar>(m.conditionLoss(raw, cond, mask));
        }, m.generatorParams.map((p) => p.variable));
        const out = [critic.value, ...Object.values(critic.grads), generator.value, ...Object.values(generator.grads)].map((g) => g.dataSync().slice() as Float32Array);
        trainer.dispose();
        return out;
      });
    const cpu = await onBackend('cpu', grads);
    const wasm = await onBackend('wasm', grads);
    expect(cpu).toHaveLength(wasm.length);
    // Floor 1e-2: biases in front of a BatchNorm have gradients that are 0 ± rounding noise.
    cpu.forEach((g, i) => expect(relativeError(wasm[i] as Float32Array, g, 1e-2)).toBeLessThan(1e-4));
  });
});
