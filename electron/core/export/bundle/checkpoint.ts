// The bundle's anchor of the audit chain: audit/checkpoint.json, a checkpoint (sequence, head hash, time) of the
// workspace's chain at export, signed by the exporter's key, listed in the manifest like every file. Verify checks it
// against the manifest; `airlock audit verify --checkpoint BUNDLE` holds the workspace's chain to it, so a chain cut
// back or an older copy of the workspace put back after an export is named.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { AirlockError } from '../../errors';
import { checkpointSchema, signCheckpoint, signedPart, type Checkpoint } from '../../govern/checkpoints';
import { keyFingerprint, rawPublicKey, verifyCanonical } from '../../govern/signature';
import type { ApprovalsDocument, ManifestDocument } from './approvals-doc';

export const CHECKPOINT_PATH = 'audit/checkpoint.json';

/** The head of the exporting workspace's chain when the export began. */
export interface ChainHead {
  workspaceId: string;
  seq: number;
  headHash: string;
}

const reasonFor = (bundleId: string): string => `bundle ${bundleId}`;
// Strict: no unknown key, and the signature exactly 64 bytes of canonical base64 (a decoder would skip stray bytes).
const strict = checkpointSchema.extend({ signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/) }).strict();

/** The checkpoint a bundle carries: made at its export time, for its id, signed by the key that signs its manifest. */
export function bundleCheckpoint(chain: ChainHead, bundleId: string, now: Date, key: KeyObject): Checkpoint {
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') throw new AirlockError('EXPORT_REFUSED', 'The exporter’s signing key is not an Ed25519 private key.');
  const c = signCheckpoint({ workspaceId: chain.workspaceId, seq: chain.seq, headHash: chain.headHash, ts: now.toISOString(), reason: reasonFor(bundleId), signer: keyFingerprint(rawPublicKey(createPublicKey(key))) }, key);
  const parsed = checkpointSchema.safeParse(c);
  if (!parsed.success) throw new AirlockError('EXPORT_REFUSED', 'The audit chain’s head could not be recorded in the bundle (its sequence or hash is not well formed), so nothing was exported.');
  return parsed.data;
}

export const checkpointBytes = (c: Checkpoint): Uint8Array => new Uint8Array(Buffer.from(`${JSON.stringify(c, null, 2)}\n`, 'utf8'));

export function parseCheckpoint(bytes: Uint8Array): Checkpoint | null {
  try {
    const parsed = strict.safeParse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Every problem with the bundle's checkpoint (sentences without the file name), and the checkpoint when it could be
 * read. It must be the exporter's, for this bundle, at its export time, and no approval may be newer than it.
 */
export function bundleCheckpointProblems(bytes: Uint8Array | undefined, manifest: ManifestDocument | null, approvals: ApprovalsDocument | null): { problems: string[]; checkpoint: Checkpoint | null } {
  if (!bytes) return { problems: ['the bundle holds no checkpoint of the audit chain, so it cannot anchor the workspace’s audit trail'], checkpoint: null };
  const c = parseCheckpoint(bytes);
  if (!c) return { problems: ['it is not an Airlock audit checkpoint (kind “airlock-audit-checkpoint/1” with workspaceId, seq, headHash, ts, reason, signer, signature)'], checkpoint: null };
  const problems: string[] = [];
  if (manifest) {
    const exporterKey = manifest.exporter.publicKey;
    if (c.signer !== keyFingerprint(exporterKey)) problems.push('it is not signed with the exporter’s key (its signer fingerprint is another key’s)');
    else if (!verifyCanonical(exporterKey, signedPart(c), c.signature)) problems.push('its signature does not verify with the exporter’s key (the checkpoint was changed after export)');
    if (c.reason !== reasonFor(manifest.bundleId)) problems.push(`it was made for another bundle (“${c.reason}”), not for bundle ${manifest.bundleId}`);
    if (c.ts !== manifest.createdAt) problems.push(`its time (${c.ts}) is not the bundle’s export time (${manifest.createdAt})`);
  }
  if (approvals) {
    // The request and every approval were entries of the chain before the export, so none can be newer than its head.
    const late = [approvals.request.requestedAt, ...approvals.approvals.map((a) => a.payload.signedAt)].find((t) => Date.parse(t) > Date.parse(c.ts));
    if (late) problems.push(`it records the chain at ${c.ts}, before the approval request or an approval it should include (${late})`);
  }
  return { problems, checkpoint: c };
}
