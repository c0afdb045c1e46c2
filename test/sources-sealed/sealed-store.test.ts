// Issue #12: source values are sealed under the sources key inside the (already encrypted) store. A reviewer's
// session opens the same database with the database key, so what it can read with SQL is what an insider holding
// that key reads: no cell, no patient name, no UID, no DICOM file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { readFileContent } from '../../electron/core/ingest/files-repo';
import { ImportJobs } from '../../electron/core/ingest/jobs';
import { PreviewCache } from '../../electron/core/ingest/preview';
import { getTable, instanceTags, listStudies, listTables } from '../../electron/core/ingest/sources-repo';
import type { Db } from '../../electron/core/store/database';
import { isSealed } from '../../electron/core/store/sources-cipher';
import { sessionCodec, storedSourcesKid } from '../../electron/core/store/sources-seal';
import { trainingRows } from '../../electron/core/train/runs-repo';
import { ADMIN, FAST_KDF } from '../helpers';
import { loginOwn } from '../own-password';

const SAMPLE = join(process.cwd(), 'resources/sample');
const CSV = join(SAMPLE, 'tables/pbc.csv');
// A real CT with a patient name, id and UIDs (the bundled MR sample has no PatientName).
const DICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm';
const SAM = { username: 'sam', displayName: 'Sam Steward', roles: ['steward'], password: 'steward password 1' };
const RITA = { username: 'rita', displayName: 'Rita Reviewer', roles: ['reviewer'], password: 'reviewer password 1' };

interface Seen {
  path: string;
  tableId: number;
  instanceId: number;
  seriesId: number;
  preview: unknown;
  studies: unknown;
  needles: { what: string; text: string }[];
  fileSlice: Buffer;
}

function session(svc: AirlockService) {
  const s = svc.current;
  if (!s) throw new Error('no session');
  return s;
}

// Every value of every table of the store, as SQL with the database key returns it.
function everyValue(db: Db): { where: string; value: unknown }[] {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
  return tables.flatMap((t) => (db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]).flatMap((row) => Object.entries(row).map(([c, value]) => ({ where: `${t}.${c}`, value }))));
}

let seen: Seen;
let svc: AirlockService;

beforeAll(async () => {
  svc = new AirlockService({ kdf: FAST_KDF });
  // One workspace for the whole file (helpers' tempDir is removed after each test).
  const path = mkdtempSync(join(tmpdir(), 'airlock-sealed-'));
  await svc.call('workspace:create', { path, ...ADMIN });
  await svc.call('users:add', SAM);
  await svc.call('users:add', RITA);
  await loginOwn(svc, path, 'sam', SAM.password);
  const job = await svc.call('ingest:start', { paths: [CSV, DICOM] });
  const done = await session(svc).imports.wait(job.id);
  expect(done.counts).toEqual({ imported: 2, duplicates: 0, refused: 0 });
  const sources = await svc.call('sources:list', {});
  const tableId = sources.tables[0]?.id ?? -1;
  const seriesId = sources.studies[0]?.series[0]?.id ?? -1;
  const [instance] = await svc.call('dicom:instances', { seriesId });
  const tags = await svc.call('dicom:tags', { instanceId: instance?.id ?? -1 });
  const tag = (keyword: string) => tags.tags.find((x) => x.keyword === keyword)?.value ?? '';
  const preview = await svc.call('tables:get', { tableId, previewRows: 5 });
  const bytes = readFileSync(DICOM);
  const study = sources.studies[0];
  seen = {
    path,
    tableId,
    instanceId: instance?.id ?? -1,
    seriesId,
    preview,
    studies: sources.studies,
    needles: [
      { what: 'a cell of pbc.csv', text: '58.7652292950034' },
      { what: 'another cell', text: '7394.8' },
      { what: 'the PatientName', text: tag('PatientName') },
      { what: 'the PatientID', text: tag('PatientID') },
      { what: 'the StudyDate', text: tag('StudyDate') },
      { what: 'the SOP Instance UID', text: tag('SOPInstanceUID') },
      { what: 'the Study Instance UID', text: study?.studyUid ?? '' },
      { what: 'the Series Instance UID', text: study?.series[0]?.seriesUid ?? '' },
      { what: 'the patient key', text: study?.patient.key ?? '' },
      { what: 'the DICOM file name', text: 'CT_small' },
    ],
    // A run from the middle of the file (pixel data): the file's bytes as a substring of any blob.
    fileSlice: bytes.subarray(Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 64),
  };
  for (const n of seen.needles) expect(n.text.length, n.what).toBeGreaterThanOrEqual(4);
  await svc.call('session:logout', {});
}, 60_000);

afterAll(() => {
  svc.end();
  rmSync(seen.path, { recursive: true, force: true });
});

