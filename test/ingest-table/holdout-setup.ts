// Shared setup for the holdout tests: a steward's service on a temp workspace, imports, and the rows per side.
import { AirlockService } from '../../electron/core/api/service';
import type { Db } from '../../electron/core/store/database';
import type { HoldoutSpec } from '../../electron/shared/ingest-schemas';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { openedRows } from '../sources-sealed/opened';

// The workspace's creator with the steward role added: a password of their own, so no first-login change is due.
export async function stewardService(): Promise<{ svc: AirlockService; path: string; db: () => Db }> {
  const svc = new AirlockService({ kdf: FAST_KDF });
  const path = tempDir();
  await svc.call('workspace:create', { path, ...ADMIN });
  await svc.call('users:setRoles', { username: ADMIN.username, roles: ['admin', 'steward'] });
  const db = () => {
    const d = svc.current?.ws.db;
    if (!d) throw new Error('no session');
    return d;
  };
  return { svc, path, db };
}

export async function ingest(svc: AirlockService, paths: string[], holdout?: HoldoutSpec) {
  const job = await svc.call('ingest:start', { paths, holdout });
  const done = await (svc.current?.imports.wait(job.id) ?? Promise.reject(new Error('no session')));
  return done;
}

/** Values of a column that have rows on both sides of the stored split, counted straight from the (opened) rows. */
export function valuesOnBothSides(svc: AirlockService, tableId: number, column: number): number {
  const sides = new Map<string, Set<number>>();
  for (const r of openedRows(svc, tableId)) {
    const v = r.cells[column];
    if (v === null || v === undefined) continue;
    sides.set(v, (sides.get(v) ?? new Set()).add(r.holdout));
  }
  return [...sides.values()].filter((s) => s.size > 1).length;
}

export function heldOutRows(db: Db, tableId: number): number[] {
  return (db.prepare('SELECT row_idx FROM table_rows WHERE table_id = ? AND holdout = 1 ORDER BY row_idx').all(tableId) as { row_idx: number }[]).map((r) => r.row_idx);
}
