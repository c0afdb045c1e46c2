import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { KEYSLOT_FILE } from '../../electron/core/store/keyslots';
import { CHANNELS, contract } from '../../electron/shared/contract';
import { ADMIN, FAST_KDF, fakeClock, tempDir } from '../helpers';

async function adminService() {
  const clock = fakeClock();
  const svc = new AirlockService({ kdf: FAST_KDF, now: clock.now });
  const path = tempDir();
  const created = await svc.dispatch('workspace:create', { path, ...ADMIN });
  expect(created).toMatchObject({ ok: true, value: { username: 'ada', roles: ['admin'], idleTimeoutMinutes: 15 } });
  return { svc, clock, path };
}

describe('the IPC service', () => {
  it('has one handler and schema per channel of the contract', () => {
    expect(Object.keys(contract).sort()).toEqual([...CHANNELS].sort());
    for (const c of CHANNELS) expect(c).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });

  it('refuses unknown channels and malformed arguments with a code and a sentence', async () => {
    const svc = new AirlockService({ kdf: FAST_KDF });
    expect(await svc.dispatch('fs:readFile', {})).toEqual({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'Unknown request “fs:readFile”.' } });
    expect(await svc.dispatch('workspace:create', { path: tempDir(), username: 'a b', displayName: 'X', password: 'long enough password' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('letters, digits') },
    });
    expect(await svc.dispatch('app:info', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(await svc.dispatch('session:login', null)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('needs a session for session channels and the right role for admin ones', async () => {
    const fresh = new AirlockService({ kdf: FAST_KDF });
    expect(await fresh.dispatch('audit:list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const { svc, path } = await adminService();
    expect(await svc.dispatch('users:add', { username: 'rita', displayName: 'Rita', roles: ['reviewer'], password: 'reviewer password 1' })).toMatchObject({ ok: true });
    expect(await svc.dispatch('session:logout', {})).toEqual({ ok: true, value: { ok: true } });
    expect(await svc.dispatch('session:login', { path, username: 'rita', password: 'reviewer password 1' })).toMatchObject({ ok: true, value: { roles: ['reviewer'], mustChangePassword: true } });
    // An admin set rita's password: nothing but choosing her own works until she does.
    expect(await svc.dispatch('audit:verify', {})).toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
    expect(await svc.dispatch('session:changePassword', { currentPassword: 'reviewer password 1', newPassword: 'rita own password 2' })).toMatchObject({ ok: true });
    expect(await svc.dispatch('users:list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('admin role') } });
    expect(await svc.dispatch('audit:verify', {})).toMatchObject({ ok: true, value: { ok: true } });
    svc.end();
  });

  it('locks an idle session and says why; activity postpones it', async () => {
    const { svc, clock } = await adminService();
    clock.advance(14 * 60_000);
    expect(await svc.dispatch('session:touch', {})).toMatchObject({ ok: true });
    clock.advance(14 * 60_000);
    expect(await svc.dispatch('session:status', {})).toMatchObject({ ok: true, value: { session: { username: 'ada' }, idleSecondsLeft: 60, idleLockedAfterMinutes: null } });
    clock.advance(2 * 60_000);
    expect(await svc.dispatch('audit:list', {})).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED', message: expect.stringContaining('15 minutes') } });
    expect(await svc.dispatch('session:status', {})).toEqual({ ok: true, value: { session: null, idleSecondsLeft: null, idleLockedAfterMinutes: 15 } });
  });

  it('records what happened in the audit log, in order, and never a password', async () => {
    const { svc } = await adminService();
    await svc.dispatch('users:add', { username: 'rita', displayName: 'Rita', roles: ['reviewer'], password: 'reviewer password 1' });
    await svc.dispatch('settings:update', { idleTimeoutMinutes: 5 });
    const list = await svc.dispatch('audit:list', { limit: 10 });
    if (!list.ok) throw new Error(list.error.message);
    const entries = list.value as { action: string; details: unknown }[];
    expect(entries.map((e) => e.action).reverse()).toEqual(['workspace.created', 'user.added', 'signing_key.created', 'login.ok', 'keyslot.created', 'user.added', 'signing_key.created', 'keyslot.created', 'settings.changed']);
    expect(JSON.stringify(entries)).not.toContain('reviewer password 1');
    expect(await svc.dispatch('settings:update', { idleTimeoutMinutes: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'idleTimeoutMinutes: At least 1 minute.' } });
    svc.end();
  });

  it('ends the session when wrong current passwords in a password change lock the account', async () => {
    const { svc } = await adminService();
    for (let i = 1; i <= 4; i += 1) expect(await svc.dispatch('session:changePassword', { currentPassword: `guess ${i}`, newPassword: 'a new passphrase here' })).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect(await svc.dispatch('session:changePassword', { currentPassword: 'guess 5', newPassword: 'a new passphrase here' })).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } });
    expect(await svc.dispatch('session:status', {})).toMatchObject({ ok: true, value: { session: null } });
    await svc.settled();
  });

  it('refuses a 5 MiB user name at login before it reaches the store or the key-slot file', async () => {
    const { svc, path } = await adminService();
    svc.end();
    await svc.settled();
    expect(await svc.dispatch('session:login', { path, username: 'x'.repeat(5 * 1024 * 1024), password: 'whatever password' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'username: User names have at most 64 characters.' } });
    expect(readFileSync(join(path, KEYSLOT_FILE), 'utf8').length).toBeLessThan(10_000);
  });

  it('gives the folder picker only where one exists', async () => {
    expect(await new AirlockService().dispatch('workspace:chooseFolder', {})).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
    expect(await new AirlockService({ chooseFolder: () => Promise.resolve('/data/ws') }).dispatch('workspace:chooseFolder', {})).toEqual({ ok: true, value: { path: '/data/ws' } });
  });

  it('hides unexpected internal errors behind a plain sentence and logs them', async () => {
    const logged: unknown[] = [];
    const svc = new AirlockService({ logError: (e) => logged.push(e), chooseFolder: () => Promise.reject(new Error('EACCES /secret/path')) });
    const r = await svc.dispatch('workspace:chooseFolder', {});
    expect(JSON.stringify(r)).not.toContain('/secret/path');
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('application log') } });
    expect(logged).toHaveLength(1);
  });
});
