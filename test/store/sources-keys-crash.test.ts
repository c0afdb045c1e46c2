// A sources key rotation killed at any moment (while every value is resealed, or during the database rekey that
// carries it) leaves stewards able to read every value: the new slots and the resealed values commit together.
import { recordTrial } from '../stress-report';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit, verifyAudit } from '../../electron/core/govern/audit';
import { requireUser } from '../../electron/core/govern/users-repo';
import { KEYSLOT_FILE, readKeySlots } from '../../electron/core/store/keyslots';
import { storedSourcesKid } from '../../electron/core/store/sources-seal';
import { tempDir } from '../helpers';
import { exited, waitForLine } from './rekey-fixture';
import { hashesOf, login, readAll, sealedWorkspace, spawnRotator } from './sources-keys-fixture';

const KILLS = process.env.AIRLOCK_STRESS === '1' ? 60 : 10;

function moments(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('sources key rotation under SIGKILL', () => {
  it(`leaves every value readable by the stewards after each of ${KILLS} kills`, { timeout: 60_000 + KILLS * 8_000 }, async () => {
    const dir = tempDir();
    const files = await sealedWorkspace(dir, 24, 64 * 1024);
    const hashes = hashesOf(files);
    const random = moments(20261203);
    let rotations = 0;
    let unsettled = 0;
    const kids = new Set<string>();
    for (let kill = 0; kill < KILLS; kill += 1) {
      const child = spawnRotator(dir);
      expect(await waitForLine(child, (l) => l === 'ready'), `child ${kill} did not log in`).toBe('ready');
      child.stdout?.on('data', (chunk: Buffer) => {
        rotations += chunk.toString('utf8').split('\n').filter((l) => l.startsWith('rotated ')).length;
      });
      await new Promise((resolve) => setTimeout(resolve, random() * 1_200));
      child.kill('SIGKILL');
      await exited(child);
      if (readKeySlots(join(dir, KEYSLOT_FILE)).rekey) unsettled += 1;

      // Ada's login settles an interrupted rekey; she, sam, and tom when a steward, read every value as imported.
      const { workspace: ada } = await login(dir, 'ada');
      expect(ada.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(verifyAudit(ada.db)).toMatchObject({ ok: true });
      const kid = storedSourcesKid(ada.db);
      expect(ada.sourcesCipher().kid).toBe(kid);
      kids.add(kid ?? '');
      expect(readAll(ada, files.keys())).toEqual(hashes);
      const tomSteward = requireUser(ada.db, 'tom').roles.includes('steward');
      ada.close();
      expect(readKeySlots(join(dir, KEYSLOT_FILE)).rekey).toBeUndefined();
      const { workspace: sam } = await login(dir, 'sam');
      expect(readAll(sam, files.keys())).toEqual(hashes);
      sam.close();
      const { workspace: tom } = await login(dir, 'tom');
      if (tomSteward) expect(readAll(tom, files.keys())).toEqual(hashes);
      else expect(tom.holdsSources).toBe(false);
      tom.close();
    }
    const { workspace } = await login(dir, 'ada');
    const settled = (action: string) => listAudit(workspace.db, { action, limit: 1000 }).length;
    console.log(`sources-keys-crash: ${KILLS} kills, ${rotations} sources rotations acknowledged, ${kids.size} keys seen, ${unsettled} left a rekey to settle (${settled('store.rekey_finished')} finished, ${settled('store.rekey_abandoned')} dropped)`);
    expect(rotations).toBeGreaterThan(KILLS / 2);
    expect(settled('store.rekey_finished') + settled('store.rekey_abandoned')).toBe(unsettled);
    recordTrial({
      what: 'Crash during a sources key rotation',
      how: 'a child rotates the sources key (database rekey and every source value resealed) in a loop; SIGKILL at random',
      count: KILLS,
      held: `${rotations} rotations acknowledged, ${kids.size} keys seen; after every kill each value opened for the stewards, the audit chain verified`,
    });
    workspace.close();
  });
});
