// Hostile folders: symbolic links back to an ancestor (one or many), links to the same file, folders nested deeper
// than any export, and a cancel while the folders are still being listed. The import ends, with the event loop free.
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { expandPaths, MAX_DEPTH } from '../../electron/core/ingest/walk';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { loginOwn } from '../own-password';

const MR = join(process.cwd(), 'resources/sample/mr-brain');
const STEWARD = { username: 'sam', displayName: 'Sam Steward', roles: ['steward' as const], password: 'steward password 1' };

async function stewardService() {
  const svc = new AirlockService({ kdf: FAST_KDF });
  const path = tempDir();
  await svc.call('workspace:create', { path, ...ADMIN });
  await svc.call('users:add', STEWARD);
  await loginOwn(svc, path, 'sam', STEWARD.password);
  return svc;
}

// A folder holding two MR slices, and in every sub-folder links back to it and to its parent: 2^40 paths if followed blindly.
function loopingFolder(): string {
  const root = tempDir();
  const a = join(root, 'a');
  mkdirSync(join(a, 'b'), { recursive: true });
  copyFileSync(join(MR, 'brain_001.dcm'), join(a, 'brain_001.dcm'));
  copyFileSync(join(MR, 'brain_002.dcm'), join(a, 'b', 'brain_002.dcm'));
  symlinkSync(a, join(a, 'b', 'up'));
  symlinkSync(a, join(a, 'b', 'again'));
  symlinkSync('.', join(a, 'self'));
  symlinkSync(join(a, 'brain_001.dcm'), join(a, 'b', 'same-file.dcm'));
  symlinkSync(join(root, 'nowhere'), join(a, 'dangling.dcm'));
  return a;
}

describe('listing the folders of an import', () => {
  it('visits each folder and file once however the links loop, and reports a dangling link', async () => {
    const a = loopingFolder();
    const { files, unreadable } = await expandPaths([a, a]);
    // brain_001.dcm is first reached through its link in b/ (sorted order), and only once.
    expect(files.map((f) => f.path.slice(a.length))).toEqual(['/b/brain_002.dcm', '/b/same-file.dcm']);
    expect(unreadable).toEqual([{ path: join(a, 'dangling.dcm'), reason: 'No such file or folder.' }]);
  });

  it('imports from a looping folder without blocking the event loop, and refuses nothing it read', async () => {
    const svc = await stewardService();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const job = await svc.call('ingest:start', { paths: [loopingFolder()] });
    const done = await svc.current!.imports.wait(job.id);
    lag.disable();
    expect(done.status).toBe('done');
    expect(done.counts).toEqual({ imported: 2, duplicates: 0, refused: 1 });
    expect(done.results.find((r) => r.status === 'refused')).toMatchObject({ code: 'FILE_UNREADABLE' });
    expect(lag.max / 1e6).toBeLessThan(2000);
  });

  it(`reports folders nested deeper than ${MAX_DEPTH} levels instead of walking them`, async () => {
    const root = tempDir();
    let dir = root;
    for (let i = 0; i <= MAX_DEPTH + 1; i++) dir = join(dir, 'd');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'deep.csv'), 'a,b\n1,2\n');
    writeFileSync(join(root, 'top.csv'), 'a,b\n1,2\n');
    const { files, unreadable } = await expandPaths([root]);
    expect(files.map((f) => f.path)).toEqual([join(root, 'top.csv')]);
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]?.reason).toMatch(/Nested more than 64 folders deep/);
  });

  it('stops listing when the import is cancelled, and records the import as cancelled', async () => {
    const root = tempDir();
    // Many small folders: enough entries that the listing yields to the loop before it ends.
    for (let i = 0; i < 400; i++) {
      mkdirSync(join(root, `f${String(i).padStart(3, '0')}`));
      writeFileSync(join(root, `f${String(i).padStart(3, '0')}`, 'x.txt'), 'a\n1\n');
    }
    const controller = new AbortController();
    controller.abort();
    await expect(expandPaths([root], { signal: controller.signal })).rejects.toMatchObject({ code: 'IMPORT_CANCELLED' });
    const svc = await stewardService();
    const job = await svc.call('ingest:start', { paths: [root] });
    const cancelled = await svc.call('ingest:cancel', { jobId: job.id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.counts.imported).toBeLessThan(400);
    const audit = await svc.call('audit:list', { action: 'ingest.cancelled' });
    expect(audit).toHaveLength(1);
  });
});
