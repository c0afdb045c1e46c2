// Where source values are sealed under the sources key, and how a store moves from one key (or from plaintext) to
// another. The codec is what every reader and writer of source values uses: it seals once a key id is recorded in
// the store, and accepts plaintext only before (no downgrade afterwards).
import { AirlockError } from '../errors';
import type { Db } from './database';
import { isSealed, kidOf, type SealScope, type SourceCipher } from './sources-cipher';

const KID_SETTING = 'sources.kid';

interface SealedTable {
  table: string;
  /** Primary key columns: the row id of the AAD is their values joined by ':'. */
  key: readonly string[];
  /** Columns sealed in place (a text value becomes a sealed BLOB in the same column). */
  columns: readonly { name: string; bytes: boolean }[];
  /** UNIQUE identities: the column keeps a keyed lookup, the value is sealed in `sealed`. */
  lookups: readonly { column: string; sealed: string }[];
}

/** Every place a source value lives (fixed identifiers, never input). */
export const SEALED_TABLES: readonly SealedTable[] = [
  { table: 'source_files', key: ['id'], columns: [{ name: 'content', bytes: true }, { name: 'name', bytes: false }], lookups: [] },
  { table: 'table_rows', key: ['table_id', 'row_idx'], columns: [{ name: 'cells', bytes: false }], lookups: [] },
  { table: 'table_columns', key: ['table_id', 'idx'], columns: [{ name: 'profile', bytes: false }], lookups: [] },
  {
    table: 'dicom_patients',
    key: ['id'],
    columns: [{ name: 'patient_id', bytes: false }, { name: 'patient_name', bytes: false }, { name: 'birth_date', bytes: false }],
    lookups: [{ column: 'patient_key', sealed: 'patient_key_sealed' }],
  },
  { table: 'dicom_studies', key: ['id'], columns: [{ name: 'study_date', bytes: false }, { name: 'description', bytes: false }], lookups: [{ column: 'study_uid', sealed: 'study_uid_sealed' }] },
  { table: 'dicom_series', key: ['id'], columns: [{ name: 'description', bytes: false }], lookups: [{ column: 'series_uid', sealed: 'series_uid_sealed' }] },
  { table: 'dicom_instances', key: ['id'], columns: [{ name: 'metadata', bytes: false }], lookups: [{ column: 'sop_uid', sealed: 'sop_uid_sealed' }] },
];

export function storedSourcesKid(db: Db): string | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(KID_SETTING) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setStoredSourcesKid(db: Db, kid: string): void {
  if (!/^[0-9a-f]{16}$/.test(kid)) throw new AirlockError('INTERNAL', 'A sources key id is 16 hex digits.');
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KID_SETTING, kid);
}

/** True when some source value is still plaintext (a store from before the sources key, or never sealed). */
export function hasUnsealedSources(db: Db): boolean {
  for (const t of SEALED_TABLES) {
    for (const c of t.columns) {
      if (db.prepare(`SELECT 1 FROM ${t.table} WHERE ${c.name} IS NOT NULL AND (typeof(${c.name}) <> 'blob' OR substr(${c.name}, 1, 1) <> x'01') LIMIT 1`).get()) return true;
    }
    for (const l of t.lookups) if (db.prepare(`SELECT 1 FROM ${t.table} WHERE ${l.sealed} IS NULL LIMIT 1`).get()) return true;
  }
  return false;
}

const LOCKED = 'Source data can only be read or imported by a data steward whose access to it is active; this session holds no sources key.';
const damaged = () => new AirlockError('SOURCES_DAMAGED', 'A source value in the store is not sealed under the sources key (it was altered or replaced). Restore the workspace from a backup.');

export const rowIdOf = (...parts: (number | bigint | string)[]): string => parts.map(String).join(':');

/** Reads and writes source values the way the store holds them now. */
export interface SourceCodec {
  /** True once the store has a sources key: every value is sealed. */
  readonly sealing: boolean;
  putText(where: SealScope, text: string): string | Buffer;
  putMaybe(where: SealScope, text: string | null | undefined): string | Buffer | null;
  /** Bytes as stored, valid only until the next bindBytes: bind them into a statement at once (SQLite copies them). */
  bindBytes(where: SealScope, bytes: Uint8Array): Buffer;
  getText(where: SealScope, stored: unknown): string;
  getMaybe(where: SealScope, stored: unknown): string | null;
  getBytes(where: SealScope, stored: unknown): Buffer;
  /** What the UNIQUE column of an identity holds: a keyed lookup once sealing, the value itself before. */
  lookup(label: string, value: string): string;
  /** Throws SOURCES_LOCKED when this session can neither read nor write source values (no key, or an older one). */
  requireKey(): void;
}

/**
 * The codec for this store and session: `cipher` is the session's sources cipher, or null when it holds none
 * (`lockedReason` then says why, e.g. a steward whose access is pending).
 */
