// What another account on the workstation sees of a workspace: folders 0700, files 0600, whatever the umask and
// whatever mode the folder had before; SQLite's temporary data stays in memory; private files are replaced whole.
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, applyPrivatePragmas, ensurePrivateDir, securePrivateTree, writePrivateFileAtomic } from '../../electron/core/store/file-modes';
import { DB_FILE } from '../../electron/core/store/database';
import { KEYSLOT_FILE } from '../../electron/core/store/keyslots';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { loginOwn } from '../own-password';

const CSV = join(process.cwd(), 'resources/sample/tables/pbc.csv');
const STEWARD = { username: 'sam', displayName: 'Sam Steward', roles: ['steward' as const], password: 'steward password 1' };

// Every path under `dir` (itself included) with its permission bits, links reported as links.
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string) => {
    const st = lstatSync(p);
    const name = relative(dir, p) || '.';
    out[name] = st.isSymbolicLink() ? 'link' : `${st.isDirectory() ? 'd' : 'f'}${(st.mode & 0o7777).toString(8)}`;
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
  };
  walk(dir);
  return out;
}

const privateOnly = (m: Record<string, string>) => Object.values(m).every((v) => v === 'd700' || v === 'f600');

let umask = 0;
beforeEach(() => {
  // The most permissive umask: nothing may rely on it to keep files private.
  umask = process.umask(0);
});
afterEach(() => {
  process.umask(umask);
});

async function workedWorkspace(path: string) {
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path, ...ADMIN });
  await svc.call('users:add', STEWARD);
  await loginOwn(svc, path, STEWARD.username, STEWARD.password);
  const job = await svc.call('ingest:start', { paths: [CSV] });
  await svc.current!.imports.wait(job.id);
  const [table] = (await svc.call('sources:list', {})).tables;
  if (!table) throw new Error('the import made no table');
  const draft = await svc.call('specs:draft', { tableId: table.id });
  await svc.call('specs:save', { specId: null, spec: { ...draft, name: 'PBC', rows: 50 } });
  await svc.call('tables:get', { tableId: table.id, previewRows: 500 });
  return svc;
}

describe('file modes of a workspace', () => {
  it('makes a pre-existing 0777 folder 0700 and every file Airlock writes 0600, while the store is open and after', async () => {
    const path = join(tempDir(), 'shared-folder');
    mkdirSync(path);
    chmodSync(path, 0o777);
    const svc = await workedWorkspace(path);
    const open = modes(path);
    expect(Object.keys(open)).toEqual(expect.arrayContaining(['.', DB_FILE, KEYSLOT_FILE]));
    expect(open).toEqual(Object.fromEntries(Object.entries(open).map(([k, v]) => [k, v.startsWith('d') ? 'd700' : 'f600'])));
    svc.end();
    await svc.settled();
    const closed = modes(path);
    expect(privateOnly(closed), JSON.stringify(closed)).toBe(true);
  });

  it('keeps SQLite’s temporary tables and sort files in memory on the store’s connection', async () => {
    const path = join(tempDir(), 'ws');
    const svc = await workedWorkspace(path);
    // 2 = MEMORY: a large sort or temp index never spills to an unencrypted file in the temp folder.
    expect(svc.current!.ws.db.pragma('temp_store', { simple: true })).toBe(2);
    svc.end();
    await svc.settled();
  });

  it('tightens a workspace whose modes were loosened since (folder, files, a run-control folder) at the next login', async () => {
    const path = join(tempDir(), 'ws');
    const svc = await workedWorkspace(path);
    svc.end();
    await svc.settled();
    chmodSync(path, 0o777);
    for (const f of readdirSync(path)) chmodSync(join(path, f), 0o644);
    mkdirSync(join(path, 'run-control'), { mode: 0o777 });
    chmodSync(join(path, 'run-control'), 0o777);
    writeFileSync(join(path, 'run-control', 'run-1.lease.json'), '{}', { mode: 0o666 });
    expect(privateOnly(modes(path))).toBe(false);
    await loginOwn(svc, path, STEWARD.username, STEWARD.password);
    const after = modes(path);
    expect(privateOnly(after), JSON.stringify(after)).toBe(true);
    svc.end();
    await svc.settled();
  });
});

describe('the file-modes helpers', () => {
  it('securePrivateTree makes folders 0700 and files 0600, reports each change, and never follows a link', () => {
    const dir = join(tempDir(), 'tree');
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(dir, 'a.json'), 'a', { mode: 0o644 });
    writeFileSync(join(dir, 'sub', 'deeper', 'b.bin'), 'b', { mode: 0o666 });
    chmodSync(dir, 0o777);
    chmodSync(join(dir, 'sub'), 0o755);
    // A file outside the workspace that a planted link points to keeps its mode.
    const outside = join(tempDir(), 'outside.txt');
    writeFileSync(outside, 'x', { mode: 0o644 });
    symlinkSync(outside, join(dir, 'link.txt'));
    const changes = securePrivateTree(dir);
    expect(modes(dir)).toEqual({ '.': 'd700', 'a.json': 'f600', sub: 'd700', 'sub/deeper': 'd700', 'sub/deeper/b.bin': 'f600', 'link.txt': 'link' });
    expect(statSync(outside).mode & 0o777).toBe(0o644);
    expect(changes.map((c) => [relative(dir, c.path) || '.', c.from.toString(8)]).sort()).toEqual(
      // sub/deeper was made under the test's umask 0, hence 777.
      [['.', '777'], ['a.json', '644'], ['sub', '755'], ['sub/deeper', '777'], ['sub/deeper/b.bin', '666']].sort(),
    );
    // Already private: nothing to change, nothing to report.
    expect(securePrivateTree(dir)).toEqual([]);
  });

  it('ensurePrivateDir makes an existing 0777 folder 0700 and refuses a link in its place', () => {
    const base = tempDir();
    const dir = join(base, 'existing');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(ensurePrivateDir(dir)).toEqual([{ path: dir, from: 0o777, to: PRIVATE_DIR_MODE }]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    symlinkSync(dir, join(base, 'link'));
    expect(() => ensurePrivateDir(join(base, 'link'))).toThrow(expect.objectContaining({ code: 'FILE_UNWRITABLE', message: expect.stringContaining('link') }));
  });

  it('writePrivateFileAtomic replaces a 0644 file by a 0600 one whole, leaving no temporary file', () => {
    const dir = tempDir();
    const target = join(dir, 'slots.json');
    writeFileSync(target, 'old', { mode: 0o644 });
    writePrivateFileAtomic(target, '{"new":true}');
    expect(readFileSync(target, 'utf8')).toBe('{"new":true}');
    expect(statSync(target).mode & 0o777).toBe(PRIVATE_FILE_MODE);
    expect(readdirSync(dir)).toEqual(['slots.json']);
  });

  it('applyPrivatePragmas turns temp_store to MEMORY on a connection', () => {
    const db = new Database(join(tempDir(), 'x.db'));
    try {
      expect(db.pragma('temp_store', { simple: true })).toBe(0);
      applyPrivatePragmas(db);
      expect(db.pragma('temp_store', { simple: true })).toBe(2);
    } finally {
      db.close();
    }
  });
});
