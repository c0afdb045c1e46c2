// Slot public keys in the signed chain: an insider who holds the database key can write a slot for someone else
// with their own X25519 key and a valid publicMac (a "planted" slot). Rekeys and sources grants trust a slot only
// when its key is the one the chain recorded (`keyslot.created`, signed by its owner or an admin), so the next key
// never reaches the insider.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAudit, listAudit, verifyAudit } from '../../electron/core/govern/audit';
import { currentKey } from '../../electron/core/govern/signing-keys';
import { addUser, changeOwnPassword, disableUser, resetPassword } from '../../electron/core/govern/users';
import { requireUser } from '../../electron/core/govern/users-repo';
import { KEYSLOT_FILE, findSlot, openSlot, putSlot, readKeySlots, slotFingerprint, wrapKey, writeKeySlots } from '../../electron/core/store/keyslots';
import { createWorkspace, unlockWorkspace } from '../../electron/core/store/workspace';
import { FAST_KDF, tempDir } from '../helpers';

const PW = { ada: 'correct horse battery', sam: 'steward sam password', tom: 'steward tom password', rita: 'reviewer rita password', rex: 'reviewer rex password' } as const;
type Who = keyof typeof PW;
const opts = { kdf: FAST_KDF };
const login = (dir: string, who: Who) => unlockWorkspace(dir, who, PW[who], opts);
const PLANTED = 'the insider’s own password';

async function ownPassword(dir: string, who: Who): Promise<void> {
  const { workspace, user } = await login(dir, who);
  await changeOwnPassword(workspace, user, PW[who], `${PW[who]} (own)`);
  await changeOwnPassword(workspace, requireUser(workspace.db, who), `${PW[who]} (own)`, PW[who]);
  workspace.close();
}

/** ada (admin); sam and tom (stewards; tom's access pending), rita and rex (reviewers); all with their own passwords. */
async function workspace(): Promise<string> {
  const dir = join(tempDir(), 'ws');
  const { workspace: ws, user: ada } = await createWorkspace(dir, { username: 'ada', displayName: 'Ada Admin', password: PW.ada }, opts);
  for (const [who, role] of [['sam', 'steward'], ['tom', 'steward'], ['rita', 'reviewer'], ['rex', 'reviewer']] as const) {
    await addUser(ws, ada, { username: who, displayName: who, roles: [role], password: PW[who] });
  }
  ws.close();
  for (const who of ['sam', 'tom', 'rita', 'rex'] as const) await ownPassword(dir, who);
  return dir;
}

/** Rita, a reviewer, opens her own slot (the database key) and writes a vouched slot for `victim` with her own key pair. */
async function plant(dir: string, victim: Who): Promise<string> {
  const path = join(dir, KEYSLOT_FILE);
  const file = readKeySlots(path);
  const mine = await openSlot(findSlot(file, 'rita')!, PW.rita, file.workspaceId);
  const planted = await wrapKey(mine!.dbKey, PLANTED, file.workspaceId, victim, FAST_KDF, new Date());
  writeKeySlots(path, putSlot(file, planted));
  return slotFingerprint(planted)!;
}

// Whatever the current file holds, the insider's private key (under PLANTED) opens none of it.
async function insiderOpensNothing(dir: string, victim: Who): Promise<void> {
  const file = readKeySlots(join(dir, KEYSLOT_FILE));
  const slot = findSlot(file, victim);
  if (slot) expect(await openSlot(slot, PLANTED, file.workspaceId)).toBeNull();
}

describe('slot public keys recorded in the signed chain', () => {
  it('records every slot’s key, signed by whoever made it: the admin adding or resetting, the owner changing', async () => {
    const dir = await workspace();
    const { workspace: ws, user: ada } = await login(dir, 'ada');
    await resetPassword(ws, ada, 'rex', 'temporary for rex');
    const events = listAudit(ws.db, { action: 'keyslot.created', limit: 100 }).reverse();
    const file = readKeySlots(join(dir, KEYSLOT_FILE));
    // Per user, the latest event names the key of their slot in the file.
    for (const who of ['ada', 'sam', 'tom', 'rita', 'rex'] as const) {
      const latest = events.filter((e) => e.subject === who).pop();
      expect(latest?.details, who).toEqual({ user: who, x25519: slotFingerprint(findSlot(file, who)!) });
    }
    expect(events.filter((e) => e.subject === 'rex').map((e) => e.actor)).toEqual(['ada', 'rex', 'rex', 'ada']);
    const signers = ws.db.prepare("SELECT actor, signer FROM audit_log WHERE action = 'keyslot.created'").all() as { actor: string; signer: string | null }[];
    expect(signers.every((s) => s.signer !== null)).toBe(true);
    expect(signers.filter((s) => s.actor === 'ada').every((s) => s.signer === currentKey(ws.db, 'ada')!.fingerprint)).toBe(true);
    expect(verifyAudit(ws.db)).toMatchObject({ ok: true });
    ws.close();
  });

  it('drops a planted slot from a rekey: the insider’s key does not open the new database key', async () => {
    const dir = await workspace();
    await plant(dir, 'sam');
    const { workspace: ws, user: ada } = await login(dir, 'ada');
    disableUser(ws, ada, 'rex');
    expect(listAudit(ws.db, { action: 'store.rekeyed' })[0]).toMatchObject({ details: { dropped: ['sam'] } });
    ws.close();
    await insiderOpensNothing(dir, 'sam');
    expect(readKeySlots(join(dir, KEYSLOT_FILE)).slots.map((s) => s.username).sort()).toEqual(['ada', 'rita', 'tom']);
  });

  it('does not trust a key a non-admin recorded for someone else, even in a validly signed entry', async () => {
    const dir = await workspace();
    const fingerprint = await plant(dir, 'sam');
    // Rita's own session records "sam's" key: a valid entry, signed by rita, so the chain still verifies.
    const { workspace: rita } = await login(dir, 'rita');
    rita.db.transaction(() => appendAudit(rita.db, { actor: 'rita', action: 'keyslot.created', subject: 'sam', details: { user: 'sam', x25519: fingerprint } }))();
    expect(verifyAudit(rita.db)).toMatchObject({ ok: true });
    rita.close();
    const { workspace: ws, user: ada } = await login(dir, 'ada');
    disableUser(ws, ada, 'rex');
    expect(listAudit(ws.db, { action: 'store.rekeyed' })[0]).toMatchObject({ details: { dropped: ['sam'] } });
    ws.close();
    await insiderOpensNothing(dir, 'sam');
  });

  it('never grants the sources key to a planted slot', async () => {
    const dir = await workspace();
    await plant(dir, 'tom');
    // Sam holds the key; his login grants stewards whose slot lacks it, but tom's slot is now the insider's.
    const { workspace: sam } = await login(dir, 'sam');
    expect(sam.holdsSources).toBe(true);
    const planted = sam.db.prepare("SELECT max(seq) AS n FROM audit_log WHERE action = 'login.ok' AND actor = 'sam'").get() as { n: number };
    expect(listAudit(sam.db, { action: 'sources.access_granted' }).filter((e) => e.seq > planted.n)).toEqual([]);
    sam.close();
    const file = readKeySlots(join(dir, KEYSLOT_FILE));
    expect(findSlot(file, 'tom')?.sources).toBeUndefined();
    expect(await openSlot(findSlot(file, 'tom')!, PLANTED, file.workspaceId)).toMatchObject({ sources: null });
  });
});
