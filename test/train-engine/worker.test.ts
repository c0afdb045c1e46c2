// Runs in real worker_threads workers (TypeScript through tsx): progress streams and the run finishes; cancel
// stops within 2 s; a checkpoint from one worker resumes in another to the same weights as an uninterrupted run;
// AIRLOCK_TF_BACKEND reaches the worker.
import { describe, expect, it } from 'vitest';
import type { BackendInfo } from '../../electron/core/train/engine/backend';
import type { Checkpoint, Progress, TrainingJob } from '../../electron/core/train/engine/protocol';
import { startTraining } from '../../electron/core/train/engine/runner';
import { syntheticTable } from './helpers';

function tvaeJob(overrides: Partial<TrainingJob> = {}, rows = 200): TrainingJob {
  const t = syntheticTable(rows);
  return {
    kind: 'tvae',
    config: { embeddingDim: 16, compressDims: [32, 32], decompressDims: [32, 32] },
    data: { buffer: t.values.buffer, rows: t.rows, width: t.width, spans: t.spans },
    seed: 7,
    epochs: 6,
    batchSize: 50,
    checkpointEvery: 0,
    ...overrides,
  } as TrainingJob;
}

const bytes = (list: { data: ArrayBuffer }[]) => Buffer.concat(list.map((w) => Buffer.from(w.data)));

describe('training in a worker', () => {
  it('reports the backend, streams progress and finishes with weights and the loss history', async () => {
    const progress: Progress[] = [];
    let backend: BackendInfo | undefined;
    const j = tvaeJob();
    const handle = startTraining(j, { onBackend: (b) => (backend = b), onProgress: (p) => progress.push(p) });
    expect(j.data.buffer.byteLength).toBe(0); // transferred, not copied
    const result = await handle.done;
    expect(result.status).toBe('done');
    if (result.status !== 'done') return;
    expect(backend?.name).toBe('wasm');
    expect(result.backend?.fallbacks.map((f) => f.reason)).toEqual(['not installed', 'not installed']);
    expect(result.lossHistory.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.weights.map((w) => w.name)).toContain('decoder/sigma');
    // Every epoch's end is reported; progress never goes backwards; the ETA reaches 0.
    expect(progress.filter((p) => p.step === p.stepsPerEpoch).map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 1; i < progress.length; i++) {
      const a = progress[i - 1] as Progress;
      const b = progress[i] as Progress;
      expect(b.epoch * 100 + b.step).toBeGreaterThan(a.epoch * 100 + a.step);
    }
    expect(progress.at(-1)?.etaSeconds).toBe(0);
    expect(Object.keys(progress[0]?.losses ?? {})).toEqual(['loss', 'reconstruction', 'kl']);
  });

  it('stops within 2 s of cancel, between steps', async () => {
    let firstProgress!: () => void;
    const running = new Promise<void>((resolve) => (firstProgress = resolve));
    const seen: Progress[] = [];
    const handle = startTraining(tvaeJob({ epochs: 100_000, config: {} }, 418), {
      onProgress: (p) => {
        seen.push(p);
        firstProgress();
      },
    });
    await running;
    await new Promise((r) => setTimeout(r, 300)); // well into the run
    const t0 = performance.now();
    await handle.cancel();
    const elapsed = performance.now() - t0;
    const result = await handle.done;
    expect(result.status).toBe('cancelled');
    expect(elapsed).toBeLessThan(2000);
    if (result.status === 'cancelled') expect(result.epoch).toBeGreaterThanOrEqual((seen.at(-1)?.epoch ?? 1) - 1);
  });

  it('resumes a worker checkpoint in a new worker to the same weights as an uninterrupted run', async () => {
    const checkpoints: Checkpoint[] = [];
    const full = await startTraining(tvaeJob({ epochs: 4, checkpointEvery: 2 }), { onCheckpoint: (c) => checkpoints.push(c) }).done;
    expect(checkpoints.map((c) => c.epoch)).toEqual([2, 4]);
    const again = await startTraining(tvaeJob({ epochs: 4 })).done;
    const resumed = await startTraining(tvaeJob({ epochs: 4, resume: checkpoints[0] })).done;
    if (full.status !== 'done' || again.status !== 'done' || resumed.status !== 'done') throw new Error('expected three finished runs');
    expect(bytes(again.weights).equals(bytes(full.weights))).toBe(true); // same seed, same backend
    expect(bytes(resumed.weights).equals(bytes(full.weights))).toBe(true);
    expect(resumed.lossHistory).toEqual(full.lossHistory);
  });

  it('trains CTGAN in a worker too', async () => {
    const t = syntheticTable(100);
    const result = await startTraining({
      kind: 'ctgan',
      config: { embeddingDim: 8, generatorDims: [16], discriminatorDims: [16] },
      data: { buffer: t.values.buffer, rows: t.rows, width: t.width, spans: t.spans },
      seed: 1,
      epochs: 2,
      batchSize: 50,
      checkpointEvery: 0,
    }).done;
    expect(result.status).toBe('done');
    if (result.status === 'done') expect(Object.keys(result.lossHistory[0]?.losses ?? {})).toEqual(['generator', 'critic', 'penalty']);
  });

  it('passes a forced backend to the worker, and refuses one that is not installed', async () => {
    const cpu = await startTraining(tvaeJob({ epochs: 1 }), {}, { backend: 'cpu' }).done;
    expect(cpu.status).toBe('done');
    expect(cpu.backend).toMatchObject({ name: 'cpu', fallbacks: [] });
    const node = await startTraining(tvaeJob({ epochs: 1 }), {}, { backend: 'node' }).done;
    expect(node).toMatchObject({ status: 'failed', code: 'NOT_AVAILABLE', message: expect.stringContaining('not installed') });
  });
});
