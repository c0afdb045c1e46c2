// `airlock runs cancel` across processes, Ctrl-C in `airlock train` / `runs resume`, and resuming after both:
// real CLI child processes on a real workspace, with a TVAE run long enough to be caught mid-training.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { listAudit } from '../../electron/core/govern/audit';
import { unlockWorkspace } from '../../electron/core/store/workspace';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';

const BIN = join(process.cwd(), 'bin/airlock.mjs');
const SAM = { username: 'sam', password: 'steward password 1' };

function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  return { child, done };
}
const run = (args: string[], env: Record<string, string>) => start(args, env).done;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function workspace(): Promise<string> {
  const ws = join(tempDir(), 'ws');
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path: ws, ...ADMIN });
  await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
  await svc.call('users:add', { username: 'sam', displayName: 'Sam Steward', roles: ['steward'], password: 'temporary password' });
  const job = await svc.call('ingest:start', { paths: [join(process.cwd(), '../shared/data/pbc.csv')] });
  await svc.current!.imports.wait(job.id);
  const draft = await svc.call('specs:draft', { tableId: 1 });
  await svc.call('specs:save', { specId: null, spec: { ...draft, name: 'PBC', rows: 100, generator: { kind: 'tvae', epochs: 400, checkpointEvery: 2 } } });
  // sam replaces the password the admin set, as a first login requires.
  await svc.call('session:login', { path: ws, username: 'sam', password: 'temporary password' });
  await svc.call('session:changePassword', { currentPassword: 'temporary password', newPassword: SAM.password });
  svc.end();
  await svc.settled();
  return ws;
}

describe('airlock runs cancel, Ctrl-C and resume', () => {
  it('cancels a run training in another process, records Ctrl-C as an interruption, and resumes both', async () => {
    const ws = await workspace();
    const ada = { AIRLOCK_PASSWORD: ADMIN.password };
    const sam = { AIRLOCK_PASSWORD: SAM.password };
    const lease = join(ws, 'run-control', 'run-1.lease.json');

    // ada trains in one process; sam cancels from another, which cannot open the locked store.
    const training = start(['-w', ws, '-u', 'ada', 'train', '1'], ada);
    await until('the run to start', () => existsSync(lease));
    await sleep(4000);
    const cancelled = await run(['-w', ws, '-u', 'sam', 'runs', 'cancel', '1'], sam);
    expect(cancelled).toMatchObject({ code: 0, out: expect.stringMatching(/^Run #1 cancelled at epoch \d+ by sam \(it was training in process \d+\); `airlock runs resume 1` continues it\.\n$/) });
    const trained = await training.done;
    expect(trained).toMatchObject({ code: 5, out: expect.stringContaining('Run #1: cancelled') });
    expect(existsSync(lease)).toBe(false);
    // Nothing runs it now: said so, with what to do next.
    expect(await run(['-w', ws, '-u', 'sam', 'runs', 'cancel', '1'], sam)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^airlock: Run #1 is not running \(it was cancelled at epoch \d+\); `airlock runs resume 1` continues it\. \[CONFLICT\]\n$/),
    });

    // Ctrl-C while resuming: exit 130, the run interrupted at the epoch it reached, resumable.
    const resuming = start(['-w', ws, '-u', 'ada', 'runs', 'resume', '1'], ada);
    await until('the resumed run to start', () => existsSync(lease));
    await sleep(1500);
    resuming.child.kill('SIGINT');
    const interrupted = await resuming.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.err).toMatch(/Run #1 interrupted at epoch \d+; `airlock runs resume 1` continues it from epoch \d+\./);
    expect(existsSync(lease)).toBe(false);

    const finished = await run(['-w', ws, '-u', 'ada', 'runs', 'resume', '1'], ada);
    expect(finished).toMatchObject({ code: 0, out: expect.stringMatching(/^Run #1: done — tvae on spec “PBC” v1/) });
    expect(finished.out).toContain('epochs 400/400');

    const { workspace: opened } = await unlockWorkspace(ws, 'ada', ADMIN.password, { kdf: FAST_KDF });
    const trail = listAudit(opened.db, { text: 'run #1' }).reverse().map((e) => ({ actor: e.actor, action: e.action, details: e.details }));
    opened.close();
    expect(trail.map((e) => e.action)).toEqual(['run.started', 'run.cancel_requested', 'run.cancelled', 'run.resumed', 'run.interrupted', 'run.resumed', 'run.finished']);
    expect(trail[1]).toMatchObject({ actor: 'sam', details: { from: 'another process' } });
    const int = trail[4]!;
    expect(int).toMatchObject({ actor: 'ada', details: { code: 'INTERRUPTED', reason: 'stopped with Ctrl-C' } });
    expect(int.details.epochsDone as number).toBeGreaterThanOrEqual(trail[3]!.details.fromEpoch as number);
    expect(trail[5]!.details.fromEpoch).toBe(int.details.resumesFrom);
  }, 120_000);
});
