// A rekey killed at any moment leaves a store that opens with the old or the new key, never neither: a child
// process rotates the key over and over (role removal, reset, disable, enable) and is SIGKILLed at random.
import { recordTrial } from '../stress-report';
import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit, verifyAudit } from '../../electron/core/govern/audit';
import { requireUser } from '../../electron/core/govern/users-repo';
import { KEYSLOT_FILE, readKeySlots } from '../../electron/core/store/keyslots';
import { unlockWorkspace } from '../../electron/core/store/workspace';
import { tempDir } from '../helpers';
import { KDF, PASSWORDS, exited, makeWorkspace, spawnChild, storedHashes, waitForLine } from './rekey-fixture';

const KILLS = process.env.AIRLOCK_STRESS === '1' ? 100 : 10;

// Deterministic "random" kill moments, so a failure can be replayed.
function moments(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('rekey under SIGKILL', () => {
  it(`opens with the users' passwords, intact and complete, after each of ${KILLS} kills`, { timeout: 60_000 + KILLS * 8_000 }, async () => {
    const dir = tempDir();
    const hashes = await makeWorkspace(dir, 12);
    const random = moments(20261202);
    let rotations = 0;
    let recovered = 0;
    for (let kill = 0; kill < KILLS; kill += 1) {
      const child = spawnChild(['rotate', dir]);
      expect(await waitForLine(child, (l) => l === 'ready'), `child ${kill} did not log in`).toBe('ready');
      child.stdout?.on('data', (chunk: Buffer) => {
        rotations += chunk.toString('utf8').split('\n').filter((l) => l.startsWith('rotated ')).length;
      });
      await new Promise((resolve) => setTimeout(resolve, random() * 1_500));
      child.kill('SIGKILL');
      await exited(child);
      if (readKeySlots(join(dir, KEYSLOT_FILE)).rekey) recovered += 1;

      // The admin's login settles an interrupted rekey (finishes or drops it) and checks the database's integrity.
      const { workspace } = await unlockWorkspace(dir, 'ada', PASSWORDS.ada, { kdf: KDF });
      expect(workspace.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(workspace.db.pragma('foreign_key_check')).toEqual([]);
      expect(storedHashes(workspace.db)).toEqual(hashes);
      expect(verifyAudit(workspace.db)).toMatchObject({ ok: true });
      const ritaActive = requireUser(workspace.db, 'rita').status === 'active';
      workspace.close();
      expect(readKeySlots(join(dir, KEYSLOT_FILE)).rekey).toBeUndefined();
      expect(existsSync(join(dir, `${KEYSLOT_FILE}.lock`))).toBe(false);

      (await unlockWorkspace(dir, 'sam', PASSWORDS.sam, { kdf: KDF })).workspace.close();
      const rita = unlockWorkspace(dir, 'rita', PASSWORDS.rita, { kdf: KDF });
      if (ritaActive) (await rita).workspace.close();
      else await expect(rita).rejects.toMatchObject({ code: expect.stringMatching(/^(INVALID_CREDENTIALS|ACCOUNT_LOCKED)$/) });
    }
    // The kills must have landed while rotations ran, some of them inside one.
    expect(rotations).toBeGreaterThan(KILLS);
    const { workspace } = await unlockWorkspace(dir, 'ada', PASSWORDS.ada, { kdf: KDF });
    const settled = (action: string) => listAudit(workspace.db, { action, limit: 1000 }).length;
    console.log(`rekey-crash: ${KILLS} kills, ${rotations} rotations acknowledged, ${recovered} left a rekey to settle: ${settled('store.rekey_finished')} finished, ${settled('store.rekey_abandoned')} dropped`);
    expect(settled('store.rekey_finished') + settled('store.rekey_abandoned')).toBe(recovered);
    recordTrial({
      what: 'Crash during a database key rotation',
      how: 'a child rotates the key of a multi-megabyte store in a loop; SIGKILL at random',
      count: KILLS,
      held: `${rotations} rotations acknowledged; ${recovered} kills inside one (${settled('store.rekey_finished')} finished at the next login, ${settled('store.rekey_abandoned')} rolled back); every time the store opened with the old or the new key, all data present`,
    });
    workspace.close();
    // The database is still the encrypted one: no plain SQLite header appeared along the way.
    const plain = new Database(join(dir, 'airlock.db'), { fileMustExist: true });
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    plain.close();
  });
});
