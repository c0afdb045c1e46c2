// One flipped byte anywhere in the database or its write-ahead log: the store refuses to open, or opens with
// exactly what was committed — never with altered data, and never silently without commits that a later commit
// proves were synced (SQLite on its own drops every commit after a damaged log frame without a word).
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../electron/core/errors';
import { openEncrypted, type Db, type DbCipher } from '../../electron/core/store/database';
import { walDamage } from '../../electron/core/store/wal-check';
import { tempDir } from '../helpers';

const COMMITS = 12;

function content(db: Db): string {
  const rows = db.prepare('SELECT id, v FROM t ORDER BY id').all() as { id: number; v: Buffer }[];
  return createHash('sha256').update(rows.map((r) => `${r.id}:${createHash('sha256').update(r.v).digest('hex')}`).join(',')).digest('hex');
}

// A store whose database file holds the first half of COMMITS transactions and whose log holds the rest, copied
// aside while open, as a crash would leave it; and the content after each commit.
function storeWithLog(cipher: DbCipher): { dir: string; key: Buffer; states: string[]; walFrames: number; page: number } {
  const dir = tempDir();
  const key = randomBytes(32);
  const db = openEncrypted(join(dir, 'live.db'), key, { create: true, cipher });
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)');
  const states: string[] = [content(db)];
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  for (let c = 0; c < COMMITS; c++) {
    // Half the commits reach the database file; the log then restarts and holds the other half.
    if (c === COMMITS / 2) db.pragma('wal_checkpoint(FULL)');
    db.transaction(() => {
      for (let r = 0; r < 3; r++) insert.run(randomBytes(30_000 + 9_000 * r));
    })();
    states.push(content(db));
  }
  copyFileSync(join(dir, 'live.db'), join(dir, 'base.db'));
  copyFileSync(join(dir, 'live.db-wal'), join(dir, 'base.db-wal'));
  db.close();
  const page = readFileSync(join(dir, 'base.db-wal')).readUInt32BE(8);
  const walFrames = Math.floor((statSync(join(dir, 'base.db-wal')).size - 32) / (24 + page));
  return { dir, key, states, walFrames, page };
}

type Outcome = { kind: 'refused'; message: string } | { kind: 'opened'; state: number };

function openFlipped(s: ReturnType<typeof storeWithLog>, file: 'db' | 'wal', offset: number, cipher: DbCipher, n: number): Outcome {
  const target = join(s.dir, `case-${n}.db`);
  copyFileSync(join(s.dir, 'base.db'), target);
  copyFileSync(join(s.dir, 'base.db-wal'), `${target}-wal`);
  const path = file === 'db' ? target : `${target}-wal`;
  const bytes = readFileSync(path);
  bytes[offset] = (bytes[offset] ?? 0) ^ (1 << n % 8);
  writeFileSync(path, bytes);
  try {
    const db = openEncrypted(target, s.key, { create: false, cipher });
    try {
      const got = content(db);
      const state = s.states.indexOf(got);
      if (state < 0) throw new Error(`a flip at ${file} byte ${offset} opened with content that was never committed`);
      return { kind: 'opened', state };
    } finally {
      db.close();
    }
  } catch (err) {
    if (err instanceof AirlockError && err.code === 'WORKSPACE_CORRUPT') return { kind: 'refused', message: err.message };
    throw err;
  }
}

describe.each<DbCipher>(['aegis-256', 'chacha20'])('a flipped byte in a %s store', (cipher) => {
  it('in the database file: refused, or the committed content exactly', () => {
    const s = storeWithLog(cipher);
    const size = statSync(join(s.dir, 'base.db')).size;
    let refused = 0;
    for (let n = 0; n < 40; n++) {
      const offset = n < 8 ? n * 13 : Math.floor(((n * 2654435761) % 2 ** 32) / 2 ** 32 * size);
      const out = openFlipped(s, 'db', offset, cipher, n);
      if (out.kind === 'refused') refused++;
      else expect(out.state, `db byte ${offset}`).toBe(COMMITS);
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('in the log: refused naming the damage, unless only the last commit is lost; the intact log opens whole', () => {
    const s = storeWithLog(cipher);
    expect(walDamage(join(s.dir, 'base.db'))).toBeNull();
    const frameBytes = 24 + s.page;
    // Which commit each frame belongs to: frames are written in commit order, so state k ends at frame ends[k].
    const offsets = [0, 3, 9, 17, 25, 30];
    for (let f = 0; f < s.walFrames; f += 2) offsets.push(32 + f * frameBytes + 10, 32 + f * frameBytes + 24 + ((f * 977) % s.page));
    // The frames up to the last-but-one commit: a later commit proves they were synced, so a flip there must refuse.
    const wal = readFileSync(join(s.dir, 'base.db-wal'));
    const salt = wal.readUInt32BE(16);
    const commits = Array.from({ length: s.walFrames }, (_, f) => f).filter((f) => wal.readUInt32BE(32 + f * frameBytes + 8) === salt && wal.readUInt32BE(32 + f * frameBytes + 4) !== 0);
    const provenEnd = 32 + ((commits.at(-2) ?? -1) + 1) * frameBytes;
    let refused = 0;
    let lostLast = 0;
    offsets.forEach((offset, n) => {
      const out = openFlipped(s, 'wal', offset, cipher, n);
      if (offset < provenEnd) expect(out.kind, `wal byte ${offset}, before the last commit`).toBe('refused');
      if (out.kind === 'refused') {
        refused++;
        expect(out.message).toMatch(/write-ahead log .* is damaged/);
        return;
      }
      // Opened: everything, or all but the final commit (a torn last transaction looks the same).
      expect([COMMITS, COMMITS - 1], `wal byte ${offset} opened as state ${out.state}`).toContain(out.state);
      if (out.state === COMMITS - 1) lostLast++;
    });
    // Flips before the last commit's frames are all refused; only the last commit's frames can open short.
    expect(refused).toBeGreaterThan(offsets.length * 0.7);
    expect(lostLast).toBeGreaterThan(0);
  });
});
