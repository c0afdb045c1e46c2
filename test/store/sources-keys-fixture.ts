// Shared by the sources-key SIGKILL test and its child: a workspace whose values are sealed under the sources key.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { addUser, changeOwnPassword, setRoles } from '../../electron/core/govern/users';
import { requireUser } from '../../electron/core/govern/users-repo';
import { finishImportRow, insertSourceFile, readFileContent, startImportRow } from '../../electron/core/ingest/files-repo';
import type { KdfParams } from '../../electron/core/store/keyslots';
import { sourceCodec } from '../../electron/core/store/sources-seal';
import { createWorkspace, unlockWorkspace, type Workspace } from '../../electron/core/store/workspace';

export const KDF: KdfParams = { N: 1024, r: 8, p: 1 };
export const PW = { ada: 'correct horse battery', sam: 'steward sam password', tom: 'steward tom password' } as const;
export type Who = keyof typeof PW;
export const login = (dir: string, who: Who) => unlockWorkspace(dir, who, PW[who], { kdf: KDF });

async function ownPassword(dir: string, who: Who): Promise<void> {
  const { workspace, user } = await login(dir, who);
  await changeOwnPassword(workspace, user, PW[who], `${PW[who]} (own)`);
  await changeOwnPassword(workspace, requireUser(workspace.db, who), `${PW[who]} (own)`, PW[who]);
  workspace.close();
}

/** ada (admin and steward, the first holder), sam and tom (stewards, granted at ada's login); ada imports `n` files. */
export async function sealedWorkspace(dir: string, n: number, size: number): Promise<Map<number, Buffer>> {
  const { workspace: ws, user: ada } = await createWorkspace(dir, { username: 'ada', displayName: 'Ada Admin', password: PW.ada }, { kdf: KDF });
  setRoles(ws, ada, 'ada', ['admin', 'steward']);
  for (const who of ['sam', 'tom'] as const) await addUser(ws, requireUser(ws.db, 'ada'), { username: who, displayName: who, roles: ['steward'], password: PW[who] });
  ws.close();
  for (const who of ['sam', 'tom'] as const) await ownPassword(dir, who);
  const { workspace: admin } = await login(dir, 'ada');
  const codec = sourceCodec(admin.db, admin.sourcesCipher());
  const files = new Map<number, Buffer>();
  admin.db.transaction(() => {
    const importId = startImportRow(admin.db, 'ada', new Date());
    for (let i = 0; i < n; i += 1) {
      const content = randomBytes(size);
      files.set(insertSourceFile(admin.db, codec, { importId, sha256: content.toString('hex', 0, 32), kind: 'table', name: `part-${i}.csv`, bytes: size, content }, new Date()), content);
    }
    finishImportRow(admin.db, importId, 'done', { files: n }, new Date());
  })();
  admin.close();
  return files;
}

const sha = (b: Buffer | null) => (b ? createHash('sha256').update(b).digest('hex') : null);

/** The SHA-256 of every stored file, opened with the session's sources key (throws when the session cannot). */
export function readAll(ws: Workspace, ids: Iterable<number>): Map<number, string | null> {
  const codec = sourceCodec(ws.db, ws.sourcesCipher());
  return new Map([...ids].map((id) => [id, sha(readFileContent(ws.db, codec, id))]));
}

/** The same, for the files as imported. */
export const hashesOf = (files: Map<number, Buffer>): Map<number, string | null> => new Map([...files].map(([id, b]) => [id, sha(b)]));

export function spawnRotator(dir: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'test/store/sources-keys-child.ts'), dir], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
}
