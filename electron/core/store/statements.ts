// Prepared statements kept per connection for the per-file queries of an import: better-sqlite3 prepares anew on every
// db.prepare, and an import prepared ~10 statements per file (4 % of its time, --cpu-prof on the 300-slice series).
// Only fixed SQL goes through here (values are always parameters), so the set stays small; it is bounded anyway.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { Db } from './database';

type Statement = Database.Statement<unknown[]>;

const MAX_STATEMENTS = 64;
const caches = new WeakMap<Db, Map<string, Statement>>();

/** The connection's prepared statement for `sql`, prepared on first use. */
export function statement(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare<unknown[]>(sql);
    // The oldest one goes first: an import's few statements stay, one-off ones pass through.
    if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value as string);
    cache.set(sql, stmt);
  }
  return stmt;
}
