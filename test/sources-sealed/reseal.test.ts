// Migration 14 and resealSources: a store from before the sources key (plaintext sources) is sealed, then moved
// from key A to key B; every value opens under B only, and what the steward reads is unchanged.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOLDOUT, importTableFile } from '../../electron/core/ingest/table-import';
import { importDicomBytes } from '../../electron/core/ingest/dicom-import';
import { readFileContent, startImportRow } from '../../electron/core/ingest/files-repo';
import { getTable, instanceTags, listStudies } from '../../electron/core/ingest/sources-repo';
import { openEncrypted, type Db } from '../../electron/core/store/database';
import { MIGRATIONS, migrate } from '../../electron/core/store/migrations';
import { kidOf, newSourcesKey, sourceCipher, type SourceCipher } from '../../electron/core/store/sources-cipher';
import { hasUnsealedSources, resealSources, SEALED_TABLES, setStoredSourcesKid, sourceCodec, storedSourcesKid, type SourceCodec } from '../../electron/core/store/sources-seal';
import { tempDir } from '../helpers';

const CSV = join(process.cwd(), 'resources/sample/tables/pbc.csv');
const MR = join(process.cwd(), 'resources/sample/mr-brain');
const MR_FILES = readdirSync(MR).filter((f) => f.endsWith('.dcm')).sort().map((f) => join(MR, f));
const NOW = new Date('2026-12-02T10:00:00Z');
const HOLDOUT = { fraction: 0.2, seed: 'airlock' };

function freshDb(upTo = MIGRATIONS.length): Db {
  const db = openEncrypted(join(tempDir(), 's.db'), randomBytes(32), { create: true });
  migrate(db, MIGRATIONS.slice(0, upTo));
  return db;
}

async function importSources(db: Db, codec: SourceCodec, dicoms: string[]): Promise<number> {
  const importId = startImportRow(db, 'sam', NOW);
  const r = await importTableFile(db, codec, importId, CSV, statSync(CSV).size, { holdout: DEFAULT_HOLDOUT }, NOW);
  expect(r.status).toBe('imported');
  for (const f of dicoms) expect((await importDicomBytes(db, codec, importId, f, readFileSync(f), HOLDOUT, NOW)).status).toBe('imported');
  return (db.prepare('SELECT id FROM tables_').get() as { id: number }).id;
}

// What a steward reads: the table (preview, profiles, holdout), the DICOM tree, the first instance's tags and bytes.
function view(db: Db, codec: SourceCodec, tableId: number) {
  const instance = (db.prepare('SELECT id, file_id FROM dicom_instances ORDER BY id LIMIT 1').get() as { id: number; file_id: number });
  return {
    table: getTable(db, codec, tableId, 1000),
    studies: listStudies(db, codec),
    tags: instanceTags(db, codec, instance.id),
    bytes: readFileContent(db, codec, instance.file_id)?.toString('base64'),
  };
}

// Every value of every sealed column and lookup, with the key id it names (null: plaintext).
function kids(db: Db): { where: string; kid: string | null }[] {
  return SEALED_TABLES.flatMap((t) => {
    const cols = [...t.columns.map((c) => c.name), ...t.lookups.map((l) => l.sealed)];
    return (db.prepare(`SELECT ${cols.join(', ')} FROM ${t.table}`).all() as Record<string, unknown>[]).flatMap((row) =>
      cols.filter((c) => row[c] !== null).map((c) => ({ where: `${t.table}.${c}`, kid: kidOf(row[c]) })),
    );
  });
}

function sealWith(db: Db, from: SourceCipher | null, to: SourceCipher): { values: number; progress: [number, number][] } {
  const progress: [number, number][] = [];
  const r = db.transaction(() => {
    const out = resealSources(db, from, to, (done, total) => progress.push([done, total]));
    setStoredSourcesKid(db, to.kid);
    return out;
  })();
  return { ...r, progress };
}

describe('migration 14', () => {
  it('adds the sealed identity columns to a store of version 13, keeping its plaintext rows as they were', async () => {
    const db = freshDb(13);
    // A legacy store: rows written as before (no key id recorded, so the codec writes plaintext).
    db.exec('ALTER TABLE dicom_patients ADD COLUMN patient_key_sealed BLOB; ALTER TABLE dicom_studies ADD COLUMN study_uid_sealed BLOB; ALTER TABLE dicom_series ADD COLUMN series_uid_sealed BLOB; ALTER TABLE dicom_instances ADD COLUMN sop_uid_sealed BLOB;');
    const tableId = await importSources(db, sourceCodec(db, null), MR_FILES.slice(0, 1));
    const before = view(db, sourceCodec(db, null), tableId);
    // Undo the four columns the importer needed, to stand for a real version-13 store.
    for (const [t, c] of [['dicom_patients', 'patient_key_sealed'], ['dicom_studies', 'study_uid_sealed'], ['dicom_series', 'series_uid_sealed'], ['dicom_instances', 'sop_uid_sealed']] as const) db.exec(`ALTER TABLE ${t} DROP COLUMN ${c}`);
    expect(migrate(db)).toEqual([14]);
    for (const t of ['dicom_patients', 'dicom_studies', 'dicom_series', 'dicom_instances']) {
      const cols = (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string; type: string }[]).filter((c) => c.name.endsWith('_sealed'));
      expect(cols, t).toEqual([expect.objectContaining({ type: 'BLOB' })]);
    }
    expect(storedSourcesKid(db)).toBeNull();
    expect(hasUnsealedSources(db)).toBe(true);
    expect(view(db, sourceCodec(db, null), tableId)).toEqual(before);
    db.close();
  });
});

