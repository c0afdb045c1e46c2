// TVAE: training lowers the loss, no tensor leaks per epoch or when sampling, samples are well-formed, the
// same seed gives bitwise-identical weights, and resuming from a checkpoint equals an uninterrupted run.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { runTraining } from '../../electron/core/train/engine/loop';
import { trainingJobSchema, type Checkpoint, type TrainingJob } from '../../electron/core/train/engine/protocol';
import { Rng } from '../../electron/core/train/engine/rng';
import type { SerializedTensor } from '../../electron/core/train/engine/tensors';
import { loadTvae, TvaeTrainer, tvaeConfigSchema } from '../../electron/core/train/models/tvae';
import { onBackend, relativeError, syntheticTable } from './helpers';

const SMALL_NET = { embeddingDim: 16, compressDims: [32, 32], decompressDims: [32, 32] };

beforeAll(async () => {
  delete process.env.AIRLOCK_TF_BACKEND;
  expect((await selectBackend()).name).toBe('wasm');
});

function job(overrides: Partial<TrainingJob> = {}): TrainingJob {
  const t = syntheticTable(120);
  return {
    kind: 'tvae',
    config: SMALL_NET,
    data: { buffer: t.values.buffer, rows: t.rows, width: t.width, spans: t.spans },
    seed: 42,
    epochs: 4,
    batchSize: 50,
    checkpointEvery: 0,
    ...overrides,
  };
}

async function train(j: TrainingJob, checkpoints: Checkpoint[] = []) {
  const outcome = await runTraining(trainingJobSchema.parse(j), { progress: () => undefined, checkpoint: (c) => checkpoints.push(c) }, () => false);
  if (outcome.status !== 'done') throw new Error('expected done');
  return outcome.output;
}

function sameBits(a: readonly SerializedTensor[], b: readonly SerializedTensor[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i] as SerializedTensor;
    const u = new Uint8Array(x.data);
    const v = new Uint8Array(y.data);
    return x.name === y.name && u.length === v.length && u.every((byte, k) => byte === v[k]);
  });
}

describe('TVAE', () => {
  it('lowers its loss on a learnable table', async () => {
    const out = await train(job({ epochs: 25 }));
    const first = out.lossHistory[0]?.losses.loss as number;
    const last = out.lossHistory.at(-1)?.losses.loss as number;
    expect(out.lossHistory).toHaveLength(25);
    expect(last).toBeLessThan(first * 0.8);
  });

  it('leaks no tensors per epoch nor when sampling', () => {
    const t = syntheticTable(120);
    const rng = Rng.fromSeed(1);
    const initial = tf.memory().numTensors;
    const trainer = new TvaeTrainer(tvaeConfigSchema.parse(SMALL_NET), t, 50, rng);
    const counts: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      trainer.beginEpoch(rng);
      for (let s = 0; s < trainer.stepsPerEpoch(); s++) trainer.trainStep(s, rng);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    trainer.model.sample(300, rng, { chunk: 128 });
    expect(tf.memory().numTensors).toBe(counts[0]);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(initial);
  });

  it('samples well-formed rows, reproducibly by seed', async () => {
    const j = job({ epochs: 3 });
    const t = syntheticTable(120);
    const out = await train(j);
    const model = loadTvae(SMALL_NET, t.width, t.spans, out.weights);
    const a = model.sample(257, Rng.fromSeed(5), { chunk: 100 });
    const b = model.sample(257, Rng.fromSeed(5), { chunk: 100 });
    const c = model.sample(257, Rng.fromSeed(6), { chunk: 100 });
    model.dispose();
    expect(a).toHaveLength(257 * t.width);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
    for (let r = 0; r < 257; r++) {
      for (const s of t.spans) {
        const vals = Array.from(a.subarray(r * t.width + s.start, r * t.width + s.start + s.width));
        if (s.activation === 'tanh') for (const v of vals) expect(Math.abs(v)).toBeLessThanOrEqual(1);
        else {
          expect(vals.filter((v) => v === 1)).toHaveLength(1);
          expect(vals.filter((v) => v === 0)).toHaveLength(s.width - 1);
        }
      }
    }
  });

  it('gives bitwise-identical weights for the same seed, different ones for another', async () => {
    const a = await train(job());
    const b = await train(job());
    const c = await train(job({ seed: 43 }));
    expect(sameBits(a.weights, b.weights)).toBe(true);
    expect(sameBits(a.weights, c.weights)).toBe(false);
    expect(a.lossHistory).toEqual(b.lossHistory);
  });

  it('resumed from the epoch-2 checkpoint ends bitwise equal to an uninterrupted run', async () => {
    const checkpoints: Checkpoint[] = [];
    const full = await train(job({ epochs: 5, checkpointEvery: 2 }), checkpoints);
    expect(checkpoints.map((c) => c.epoch)).toEqual([2, 4]);
    const resumed = await train(job({ epochs: 5, resume: checkpoints[0] }));
    expect(sameBits(full.weights, resumed.weights)).toBe(true);
    expect(resumed.lossHistory).toEqual(full.lossHistory);
  });

  it('refuses a checkpoint from another model shape', async () => {
    const checkpoints: Checkpoint[] = [];
    await train(job({ epochs: 1, checkpointEvery: 1 }), checkpoints);
    const other = job({ config: { ...SMALL_NET, compressDims: [8] }, resume: checkpoints[0] });
    await expect(train(other)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('computes the same step on wasm and cpu', async () => {
    const t = syntheticTable(64);
    const step = () => {
      const rng = Rng.fromSeed(9);
      const trainer = new TvaeTrainer(tvaeConfigSchema.parse(SMALL_NET), t, 64, rng);
      trainer.beginEpoch(rng);
      const losses = trainer.trainStep(0, rng);
      const weights = trainer.exportWeights().map((w) => new Float32Array(w.data));
      trainer.dispose();
      return { losses, weights };
    };
    const cpu = await onBackend('cpu', step);
    const wasm = await onBackend('wasm', step);
    expect(Math.abs((wasm.losses.loss as number) - (cpu.losses.loss as number)) / (cpu.losses.loss as number)).toBeLessThan(1e-5);
    // One Adam step moves each weight by ≤ lr = 1e-3, so agreeing weights mean agreeing updates.
    cpu.weights.forEach((w, i) => expect(relativeError(wasm.weights[i] as Float32Array, w, 1e-2)).toBeLessThan(1e-4));
  });
});
