import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../electron/core/govern/audit';
import { addUser, changeOwnPassword, disableUser, enableUser, listUsers, resetPassword, setRoles } from '../../electron/core/govern/users';
import { KEYSLOT_FILE, readKeySlots } from '../../electron/core/store/keyslots';
import { createWorkspace, unlockWorkspace, type WorkspaceOptions } from '../../electron/core/store/workspace';
import { ADMIN, FAST_KDF, fakeClock, tempDir } from '../helpers';

const RITA = { username: 'rita', displayName: 'Rita Reviewer', roles: ['reviewer' as const], password: 'reviewer password 1' };

async function setup(options: WorkspaceOptions = {}) {
  const dir = tempDir();
  const opts = { kdf: FAST_KDF, ...options };
  const { workspace, user } = await createWorkspace(dir, ADMIN, opts);
  return { dir, ws: workspace, admin: user, opts };
}
const login = (dir: string, u: string, p: string, opts: WorkspaceOptions) => unlockWorkspace(dir, u, p, opts);

describe('users and key slots', () => {
  it('makes the creator the first admin; an added user gets a slot and can log in', async () => {
    const { dir, ws, admin, opts } = await setup();
    expect(admin.roles).toEqual(['admin']);
    const added = await addUser(ws, admin, RITA);
    expect(added).toMatchObject({ username: 'rita', roles: ['reviewer'], status: 'active', createdBy: 'ada' });
    expect(readKeySlots(join(dir, KEYSLOT_FILE)).slots.map((s) => s.username).sort()).toEqual(['ada', 'rita']);
    ws.close();
    const { workspace, user } = await login(dir, 'RITA', RITA.password, opts);
    expect(user.username).toBe('rita');
    expect(listAudit(workspace.db, { action: 'login.ok' })[0]?.subject).toBe('rita');
    workspace.close();
  });

  it('refuses duplicate names, weak passwords, and non-admins managing users', async () => {
    const { ws, admin } = await setup();
    const rita = await addUser(ws, admin, RITA).then(() => listUsers(ws, admin).find((u) => u.username === 'rita'));
    expect(rita).toBeDefined();
    await expect(addUser(ws, admin, { ...RITA, username: 'Rita' })).rejects.toMatchObject({ code: 'USER_EXISTS' });
    await expect(addUser(ws, admin, { ...RITA, username: 'sam', password: 'too short' })).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
    const ritaRow = { id: 2, username: 'rita', displayName: 'R', status: 'active' as const, roles: ['reviewer' as const], createdAt: '', createdBy: null, lastLoginAt: null, passwordTemporary: false };
    await expect(addUser(ws, ritaRow, { ...RITA, username: 'sam' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(listUsers(ws, admin).map((u) => u.username)).toEqual(['ada', 'rita']);
    ws.close();
  });

  it('disabling removes the slot; enabling issues a new one with a new password', async () => {
    const { dir, ws, admin, opts } = await setup();
    await addUser(ws, admin, RITA);
    expect(disableUser(ws, admin, 'rita').status).toBe('disabled');
    expect(readKeySlots(join(dir, KEYSLOT_FILE)).slots.map((s) => s.username)).toEqual(['ada']);
    ws.close();
    await expect(login(dir, 'rita', RITA.password, opts)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const again = await login(dir, 'ada', ADMIN.password, opts);
    await enableUser(again.workspace, again.user, 'rita', 'a brand new password');
    again.workspace.close();
    await expect(login(dir, 'rita', RITA.password, opts)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const ok = await login(dir, 'rita', 'a brand new password', opts);
    const actions = listAudit(ok.workspace.db, { limit: 50 }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.disabled', 'user.enabled', 'login.failed']));
    ok.workspace.close();
  });

  it('resets and changes passwords by rewrapping one slot', async () => {
    const { dir, ws, admin, opts } = await setup();
    await addUser(ws, admin, RITA);
    const adaSlotBefore = readKeySlots(join(dir, KEYSLOT_FILE)).slots.find((s) => s.username === 'ada');
    await resetPassword(ws, admin, 'rita', 'reset by the admin 1');
    // Ada's password seal and key pair stay; only the database key sealed to her public half is new (a rekey).
    const adaSlotAfter = readKeySlots(join(dir, KEYSLOT_FILE)).slots.find((s) => s.username === 'ada');
    expect({ wrap: adaSlotAfter?.wrap, publicKey: adaSlotAfter?.publicKey }).toEqual({ wrap: adaSlotBefore?.wrap, publicKey: adaSlotBefore?.publicKey });
    expect(adaSlotAfter?.box).not.toEqual(adaSlotBefore?.box);
    ws.close();
    await expect(login(dir, 'rita', RITA.password, opts)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const r = await login(dir, 'rita', 'reset by the admin 1', opts);
    await expect(changeOwnPassword(r.workspace, r.user, 'not my password', 'my own new password')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await changeOwnPassword(r.workspace, r.user, 'reset by the admin 1', 'my own new password');
    r.workspace.close();
    (await login(dir, 'rita', 'my own new password', opts)).workspace.close();
  });

  it('keeps at least one active admin and refuses self-disable', async () => {
    const { ws, admin } = await setup();
    expect(() => disableUser(ws, admin, 'ada')).toThrow(expect.objectContaining({ code: 'SELF_ACTION' }));
    expect(() => setRoles(ws, admin, 'ada', ['steward'])).toThrow(expect.objectContaining({ code: 'LAST_ADMIN' }));
    await addUser(ws, admin, { ...RITA, roles: ['admin', 'reviewer'] });
    expect(setRoles(ws, admin, 'ada', ['steward']).roles).toEqual(['steward']);
    ws.close();
  });

  it('locks an account after five failed logins, records it, and unlocks after the lockout', async () => {
    const clock = fakeClock();
    const { dir, ws, opts } = await setup({ now: clock.now });
    ws.close();
    for (let i = 1; i <= 4; i++) {
      await expect(login(dir, 'ada', `wrong password ${i}`, opts)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    }
    await expect(login(dir, 'ada', 'wrong password 5', opts)).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    // Even the right password is refused while locked.
    await expect(login(dir, 'ada', ADMIN.password, opts)).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED', message: expect.stringContaining('15 minutes') });
    clock.advance(16 * 60_000);
    const { workspace } = await login(dir, 'ada', ADMIN.password, opts);
    const log = listAudit(workspace.db, { limit: 100 }).reverse().map((e) => `${e.action}:${typeof e.details.reason === 'string' ? e.details.reason : ''}`);
    expect(log.filter((a) => a === 'login.failed:wrong password')).toHaveLength(5);
    expect(log).toContain('user.locked:');
    expect(log).toContain('login.failed:account locked');
    expect(log.at(-1)).toBe('login.ok:');
    expect(readKeySlots(join(dir, KEYSLOT_FILE))).toMatchObject({ pendingAudit: [], lockouts: {} });
    workspace.close();
  });

  it('counts wrong current passwords in a password change like failed logins, and locks the account after five', async () => {
    const { dir, ws, admin: ada, opts } = await setup();
    for (let i = 1; i <= 4; i += 1) await expect(changeOwnPassword(ws, ada, `guess number ${i}`, 'my own new password')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(changeOwnPassword(ws, ada, 'guess number 5', 'my own new password')).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    // Locked means locked: the right password does not change it now, and logging in is refused.
    await expect(changeOwnPassword(ws, ada, ADMIN.password, 'my own new password')).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    const actions = listAudit(ws.db, {}).map((e) => e.action);
    expect(actions.filter((a) => a === 'password_change.failed')).toHaveLength(5);
    expect(actions).toContain('user.locked');
    ws.close();
    await expect(login(dir, 'ada', ADMIN.password, opts)).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
  });

  it('counts every one of ten parallel wrong passwords', async () => {
    const { dir, ws, opts } = await setup();
    ws.close();
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => login(dir, 'ada', `parallel guess ${i}`, opts)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    const file = readKeySlots(join(dir, KEYSLOT_FILE));
    expect(file.pendingAudit.filter((e) => e.action === 'login.failed')).toHaveLength(10);
    expect(file.pendingAudit.filter((e) => e.action === 'user.locked').length).toBeGreaterThanOrEqual(1);
    expect(file.lockouts.ada?.lockedUntil).not.toBeNull();
  });

  it('gives an unknown name the same answers as a real one, attempt for attempt, lockout included', async () => {
    const { dir, ws, opts } = await setup();
    ws.close();
    const answers = async (name: string) => {
      const out: string[] = [];
      for (let i = 0; i < 6; i += 1) out.push(await login(dir, name, `wrong guess ${i}`, opts).then(() => 'in', (e: { code: string; message: string }) => `${e.code}: ${e.message}`));
      return out;
    };
    expect(await answers('nobody')).toEqual(await answers('ada'));
    expect(readFileSync(join(dir, KEYSLOT_FILE), 'utf8')).not.toContain('nobody');
  });

  it('admits into the chain only the pending events the login path writes; forged ones are refused and that is audited', async () => {
    const { dir, ws, opts } = await setup();
    ws.close();
    await expect(login(dir, 'ada', 'a genuine wrong guess', opts)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const path = join(dir, KEYSLOT_FILE);
    const file = readKeySlots(path);
    const ts = file.pendingAudit[0]!.ts;
    file.pendingAudit.push(
      { ts, actor: 'ada', action: 'user.roles_changed', subject: 'ada', details: { to: ['admin'] } },
      { ts, actor: '(unauthenticated)', action: 'login.failed', subject: 'ada', details: { reason: 'wrong password', note: 'anything at all' } },
      { ts: '2099-01-01T00:00:00.000Z', actor: '(unauthenticated)', action: 'login.failed', subject: 'ada', details: { reason: 'wrong password', failures: 1 } },
      { ts, actor: 'system', action: 'user.locked', subject: 'mallory', details: { failures: 5, lockedUntil: ts } },
      // A genuine-looking failure from before the last unlock: a replayed copy of an older pending list.
      { ts: new Date(Date.parse(ts) - 86_400_000).toISOString(), actor: '(unauthenticated)', action: 'login.failed', subject: 'ada', details: { reason: 'wrong password', failures: 1 } },
    );
    writeFileSync(path, JSON.stringify(file));
    const { workspace } = await login(dir, 'ada', ADMIN.password, opts);
    const log = listAudit(workspace.db, {});
    expect(log.filter((e) => e.action === 'login.failed')).toHaveLength(1);
    expect(log.some((e) => e.action === 'user.roles_changed' || e.subject === 'mallory')).toBe(false);
    expect(log.find((e) => e.action === 'audit.pending_refused')).toMatchObject({ actor: 'system', details: { count: 5, reasons: expect.arrayContaining(['a time before the last unlock']) as string[] } });
    expect(JSON.stringify(log)).not.toContain('anything at all');
    workspace.close();
  });

  it('answers an unknown user like a wrong password, and records the attempt', async () => {
    const { dir, ws, opts } = await setup();
    ws.close();
    await expect(login(dir, 'nobody', 'whatever password', opts)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'The user name or password is not correct.' });
    const { workspace } = await login(dir, 'ada', ADMIN.password, opts);
    expect(listAudit(workspace.db, { action: 'login.failed' })[0]).toMatchObject({ subject: '(unknown user)', details: { reason: 'unknown or disabled user' } });
    // What was typed as a user name may be a password in the wrong field: it is kept nowhere.
    await expect(login(dir, 'Tr0ub4dor&3-secret', 'whatever password', opts)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(readFileSync(join(dir, KEYSLOT_FILE), 'utf8')).not.toContain('Tr0ub4dor');
    expect(JSON.stringify(listAudit(workspace.db, {}))).not.toContain('nobody');
    workspace.close();
  });
});
