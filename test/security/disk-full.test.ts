// A full disk and a read-only workspace, on a real small filesystem (14 MB: an empty store of 64 KiB pages and its log take about 8) (tmpfs, mounted by root as CI runs): every file
// of an import is accounted for, refused ones say the disk is full, nothing acknowledged is lost, the store and its
// audit chain are whole once space is freed, and a read-only workspace refuses a login in one sentence.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { unlockWorkspace } from '../../electron/core/store/workspace';
import { PYTHON } from '../imaging/pydicom';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';

// Not a tempDir(): those are removed after each test, and a mounted folder cannot be.
const mountPoint = mkdtempSync(join(tmpdir(), 'airlock-tiny-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=14m', 'tmpfs', mountPoint]).status === 0;
const remount = (opts: string) => expect(spawnSync('mount', ['-o', `remount,${opts}`, mountPoint]).status).toBe(0);
// Outside CI a machine without root cannot mount: said, not hidden.
const run = mounted || process.env.CI ? describe : describe.skip;
if (!mounted && !process.env.CI) process.stderr.write('disk-full.test: cannot mount a tmpfs here (not root); skipped\n');

afterAll(() => {
  // Lazily, so a failed test that left the store open still frees the folder.
  if (mounted) spawnSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

// Writes until the filesystem is full.
function fill(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

run('a full disk and a read-only workspace', () => {
  it('accounts for every file of an import on a full disk, keeps what it stored, and opens whole once space is freed', async () => {
    const series = tempDir();
    const gen = spawnSync(PYTHON, [join(process.cwd(), 'bench/gen_series.py'), series, '24'], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    const path = join(mountPoint, 'ws');
    const svc = new AirlockService({ kdf: FAST_KDF });
    await svc.call('workspace:create', { path, ...ADMIN });
    await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
    const job = await svc.call('ingest:start', { paths: [series] });
    const done = await svc.current!.imports.wait(job.id);
    expect(done.status).toBe('done');
    // Every file once; a last line may say the import's own end could not be recorded (the next login marks it cut off).
    const names = readdirSync(series).map((n) => join(series, n));
    const perFile = done.results.filter((r) => names.includes(r.path));
    expect(perFile.map((r) => r.path).sort()).toEqual([...names].sort());
    for (const r of done.results.filter((x) => !names.includes(x.path))) expect(r).toMatchObject({ code: 'FILE_UNWRITABLE', message: expect.stringContaining('the end of this import was not recorded') as string });
    const refused = perFile.filter((r) => r.status === 'refused');
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r).toMatchObject({ code: 'FILE_UNWRITABLE', message: expect.stringContaining('The disk holding the workspace is full') as string });
    // Ending the session on a full disk closes the store without an exception.
    svc.end('logout');
    await svc.settled();
    // Closing folded the log back and freed its space: the disk is filled again, as another program would.
    fill(join(mountPoint, 'filler'));
    // Logging in on the full disk is refused in one sentence, not a system error.
    await expect(svc.call('session:login', { path, username: 'ada', password: ADMIN.password })).rejects.toMatchObject({ code: 'FILE_UNWRITABLE' });

    rmSync(join(mountPoint, 'filler'));
    remount('size=64m');
    const { workspace } = await unlockWorkspace(path, 'ada', ADMIN.password, { kdf: FAST_KDF });
    expect(workspace.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(workspace.db.prepare('SELECT count(*) AS n FROM source_files').get()).toEqual({ n: done.counts.imported });
    workspace.close();
    await svc.call('session:login', { path, username: 'ada', password: ADMIN.password });
    expect(await svc.call('audit:verify', {})).toMatchObject({ ok: true });
    // No import is left 'running': one whose end the full disk refused is marked cut off, in the chain too.
    expect(svc.current!.ws.db.prepare("SELECT count(*) AS n FROM imports WHERE status = 'running'").get()).toEqual({ n: 0 });
    // The files refused for space import now.
    const again = await svc.current!.imports.wait((await svc.call('ingest:start', { paths: [series] })).id);
    expect(again.counts).toMatchObject({ imported: refused.length, refused: 0 });
    svc.end('logout');
    await svc.settled();

    remount('ro');
    await expect(svc.call('session:login', { path, username: 'ada', password: ADMIN.password })).rejects.toMatchObject({ code: 'FILE_UNWRITABLE', message: expect.stringContaining('can only be read') as string });
    remount('rw');
    await svc.call('session:login', { path, username: 'ada', password: ADMIN.password });
    expect(await svc.call('audit:verify', {})).toMatchObject({ ok: true });
    svc.end('logout');
    await svc.settled();
  }, 120_000);

  it('refuses a whole batch that SQLite rolled back mid-way (its cache spilling onto a full disk), storing none of it outside a transaction', async () => {
    const series = tempDir();
    expect(spawnSync(PYTHON, [join(process.cwd(), 'bench/gen_series.py'), series, '16'], { encoding: 'utf8' }).status).toBe(0);
    const path = join(mountPoint, 'ws-spill');
    const svc = new AirlockService({ kdf: FAST_KDF });
    await svc.call('workspace:create', { path, ...ADMIN });
    await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
    // A page cache smaller than one batch: SQLite writes pages before the commit, so the full disk shows mid-batch.
    svc.current!.ws.db.pragma('cache_size = -256');
    fill(join(mountPoint, 'filler-spill'));
    const done = await svc.current!.imports.wait((await svc.call('ingest:start', { paths: [series] })).id);
    const names = readdirSync(series).map((n) => join(series, n));
    const perFile = done.results.filter((r) => names.includes(r.path));
    expect(perFile.map((r) => r.path).sort()).toEqual([...names].sort());
    expect(perFile.filter((r) => r.status === 'refused').length).toBeGreaterThan(0);
    for (const r of perFile.filter((x) => x.status === 'refused')) expect(r).toMatchObject({ code: 'FILE_UNWRITABLE', message: expect.stringContaining('The disk holding the workspace is full') as string });
    // What the import says it stored is what the store holds: nothing slipped in after a rollback.
    const stored = (svc.current!.ws.db.prepare('SELECT count(*) AS n FROM source_files').get() as { n: number }).n;
    expect(stored).toBe(perFile.filter((r) => r.status === 'imported').length);
    svc.end('logout');
    await svc.settled();
    rmSync(join(mountPoint, 'filler-spill'));
  }, 120_000);
});
