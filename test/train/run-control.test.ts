// Run-control: the running process answers only requests carrying a password it verifies itself (against the
// signing key in the store), counts wrong ones like failed logins, and audits who asked.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { listAudit } from '../../electron/core/govern/audit';
import { notRunningMessage, requestCancel } from '../../electron/core/train/run-control';
import type { RunView } from '../../electron/shared/train-schemas';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';

async function setup() {
  const ws = join(tempDir(), 'ws');
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path: ws, ...ADMIN });
  await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
  await svc.call('users:add', { username: 'sam', displayName: 'Sam Steward', roles: ['steward'], password: 'temporary password' });
  await svc.call('users:add', { username: 'rita', displayName: 'Rita Reviewer', roles: ['reviewer'], password: 'temporary password' });
  for (const u of ['sam', 'rita']) {
    await svc.call('session:login', { path: ws, username: u, password: 'temporary password' });
    await svc.call('session:changePassword', { currentPassword: 'temporary password', newPassword: `${u} own password` });
  }
  await svc.call('session:login', { path: ws, username: 'ada', password: ADMIN.password });
  const job = await svc.call('ingest:start', { paths: [join(process.cwd(), '../shared/data/pbc.csv')] });
  await svc.current!.imports.wait(job.id);
  const draft = await svc.call('specs:draft', { tableId: 1 });
  await svc.call('specs:save', { specId: null, spec: { ...draft, name: 'PBC', rows: 50, generator: { kind: 'tvae', epochs: 400, checkpointEvery: 2 } } });
  return { ws, svc };
}

describe('run-control', () => {
  it('cancels only for a steward whose password the running process checks, and audits who asked', async () => {
    const { ws, svc } = await setup();
    const run = await svc.call('runs:start', { specId: 1 });
    await expect(requestCancel(ws, 'sam', 'not sam’s password', run.id)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(requestCancel(ws, 'nobody', 'whatever password', run.id)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(requestCancel(ws, 'rita', 'rita own password', run.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('data steward') });
    await expect(requestCancel(ws, 'sam', 'sam own password', 99)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Run #99 is not running') });
    expect((await svc.call('runs:get', { runId: run.id })).status).toBe('running');
    const done = await requestCancel(ws, 'sam', 'sam own password', run.id);
    expect(done).toMatchObject({ runId: run.id, status: 'cancelled', by: 'sam', pid: process.pid });
    const db = svc.current!.ws.db;
    expect(listAudit(db, { action: 'run.cancel_refused' }).map((e) => [e.actor, e.details.reason])).toEqual([
      ['(unauthenticated)', 'unknown or disabled user'],
      ['sam', 'wrong password'],
    ]);
    expect(listAudit(db, { action: 'run.cancel_requested' })).toEqual([expect.objectContaining({ actor: 'sam', subject: `run #${run.id}` })]);
    expect(listAudit(db, { action: 'run.cancelled' })).toHaveLength(1);
    svc.end();
    await svc.settled();
  }, 60_000);

  it('says why a run is not running, and what to do next', () => {
    const view = (v: Partial<RunView>) => ({ id: 4, epochsDone: 3, canResume: true, error: null, ...v }) as RunView;
    expect(notRunningMessage(view({ status: 'failed', error: { code: 'TRAINING_DIVERGED', message: '' } }))).toBe('Run #4 is not running (it failed at epoch 3); `airlock runs resume 4` continues it.');
    expect(notRunningMessage(view({ status: 'failed', error: { code: 'INTERRUPTED', message: '' }, canResume: false }))).toBe(
      'Run #4 is not running (it was interrupted at epoch 3); it has no checkpoint to resume from, so train its spec again.',
    );
    expect(notRunningMessage(view({ status: 'done' }))).toBe('Run #4 is not running (it finished).');
  });
});
