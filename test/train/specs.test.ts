import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { freezeSpecVersion } from '../../electron/core/train/specs';
import type { Spec } from '../../electron/shared/spec-schema';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';

const PBC = join(process.cwd(), '../shared/data/pbc.csv');

async function withTable() {
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path: tempDir(), ...ADMIN });
  await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
  const job = await svc.call('ingest:start', { paths: [PBC] });
  await svc.current?.imports.wait(job.id);
  const [table] = (await svc.call('sources:list', {})).tables;
  if (!table) throw new Error('no table');
  return { svc, table };
}

describe('generation specs', () => {
  it('drafts a spec from a table: identifiers dropped, the rest synthesised, defaults filled', async () => {
    const { svc, table } = await withTable();
    const draft = await svc.call('specs:draft', { tableId: table.id });
    expect(draft.columns.find((c) => c.name === 'id')?.treatment).toBe('drop');
    expect(draft.columns.filter((c) => c.treatment === 'synthesise')).toHaveLength(19);
    expect(draft.rows).toBe(418 - table.holdout.rows);
    expect(draft.acceptance.fidelity.ksMax).toBe(0.1);
    expect(draft.acceptance.privacy.exactCopiesMax).toBe(0);
    svc.end();
  });

  it('saves versions with content hashes, freezes used ones, and diffs them', async () => {
    const { svc, table } = await withTable();
    const draft = await svc.call('specs:draft', { tableId: table.id });
    const v1 = await svc.call('specs:save', { specId: null, spec: draft });
    expect(v1).toMatchObject({ version: 1, frozen: false, createdBy: 'ada' });
    expect(v1.hash).toMatch(/^[0-9a-f]{64}$/);
    const same = await svc.call('specs:save', { specId: v1.specId, spec: draft });
    expect(same.version).toBe(1);
    const db = svc.current?.ws.db;
    if (!db) throw new Error('no session');
    freezeSpecVersion(db, v1.specId, 1);
    const changed: Spec = { ...draft, generator: { kind: 'tvae', epochs: 5, batchSize: 100, embeddingDim: 16, hiddenDims: [32], learningRate: 1e-3, l2scale: 1e-5, lossFactor: 2, checkpointEvery: 1 }, rows: 100 };
    const v2 = await svc.call('specs:save', { specId: v1.specId, spec: changed });
    expect(v2.version).toBe(2);
    expect(v2.hash).not.toBe(v1.hash);
    const got = await svc.call('specs:get', { specId: v1.specId, version: 1 });
    expect(got.current.frozen).toBe(true);
    expect(got.current.spec).toEqual(draft);
    expect(got.versions.map((v) => v.version)).toEqual([1, 2]);
    const changes = await svc.call('specs:diff', { specId: v1.specId, from: 1, to: 2 });
    expect(changes).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'rows', kind: 'changed', to: 100 }), expect.objectContaining({ path: 'generator.kind', from: 'copula', to: 'tvae' })]));
    const audit = await svc.call('audit:list', { text: 'spec.' });
    expect(audit.map((e) => e.action)).toEqual(['spec.versioned', 'spec.created']);
    svc.end();
  });

  it('refuses specs that do not fit their source, with the reason', async () => {
    const { svc, table } = await withTable();
    const draft = await svc.call('specs:draft', { tableId: table.id });
    const withId = { ...draft, columns: draft.columns.map((c) => (c.name === 'id' ? { ...c, treatment: 'synthesise' as const } : c)) };
    await expect(svc.call('specs:save', { specId: null, spec: withId })).rejects.toMatchObject({ message: expect.stringContaining('“id” is an identifier') });
    await expect(svc.call('specs:save', { specId: null, spec: { ...draft, columns: draft.columns.slice(1) } })).rejects.toMatchObject({ message: expect.stringContaining('missing: id') });
    await expect(svc.call('specs:save', { specId: null, spec: { ...draft, rows: 0 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'spec.rows: Generate at least one row.' });
    await expect(svc.call('specs:save', { specId: null, spec: { ...draft, acceptance: { ...draft.acceptance, utility: { target: 'nope', minScoreRatio: 0.8 } } } })).rejects.toMatchObject({ message: expect.stringContaining('utility target “nope”') });
    expect(await svc.call('specs:list', {})).toEqual([]);
    svc.end();
  });
});
