// How runs fail: divergence (a huge learning rate, NaN in the data) names the loss and the epoch; allocation
// failures and a worker that runs out of heap are OUT_OF_MEMORY; a crashing or exiting worker is a failed run,
// and the process carries on (a later run succeeds).
import { describe, expect, it } from 'vitest';
import type { TrainingJob } from '../../electron/core/train/engine/protocol';
import { startTraining } from '../../electron/core/train/engine/runner';
import { syntheticTable } from './helpers';

function tvaeJob(overrides: Partial<TrainingJob> = {}, mutate?: (v: Float32Array) => void): TrainingJob {
  const t = syntheticTable(100);
  mutate?.(t.values);
  return {
    kind: 'tvae',
    config: { embeddingDim: 8, compressDims: [16], decompressDims: [16] },
    data: { buffer: t.values.buffer, rows: t.rows, width: t.width, spans: t.spans },
    seed: 1,
    epochs: 20,
    batchSize: 25,
    checkpointEvery: 0,
    ...overrides,
  } as TrainingJob;
}

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

describe('failed runs', () => {
  it('reports TRAINING_DIVERGED with the loss and the epoch when the learning rate is absurd', async () => {
    const result = await startTraining(tvaeJob({ config: { embeddingDim: 8, compressDims: [16], decompressDims: [16], learningRate: 1e30 } })).done;
    expect(result).toMatchObject({ status: 'failed', code: 'TRAINING_DIVERGED' });
    if (result.status === 'failed') expect(result.message).toMatch(/^The (model's loss|reconstruction loss|KL divergence) became (NaN|infinite|negative infinite) at epoch \d+; lower the learning rate or check the data\.$/);
  });

  it('reports TRAINING_DIVERGED at epoch 1 for NaN in the data', async () => {
    const result = await startTraining(tvaeJob({}, (v) => (v[17] = NaN))).done;
    expect(result).toMatchObject({ status: 'failed', code: 'TRAINING_DIVERGED', message: expect.stringContaining('became NaN at epoch 1;') });
  });

  it('reports OUT_OF_MEMORY, before allocating, for a model that cannot fit, and the next run still works', async () => {
    const huge = await startTraining(tvaeJob({ config: { embeddingDim: 8, compressDims: [65536, 65536], decompressDims: [16] } })).done;
    expect(huge).toMatchObject({ status: 'failed', code: 'OUT_OF_MEMORY', message: expect.stringContaining('lower the layer sizes') });
    const next = await startTraining(tvaeJob({ epochs: 1 })).done;
    expect(next.status).toBe('done');
  });

  it('reports OUT_OF_MEMORY when the worker exhausts its heap', async () => {
    const result = await startTraining(tvaeJob(), {}, { workerUrl: fixture('heap-hog-worker.ts'), resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } }).done;
    expect(result).toMatchObject({ status: 'failed', code: 'OUT_OF_MEMORY' });
  });

  it('reports a worker that exits mid-run as a failed run', async () => {
    const result = await startTraining(tvaeJob(), {}, { workerUrl: fixture('crash-worker.ts') }).done;
    expect(result).toMatchObject({ status: 'failed', code: 'INTERNAL', message: 'The training worker stopped unexpectedly (exit code 3).' });
  });

  it('reports a worker that throws as a failed run', async () => {
    const result = await startTraining(tvaeJob(), {}, { workerUrl: fixture('throw-worker.ts') }).done;
    expect(result).toMatchObject({ status: 'failed', code: 'INTERNAL', message: expect.stringContaining('boom from the fixture') });
  });

  it('refuses an invalid job without starting a worker', async () => {
    const result = await startTraining({ ...tvaeJob(), batchSize: 0 }).done;
    expect(result).toMatchObject({ status: 'failed', code: 'INVALID_ARGUMENT', message: expect.stringContaining('batchSize') });
    const spans = await startTraining(tvaeJob({ data: { ...tvaeJob().data, width: 14 } })).done;
    expect(spans).toMatchObject({ status: 'failed', code: 'INVALID_ARGUMENT' });
  });
});

describe('out-of-memory classification', () => {
  it('recognises allocation failures from V8, WASM and tfjs', async () => {
    const { isOutOfMemory, toTrainingFailure } = await import('../../electron/core/train/engine/errors');
    expect(isOutOfMemory(new RangeError('Array buffer allocation failed'))).toBe(true);
    expect(isOutOfMemory(new RangeError('Invalid typed array length: 8589934592'))).toBe(true);
    expect(isOutOfMemory(new Error('Aborted(OOM)'))).toBe(true);
    expect(isOutOfMemory(new Error('Cannot enlarge memory arrays to size 4294967296 bytes'))).toBe(true);
    expect(isOutOfMemory(Object.assign(new Error('Worker terminated due to reaching memory limit: JS heap out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }))).toBe(true);
    expect(isOutOfMemory(new RangeError('Maximum call stack size exceeded'))).toBe(false);
    expect(isOutOfMemory(new Error('Shapes do not match'))).toBe(false);
    expect(toTrainingFailure(new RangeError('Array buffer allocation failed'), 4)).toEqual({
      code: 'OUT_OF_MEMORY',
      message: 'Training ran out of memory at epoch 4; lower the batch size or the layer sizes, or close other work on this workstation.',
    });
  });
});
