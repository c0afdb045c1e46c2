// Anchors of the audit chain outside the database: a signed checkpoint (sequence, head hash, time) appended to a
// file beside the key slots at every session end and every CHECKPOINT_EVERY entries, and to a write-once folder
// an admin may configure (an archive share). A chain shorter than, or different from, any checkpoint is named:
// tail truncation, an older copy of the database put back, a WAL that lost its last commits.
import { closeSync, constants, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AirlockError } from '../errors';
import type { Db } from '../store/database';
import type { KeyObject } from 'node:crypto';
import type { AuditSigner, SignatureCheck } from './audit-signing';
import { signCanonical, verifyCanonical } from './signature';

export const CHECKPOINT_FILE = 'audit-checkpoints.jsonl';
export const CHECKPOINT_EVERY = 100;
export const CHECKPOINT_KIND = 'airlock-audit-checkpoint/1';

export const checkpointSchema = z.object({
  kind: z.literal(CHECKPOINT_KIND),
  workspaceId: z.string().max(100),
  seq: z.number().int().positive(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  ts: z.string().max(40),
  // Long enough for an export's "bundle <uuid>".
  reason: z.string().max(80),
  signer: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.string().max(200),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;
/** A checkpoint with where it was found (e.g. "bundle <id>"), so a problem it reveals names its source. */
export type KnownCheckpoint = Checkpoint & { source?: string };

export const signedPart = (c: Omit<Checkpoint, 'signature'>) => ({ kind: c.kind, workspaceId: c.workspaceId, seq: c.seq, headHash: c.headHash, ts: c.ts, reason: c.reason, signer: c.signer });

/** Signs a checkpoint body with an Ed25519 key (the session's, or an exporter's for a bundle). */
export function signCheckpoint(body: Omit<Checkpoint, 'signature' | 'kind'>, key: KeyObject): Checkpoint {
  const unsigned = { ...body, kind: CHECKPOINT_KIND } as const;
  return { ...signedPart(unsigned), signature: signCanonical(key, signedPart(unsigned)) };
}

/** The head of the chain as it is now, signed by the session's user; null for an empty chain. */
export function makeCheckpoint(db: Db, workspaceId: string, signer: AuditSigner, reason: string, now: Date): Checkpoint | null {
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  if (!head) return null;
  return signCheckpoint({ workspaceId, seq: head.seq, headHash: head.hash, ts: now.toISOString(), reason, signer: signer.fingerprint }, signer.key);
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

const named = (c: KnownCheckpoint, article: 'a' | 'the'): string => (c.source ? `the checkpoint in ${c.source} (${c.ts})` : `${article} checkpoint of ${c.ts}`);

/** What is wrong with the chain measured against the checkpoints (called by verifyAudit after its walk). */
export function checkpointProblems(checkpoints: readonly KnownCheckpoint[], chainLength: number, hashes: ReadonlyMap<number, string>, sigs: SignatureCheck): { seq: number; reason: string }[] {
  const out: { seq: number; reason: string }[] = [];
  // Newest first; at the same entry, one found outside the workspace (a bundle) is named first.
  const order = [...checkpoints].sort((a, b) => b.seq - a.seq || Number(b.source !== undefined) - Number(a.source !== undefined));
  for (const c of order) {
    const key = sigs.keyOf(c.signer);
    const signed = key !== null && verifyCanonical(key.publicKey, signedPart(c), c.signature);
    if (c.seq > chainLength && (signed || key === null)) {
      out.push({ seq: chainLength + 1, reason: `the chain ends at entry #${chainLength}, but ${named(c, 'a')} saw #${c.seq}: entries were removed, or an older copy of the database was put back` });
      continue;
    }
    if (!signed) {
      out.push({ seq: c.seq, reason: `${named(c, 'the')} at entry #${c.seq} is not signed by a key of this chain` });
      continue;
    }
    if (hashes.get(c.seq) !== c.headHash) out.push({ seq: c.seq, reason: `entry #${c.seq} differs from what ${named(c, 'the')} recorded: the chain was rewritten from there, or an older copy of the database was put back` });
  }
  return out;
}
