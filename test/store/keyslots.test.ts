import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KDF, unwrapKey, wrapKey } from '../../electron/core/store/keyslots';
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
