// A small page cache while an import writes. better-sqlite3 builds SQLite with a 16 MiB cache (SQLite's own default is
// 2 MiB), and an import writes each page of a stored file once and never reads it again, so the cache only fills with
// them: ~15 MB of the peak memory of a 300-slice CT import (bench: ingest), at the same throughput.
import type { Db } from './database';

const IMPORT_CACHE_KIB = 2048;
const held = new WeakMap<Db, { imports: number; previous: number }>();

/** Lowers the connection's page cache until the returned function is called; overlapping imports share one lowering. */
export function importCache(db: Db): () => void {
  let h = held.get(db);
  if (!h) {
    h = { imports: 0, previous: Number(db.pragma('cache_size', { simple: true })) };
    held.set(db, h);
    db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  }
  const mine = h;
  mine.imports += 1;
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    mine.imports -= 1;
    if (mine.imports > 0) return;
    held.delete(db);
    if (db.open) db.pragma(`cache_size = ${mine.previous}`);
  };
}
