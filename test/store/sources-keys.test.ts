// The sources key follows the steward role (issue #12): created for the first steward, held only by steward
// sessions, granted at once by a steward's session or at the next steward login, never to a reviewer or admin.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { listAudit } from '../../electron/core/govern/audit';
import { KEYSLOT_FILE, findSlot, openSlot, readKeySlots } from '../../electron/core/store/keyslots';
import { storedSourcesKid } from '../../electron/core/store/sources-seal';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { loginOwn } from '../own-password';

const SAM = { username: 'sam', displayName: 'Sam Steward', roles: ['steward' as const], password: 'steward sam password' };
const TOM = { username: 'tom', displayName: 'Tom Steward', roles: ['steward' as const], password: 'steward tom password' };
const RITA = { username: 'rita', displayName: 'Rita Reviewer', roles: ['reviewer' as const], password: 'reviewer rita password' };

async function relogin(svc: AirlockService, path: string, who: { username: string; password: string }) {
  svc.end();
  await svc.settled();
  await loginOwn(svc, path, who.username, who.password);
  return svc.current!.ws;
}

const kidOfSlot = (path: string, user: string) => findSlot(readKeySlots(join(path, KEYSLOT_FILE)), user)?.sources?.kid ?? null;

describe('the sources key and the steward role', () => {
  it('is created for the first steward, held by steward sessions only, and rotated once their temporary password is replaced', async () => {
    const path = join(tempDir(), 'ws');
    const svc = new AirlockService({ kdf: FAST_KDF });
    await svc.call('workspace:create', { path, ...ADMIN });
    expect(storedSourcesKid(svc.current!.ws.db)).toBeNull();
    await svc.call('users:add', RITA);
    expect(storedSourcesKid(svc.current!.ws.db)).toBeNull();
    await svc.call('users:add', SAM);
    const first = storedSourcesKid(svc.current!.ws.db);
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(listAudit(svc.current!.ws.db, { action: 'sources.key_created' })).toEqual([expect.objectContaining({ actor: 'ada', subject: 'sam', details: { kid: first } })]);
    // The admin's session made the key but does not keep it.
    expect(() => svc.current!.ws.sourcesCipher()).toThrow(expect.objectContaining({ code: 'SOURCES_LOCKED' }) as Error);
    expect(kidOfSlot(path, 'sam')).toBe(first);
    const temporarySlot = findSlot(readKeySlots(join(path, KEYSLOT_FILE)), 'sam')!;
    svc.end();
    await svc.settled();

    // The steward's login with the temporary password holds it; choosing their own password rotates it, because
    // the admin who set the temporary one could have opened that slot.
    await svc.call('session:login', { path, username: 'sam', password: SAM.password });
    expect(svc.current!.ws.sourcesCipher().kid).toBe(first);
    expect(await svc.call('session:status', {})).toMatchObject({ session: { sourcesAccess: 'active' } });
    await svc.call('session:changePassword', { currentPassword: SAM.password, newPassword: `${SAM.password} (own)` });
    await svc.call('session:changePassword', { currentPassword: `${SAM.password} (own)`, newPassword: SAM.password });
    const db = svc.current!.ws.db;
    const kid = storedSourcesKid(db);
    expect(kid).not.toBe(first);
    expect(svc.current!.ws.sourcesCipher().kid).toBe(kid);
    expect(listAudit(db, { action: 'sources.rotation_due' })[0]).toMatchObject({ subject: 'sam', details: { reason: 'temporary password replaced' } });
    expect(listAudit(db, { action: 'sources.key_rotated' })[0]).toMatchObject({ actor: 'sam', details: { from: first, to: kid } });
    const kept = await openSlot(temporarySlot, SAM.password, svc.current!.ws.workspaceId);
    expect(kept?.sources?.kid).toBe(first);
    expect(kidOfSlot(path, 'sam')).toBe(kid);
    expect(kidOfSlot(path, 'ada')).toBeNull();
    expect(kidOfSlot(path, 'rita')).toBeNull();
    expect(await svc.call('audit:verify', {})).toMatchObject({ ok: true });
    const again = await relogin(svc, path, SAM);
    expect(again.sourcesCipher().kid).toBe(kid);

    for (const who of [RITA, ADMIN]) {
      const other = await relogin(svc, path, who);
      expect(() => other.sourcesCipher()).toThrow(expect.objectContaining({ code: 'SOURCES_LOCKED' }) as Error);
      expect(await svc.call('session:status', {})).toMatchObject({ session: { sourcesAccess: 'none' } });
    }
    // The reviewer's own slot, opened with her password, holds no sources key at all.
    const rita = await openSlot(findSlot(readKeySlots(join(path, KEYSLOT_FILE)), 'rita')!, RITA.password, svc.current!.ws.workspaceId);
    expect(rita).toMatchObject({ sources: null });
    expect(await svc.call('audit:verify', {})).toMatchObject({ ok: true });
    svc.end();
    await svc.settled();
  });

  it('is sealed at once by a steward’s session to a user given the steward role, and the admin who is a steward keeps it', async () => {
    const path = join(tempDir(), 'ws');
    const svc = new AirlockService({ kdf: FAST_KDF });
    await svc.call('workspace:create', { path, ...ADMIN });
    await svc.call('users:add', RITA);
    await relogin(svc, path, RITA);
    await relogin(svc, path, ADMIN);
    // The admin makes herself a steward: the key is created in her session, which keeps it.
    await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
    const kid = storedSourcesKid(svc.current!.ws.db);
    expect(kid).toMatch(/^[0-9a-f]{16}$/);
    expect(svc.current!.ws.sourcesCipher().kid).toBe(kid);
    await svc.call('users:setRoles', { username: 'rita', roles: ['reviewer', 'steward'] });
    expect(kidOfSlot(path, 'rita')).toBe(kid);
    expect(listAudit(svc.current!.ws.db, { action: 'sources.access_granted' })).toEqual([expect.objectContaining({ actor: 'ada', subject: 'rita', details: { user: 'rita', kid } })]);
    const rita = await relogin(svc, path, RITA);
    expect(rita.sourcesCipher().kid).toBe(kid);
    expect(await svc.call('audit:verify', {})).toMatchObject({ ok: true });
    svc.end();
    await svc.settled();
  });

  it('reaches a steward an admin added when a steward who holds it next logs in', async () => {
    const path = join(tempDir(), 'ws');
    const svc = new AirlockService({ kdf: FAST_KDF });
    await svc.call('workspace:create', { path, ...ADMIN });
    await svc.call('users:add', SAM);
    await relogin(svc, path, SAM);
    await relogin(svc, path, ADMIN);
    await svc.call('users:add', TOM);
    const kid = storedSourcesKid(svc.current!.ws.db);
    expect(kid).toMatch(/^[0-9a-f]{16}$/);
    expect(kidOfSlot(path, 'tom')).toBeNull();
    // Tom's access is pending, and the sentence says when it becomes active.
    const tom = await relogin(svc, path, TOM);
    expect(() => tom.sourcesCipher()).toThrow(expect.objectContaining({ code: 'SOURCES_LOCKED', message: expect.stringContaining('another data steward') as string }) as Error);
    expect(kidOfSlot(path, 'tom')).toBeNull();
    // Sam's login seals the key to Tom's slot (the one Tom made with his own password).
    await relogin(svc, path, SAM);
    expect(kidOfSlot(path, 'tom')).toBe(kid);
    expect(listAudit(svc.current!.ws.db, { action: 'sources.access_granted' })).toEqual([expect.objectContaining({ actor: 'sam', subject: 'tom' })]);
    const tomAgain = await relogin(svc, path, TOM);
    expect(tomAgain.sourcesCipher().kid).toBe(kid);
    expect(await svc.call('audit:verify', {})).toMatchObject({ ok: true });
    svc.end();
    await svc.settled();
  });
});
