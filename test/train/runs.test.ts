import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { ksStatistic } from '../../electron/core/train/tabular/stats';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { openedRows } from '../sources-sealed/opened';

const PBC = join(process.cwd(), '../shared/data/pbc.csv');

async function setup() {
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path: tempDir(), ...ADMIN });
  await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
  const job = await svc.call('ingest:start', { paths: [PBC] });
  await svc.current?.imports.wait(job.id);
  const [table] = (await svc.call('sources:list', {})).tables;
  if (!table) throw new Error('no table');
  const draft = await svc.call('specs:draft', { tableId: table.id });
  return { svc, table, draft };
}

async function runToEnd(svc: AirlockService, specId: number) {
  const run = await svc.call('runs:start', { specId });
  return svc.current?.runs.wait(run.id) ?? Promise.reject(new Error('no session'));
}

describe('training runs (Gaussian copula)', () => {
  it('trains off the main thread, stores a hashed synthetic table, records lineage, and freezes the spec version', async () => {
    const { svc, table, draft } = await setup();
    const saved = await svc.call('specs:save', { specId: null, spec: { ...draft, rows: 1000 } });
    const run = await runToEnd(svc, saved.specId);
    expect(run).toMatchObject({ status: 'done', generator: 'copula', seed: 1, specHash: saved.hash, sourceSha256: table.sha256, error: null });
    expect(run.datasets).toHaveLength(1);
    const preview = await svc.call('datasets:preview', { datasetId: run.datasets[0]?.id ?? -1, limit: 1000 });
    expect(preview.rows).toBe(1000);
    expect(preview.header).not.toContain('id');
    expect(preview.header).toHaveLength(19);
    expect(preview.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Fidelity against the training rows: KS per numeric column below 0.1.
    const db = svc.current?.ws.db;
    if (!db) throw new Error('no session');
    const training = openedRows(svc, table.id).filter((r) => r.holdout === 0).map((r) => r.cells);
    const detail = await svc.call('tables:get', { tableId: table.id, previewRows: 0 });
    for (const col of detail.columns.filter((c) => c.type === 'number' || c.type === 'integer')) {
      const j = preview.header.indexOf(col.name);
      const real = training.map((r) => Number(r[col.index])).filter((x, i) => training[i]?.[col.index] !== null && Number.isFinite(x));
      const synth = preview.preview.map((r) => (r[j] === null ? NaN : Number(r[j]))).filter(Number.isFinite);
      expect({ column: col.name, ks: ksStatistic(real, synth) < 0.1 }).toEqual({ column: col.name, ks: true });
    }
    const sexes = new Set(preview.preview.map((r) => r[preview.header.indexOf('sex')]));
    expect([...sexes].sort()).toEqual(['f', 'm']);
    expect((await svc.call('specs:get', { specId: saved.specId })).current.frozen).toBe(true);
    const audit = (await svc.call('audit:list', { text: 'run.' })).map((e) => e.action);
    expect(audit).toEqual(['run.finished', 'run.started']);
    svc.end();
  });

  it('is reproducible: same seed → same table hash; another seed → another; more rows as a new version', async () => {
    const { svc, draft } = await setup();
    const a = await svc.call('specs:save', { specId: null, spec: { ...draft, rows: 300 } });
    const b = await svc.call('specs:save', { specId: null, spec: { ...draft, name: 'second', rows: 300, seed: 2 } });
    const first = await runToEnd(svc, a.specId);
    const again = await runToEnd(svc, a.specId);
    const other = await runToEnd(svc, b.specId);
    expect(again.datasets[0]?.sha256).toBe(first.datasets[0]?.sha256);
    expect(other.datasets[0]?.sha256).not.toBe(first.datasets[0]?.sha256);
    const more = await svc.call('runs:sample', { runId: first.id, rows: 50 });
    expect(more).toMatchObject({ version: 2, rows: 50 });
    expect((await svc.call('runs:get', { runId: first.id })).datasets.map((d) => d.version)).toEqual([1, 2]);
    svc.end();
  });

  it('keeps condition columns at their real distribution and draws the rest given them', async () => {
    const { svc, table, draft } = await setup();
    const columns = draft.columns.map((c) => (c.name === 'sex' || c.name === 'stage' ? { ...c, treatment: 'condition' as const } : c));
    const saved = await svc.call('specs:save', { specId: null, spec: { ...draft, columns, rows: 3000 } });
    const run = await runToEnd(svc, saved.specId);
    expect(run.status).toBe('done');
    const preview = await svc.call('datasets:preview', { datasetId: run.datasets[0]?.id ?? -1, limit: 1000 });
    const db = svc.current?.ws.db;
    if (!db) throw new Error('no session');
    const training = openedRows(svc, table.id).filter((r) => r.holdout === 0).map((r) => r.cells);
    const detail = await svc.call('tables:get', { tableId: table.id, previewRows: 0 });
    const sexIdx = detail.columns.find((c) => c.name === 'sex')?.index ?? -1;
    const realMale = training.filter((r) => r[sexIdx] === 'm').length / training.length;
    const synthMale = preview.preview.filter((r) => r[preview.header.indexOf('sex')] === 'm').length / preview.preview.length;
    expect(Math.abs(realMale - synthMale)).toBeLessThan(0.04);
    // Only stage values that occur in the real rows appear (conditions are real values, not generated).
    const realStages = new Set(training.map((r) => r[detail.columns.find((c) => c.name === 'stage')?.index ?? -1]));
    for (const r of preview.preview) expect(realStages.has(r[preview.header.indexOf('stage')] ?? null)).toBe(true);
    const onAge = draft.columns.map((c) => (c.name === 'age' ? { ...c, treatment: 'condition' as const } : c));
    await expect(svc.call('specs:save', { specId: null, spec: { ...draft, columns: onAge, generator: { kind: 'tvae', epochs: 1, batchSize: 100, embeddingDim: 8, hiddenDims: [8], learningRate: 1e-3, l2scale: 1e-5, lossFactor: 2, checkpointEvery: 1 } } })).rejects.toMatchObject({ message: expect.stringContaining('at most 50') });
    svc.end();
  });

  it('marks a run cut off by a crash as interrupted when the workspace next opens', async () => {
    const { svc, draft } = await setup();
    const saved = await svc.call('specs:save', { specId: null, spec: draft });
    const db = svc.current?.ws.db;
    const path = svc.current?.ws.dir ?? '';
    if (!db) throw new Error('no session');
    db.prepare("INSERT INTO runs (spec_id, spec_version, spec_hash, source_sha256, generator, seed, status, actor, hyperparameters, started_at) VALUES (?, 1, 'h', 's', 'tvae', 1, 'running', 'ada', '{}', 't')").run(saved.specId);
    svc.end();
    await svc.call('session:login', { path, username: 'ada', password: ADMIN.password });
    const [run] = await svc.call('runs:list', {});
    expect(run).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' }, canResume: false });
    expect((await svc.call('audit:list', { action: 'run.interrupted' }))[0]).toMatchObject({ actor: 'system', subject: `run #${run!.id}`, details: { code: 'INTERRUPTED' } });
    svc.end();
  });
});
