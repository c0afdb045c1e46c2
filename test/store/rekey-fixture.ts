// Shared by the rekey tests and their child process: a real workspace with three users and some megabytes of data.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { addUser, setRoles } from '../../electron/core/govern/users';
import { requireUser } from '../../electron/core/govern/users-repo';
import { finishImportRow, insertSourceFile, startImportRow } from '../../electron/core/ingest/files-repo';
import type { Db } from '../../electron/core/store/database';
import { createWorkspace } from '../../electron/core/store/workspace';
import type { KdfParams } from '../../electron/core/store/keyslots';
import { sourceCodec } from '../../electron/core/store/sources-seal';

export const KDF: KdfParams = { N: 1024, r: 8, p: 1 };
export const PASSWORDS = { ada: 'correct horse battery', sam: 'steward sam password', rita: 'reviewer rita password' } as const;
export type Who = keyof typeof PASSWORDS;

/** A workspace with ada (admin and steward), sam (steward) and rita (reviewer), and `blobs` source files of 256 KiB each. */
export async function makeWorkspace(dir: string, blobs: number): Promise<Map<number, string>> {
  const { workspace: ws, user: admin } = await createWorkspace(dir, { username: 'ada', displayName: 'Ada Admin', password: PASSWORDS.ada }, { kdf: KDF });
  // Ada is a steward too: her session holds the sources key (issue #12), so she can store source files sealed under it.
  setRoles(ws, admin, 'ada', ['admin', 'steward']);
  const ada = requireUser(ws.db, 'ada');
  await addUser(ws, ada, { username: 'sam', displayName: 'Sam Steward', roles: ['steward'], password: PASSWORDS.sam });
  await addUser(ws, ada, { username: 'rita', displayName: 'Rita Reviewer', roles: ['reviewer'], password: PASSWORDS.rita });
  ws.db.transaction(() => {
    const importId = startImportRow(ws.db, 'ada', new Date());
    for (let i = 0; i < blobs; i += 1) {
      const content = randomBytes(256 * 1024);
      const sha256 = createHash('sha256').update(content).digest('hex');
      insertSourceFile(ws.db, sourceCodec(ws.db, ws.sourcesCipher()), { importId, sha256, kind: 'table', name: `part-${i}.csv`, bytes: content.length, content }, new Date());
    }
    finishImportRow(ws.db, importId, 'done', { files: blobs }, new Date());
  })();
  // The stored (sealed) bytes: a database rekey must leave them as they are, and every user's session sees them.
  const hashes = storedHashes(ws.db);
  ws.close();
  return hashes;
}

/** Every stored file, by id, with the hash of what it holds now (sealed under the sources key). */
export function storedHashes(db: Db): Map<number, string> {
  const rows = db.prepare('SELECT id, content FROM source_files').all() as { id: number; content: Buffer }[];
  return new Map(rows.map((r) => [r.id, createHash('sha256').update(r.content).digest('hex')]));
}

/** Runs test/store/rekey-child.ts with `args` in its own process. */
export function spawnChild(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'test/store/rekey-child.ts'), ...args], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Resolves on the first stdout line that satisfies `match`, or when the process exits. */
export function waitForLine(child: ChildProcess, match: (line: string) => boolean): Promise<string | null> {
  return new Promise((resolve) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      const hit = lines.find(match);
      if (hit !== undefined) {
        child.stdout?.off('data', onData);
        resolve(hit);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', () => resolve(null));
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}