describe('source values sealed under the sources key (#12)', () => {
  it('a reviewer holding the database key finds no source value anywhere in the store', async () => {
    await loginOwn(svc, seen.path, 'rita', RITA.password);
    const ws = session(svc).ws;
    expect(ws.holdsSources).toBe(false);
    expect(storedSourcesKid(ws.db)).toMatch(/^[0-9a-f]{16}$/);
    const values = everyValue(ws.db);
    expect(values.length).toBeGreaterThan(400);
    const found: string[] = [];
    for (const { where, value } of values) {
      const text = typeof value === 'string' ? value : value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : '';
      for (const n of seen.needles) if (text.includes(n.text)) found.push(`${n.what} in ${where}`);
      if (value instanceof Uint8Array && Buffer.from(value).includes(seen.fileSlice)) found.push(`the DICOM file's bytes in ${where}`);
    }
    expect(found).toEqual([]);
    // The sealed columns hold sealed values, not something merely unlike the needles.
    const cells = ws.db.prepare('SELECT cells FROM table_rows').all() as { cells: unknown }[];
    expect(cells.length).toBe(418);
    expect(cells.every((r) => isSealed(r.cells))).toBe(true);
    const content = ws.db.prepare("SELECT content FROM source_files WHERE kind = 'dicom'").get() as { content: unknown };
    expect(isSealed(content.content)).toBe(true);
    await svc.call('session:logout', {});
  });

  it('the core readers refuse a session without the sources key with SOURCES_LOCKED, and still list what is not a source value', async () => {
    await loginOwn(svc, seen.path, 'rita', RITA.password);
    const ws = session(svc).ws;
    const codec = sessionCodec(ws);
    const locked = expect.objectContaining({ code: 'SOURCES_LOCKED' });
    expect(() => getTable(ws.db, codec, seen.tableId, 5)).toThrow(locked);
    expect(() => listTables(ws.db, codec)).toThrow(locked);
    expect(() => listStudies(ws.db, codec)).toThrow(locked);
    expect(() => instanceTags(ws.db, codec, seen.instanceId)).toThrow(locked);
    expect(() => trainingRows(ws.db, codec, seen.tableId)).toThrow(locked);
    const file = ws.db.prepare('SELECT file_id FROM dicom_instances WHERE id = ?').get(seen.instanceId) as { file_id: number };
    expect(() => readFileContent(ws.db, codec, file.file_id)).toThrow(locked);
    await expect(new PreviewCache().render(ws.db, codec, seen.instanceId, 0, { kind: 'file' })).rejects.toMatchObject({ code: 'SOURCES_LOCKED' });
    // An import needs the key too: refused before any import row is written.
    const imports = (ws.db.prepare('SELECT count(*) AS n FROM imports').get() as { n: number }).n;
    expect(() => new ImportJobs().start(ws, 'rita', [CSV])).toThrow(expect.objectContaining({ code: 'SOURCES_LOCKED', message: expect.stringContaining('data steward') as string }));
    expect((ws.db.prepare('SELECT count(*) AS n FROM imports').get() as { n: number }).n).toBe(imports);
    await svc.call('session:logout', {});
  });

  it('the steward sees the same previews and listings as at import, after signing in again', async () => {
    await loginOwn(svc, seen.path, 'sam', SAM.password);
    expect(await svc.call('tables:get', { tableId: seen.tableId, previewRows: 5 })).toEqual(seen.preview);
    expect((await svc.call('sources:list', {})).studies).toEqual(seen.studies);
    const png = await svc.call('dicom:render', { instanceId: seen.instanceId, frame: 0, window: { kind: 'file' } });
    expect(png.width).toBeGreaterThan(0);
    await svc.call('session:logout', {});
  });

  it('a sealed value moved to another row or column does not open (SOURCES_DAMAGED), and plaintext is no downgrade', async () => {
    await loginOwn(svc, seen.path, 'sam', SAM.password);
    const ws = session(svc).ws;
    const db = ws.db;
    const rows = db.prepare('SELECT row_idx, cells FROM table_rows WHERE table_id = ? AND row_idx < 2 ORDER BY row_idx').all(seen.tableId) as { row_idx: number; cells: Buffer }[];
    const damaged = expect.objectContaining({ code: 'SOURCES_DAMAGED' });
    const preview = (n: number) => () => getTable(db, sessionCodec(ws), seen.tableId, n);
    try {
      // Row 0's sealed cells copied onto row 1: both are well-formed ciphertexts under the right key.
      db.prepare('UPDATE table_rows SET cells = ? WHERE table_id = ? AND row_idx = 1').run(rows[0]?.cells, seen.tableId);
      expect(preview(1)).not.toThrow();
      expect(preview(2)).toThrow(damaged);
      // A row's cells written as plaintext after sealing.
      db.prepare('UPDATE table_rows SET cells = ? WHERE table_id = ? AND row_idx = 1').run('["1","2"]', seen.tableId);
      expect(preview(2)).toThrow(damaged);
    } finally {
      db.prepare('UPDATE table_rows SET cells = ? WHERE table_id = ? AND row_idx = 1').run(rows[1]?.cells, seen.tableId);
    }
    expect(preview(2)).not.toThrow();
    // A column's sealed profile moved to another column.
    const profiles = db.prepare('SELECT idx, profile FROM table_columns WHERE table_id = ? AND idx < 2 ORDER BY idx').all(seen.tableId) as { idx: number; profile: Buffer }[];
    try {
      db.prepare('UPDATE table_columns SET profile = ? WHERE table_id = ? AND idx = 1').run(profiles[0]?.profile, seen.tableId);
      expect(preview(0)).toThrow(damaged);
    } finally {
      db.prepare('UPDATE table_columns SET profile = ? WHERE table_id = ? AND idx = 1').run(profiles[1]?.profile, seen.tableId);
    }
    // A patient's sealed name moved to the patient-id column of the same row.
    const p = db.prepare('SELECT id, patient_name, patient_id FROM dicom_patients LIMIT 1').get() as { id: number; patient_name: Buffer; patient_id: unknown };
    try {
      db.prepare('UPDATE dicom_patients SET patient_id = ? WHERE id = ?').run(p.patient_name, p.id);
      expect(() => listStudies(db, sessionCodec(ws))).toThrow(damaged);
    } finally {
      db.prepare('UPDATE dicom_patients SET patient_id = ? WHERE id = ?').run(p.patient_id, p.id);
    }
    expect(() => listStudies(db, sessionCodec(ws))).not.toThrow();
    await svc.call('session:logout', {});
  });
});