describe('resealSources', () => {
  it('seals a plaintext store, then moves it from key A to key B: every value opens under B only, readers see the same', async () => {
    const db = freshDb();
    const tableId = await importSources(db, sourceCodec(db, null), MR_FILES.slice(0, 2));
    const plain = view(db, sourceCodec(db, null), tableId);
    const plainKey = (db.prepare('SELECT patient_key FROM dicom_patients').get() as { patient_key: string }).patient_key;
    expect(plain.studies[0]?.patient.key).toBe(plainKey);
    expect(hasUnsealedSources(db)).toBe(true);

    const a = sourceCipher(newSourcesKey());
    const sealed = sealWith(db, null, a);
    expect(sealed.values).toBeGreaterThan(418 + 20);
    expect(sealed.progress.at(-1)?.[0]).toBe(sealed.progress.at(-1)?.[1]);
    expect(hasUnsealedSources(db)).toBe(false);
    expect(new Set(kids(db).map((k) => k.kid))).toEqual(new Set([a.kid]));
    // The UNIQUE column keeps a keyed lookup, not the patient key.
    expect((db.prepare('SELECT patient_key FROM dicom_patients').get() as { patient_key: string }).patient_key).toBe(a.lookup('patient_key', plainKey));
    expect(view(db, sourceCodec(db, a), tableId)).toEqual(plain);
    // No downgrade: with a key id stored, the plaintext reader is refused.
    expect(() => view(db, sourceCodec(db, null), tableId)).toThrow(expect.objectContaining({ code: 'SOURCES_LOCKED' }));

    const b = sourceCipher(newSourcesKey());
    sealWith(db, a, b);
    expect(new Set(kids(db).map((k) => k.kid))).toEqual(new Set([b.kid]));
    expect(view(db, sourceCodec(db, b), tableId)).toEqual(plain);
    expect(() => view(db, sourceCodec(db, a), tableId)).toThrow(expect.objectContaining({ code: 'SOURCES_LOCKED' }));
    // Key A itself no longer opens any stored value.
    const cells = db.prepare('SELECT row_idx, cells FROM table_rows WHERE table_id = ? LIMIT 1').get(tableId) as { row_idx: number; cells: Buffer };
    expect(() => a.open({ table: 'table_rows', column: 'cells', rowId: `${tableId}:${cells.row_idx}` }, cells.cells)).toThrow(expect.objectContaining({ code: 'SOURCES_DAMAGED' }));

    // The lookups were recomputed: a third file of the same series joins it, the same file again is a duplicate.
    const codecB = sourceCodec(db, b);
    const importId = startImportRow(db, 'sam', NOW);
    expect((await importDicomBytes(db, codecB, importId, MR_FILES[2] ?? '', readFileSync(MR_FILES[2] ?? ''), HOLDOUT, NOW)).status).toBe('imported');
    expect((await importDicomBytes(db, codecB, importId, MR_FILES[0] ?? '', readFileSync(MR_FILES[0] ?? ''), HOLDOUT, NOW)).status).toBe('duplicate');
    const studies = listStudies(db, codecB);
    expect(studies).toHaveLength(1);
    expect(studies[0]?.series).toEqual([expect.objectContaining({ instances: 3 })]);
    expect(studies[0]?.patient.key).toBe(plainKey);
    db.close();
  });

  it('with the wrong `from` key refuses (SOURCES_DAMAGED) and, in its transaction, leaves the store as it was', async () => {
    const db = freshDb();
    const a = sourceCipher(newSourcesKey());
    setStoredSourcesKid(db, a.kid);
    const tableId = await importSources(db, sourceCodec(db, a), MR_FILES.slice(0, 1));
    const before = view(db, sourceCodec(db, a), tableId);
    const wrong = sourceCipher(newSourcesKey());
    expect(() => sealWith(db, wrong, sourceCipher(newSourcesKey()))).toThrow(expect.objectContaining({ code: 'SOURCES_DAMAGED' }));
    expect(storedSourcesKid(db)).toBe(a.kid);
    expect(new Set(kids(db).map((k) => k.kid))).toEqual(new Set([a.kid]));
    expect(view(db, sourceCodec(db, a), tableId)).toEqual(before);
    db.close();
  });
});
