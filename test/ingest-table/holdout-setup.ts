// Shared setup for the holdout tests: a steward's service on a temp workspace, imports, and the rows per side.
import { AirlockService } from '../../electron/core/api/service';
import type { Db } from '../../electron/core/store/database';
import type { HoldoutSpec } from '../../electron/shared/ingest-schemas';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';

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

/** Values of a column that have rows on both sides of the stored split, counted straight from the rows. */
export function valuesOnBothSides(db: Db, tableId: number, column: number): number {
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM (SELECT json_extract(cells, ?) AS v, count(DISTINCT holdout) AS sides FROM table_rows WHERE table_id = ? GROUP BY v)
         WHERE v IS NOT NULL AND sides > 1`,
      )
      .get(`$[${column}]`, tableId) as { n: number }
  ).n;
}

export function heldOutRows(db: Db, tableId: number): number[] {
  return (db.prepare('SELECT row_idx FROM table_rows WHERE table_id = ? AND holdout = 1 ORDER BY row_idx').all(tableId) as { row_idx: number }[]).map((r) => r.row_idx);
}
