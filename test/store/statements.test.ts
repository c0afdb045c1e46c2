// The per-connection statement cache of an import's queries: one prepared statement per SQL text and connection,
// still right after the schema changes under it, and bounded however many texts pass through.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEncrypted } from '../../electron/core/store/database';
import { statement } from '../../electron/core/store/statements';
import { tempDir } from '../helpers';

const open = () => openEncrypted(join(tempDir(), 's.db'), randomBytes(32), { create: true });

describe('cached statements', () => {
  it('prepares a text once per connection, follows schema changes, and keeps at most 64', () => {
    const a = open();
    const b = open();
    for (const db of [a, b]) db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'x')");
    const sql = 'SELECT * FROM t WHERE id = ?';
    expect(statement(a, sql)).toBe(statement(a, sql));
    expect(statement(a, sql)).not.toBe(statement(b, sql));
    a.exec("ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'new'");
    // SQLite re-prepares a statement whose schema changed: the cached one sees the new column.
    expect(statement(a, sql).get(1)).toEqual({ id: 1, v: 'x', w: 'new' });
    const first = statement(a, sql);
    for (let i = 0; i < 64; i++) statement(a, `SELECT ${i} AS n`).get();
    expect(statement(a, 'SELECT 63 AS n').get()).toEqual({ n: 63 });
    // The oldest text was let go: asked again, it is prepared anew.
    expect(statement(a, sql)).not.toBe(first);
    a.close();
    b.close();
  });
});
