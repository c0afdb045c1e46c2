// The session's part in the audit trail: it unlocks the user's signing key at login so every entry it writes is
// signed, writes checkpoints (at the end, and every CHECKPOINT_EVERY entries), and verifies against them.
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { AuditVerifyResult } from '../../shared/contract';
import { AirlockError } from '../errors';
import type { Workspace } from '../store/workspace';
import { appendAudit, verifyAudit } from './audit';
import { attachAuditSigner, auditSignerOf, detachAuditSigner, type AuditSigner } from './audit-signing';
import { appendCheckpoint, CHECKPOINT_EVERY, checkpointFiles, makeCheckpoint, readCheckpoints, type Checkpoint, type KnownCheckpoint } from './checkpoints';
import { getAuditAnchorFolder, setAuditAnchorFolder } from './settings';
import { currentKey, unlockSigningKey } from './signing-keys';

/** Unlocks the user's signing key with the password just typed and signs the session's entries with it. */
export async function beginSignedSession(ws: Workspace, username: string, password: string): Promise<AuditSigner | null> {
  if (!currentKey(ws.db, username)) return null;
  const { key, row } = await unlockSigningKey(ws.db, ws.workspaceId, username, password);
  const signer = { username, fingerprint: row.fingerprint, key };
  attachAuditSigner(ws.db, signer);
  return signer;
}

function headSeq(ws: Workspace): number {
  return (ws.db.prepare('SELECT coalesce(max(seq), 0) AS n FROM audit_log').get() as { n: number }).n;
}

/** Writes a checkpoint of the chain's head to every checkpoint file; returns the sequence it anchored. */
export function writeCheckpoint(ws: Workspace, reason: string): number | null {
  const signer = auditSignerOf(ws.db);
  if (!signer) return null;
  const c = makeCheckpoint(ws.db, ws.workspaceId, signer, reason, ws.now());
  if (!c) return null;
  recordCheckpoint(ws, c);
  return c.seq;
}

/** Appends a checkpoint made elsewhere (an export bundle's) to the workspace's file and the archive folder. */
export function recordCheckpoint(ws: Workspace, c: Checkpoint): void {
  const [local, ...anchors] = checkpointFiles(ws.dir, ws.workspaceId, getAuditAnchorFolder(ws.db));
  if (local) appendCheckpoint(local, c);
  for (const path of anchors) {
    try {
      appendCheckpoint(path, c);
    } catch (err) {
      // The archive share may be offline: said in the chain (and anchored locally), not fatal to the session.
      appendAudit(ws.db, { actor: 'system', action: 'audit.anchor_unreachable', subject: path, details: { seq: c.seq, error: err instanceof Error ? err.message : String(err) } }, ws.now());
    }
  }
}

/** Called after each call of a session: a checkpoint every CHECKPOINT_EVERY entries. */
export function checkpointIfDue(ws: Workspace, lastAnchored: number): number {
  if (!ws.isOpen || headSeq(ws) - lastAnchored < CHECKPOINT_EVERY) return lastAnchored;
  return writeCheckpoint(ws, 'every 100 entries') ?? lastAnchored;
}

/** At the end of a session: the last checkpoint, then no more signing with this key. */
export function endSignedSession(ws: Workspace): void {
  try {
    if (ws.isOpen) writeCheckpoint(ws, 'session end');
  } catch {
    // A full disk must not stop the store from closing; the chain stays anchored by the checkpoints before this one.
  } finally {
    detachAuditSigner(ws.db);
  }
}

/** The chain verified link by link, signature by signature, and against every checkpoint this workspace knows
 * (plus `extra` ones found elsewhere, e.g. in export bundles, which must be of this workspace). */
export function verifyWorkspaceAudit(ws: Workspace, extra: readonly KnownCheckpoint[] = []): AuditVerifyResult {
  const other = extra.find((c) => c.workspaceId !== ws.workspaceId);
  if (other) throw new AirlockError('INVALID_ARGUMENT', `The checkpoint in ${other.source ?? 'the file given'} is of another workspace (${other.workspaceId}), not of this one (${ws.workspaceId}).`);
  const { checkpoints, damaged } = readCheckpoints(checkpointFiles(ws.dir, ws.workspaceId, getAuditAnchorFolder(ws.db)), ws.workspaceId);
  const result = verifyAudit(ws.db, [...checkpoints, ...extra]);
  if (result.ok && damaged.length > 0) return { ...result, ok: false, headHash: null, reason: `the chain holds, but a checkpoint file was tampered with: ${damaged.join('; ')}` };
  return result;
}

/** Sets the archive folder after proving a checkpoint can be written there; clearing it needs no proof. */
export function configureAuditAnchor(ws: Workspace, actor: string, folder: string | null): string | null {
  if (folder !== null) {
    if (!isAbsolute(folder)) throw new AirlockError('INVALID_ARGUMENT', `The archive folder must be a full path (it starts with /): “${folder}” is not.`);
    let dir: boolean;
    try {
      dir = statSync(folder).isDirectory();
    } catch {
      dir = false;
    }
    if (!dir) throw new AirlockError('NOT_FOUND', `There is no folder ${folder}. Mount the archive share first, then set it.`);
    const signer = auditSignerOf(ws.db);
    const c = signer ? makeCheckpoint(ws.db, ws.workspaceId, signer, 'archive folder set', ws.now()) : null;
    const target = checkpointFiles(ws.dir, ws.workspaceId, folder)[1];
    // Written before the setting changes: a share that refuses writes is refused here, not discovered later.
    if (c && target) appendCheckpoint(target, c);
  }
  return setAuditAnchorFolder(ws.db, actor, folder, ws.now());
}
