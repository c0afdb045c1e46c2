// Temporary passwords: what an admin sets (new user, reset, re-enable) must be replaced by its owner before
// anything else; the owner's choice rewraps their signing key and is audited.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { listAudit } from '../../electron/core/govern/audit';
import { addUser, changeOwnPassword } from '../../electron/core/govern/users';
import { currentKey, unlockSigningKey } from '../../electron/core/govern/signing-keys';
import { migration009 } from '../../electron/core/store/migrations/009-temporary-passwords';
import { createWorkspace, unlockWorkspace } from '../../electron/core/store/workspace';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';

const RITA = { username: 'rita', displayName: 'Rita Reviewer', roles: ['reviewer' as const], password: 'temporary password 1' };

describe('temporary passwords', () => {
  it('makes an admin-set password temporary: only a password change works until the user chooses their own', async () => {
    const path = join(tempDir(), 'ws');
    const svc = new AirlockService({ kdf: FAST_KDF });
    expect(await svc.call('workspace:create', { path, ...ADMIN })).toMatchObject({ mustChangePassword: false });
    await svc.call('users:add', RITA);
    expect((await svc.call('users:list', {})).find((u) => u.username === 'rita')).toMatchObject({ passwordTemporary: true });
    const fingerprint = currentKey(svc.current!.ws.db, 'rita')!.fingerprint;

    expect(await svc.call('session:login', { path, username: 'rita', password: RITA.password })).toMatchObject({ mustChangePassword: true });
    for (const channel of ['audit:list', 'specs:list', 'approvals:list', 'audit:verify'] as const) {
      expect(await svc.dispatch(channel, {})).toEqual({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED', message: expect.stringContaining('set by an admin and is temporary') } });
    }
    expect(await svc.dispatch('session:status', {})).toMatchObject({ ok: true, value: { session: { username: 'rita', mustChangePassword: true } } });
    // The temporary password itself is not a new one, and a wrong current password is refused.
    expect(await svc.dispatch('session:changePassword', { currentPassword: RITA.password, newPassword: RITA.password })).toMatchObject({ ok: false, error: { code: 'WEAK_PASSWORD' } });
    expect(await svc.dispatch('session:changePassword', { currentPassword: 'not the password', newPassword: 'rita chose this one' })).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect(await svc.dispatch('session:changePassword', { currentPassword: RITA.password, newPassword: 'rita chose this one' })).toEqual({ ok: true, value: { ok: true } });
    expect(await svc.dispatch('session:status', {})).toMatchObject({ ok: true, value: { session: { mustChangePassword: false } } });
    expect(await svc.dispatch('specs:list', {})).toMatchObject({ ok: true });

    // A new signing key pair: the admin knew the temporary password the old one was wrapped under.
    const db = svc.current!.ws.db;
    const wsId = svc.current!.ws.workspaceId;
    const fresh = currentKey(db, 'rita')!.fingerprint;
    expect(fresh).not.toBe(fingerprint);
    expect(db.prepare('SELECT retired_reason FROM signing_keys WHERE fingerprint = ?').get(fingerprint)).toEqual({ retired_reason: 'password chosen' });
    await expect(unlockSigningKey(db, wsId, 'rita', 'rita chose this one')).resolves.toMatchObject({ row: { fingerprint: fresh } });
    await expect(unlockSigningKey(db, wsId, 'rita', RITA.password)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(listAudit(db, { action: 'user.password_changed' })).toEqual([expect.objectContaining({ actor: 'rita', subject: 'rita', details: { temporaryReplaced: true } })]);
    expect(listAudit(db, { action: 'signing_key.created' })[0]).toMatchObject({ actor: 'rita', subject: 'rita', details: { reason: 'password chosen', replaces: fingerprint, fingerprint: fresh } });
    // The new key is introduced under the old one's signature; the rest of the session signs with the new key.
    expect(db.prepare("SELECT signer FROM audit_log WHERE action = 'signing_key.created' ORDER BY seq DESC LIMIT 1").get()).toEqual({ signer: fingerprint });
    expect(await svc.call('audit:verify', {})).toMatchObject({ ok: true });
    svc.end();
    await svc.settled();

    // The old password no longer opens anything; a later login needs no change.
    await expect(svc.call('session:login', { path, username: 'rita', password: RITA.password })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await svc.call('session:login', { path, username: 'rita', password: 'rita chose this one' })).toMatchObject({ mustChangePassword: false });
    expect(svc.current!.ws.db.prepare("SELECT signer FROM audit_log WHERE action = 'logout' AND actor = 'rita' ORDER BY seq DESC LIMIT 1").get()).toEqual({ signer: fresh });

    // A reset by the admin makes it temporary again (with a new key pair), and so does re-enabling.
    await svc.call('session:login', { path, username: 'ada', password: ADMIN.password });
    expect(await svc.call('users:resetPassword', { username: 'rita', password: 'reset by the admin' })).toMatchObject({ passwordTemporary: true });
    expect(currentKey(svc.current!.ws.db, 'rita')!.fingerprint).not.toBe(fingerprint);
    await svc.call('users:disable', { username: 'rita' });
    expect(await svc.call('users:enable', { username: 'rita', password: 'enabled by the admin' })).toMatchObject({ passwordTemporary: true });
    expect(await svc.call('session:login', { path, username: 'rita', password: 'enabled by the admin' })).toMatchObject({ mustChangePassword: true });
    svc.end();
    await svc.settled();
  });

  it('migration 10 flags the users whose last password event was an admin’s, not their own', async () => {
    const path = join(tempDir(), 'ws');
    const { workspace: ws, user: ada } = await createWorkspace(path, ADMIN, { kdf: FAST_KDF });
    await addUser(ws, ada, RITA);
    await addUser(ws, ada, { ...RITA, username: 'sam', roles: ['steward'] });
    ws.close();
    const { workspace: samWs, user: sam } = await unlockWorkspace(path, 'sam', RITA.password, { kdf: FAST_KDF });
    await changeOwnPassword(samWs, sam, RITA.password, 'sam chose this one');
    // Back to the schema before migration 10, then the migration alone.
    samWs.db.exec('ALTER TABLE users DROP COLUMN password_temporary');
    samWs.db.transaction(() => migration009.up(samWs.db))();
    const flags = samWs.db.prepare('SELECT username, password_temporary AS t FROM users ORDER BY username').all();
    expect(flags).toEqual([
      { username: 'ada', t: 0 },
      { username: 'rita', t: 1 },
      { username: 'sam', t: 0 },
    ]);
    samWs.close();
  });
});