export function sourceCodec(db: Db, cipher: SourceCipher | null, lockedReason: string | null = null): SourceCodec {
  const kid = storedSourcesKid(db);
  const sealing = kid !== null;
  const use = (): SourceCipher => {
    if (!cipher) throw new AirlockError('SOURCES_LOCKED', lockedReason ?? LOCKED);
    if (cipher.kid !== kid) throw new AirlockError('SOURCES_LOCKED', 'This session holds an older sources key than the store uses; sign in again to read source data.');
    return cipher;
  };
  const asBuffer = (v: unknown): Buffer => {
    if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    if (typeof v === 'string') return Buffer.from(v, 'utf8');
    throw damaged();
  };
  const codec: SourceCodec = {
    sealing,
    putText: (where, text) => (sealing ? use().sealText(where, text) : text),
    putMaybe: (where, text) => (text === null || text === undefined ? null : codec.putText(where, text)),
    bindBytes: (where, bytes) => (sealing ? use().sealForBind(where, bytes) : asBuffer(bytes)),
    getText(where, stored) {
      if (!sealing) return typeof stored === 'string' ? stored : asBuffer(stored).toString('utf8');
      if (!isSealed(stored)) throw damaged();
      return use().openText(where, stored);
    },
    getMaybe: (where, stored) => (stored === null || stored === undefined ? null : codec.getText(where, stored)),
    getBytes(where, stored) {
      if (!sealing) return asBuffer(stored);
      if (!isSealed(stored)) throw damaged();
      return use().open(where, stored);
    },
    lookup: (label, value) => (sealing ? use().lookup(label, value) : value),
    requireKey() {
      if (sealing) use();
    },
  };
  return codec;
}

/** The session's cipher when it holds one (readers then open sealed values), else null. */
export function heldCipher(ws: { readonly holdsSources: boolean; sourcesCipher(): SourceCipher }): SourceCipher | null {
  return ws.holdsSources ? ws.sourcesCipher() : null;
}

/** The codec of a session's store: sealed values open only when the session holds the sources key. */
export function sessionCodec(ws: { readonly db: Db; readonly holdsSources: boolean; readonly sourcesLockedReason: string | null; sourcesCipher(): SourceCipher }): SourceCodec {
  return sourceCodec(ws.db, heldCipher(ws), ws.sourcesLockedReason);
}

// Rows per page: pages keep memory bounded (blobs of a DICOM store run to GBs) and let updates run between reads.
const PAGE_ROWS = 64;

/**
 * Re-encrypts every sealed value from `from` to `to` (or seals the plaintext of a store from before the sources key
 * when `from` is null) and recomputes every keyed lookup. Synchronous: the caller wraps it in its transaction.
 */
export function resealSources(db: Db, from: SourceCipher | null, to: SourceCipher, onProgress?: (done: number, total: number) => void): { values: number } {
  const total = SEALED_TABLES.reduce((s, t) => s + (db.prepare(`SELECT count(*) AS n FROM ${t.table}`).get() as { n: number }).n, 0);
  let done = 0;
  let values = 0;
  const openOld = (where: SealScope, v: unknown, bytes: boolean): Buffer | null => {
    if (kidOf(v) === to.kid) return null; // already under the new key
    if (from) {
      if (!isSealed(v)) throw damaged();
      return from.open(where, v);
    }
    if (!bytes && isSealed(v)) throw damaged(); // plaintext text is a string: a sealed one names a key nobody passed
    return typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v as Uint8Array);
  };
  for (const t of SEALED_TABLES) {
    const cols = [...t.columns.map((c) => c.name), ...t.lookups.flatMap((l) => [l.column, l.sealed])];
    const keyList = t.key.join(', ');
    const after = t.key.length === 1 ? `${t.key[0]} > ?` : `(${keyList}) > (${t.key.map(() => '?').join(', ')})`;
    const first = db.prepare(`SELECT ${keyList}, ${cols.join(', ')} FROM ${t.table} ORDER BY ${keyList} LIMIT ${PAGE_ROWS}`);
    const next = db.prepare(`SELECT ${keyList}, ${cols.join(', ')} FROM ${t.table} WHERE ${after} ORDER BY ${keyList} LIMIT ${PAGE_ROWS}`);
    const update = db.prepare(`UPDATE ${t.table} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE ${t.key.map((k) => `${k} = ?`).join(' AND ')}`);
    let page = first.all() as Record<string, unknown>[];
    while (page.length > 0) {
      for (const row of page) {
        const keys = t.key.map((k) => row[k] as number);
        const rowId = rowIdOf(...keys);
        let changed = false;
        const out: unknown[] = [];
        for (const c of t.columns) {
          const v = row[c.name];
          const where = { table: t.table, column: c.name, rowId };
          const plain = v === null || v === undefined ? null : openOld(where, v, c.bytes);
          if (plain === null) out.push(v);
          else {
            out.push(to.seal(where, plain));
            changed = true;
            values += 1;
          }
        }
        for (const l of t.lookups) {
          const sealed = row[l.sealed];
          const where = { table: t.table, column: l.column, rowId };
          if (kidOf(sealed) === to.kid) {
            out.push(row[l.column], sealed);
            continue;
          }
          // Before the sources key the UNIQUE column holds the value itself.
          if (from ? !isSealed(sealed) : sealed !== null) throw damaged();
          const real = from && isSealed(sealed) ? from.openText(where, sealed) : String(row[l.column]);
          out.push(to.lookup(l.column, real), to.sealText(where, real));
          changed = true;
          values += 1;
        }
        if (changed) update.run(...out, ...keys);
        done += 1;
      }
      onProgress?.(done, total);
      const last = page[page.length - 1] as Record<string, unknown>;
      page = next.all(...t.key.map((k) => last[k])) as Record<string, unknown>[];
    }
  }
  // Imports stored before the sources key kept each file's result (paths, series descriptions): only counts stay.
  if (!from) db.prepare("UPDATE imports SET summary = json_remove(summary, '$.results') WHERE json_valid(summary) AND json_type(summary, '$.results') IS NOT NULL").run();
  return { values };
}
