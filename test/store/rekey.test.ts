// Keys that follow revocation: disabling, resetting or demoting a user rotates the database key, so a kept copy
// of the old key-slot file opens nothing current; everyone else keeps their access, their data and their signing key.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { listAudit, verifyAudit } from '../../electron/core/govern/audit';
import { signCanonical, verifyCanonical } from '../../electron/core/govern/signature';
import { currentKey, unlockSigningKey } from '../../electron/core/govern/signing-keys';
import { disableUser, resetPassword, setRoles } from '../../electron/core/govern/users';
import { DB_FILE, openEncrypted } from '../../electron/core/store/database';
import { KEYSLOT_FILE, isLegacySlot, readKeySlots, sealUnderPassword, unwrapKey, writeKeySlots } from '../../electron/core/store/keyslots';
import type { RekeyProgress } from '../../electron/core/store/rekey';
import { unlockWorkspace } from '../../electron/core/store/workspace';
import { tempDir } from '../helpers';
import { KDF, PASSWORDS, exited, makeWorkspace, spawnChild, storedHashes, waitForLine, type Who } from './rekey-fixture';

const login = (dir: string, who: string, password: string) => unlockWorkspace(dir, who, password, { kdf: KDF });

// With the old key-slot file put back beside the current database: no user, no slot, no password opens it.
async function oldFileOpensNothing(dir: string, oldFile: string, passwords: Partial<Record<Who, string>>): Promise<void> {
  const path = join(dir, KEYSLOT_FILE);
  const current = readFileSync(path, 'utf8');
  writeFileSync(path, oldFile);
  const old = readKeySlots(path);
  expect(old.slots.length).toBeGreaterThan(0);
  for (const slot of old.slots) {
    const password = passwords[slot.username as Who];
    if (!password) continue;
    const key = await unwrapKey(slot, password, old.workspaceId);
    expect(key, `${slot.username}'s old slot still unwraps its old key`).not.toBeNull();
    expect(() => openEncrypted(join(dir, DB_FILE), key ?? Buffer.alloc(32), { create: false })).toThrow(expect.objectContaining({ code: 'WORKSPACE_CORRUPT' }));
    await expect(login(dir, slot.username, password)).rejects.toMatchObject({ code: expect.stringMatching(/^(WORKSPACE_CORRUPT|INVALID_CREDENTIALS)$/) });
  }
  writeFileSync(path, current);
}

async function everythingThere(dir: string, who: Who, hashes: Map<number, string>): Promise<void> {
  const { workspace } = await login(dir, who, PASSWORDS[who]);
  expect(storedHashes(workspace.db)).toEqual(hashes);
  expect(verifyAudit(workspace.db)).toMatchObject({ ok: true });
  workspace.close();
}

