// The sources key rotates when a holder loses access (disable, reset, steward role removed): the old key opens no
// value afterwards, the remaining stewards read everything. An admin's session, which holds no sources key, records
// the rotation as due and the next steward login does it; a legacy store is sealed at a steward's login.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit, verifyAudit } from '../../electron/core/govern/audit';
import { addUser, changeOwnPassword, disableUser, resetPassword, setRoles } from '../../electron/core/govern/users';
import { requireUser } from '../../electron/core/govern/users-repo';
import { finishImportRow, insertSourceFile, readFileContent, startImportRow } from '../../electron/core/ingest/files-repo';
import { KEYSLOT_FILE, findSlot, openSlot, readKeySlots } from '../../electron/core/store/keyslots';
import { sourceCipher } from '../../electron/core/store/sources-cipher';
import { rotationDue } from '../../electron/core/store/sources-keys';
import { sourceCodec, storedSourcesKid } from '../../electron/core/store/sources-seal';
import { createWorkspace, unlockWorkspace, type Workspace } from '../../electron/core/store/workspace';
import { FAST_KDF, tempDir } from '../helpers';

const PW = { ada: 'correct horse battery', sam: 'steward sam password', tom: 'steward tom password', rita: 'reviewer rita password' } as const;
type Who = keyof typeof PW;
const opts = { kdf: FAST_KDF };
const login = (dir: string, who: Who) => unlockWorkspace(dir, who, PW[who], opts);

// Users choose their own password (the admin-set one is temporary), ending on the same text.
async function ownPassword(dir: string, who: Who): Promise<void> {
  const { workspace, user } = await login(dir, who);
  await changeOwnPassword(workspace, user, PW[who], `${PW[who]} (own)`);
  await changeOwnPassword(workspace, requireUser(workspace.db, who), `${PW[who]} (own)`, PW[who]);
  workspace.close();
}

function importFiles(ws: Workspace, actor: string, n: number): Map<number, Buffer> {
  const codec = sourceCodec(ws.db, ws.holdsSources ? ws.sourcesCipher() : null);
  const files = new Map<number, Buffer>();
  ws.db.transaction(() => {
    const importId = startImportRow(ws.db, actor, new Date());
    for (let i = 0; i < n; i += 1) {
      const content = randomBytes(4096);
      files.set(insertSourceFile(ws.db, codec, { importId, sha256: `sha-${i}-${content.toString('hex', 0, 4)}`, kind: 'table', name: `part-${i}.csv`, bytes: content.length, content }, new Date()), content);
    }
    finishImportRow(ws.db, importId, 'done', { files: n }, new Date());
  })();
  return files;
}

/** ada (admin, and steward when `adaSteward`), sam and tom (stewards), rita (reviewer); sam imported `n` files. */
async function workspace(adaSteward: boolean, n = 6): Promise<{ dir: string; files: Map<number, Buffer> }> {
  const dir = join(tempDir(), 'ws');
  const { workspace: ws, user: ada } = await createWorkspace(dir, { username: 'ada', displayName: 'Ada Admin', password: PW.ada }, opts);
  if (adaSteward) setRoles(ws, ada, 'ada', ['admin', 'steward']);
  for (const [who, role] of [['sam', 'steward'], ['tom', 'steward'], ['rita', 'reviewer']] as const) {
    await addUser(ws, requireUser(ws.db, 'ada'), { username: who, displayName: who, roles: [role], password: PW[who] });
  }
  ws.close();
  for (const who of ['sam', 'tom', 'rita'] as const) await ownPassword(dir, who);
  // A steward holding the key logs in: the stewards who chose their password since then receive it.
  (await login(dir, adaSteward ? 'ada' : 'sam')).workspace.close();
  const { workspace: sam } = await login(dir, 'sam');
  const files = importFiles(sam, 'sam', n);
  sam.close();
  return { dir, files };
}

/** The sources key `who`'s slot holds, opened with their password as someone keeping a copy would. */
async function sourcesKeyOf(dir: string, who: Who): Promise<Buffer> {
  const file = readKeySlots(join(dir, KEYSLOT_FILE));
  const opened = await openSlot(findSlot(file, who)!, PW[who], file.workspaceId);
  expect(opened?.sources, `${who}'s slot holds the sources key`).not.toBeNull();
  return opened!.sources!.key;
}

