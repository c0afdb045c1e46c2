// Anchors of the audit chain outside the database: a signed checkpoint (sequence, head hash, time) appended to a
// file beside the key slots at every session end and every CHECKPOINT_EVERY entries, and to a write-once folder
// an admin may configure (an archive share). A chain shorter than, or different from, any checkpoint is named:
// tail truncation, an older copy of the database put back, a WAL that lost its last commits.
import { closeSync, constants, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AirlockError } from '../errors';
import type { Db } from '../store/database';
import type { AuditSigner, SignatureCheck } from './audit-signing';
import { signCanonical, verifyCanonical } from './signature';

export const CHECKPOINT_FILE = 'audit-checkpoints.jsonl';
export const CHECKPOINT_EVERY = 100;
const KIND = 'airlock-audit-checkpoint/1';

export const checkpointSchema = z.object({
  kind: z.literal(KIND),
  workspaceId: z.string().max(100),
  seq: z.number().int().positive(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  ts: z.string().max(40),
  reason: z.string().max(40),
  signer: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.string().max(200),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

const signedPart = (c: Omit<Checkpoint, 'signature'>) => ({ kind: c.kind, workspaceId: c.workspaceId, seq: c.seq, headHash: c.headHash, ts: c.ts, reason: c.reason, signer: c.signer });

/** The head of the chain as it is now, signed by the session's user; null for an empty chain. */
export function makeCheckpoint(db: Db, workspaceId: string, signer: AuditSigner, reason: string, now: Date): Checkpoint | null {
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  if (!head) return null;
  const body = { kind: KIND, workspaceId, seq: head.seq, headHash: head.hash, ts: now.toISOString(), reason, signer: signer.fingerprint } as const;
  return { ...body, signature: signCanonical(signer.key, signedPart(body)) };
}

/** Appends one line, synced; never through a symlink, and readable by the owner only. */
export function appendCheckpoint(path: string, c: Checkpoint): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    throw new AirlockError('FILE_UNWRITABLE', `The audit checkpoint could not be written to ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: err });
  }
  const size = fstatSync(fd).size;
  try {
    writeSync(fd, `${JSON.stringify(c)}\n`);
    fsyncSync(fd);
  } catch (err) {
    // A half-written line would read as tampering: cut back to the last whole checkpoint.
    ftruncateSync(fd, size);
    throw new AirlockError('FILE_UNWRITABLE', `The audit checkpoint could not be written to ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: err });
  } finally {
    closeSync(fd);
  }
}

export function checkpointFiles(workspaceDir: string, workspaceId: string, anchorFolder: string | null): string[] {
  return [join(workspaceDir, CHECKPOINT_FILE), ...(anchorFolder ? [join(anchorFolder, `airlock-${workspaceId}.jsonl`)] : [])];
}

/** Every checkpoint of this workspace in these files; unreadable lines are returned as problems, not skipped silently. */
export function readCheckpoints(paths: readonly string[], workspaceId: string): { checkpoints: Checkpoint[]; damaged: string[] } {
  const checkpoints: Checkpoint[] = [];
  const damaged: string[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') damaged.push(`${path} cannot be read`);
      continue;
    }
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        damaged.push(`line ${i + 1} of ${path} is not a checkpoint`);
        return;
      }
      const c = checkpointSchema.safeParse(parsed);
      if (!c.success) damaged.push(`line ${i + 1} of ${path} is not a checkpoint`);
      else if (c.data.workspaceId === workspaceId) checkpoints.push(c.data);
    });
  }
  return { checkpoints, damaged };
}

/** What is wrong with the chain measured against the checkpoints (called by verifyAudit after its walk). */
export function checkpointProblems(checkpoints: readonly Checkpoint[], chainLength: number, hashes: ReadonlyMap<number, string>, sigs: SignatureCheck): { seq: number; reason: string }[] {
  const out: { seq: number; reason: string }[] = [];
  for (const c of [...checkpoints].sort((a, b) => b.seq - a.seq)) {
    if (c.seq > chainLength) {
      out.push({ seq: chainLength + 1, reason: `the chain ends at entry #${chainLength}, but a checkpoint of ${c.ts} saw #${c.seq}: entries were removed, or an older copy of the database was put back` });
      continue;
    }
    const key = sigs.keyOf(c.signer);
    if (!key || !verifyCanonical(key.publicKey, signedPart(c), c.signature)) {
      out.push({ seq: c.seq, reason: `the checkpoint of ${c.ts} at entry #${c.seq} is not signed by a key of this chain` });
      continue;
    }
    if (hashes.get(c.seq) !== c.headHash) out.push({ seq: c.seq, reason: `entry #${c.seq} differs from what the checkpoint of ${c.ts} recorded: the chain was rewritten from there` });
  }
  return out;
}