describe('rekey on revocation', () => {
  it('disabling a user: their kept key-slot file opens nothing, the others see everything and still sign', async () => {
    const dir = tempDir();
    const hashes = await makeWorkspace(dir, 8);
    const oldFile = readFileSync(join(dir, KEYSLOT_FILE), 'utf8');
    const { workspace: ws, user: ada } = await login(dir, 'ada', PASSWORDS.ada);
    const progress: RekeyProgress[] = [];
    disableUser(ws, ada, 'rita', (p) => progress.push(p));
    expect(progress.map((p) => p.phase)).toEqual(['prepared', 'rekeying', 'done']);
    // Every page of a multi-megabyte store was rewritten (pages of 64 KiB in a new store).
    expect((progress[1]?.pages ?? 0) * Number(ws.db.pragma('page_size', { simple: true }))).toBeGreaterThan(2_000_000);
    ws.close();

    expect(readKeySlots(join(dir, KEYSLOT_FILE)).slots.map((s) => s.username).sort()).toEqual(['ada', 'sam']);
    expect(readKeySlots(join(dir, KEYSLOT_FILE)).rekey).toBeUndefined();
    await oldFileOpensNothing(dir, oldFile, PASSWORDS);
    await expect(login(dir, 'rita', PASSWORDS.rita)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await everythingThere(dir, 'sam', hashes);

    const { workspace: again } = await login(dir, 'ada', PASSWORDS.ada);
    const events = listAudit(again.db, { action: 'store.rekeyed' });
    expect(events).toEqual([expect.objectContaining({ actor: 'ada', subject: 'rita', details: { rotation: expect.any(String), reason: 'user disabled', user: 'rita', slots: 2, dropped: [] } })]);
    // Signing keys live in the database, wrapped under each password: the rekey leaves them working.
    const { key, row } = await unlockSigningKey(again.db, again.workspaceId, 'ada', PASSWORDS.ada);
    const signature = signCanonical(key, { hello: 'world' });
    expect(verifyCanonical(row.public_key, { hello: 'world' }, signature)).toBe(true);
    expect(currentKey(again.db, 'sam')).not.toBeNull();
    again.close();
  });

  it('resetting a password: the old password and every old slot open nothing; the temporary one must be changed', async () => {
    const dir = tempDir();
    const hashes = await makeWorkspace(dir, 4);
    const oldFile = readFileSync(join(dir, KEYSLOT_FILE), 'utf8');
    const { workspace: ws, user: ada } = await login(dir, 'ada', PASSWORDS.ada);
    await resetPassword(ws, ada, 'rita', 'temporary from ada 1');
    ws.close();

    await oldFileOpensNothing(dir, oldFile, PASSWORDS);
    await expect(login(dir, 'rita', PASSWORDS.rita)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await everythingThere(dir, 'ada', hashes);
    await everythingThere(dir, 'sam', hashes);

    const svc = new AirlockService({ kdf: KDF });
    expect(await svc.call('session:login', { path: dir, username: 'rita', password: 'temporary from ada 1' })).toMatchObject({ mustChangePassword: true });
    expect(await svc.dispatch('audit:list', {})).toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
    expect(listAudit(svc.current!.ws.db, { action: 'store.rekeyed' })).toEqual([expect.objectContaining({ details: expect.objectContaining({ reason: 'password reset', user: 'rita' }) })]);
    svc.end();
    await svc.settled();
  });

  it('removing a role: the old file opens nothing, the demoted user keeps their password; adding one does not rekey', async () => {
    const dir = tempDir();
    const hashes = await makeWorkspace(dir, 2);
    const { workspace: ws, user: ada } = await login(dir, 'ada', PASSWORDS.ada);
    const before = readFileSync(join(dir, KEYSLOT_FILE), 'utf8');
    setRoles(ws, ada, 'sam', ['steward', 'reviewer']);
    expect(readFileSync(join(dir, KEYSLOT_FILE), 'utf8')).toBe(before);
    // Sam stays a steward (losing that role also rotates the sources key: test/store/sources-keys-rotation.test.ts).
    setRoles(ws, ada, 'sam', ['steward']);
    expect(listAudit(ws.db, { action: 'store.rekeyed' })).toEqual([expect.objectContaining({ details: expect.objectContaining({ reason: 'role removed', user: 'sam', slots: 3 }) })]);
    ws.close();
    await oldFileOpensNothing(dir, before, PASSWORDS);
    await everythingThere(dir, 'sam', hashes);
    await everythingThere(dir, 'rita', hashes);
  });

  it('refuses a slot whose public half was swapped in the file: the new key is not sealed to it', async () => {
    const dir = tempDir();
    await makeWorkspace(dir, 1);
    const path = join(dir, KEYSLOT_FILE);
    const file = readKeySlots(path);
    const sam = file.slots.find((s) => s.username === 'sam');
    const rita = file.slots.find((s) => s.username === 'rita');
    // Someone with file access only puts rita's public key (whose private half they might hold) in sam's slot.
    writeFileSync(path, JSON.stringify({ ...file, slots: file.slots.map((s) => (s === sam ? { ...s, publicKey: rita?.publicKey } : s)) }));
    const { workspace: ws, user: ada } = await login(dir, 'ada', PASSWORDS.ada);
    disableUser(ws, ada, 'rita');
    expect(listAudit(ws.db, { action: 'store.rekeyed' })).toEqual([expect.objectContaining({ details: expect.objectContaining({ dropped: ['sam'] }) })]);
    ws.close();
    expect(readKeySlots(path).slots.map((s) => s.username)).toEqual(['ada']);
  });

  it('counts parallel wrong guesses from ten processes, each one', async () => {
    const dir = tempDir();
    await makeWorkspace(dir, 0);
    const children = Array.from({ length: 10 }, () => spawnChild(['login', dir, 'rita', 'a wrong guess']));
    expect(await Promise.all(children.map((c) => waitForLine(c, (l) => l === 'ready')))).toEqual(Array(10).fill('ready'));
    const results = children.map((c) => waitForLine(c, (l) => l.startsWith('RESULT ')));
    for (const c of children) c.stdin?.write('go\n');
    const outcomes = (await Promise.all(results)).map((r) => r?.slice('RESULT '.length));
    await Promise.all(children.map(exited));
    expect(outcomes.filter((o) => o === 'INVALID_CREDENTIALS')).toHaveLength(4);
    expect(outcomes.filter((o) => o === 'ACCOUNT_LOCKED')).toHaveLength(6);

    const file = readKeySlots(join(dir, KEYSLOT_FILE));
    const failed = file.pendingAudit.filter((e) => e.action === 'login.failed' && e.subject === 'rita');
    expect(failed).toHaveLength(10);
    expect(failed.filter((e) => e.details.reason === 'wrong password').map((e) => e.details.failures)).toEqual([1, 2, 3, 4, 5]);
    expect(failed.filter((e) => e.details.reason === 'account locked')).toHaveLength(5);
    expect(file.pendingAudit.filter((e) => e.action === 'user.locked')).toHaveLength(1);
    expect(file.lockouts.rita?.lockedUntil).toEqual(expect.any(String));
    await expect(login(dir, 'rita', PASSWORDS.rita)).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
  });

  it('turns an old-format slot (the password sealing the database key itself) into one a rekey can follow, at login', async () => {
    const dir = tempDir();
    const hashes = await makeWorkspace(dir, 1);
    const path = join(dir, KEYSLOT_FILE);
    const file = readKeySlots(path);
    const samSlot = file.slots.find((s) => s.username === 'sam');
    const key = samSlot ? await unwrapKey(samSlot, PASSWORDS.sam, file.workspaceId) : null;
    if (!samSlot || !key) throw new Error('no key');
    // What version 1 of the file held: the key sealed under the password, bound to workspace and user.
    const sealed = await sealUnderPassword(key, PASSWORDS.sam, KDF, Buffer.from(`airlock-keyslot|${file.workspaceId}|sam`, 'utf8'));
    const legacy = { username: 'sam', kdf: sealed.kdf, wrap: { name: 'aes-256-gcm' as const, iv: sealed.iv, tag: sealed.tag, ciphertext: sealed.ciphertext }, createdAt: samSlot.createdAt };
    writeKeySlots(path, { ...file, version: 1, slots: file.slots.map((s) => (s.username === 'sam' ? legacy : s)) });
    expect(isLegacySlot(readKeySlots(path).slots.find((s) => s.username === 'sam') ?? samSlot)).toBe(true);

    (await login(dir, 'sam', PASSWORDS.sam)).workspace.close();
    const upgraded = readKeySlots(path).slots.find((s) => s.username === 'sam');
    expect(upgraded && isLegacySlot(upgraded)).toBe(false);
    const { workspace: ws, user: ada } = await login(dir, 'ada', PASSWORDS.ada);
    disableUser(ws, ada, 'rita');
    ws.close();
    await everythingThere(dir, 'sam', hashes);
  });
});