async function readsEverything(dir: string, who: Who, files: Map<number, Buffer>): Promise<void> {
  const { workspace } = await login(dir, who);
  const codec = sourceCodec(workspace.db, workspace.sourcesCipher());
  for (const [id, content] of files) expect(readFileContent(workspace.db, codec, id)).toEqual(content);
  expect(verifyAudit(workspace.db)).toMatchObject({ ok: true });
  workspace.close();
}

// Opening a stored value with a key kept from before: refused, for every value.
async function oldKeyOpensNothing(dir: string, oldKey: Buffer, files: Map<number, Buffer>, reader: Who = 'tom'): Promise<void> {
  const { workspace } = await login(dir, reader);
  const old = sourceCipher(oldKey);
  for (const id of files.keys()) {
    const { content } = workspace.db.prepare('SELECT content FROM source_files WHERE id = ?').get(id) as { content: Buffer };
    expect(() => old.open({ table: 'source_files', column: 'content', rowId: id }, content)).toThrow(expect.objectContaining({ code: 'SOURCES_DAMAGED' }) as Error);
  }
  workspace.close();
}

describe('sources key rotation', () => {
  it('rotates at once when a steward’s session disables a steward: the kept key opens nothing, the others read all', async () => {
    const { dir, files } = await workspace(true);
    const kept = await sourcesKeyOf(dir, 'sam');
    const { workspace: ws, user: ada } = await login(dir, 'ada');
    const before = storedSourcesKid(ws.db);
    expect(ws.sourcesCipher().kid).toBe(before);
    disableUser(ws, ada, 'sam');
    const after = storedSourcesKid(ws.db);
    expect(after).not.toBe(before);
    expect(ws.sourcesCipher().kid).toBe(after);
    expect(listAudit(ws.db, { action: 'sources.key_rotated' })[0]).toMatchObject({ actor: 'ada', details: { from: before, to: after, reason: 'user disabled' } });
    ws.close();
    const slots = readKeySlots(join(dir, KEYSLOT_FILE)).slots;
    expect(slots.map((s) => [s.username, s.sources?.kid ?? null]).sort()).toEqual([['ada', after], ['rita', null], ['tom', after]]);
    await oldKeyOpensNothing(dir, kept, files);
    await readsEverything(dir, 'tom', files);
    await readsEverything(dir, 'ada', files);
  });

  it('records the rotation as due when an admin’s session demotes a steward; the next steward login rotates', async () => {
    const { dir, files } = await workspace(false);
    const kept = await sourcesKeyOf(dir, 'sam');
    const { workspace: ws, user: ada } = await login(dir, 'ada');
    const before = storedSourcesKid(ws.db);
    setRoles(ws, ada, 'sam', ['reviewer']);
    expect(rotationDue(ws.db)).toMatchObject({ subject: 'sam', reason: 'role removed' });
    expect(listAudit(ws.db, { action: 'sources.rotation_due' })[0]).toMatchObject({ actor: 'ada', subject: 'sam', details: { reason: 'role removed' } });
    ws.close();
    // The demoted steward's slot lost its sources box; the kept key still names the values' key until the rotation.
    expect(findSlot(readKeySlots(join(dir, KEYSLOT_FILE)), 'sam')?.sources).toBeUndefined();
    const { workspace: demoted } = await login(dir, 'sam');
    expect(() => demoted.sourcesCipher()).toThrow(expect.objectContaining({ code: 'SOURCES_LOCKED' }) as Error);
    demoted.close();

    const { workspace: tom } = await login(dir, 'tom');
    const after = storedSourcesKid(tom.db);
    expect(after).not.toBe(before);
    expect(tom.sourcesCipher().kid).toBe(after);
    expect(rotationDue(tom.db)).toBeNull();
    expect(listAudit(tom.db, { action: 'store.rekeyed' })[0]).toMatchObject({ actor: 'tom', details: { reason: 'sources key rotation' } });
    tom.close();
    await oldKeyOpensNothing(dir, kept, files);
    await readsEverything(dir, 'tom', files);
  });

  it('rotates on a reset by a steward’s session; the reset steward gets the key again, rotated once their own password replaces the temporary one', async () => {
    const { dir, files } = await workspace(true);
    const kept = await sourcesKeyOf(dir, 'tom');
    const { workspace: ws, user: ada } = await login(dir, 'ada');
    const before = storedSourcesKid(ws.db);
    await resetPassword(ws, ada, 'tom', 'temporary for tom');
    expect(storedSourcesKid(ws.db)).not.toBe(before);
    // The admin knows the temporary password: that slot gets no sources key.
    expect(findSlot(readKeySlots(join(dir, KEYSLOT_FILE)), 'tom')?.sources).toBeUndefined();
    ws.close();
    await oldKeyOpensNothing(dir, kept, files, 'sam');
    // Sam's login (above) granted the key to tom's temporary slot; tom's own password rotates it once more.
    const { workspace: tomWs, user: tom } = await unlockWorkspace(dir, 'tom', 'temporary for tom', opts);
    const granted = tomWs.sourcesCipher().kid;
    await changeOwnPassword(tomWs, tom, 'temporary for tom', PW.tom);
    expect(tomWs.sourcesCipher().kid).not.toBe(granted);
    tomWs.close();
    await readsEverything(dir, 'sam', files);
    await readsEverything(dir, 'tom', files);
  });

  it('refuses to disable the only steward who holds the key from an admin’s session: nothing would open the values', async () => {
    const dir = join(tempDir(), 'ws');
    let { workspace: ws, user: ada } = await createWorkspace(dir, { username: 'ada', displayName: 'Ada Admin', password: PW.ada }, opts);
    await addUser(ws, ada, { username: 'sam', displayName: 'sam', roles: ['steward'], password: PW.sam });
    ws.close();
    await ownPassword(dir, 'sam');
    ({ workspace: ws, user: ada } = await login(dir, 'ada'));
    expect(storedSourcesKid(ws.db)).not.toBeNull();
    expect(() => disableUser(ws, ada, 'sam')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('only data steward') as string }) as Error);
    expect(requireUser(ws.db, 'sam').status).toBe('active');
    ws.close();
    const { workspace: sam } = await login(dir, 'sam');
    expect(sam.holdsSources).toBe(true);
    sam.close();
  });

  it('seals a store from before the sources key at the first steward login, through a rekey', async () => {
    const dir = join(tempDir(), 'ws');
    const { workspace: ws, user: ada } = await createWorkspace(dir, { username: 'ada', displayName: 'Ada Admin', password: PW.ada }, opts);
    // No sources key yet: values are stored as they were before sealing existed.
    const files = importFiles(ws, 'ada', 4);
    expect(storedSourcesKid(ws.db)).toBeNull();
    await addUser(ws, ada, { username: 'sam', displayName: 'sam', roles: ['steward'], password: PW.sam });
    // Not created here: sealing plaintext is a rekey, done at the steward's login.
    expect(storedSourcesKid(ws.db)).toBeNull();
    ws.close();
    const { workspace: sam } = await login(dir, 'sam');
    const kid = storedSourcesKid(sam.db);
    expect(kid).not.toBeNull();
    expect(sam.sourcesCipher().kid).toBe(kid);
    expect(listAudit(sam.db, { action: 'store.rekeyed' })[0]).toMatchObject({ actor: 'sam', details: { reason: 'sources sealed' } });
    expect(listAudit(sam.db, { action: 'sources.sealed' })[0]).toMatchObject({ details: { from: null, to: kid } });
    for (const id of files.keys()) {
      const { content } = sam.db.prepare('SELECT content FROM source_files WHERE id = ?').get(id) as { content: Buffer };
      expect(content[0]).toBe(0x01);
    }
    sam.close();
    await ownPassword(dir, 'sam');
    await readsEverything(dir, 'sam', files);
    const { workspace: admin } = await login(dir, 'ada');
    expect(() => readFileContent(admin.db, sourceCodec(admin.db, null), [...files.keys()][0]!)).toThrow(expect.objectContaining({ code: 'SOURCES_LOCKED' }) as Error);
    admin.close();
  });
});
