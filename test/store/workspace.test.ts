import Database from 'better-sqlite3-multiple-ciphers';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DB_FILE, openEncrypted } from '../../electron/core/store/database';
import { KEYSLOT_FILE, findSlot, readKeySlots, unwrapKey } from '../../electron/core/store/keyslots';
import { createWorkspace, probeWorkspace, unlockWorkspace } from '../../electron/core/store/workspace';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';

async function realKey(dir: string): Promise<Buffer> {
  const file = readKeySlots(join(dir, KEYSLOT_FILE));
  const slot = findSlot(file, ADMIN.username);
  if (!slot) throw new Error('no slot');
  const key = await unwrapKey(slot, ADMIN.password, file.workspaceId);
  if (!key) throw new Error('no key');
  return key;
}

describe('the locked store', () => {
  it('is encrypted at rest: no SQLite header, no plaintext, not openable without or with a wrong key', async () => {
    const dir = tempDir();
    const { workspace } = await createWorkspace(dir, ADMIN, { kdf: FAST_KDF });
    workspace.close();
    const bytes = readFileSync(join(dir, DB_FILE));
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(bytes.includes(Buffer.from(ADMIN.displayName))).toBe(false);
    expect(bytes.includes(Buffer.from('workspace.created'))).toBe(false);

    const plain = new Database(join(dir, DB_FILE), { fileMustExist: true });
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    plain.close();
    const wrong = new Database(join(dir, DB_FILE), { fileMustExist: true });
    wrong.pragma("cipher = 'chacha20'");
    wrong.pragma(`key = "x'${'11'.repeat(32)}'"`);
    expect(() => wrong.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    wrong.close();
    expect(() => openEncrypted(join(dir, DB_FILE), Buffer.alloc(32, 7), { create: false })).toThrow(expect.objectContaining({ code: 'WORKSPACE_CORRUPT' }));
  });

  it('makes new stores AEGIS-256 with 64 KiB pages, as the key-slot file says, and still opens a ChaCha20 store of older versions', async () => {
    const dir = tempDir();
    const { workspace } = await createWorkspace(join(dir, 'new'), ADMIN, { kdf: FAST_KDF });
    expect(workspace.db.pragma('page_size', { simple: true })).toBe(65536);
    workspace.close();
    expect(readKeySlots(join(dir, 'new', KEYSLOT_FILE)).cipher).toMatch(/AEGIS-256/);
    const key = await realKey(join(dir, 'new'));
    // The right key under the other cipher opens nothing: the cipher really is the one named.
    expect(() => openEncrypted(join(dir, 'new', DB_FILE), key, { create: false, cipher: 'chacha20' })).toThrow(expect.objectContaining({ code: 'WORKSPACE_CORRUPT' }));
    openEncrypted(join(dir, 'new', DB_FILE), key, { create: false, cipher: 'aegis-256' }).close();

    (await createWorkspace(join(dir, 'old'), ADMIN, { kdf: FAST_KDF, cipher: 'chacha20' })).workspace.close();
    expect(readKeySlots(join(dir, 'old', KEYSLOT_FILE)).cipher).toMatch(/ChaCha20-Poly1305/);
    const { workspace: old } = await unlockWorkspace(join(dir, 'old'), ADMIN.username, ADMIN.password, { kdf: FAST_KDF });
    expect(old.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'login.ok'").get()).toEqual({ n: 2 });
    old.close();
  });

  it('opens with WAL, synchronous=FULL and foreign keys, files 0600 in a 0700 folder', async () => {
    const dir = tempDir();
    const { workspace } = await createWorkspace(join(dir, 'ws'), ADMIN, { kdf: FAST_KDF });
    expect(workspace.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(workspace.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(workspace.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(statSync(join(dir, 'ws')).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(join(dir, 'ws'))) expect({ f, mode: statSync(join(dir, 'ws', f)).mode & 0o777 }).toEqual({ f, mode: 0o600 });
    workspace.close();
    // An existing empty folder that anyone could enter is made the owner's alone.
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    (await createWorkspace(open, ADMIN, { kdf: FAST_KDF })).workspace.close();
    expect(statSync(open).mode & 0o777).toBe(0o700);
  });

  it('writes the key-slot file through a fresh, exclusive temp file: a planted link is never followed', async () => {
    const dir = tempDir();
    const { workspace } = await createWorkspace(join(dir, 'ws'), ADMIN, { kdf: FAST_KDF });
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'untouched');
    // The old fixed name an attacker could have planted.
    symlinkSync(victim, join(dir, 'ws', `${KEYSLOT_FILE}.tmp-${process.pid}`));
    workspace.updateKeySlots((f) => ({ ...f, pendingAudit: [] }));
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(readKeySlots(join(dir, 'ws', KEYSLOT_FILE)).slots).toHaveLength(1);
    expect(readdirSync(join(dir, 'ws')).filter((f) => f.includes('.tmp-') && !f.endsWith(`${process.pid}`))).toEqual([]);
    workspace.close();
  });

  it('never writes the key in clear: not in the key-slot file, not in the database', async () => {
    const dir = tempDir();
    const { workspace } = await createWorkspace(dir, ADMIN, { kdf: FAST_KDF });
    workspace.close();
    const key = await realKey(dir);
    for (const f of readdirSync(dir)) {
      const content = readFileSync(join(dir, f));
      expect(content.includes(key)).toBe(false);
      expect(content.includes(Buffer.from(key.toString('hex')))).toBe(false);
      expect(content.includes(Buffer.from(key.toString('base64')))).toBe(false);
    }
  });

  it('gives a second opener "open in another Airlock window", in this process and in another', async () => {
    const dir = tempDir();
    const { workspace } = await createWorkspace(dir, ADMIN, { kdf: FAST_KDF });
    await expect(unlockWorkspace(dir, ADMIN.username, ADMIN.password, { kdf: FAST_KDF })).rejects.toMatchObject({
      code: 'WORKSPACE_BUSY',
      message: expect.stringContaining('open in another Airlock window'),
    });
    const script = `
      import { unlockWorkspace } from ${JSON.stringify(join(process.cwd(), 'electron/core/store/workspace.ts'))};
      try { await unlockWorkspace(${JSON.stringify(dir)}, 'ada', 'correct horse battery'); console.log('OPENED'); }
      catch (e) { console.log('CODE=' + e.code); }`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: process.cwd() });
    expect(child.stdout.trim()).toBe('CODE=WORKSPACE_BUSY');
    workspace.close();
    const again = await unlockWorkspace(dir, ADMIN.username, ADMIN.password, { kdf: FAST_KDF });
    again.workspace.close();
  });

  it('refuses a damaged file with a clear error and does not write to it', async () => {
    const dir = tempDir();
    const { workspace } = await createWorkspace(dir, ADMIN, { kdf: FAST_KDF });
    workspace.close();
    const path = join(dir, DB_FILE);
    const bytes = readFileSync(path);
    bytes[4096 + 200] = (bytes[4096 + 200] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    await expect(unlockWorkspace(dir, ADMIN.username, ADMIN.password, { kdf: FAST_KDF })).rejects.toMatchObject({
      code: 'WORKSPACE_CORRUPT',
      message: expect.stringContaining('restore it from a backup'),
    });
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(before);
    expect(readdirSync(dir).sort()).toEqual([DB_FILE, KEYSLOT_FILE].sort());
  });

  it('probes folders and refuses to create over a workspace or into a non-empty folder', async () => {
    const dir = tempDir();
    expect(probeWorkspace(join(dir, 'nope'))).toBe('missing');
    expect(probeWorkspace(dir)).toBe('empty-folder');
    const { workspace } = await createWorkspace(dir, ADMIN, { kdf: FAST_KDF });
    workspace.close();
    expect(probeWorkspace(dir)).toBe('workspace');
    await expect(createWorkspace(dir, ADMIN, { kdf: FAST_KDF })).rejects.toMatchObject({ code: 'WORKSPACE_EXISTS' });
    const other = tempDir();
    writeFileSync(join(other, 'notes.txt'), 'x');
    expect(probeWorkspace(other)).toBe('not-a-workspace');
    await expect(createWorkspace(other, ADMIN, { kdf: FAST_KDF })).rejects.toMatchObject({ code: 'WORKSPACE_EXISTS' });
    expect(readdirSync(other)).toEqual(['notes.txt']);
  });

  it('refuses a short password before creating anything', async () => {
    const dir = tempDir();
    await expect(createWorkspace(join(dir, 'ws'), { ...ADMIN, password: 'short' }, { kdf: FAST_KDF })).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
    expect(probeWorkspace(join(dir, 'ws'))).toBe('missing');
  });
});
