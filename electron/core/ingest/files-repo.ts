// Imported files and import runs: repository functions, `db` first, parameters only.
import type { Db } from '../store/database';
import { appendAudit } from '../govern/audit';

export interface StoredFile {
  id: number;
  name: string;
  importedAt: string;
}

export function findFileByHash(db: Db, sha256: string): StoredFile | null {
  const row = db.prepare('SELECT id, name, imported_at AS importedAt FROM source_files WHERE sha256 = ?').get(sha256) as StoredFile | undefined;
  return row ?? null;
}

export function insertSourceFile(
  db: Db,
  f: { importId: number; sha256: string; kind: 'table' | 'dicom'; name: string; bytes: number; content: Uint8Array | null },
  now: Date,
): number {
  const info = db
    .prepare('INSERT INTO source_files (import_id, sha256, kind, name, bytes, imported_at, content) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(f.importId, f.sha256, f.kind, f.name, f.bytes, now.toISOString(), f.content ? Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength) : null);
  return Number(info.lastInsertRowid);
}

export function readFileContent(db: Db, fileId: number): Buffer | null {
  const row = db.prepare('SELECT content FROM source_files WHERE id = ?').get(fileId) as { content: Buffer | null } | undefined;
  return row?.content ?? null;
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
