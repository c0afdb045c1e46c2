// Test helpers: source rows as a steward's session opens them (the store holds them sealed).
import type { AirlockService } from '../../electron/core/api/service';
import { tableRows } from '../../electron/core/ingest/sources-repo';
import { sessionCodec, type SourceCodec } from '../../electron/core/store/sources-seal';

export function codecOf(svc: AirlockService): SourceCodec {
  const ws = svc.current?.ws;
  if (!ws) throw new Error('no session');
  return sessionCodec(ws);
}

/** Every row of the table (all tables when `tableId` is undefined), opened, with its holdout flag. */
export function openedRows(svc: AirlockService, tableId?: number): { tableId: number; row: number; holdout: number; cells: (string | null)[] }[] {
  const db = svc.current?.ws.db;
  if (!db) throw new Error('no session');
  const ids = tableId === undefined ? (db.prepare('SELECT id FROM tables_ ORDER BY id').all() as { id: number }[]).map((r) => r.id) : [tableId];
  return ids.flatMap((id) => tableRows(db, codecOf(svc), id).map((r) => ({ tableId: id, ...r })));
}
