// One clinical table into the store, streamed: rows go in batch by batch under a table marked 'importing';
// only when the whole file has been read are columns, identifying flags and the holdout written and the
// table marked 'ready'. A refused, cancelled or interrupted import removes everything it wrote.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { FileResult, HoldoutLeak, HoldoutSpec } from '../../shared/ingest-schemas';
import { AirlockError } from '../errors';
import type { Db } from '../store/database';
import { rowIdOf, type SourceCodec } from '../store/sources-seal';
import { deleteTable, findFileByHash, insertSourceFile } from './files-repo';
import { columnOf, groupingNote, holdoutLeaks, scanGrouping } from './table/grouping';
import { flagIdentifying } from './table/phi';
import { holdoutAssignment } from './table/holdout';
import { readTable } from './table/read';

export const DEFAULT_HOLDOUT: HoldoutSpec = { fraction: 0.2, seed: 'airlock', groupColumn: null };

async function sha256File(path: string, signal: AbortSignal | undefined): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface HoldoutStats {
  rows: number;
  groups: number;
  holdoutGroups: number;
  groupColumn: string | null;
  note: string | null;
  leaks: HoldoutLeak[];
}

// Draws the split from the seed (and the grouping column's values, so a patient's rows stay together). With
// `detect`, a table given no group column is grouped by its patient-identifier column when its values repeat.
export function applyHoldout(db: Db, codec: SourceCodec, tableId: number, spec: HoldoutSpec, options: { detect?: boolean } = {}): HoldoutStats {
  const columns = db.prepare('SELECT idx, name FROM table_columns WHERE table_id = ? ORDER BY idx').all(tableId) as { idx: number; name: string }[];
  const scan = scanGrouping(db, codec, tableId);
  const auto = options.detect === true && spec.groupColumn === null && scan.candidates.length > 0;
  const groupColumn = auto ? (scan.candidates[0]?.column ?? null) : spec.groupColumn;
  let groupKeys: (string | null)[] | undefined;
  if (groupColumn !== null) {
    const col = columns.find((c) => c.name === groupColumn);
    if (!col) throw new AirlockError('INVALID_ARGUMENT', `This table has no column “${groupColumn}” to group the holdout by.`);
    groupKeys = columnOf(db, codec, tableId, col.idx);
  }
  const rowCount = (db.prepare('SELECT count(*) AS n FROM table_rows WHERE table_id = ?').get(tableId) as { n: number }).n;
  const split = holdoutAssignment(rowCount, { fraction: spec.fraction, seed: spec.seed, groupKeys });
  const update = db.prepare('UPDATE table_rows SET holdout = ? WHERE table_id = ? AND row_idx = ?');
  split.isHoldout.forEach((h, i) => update.run(h ? 1 : 0, tableId, i));
  const stats = { rows: split.holdoutRows, groups: split.groups, holdoutGroups: split.holdoutGroups, groupColumn, note: groupingNote(scan, groupColumn, auto), leaks: holdoutLeaks(db, codec, tableId, scan, { groupColumn, groups: split.groups }) };
  db.prepare('UPDATE tables_ SET holdout = ? WHERE id = ?').run(JSON.stringify({ ...spec, ...stats }), tableId);
  return stats;
}

export interface TableImportOptions {
  holdout: HoldoutSpec;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number) => void;
}

export async function importTableFile(db: Db, codec: SourceCodec, importId: number, path: string, bytes: number, options: TableImportOptions, now: Date): Promise<FileResult> {
  const base = { path, kind: 'table' as const, bytes };
  const sha = await sha256File(path, options.signal);
  codec.requireKey();
  const existing = findFileByHash(db, codec, sha);
  if (existing) return { ...base, status: 'duplicate', code: null, message: `Already in the store (imported ${existing.importedAt} as ${existing.name}).` };

  const name = basename(path);
  const { fileId, tableId } = db.transaction(() => {
    const fid = insertSourceFile(db, codec, { importId, sha256: sha, kind: 'table', name, bytes, content: null }, now);
    const tid = Number(db.prepare("INSERT INTO tables_ (file_id, name, status, encoding, delimiter) VALUES (?, ?, 'importing', '', '')").run(fid, name).lastInsertRowid);
    return { fileId: fid, tableId: tid };
  })();
  const insertRow = db.prepare('INSERT INTO table_rows (table_id, row_idx, cells) VALUES (?, ?, ?)');
  const insertBatch = db.transaction((start: number, rows: (string | null)[][]) => rows.forEach((r, i) => insertRow.run(tableId, start + i, codec.putText({ table: 'table_rows', column: 'cells', rowId: rowIdOf(tableId, start + i) }, JSON.stringify(r)))));
  let next = 0;
  try {
    const summary = await readTable(path, {
      signal: options.signal,
      onProgress: (read) => options.onProgress?.(read),
      onRows: (batch) => {
        insertBatch(next, batch);
        next += batch.length;
      },
    });
    if (summary.sha256 !== sha) throw new AirlockError('CONFLICT', 'The file changed while it was being imported. Import it again once it is complete.');
    let identifying = 0;
    const stats = db.transaction(() => {
      const insertColumn = db.prepare('INSERT INTO table_columns (table_id, idx, name, inferred_type, type, profile, phi) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const p of summary.profiles) {
        const phi = flagIdentifying(p);
        if (phi.identifying) identifying += 1;
        insertColumn.run(tableId, p.index, p.name, p.inferredType, p.type, codec.putText({ table: 'table_columns', column: 'profile', rowId: rowIdOf(tableId, p.index) }, JSON.stringify(p)), JSON.stringify(phi));
      }
      const h = applyHoldout(db, codec, tableId, options.holdout, { detect: true });
      db.prepare("UPDATE tables_ SET status = 'ready', encoding = ?, delimiter = ?, row_count = ? WHERE id = ?").run(summary.encoding, summary.delimiter, summary.rowCount, tableId);
      return h;
    })();
    const delim = summary.delimiter === '\t' ? 'tab' : `“${summary.delimiter}”`;
    return {
      ...base,
      status: 'imported',
      code: null,
      message: [
        `Imported ${summary.rowCount} rows × ${summary.header.length} columns (${summary.encoding}, ${delim}-separated); ${stats.rows} rows held out; ${identifying} column${identifying === 1 ? '' : 's'} flagged as identifying.`,
        stats.note,
        ...stats.leaks.map((l) => `Warning: ${l.message}`),
      ]
        .filter((m): m is string => m !== null)
        .join(' '),
    };
  } catch (err) {
    db.transaction(() => deleteTable(db, tableId, fileId))();
    throw err;
  }
}
