import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import type { Checkpoint } from '../../electron/core/train/engine/protocol';
import { RNG_STREAM } from '../../electron/core/train/engine/rng';
import { pack, unpack } from '../../electron/core/train/pack';
import type { Spec } from '../../electron/shared/spec-schema';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { openedRows } from '../sources-sealed/opened';

const PIMA = join(process.cwd(), '../shared/data/PimaIndiansDiabetes2.csv');

async function setup() {
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path: tempDir(), ...ADMIN });
  await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
  const job = await svc.call('ingest:start', { paths: [PIMA] });
  await svc.current?.imports.wait(job.id);
  const [table] = (await svc.call('sources:list', {})).tables;
  if (!table) throw new Error('no table');
  return { svc, draft: await svc.call('specs:draft', { tableId: table.id }) };
}

const tvae = (epochs: number): Spec['generator'] => ({ kind: 'tvae', epochs, batchSize: 128, embeddingDim: 16, hiddenDims: [32, 32], learningRate: 1e-3, l2scale: 1e-5, lossFactor: 2, checkpointEvery: 1 });

describe('training runs (TVAE in a worker on the backend ladder)', () => {
  it('trains, records backend and losses per epoch, and samples a table with the source schema', async () => {
    const { svc, draft } = await setup();
    const saved = await svc.call('specs:save', { specId: null, spec: { ...draft, generator: tvae(3), rows: 200 } });
    const started = await svc.call('runs:start', { specId: saved.specId });
    const run = await svc.current?.runs.wait(started.id);
    expect(run?.error).toBeNull();
    expect(run).toMatchObject({ status: 'done', generator: 'tvae', epochsDone: 3, epochs: 3 });
    expect(run?.backend?.name).toBe('wasm');
    expect(run?.backend?.fallbacks.map((f) => f.name)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(run?.losses.map((l) => l.epoch)).toEqual([1, 2, 3]);
    for (const l of run?.losses ?? []) for (const v of Object.values(l.losses)) expect(Number.isFinite(v)).toBe(true);
    const preview = await svc.call('datasets:preview', { datasetId: run?.datasets[0]?.id ?? -1, limit: 200 });
    expect(preview.header).toEqual(['pregnant', 'glucose', 'pressure', 'triceps', 'insulin', 'mass', 'pedigree', 'age', 'diabetes']);
    const diabetes = new Set(preview.preview.map((r) => r[8]));
    for (const d of diabetes) expect(['pos', 'neg']).toContain(d);
    for (const r of preview.preview) if (r[1] !== null) expect(Number.isInteger(Number(r[1]))).toBe(true);
    svc.end();
  });

  it('trains a CTGAN (PacGAN, WGAN-GP, conditional vector) to a table with the source schema', async () => {
    const { svc, draft } = await setup();
    const generator: Spec['generator'] = { kind: 'ctgan', epochs: 2, batchSize: 100, embeddingDim: 16, generatorDims: [32, 32], discriminatorDims: [32, 32], generatorLr: 2e-4, discriminatorLr: 2e-4, discriminatorSteps: 1, pac: 10, checkpointEvery: 1 };
    const saved = await svc.call('specs:save', { specId: null, spec: { ...draft, generator, rows: 120 } });
    const started = await svc.call('runs:start', { specId: saved.specId });
    const run = await svc.current?.runs.wait(started.id);
    expect(run?.error).toBeNull();
    expect(run).toMatchObject({ status: 'done', generator: 'ctgan', epochsDone: 2 });
    expect(Object.keys(run?.losses[0]?.losses ?? {}).sort()).toEqual(['critic', 'generator', 'penalty']);
    const preview = await svc.call('datasets:preview', { datasetId: run?.datasets[0]?.id ?? -1, limit: 120 });
    expect(preview.rows).toBe(120);
    for (const r of preview.preview) {
      expect(['pos', 'neg']).toContain(r[8]);
      if (r[7] !== null) expect(Number(r[7])).toBeGreaterThanOrEqual(21);
    }
    await expect(svc.call('specs:save', { specId: null, spec: { ...draft, generator: { ...generator, batchSize: 105 } } })).rejects.toMatchObject({ message: expect.stringContaining('multiple') });
    svc.end();
  });

  it('meets condition columns with TVAE and CTGAN: the condition keeps its real distribution', async () => {
    const { svc, draft } = await setup();
    const db = svc.current?.ws.db;
    if (!db) throw new Error('no session');
    const training = openedRows(svc).filter((r) => r.holdout === 0).map((r) => r.cells);
    const realPos = training.filter((r) => r[8] === 'pos').length / training.length;
    const columns = draft.columns.map((c) => (c.name === 'diabetes' ? { ...c, treatment: 'condition' as const } : c));
    const ctgan: Spec['generator'] = { kind: 'ctgan', epochs: 2, batchSize: 100, embeddingDim: 16, generatorDims: [32, 32], discriminatorDims: [32, 32], generatorLr: 2e-4, discriminatorLr: 2e-4, discriminatorSteps: 1, pac: 10, checkpointEvery: 1 };
    for (const generator of [tvae(3), ctgan]) {
      const saved = await svc.call('specs:save', { specId: null, spec: { ...draft, name: `cond ${generator.kind}`, columns, generator, rows: 300 } });
      const started = await svc.call('runs:start', { specId: saved.specId });
      const run = await svc.current?.runs.wait(started.id);
      expect({ kind: generator.kind, error: run?.error ?? null }).toEqual({ kind: generator.kind, error: null });
      const preview = await svc.call('datasets:preview', { datasetId: run?.datasets[0]?.id ?? -1, limit: 300 });
      const synthPos = preview.preview.filter((r) => r[8] === 'pos').length / preview.preview.length;
      expect(Math.abs(realPos - synthPos)).toBeLessThan(0.08);
    }
    svc.end();
  });

  it('cancels within seconds and resumes from the last checkpoint to the same table as an uninterrupted run', async () => {
    const { svc, draft } = await setup();
    const saved = await svc.call('specs:save', { specId: null, spec: { ...draft, generator: tvae(6), rows: 100 } });
    const straight = await svc.call('runs:start', { specId: saved.specId });
    const reference = await svc.current?.runs.wait(straight.id);
    expect(reference?.status).toBe('done');

    const run = await svc.call('runs:start', { specId: saved.specId });
    await expect.poll(async () => (await svc.call('runs:get', { runId: run.id })).epochsDone, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(2);
    const t0 = Date.now();
    const cancelled = await svc.call('runs:cancel', { runId: run.id });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(cancelled).toMatchObject({ status: 'cancelled', canResume: true });
    // One checkpoint per run, the latest (each epoch's replaced the one before); none once the run is done.
    const checkpoints = (id: number) => svc.current!.ws.db.prepare('SELECT epoch FROM run_checkpoints WHERE run_id = ?').all(id) as { epoch: number }[];
    expect(checkpoints(run.id)).toEqual([{ epoch: cancelled.epochsDone }]);
    expect(checkpoints(straight.id)).toEqual([]);
    // A checkpoint from before the ziggurat (no stream mark) is refused: the rest would draw other normals.
    const db = svc.current!.ws.db;
    const stored = (db.prepare('SELECT content FROM run_checkpoints WHERE run_id = ?').get(run.id) as { content: Buffer }).content;
    const { stream, ...older } = unpack<Checkpoint>(stored);
    expect(stream).toBe(RNG_STREAM);
    db.prepare('UPDATE run_checkpoints SET content = ? WHERE run_id = ?').run(pack(older), run.id);
    await expect(svc.call('runs:resume', { runId: run.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('drew its random numbers differently') });
    expect((await svc.call('runs:get', { runId: run.id })).status).toBe('cancelled');
    db.prepare('UPDATE run_checkpoints SET content = ? WHERE run_id = ?').run(stored, run.id);
    await svc.call('runs:resume', { runId: run.id });
    const resumed = await svc.current?.runs.wait(run.id);
    expect(resumed?.status).toBe('done');
    expect(resumed?.datasets[0]?.sha256).toBe(reference?.datasets[0]?.sha256);
    expect(checkpoints(run.id)).toEqual([]);
    const actions = (await svc.call('audit:list', { text: `run #${run.id}` })).map((e) => e.action);
    expect(actions).toEqual(['run.finished', 'run.resumed', 'run.cancelled', 'run.started']);
    svc.end();
  });
});
