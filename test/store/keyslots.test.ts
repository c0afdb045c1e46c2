import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unlockSigningKey } from '../../electron/core/govern/signing-keys';
import { DEFAULT_KDF, KEYSLOT_FILE, unwrapKey, wrapKey } from '../../electron/core/store/keyslots';
import { createWorkspace, unlockWorkspace } from '../../electron/core/store/workspace';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { APP_VERSION } from '../../electron/core/version';
import pkg from '../../package.json' with { type: 'json' };

describe('key slots', () => {
  it('wrap with the production scrypt cost, record it, and unwrap only with the right password, user and workspace', async () => {
    const key = randomBytes(32);
    const slot = await wrapKey(key, 'correct horse battery', 'ws-1', 'ada', DEFAULT_KDF, new Date());
    expect(slot.kdf).toMatchObject({ name: 'scrypt', N: 131072, r: 8, p: 1 });
    expect(await unwrapKey(slot, 'correct horse battery', 'ws-1')).toEqual(key);
    expect(await unwrapKey(slot, 'correct horse batterY', 'ws-1')).toBeNull();
    expect(await unwrapKey(slot, 'correct horse battery', 'ws-2')).toBeNull();
    expect(await unwrapKey({ ...slot, username: 'mallory' }, 'correct horse battery', 'ws-1')).toBeNull();
  });

  it('app version matches package.json', () => {
    expect(APP_VERSION).toBe(pkg.version);
  });
});

describe('scrypt parameters read from the key-slot file', () => {
  it('are accepted only within fixed bounds: a hostile cost is refused with a sentence, not computed', async () => {
    const dir = tempDir();
    const { workspace } = await createWorkspace(dir, ADMIN, { kdf: FAST_KDF });
    workspace.close();
    const path = join(dir, KEYSLOT_FILE);
    const original = readFileSync(path, 'utf8');
    for (const [field, value, says] of [['N', 2 ** 24, /power of two from 2\^10 to 2\^18/], ['N', 3000, /power of two/], ['r', 64, /at most 16/], ['p', 1000, /at most 4/]] as const) {
      const file = JSON.parse(original) as { slots: { kdf: Record<string, number> }[] };
      file.slots[0]!.kdf[field] = value;
      writeFileSync(path, JSON.stringify(file));
      const err = await unlockWorkspace(dir, ADMIN.username, ADMIN.password, { kdf: FAST_KDF }).catch((e: unknown) => e as { code: string; message: string });
      expect(err, `${field}=${value}`).toMatchObject({ code: 'KEYSLOTS_DAMAGED', message: expect.stringMatching(says) });
    }
    writeFileSync(path, original);
    const { workspace: again } = await unlockWorkspace(dir, ADMIN.username, ADMIN.password, { kdf: FAST_KDF });
    // The signing key's wrapping is read from the store: the same bounds hold there.
    const row = again.db.prepare('SELECT id, wrapped FROM signing_keys').get() as { id: number; wrapped: string };
    const hostile = JSON.parse(row.wrapped) as { kdf: { N: number } };
    hostile.kdf.N = 2 ** 24;
    again.db.prepare('UPDATE signing_keys SET wrapped = ? WHERE id = ?').run(JSON.stringify(hostile), row.id);
    await expect(unlockSigningKey(again.db, again.workspaceId, ADMIN.username, ADMIN.password)).rejects.toMatchObject({ code: 'WORKSPACE_CORRUPT', message: expect.stringMatching(/signing key is damaged .*power of two/) });
    again.close();
  });
});
