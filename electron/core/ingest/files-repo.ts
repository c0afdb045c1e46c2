// Imported files and import runs: repository functions, `db` first, parameters only.
import type { Db } from '../store/database';
import { statement } from '../store/statements';
import { appendAudit } from '../govern/audit';
import type { SourceCodec } from '../store/sources-seal';

export interface StoredFile {
  id: number;
  name: string;
  importedAt: string;
}

const nameAt = (id: number) => ({ table: 'source_files', column: 'name', rowId: id });

export function findFileByHash(db: Db, codec: SourceCodec, sha256: string): StoredFile | null {
  const row = statement(db, 'SELECT id, name, imported_at AS importedAt FROM source_files WHERE sha256 = ?').get(sha256) as { id: number; name: unknown; importedAt: string } | undefined;
  return row ? { id: row.id, name: codec.getText(nameAt(row.id), row.name), importedAt: row.importedAt } : null;
}

/** The id the next row of `table` gets: sealed values are bound to their row id, so it is chosen before the insert. */
export function nextRowId(db: Db, table: 'source_files' | 'dicom_patients' | 'dicom_studies' | 'dicom_series' | 'dicom_instances'): number {
  return (statement(db, `SELECT coalesce(max(id), 0) + 1 AS id FROM ${table}`).get() as { id: number }).id;
}

export function insertSourceFile(
  db: Db,
  codec: SourceCodec,
  f: { importId: number; sha256: string; kind: 'table' | 'dicom'; name: string; bytes: number; content: Uint8Array | null },
  now: Date,
): number {
  const id = nextRowId(db, 'source_files');
  const content = f.content ? codec.bindBytes({ table: 'source_files', column: 'content', rowId: id }, f.content) : null;
  statement(db, 'INSERT INTO source_files (id, import_id, sha256, kind, name, bytes, imported_at, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(id, f.importId, f.sha256, f.kind, codec.putText(nameAt(id), f.name), f.bytes, now.toISOString(), content);
  return id;
}

export function readFileContent(db: Db, codec: SourceCodec, fileId: number): Buffer | null {
  const row = db.prepare('SELECT content FROM source_files WHERE id = ?').get(fileId) as { content: unknown } | undefined;
  return row?.content === null || row?.content === undefined ? null : codec.getBytes({ table: 'source_files', column: 'content', rowId: fileId }, row.content);
}

export function startImportRow(db: Db, actor: string, now: Date): number {
  return Number(db.prepare("INSERT INTO imports (actor, started_at, status) VALUES (?, ?, 'running')").run(actor, now.toISOString()).lastInsertRowid);
}

export function finishImportRow(db: Db, id: number, status: 'done' | 'cancelled' | 'failed', summary: unknown, now: Date): void {
  db.prepare('UPDATE imports SET status = ?, finished_at = ?, summary = ? WHERE id = ?').run(status, now.toISOString(), JSON.stringify(summary), id);
}

// Leftovers of an import interrupted by a crash or power loss: a table still 'importing' is removed
// whole, and its import is marked failed. Runs when a workspace opens.
export function recoverInterruptedImports(db: Db, now: Date): number {
  const stale = db.prepare("SELECT id, file_id FROM tables_ WHERE status = 'importing'").all() as { id: number; file_id: number }[];
  const cut = db.prepare("SELECT id FROM imports WHERE status = 'running'").all() as { id: number }[];
  db.transaction(() => {
    for (const t of stale) deleteTable(db, t.id, t.file_id);
    db.prepare("UPDATE imports SET status = 'failed', finished_at = ? WHERE status = 'running'").run(now.toISOString());
    // What a crash cut off is said in the chain, not only in a status column.
    for (const i of cut) appendAudit(db, { actor: 'system', action: 'import.interrupted', subject: `import #${i.id}`, details: { partialTablesRemoved: stale.length } }, now);
  })();
  return stale.length;
}

export function deleteTable(db: Db, tableId: number, fileId: number): void {
  db.prepare('DELETE FROM table_rows WHERE table_id = ?').run(tableId);
  db.prepare('DELETE FROM table_columns WHERE table_id = ?').run(tableId);
  db.prepare('DELETE FROM tables_ WHERE id = ?').run(tableId);
  db.prepare('DELETE FROM source_files WHERE id = ?').run(fileId);
}
