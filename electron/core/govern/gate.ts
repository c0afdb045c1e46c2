// The export gate, in the core: whatever the UI shows, a dataset leaves only with a request whose frozen hashes
// still match the store (recomputed now, not read back), no rejection, no retirement, and enough distinct
// reviewers' approvals, each signature verified against the signer's recorded public key. Each refusal is a sentence.
import { TIER_LABELS } from '../../shared/criteria';
import type { GateAnswer, RequestStatus, SignatureView } from '../../shared/approval-schemas';
import type { Db } from '../store/database';
import { datasetHash, getDatasetRow } from '../train/runs-repo';
import { imagesDatasetHash } from '../export/bundle/images';
import { getResultRow } from '../validate/validations-repo';
import { getRequestRow, listRequestRows, retirementOf, revocationOf, signaturesOf, type RequestRow, type SignatureRow } from './approvals-repo';
import { datasetMakers } from './lineage';
import { getPolicy } from './policy';
import { APPROVAL_KIND, REJECTED_MEANING, approvedMeaning, sha256Hex, verifyCanonical, type ApprovalPayload } from './signature';
import { keyById } from './signing-keys';

export interface Evaluation {
  status: RequestStatus;
  required: number;
  /** Approvals that count: verified, covering this request, not revoked, by someone allowed to approve. */
  valid: SignatureRow[];
  rejections: SignatureRow[];
  /** Signatures that do not count, and why. */
  problems: string[];
  /** Who may never approve this dataset (lower-case user names). */
  makers: Set<string>;
}

export function parsePayload(sig: SignatureRow): ApprovalPayload {
  return JSON.parse(sig.payload) as ApprovalPayload;
}

// Null when the signature is sound for this request; otherwise the reason it does not count.
export function signatureProblem(db: Db, req: RequestRow, sig: SignatureRow, makers: Set<string>): string | null {
  let p: ApprovalPayload;
  try {
    p = parsePayload(sig);
  } catch {
    return `The signature #${sig.id} by ${sig.signer} is unreadable.`;
  }
  const who = p.signer?.printedName ? `${p.signer.printedName} (${sig.signer})` : sig.signer;
  const key = keyById(db, sig.key_id);
  if (!key || key.username.toLowerCase() !== sig.signer.toLowerCase() || p.signer?.username?.toLowerCase() !== sig.signer.toLowerCase()) {
    return `The signature by ${who} does not name the key it was made with.`;
  }
  if (!verifyCanonical(key.public_key, p, sig.signature)) return `The signature by ${who} does not verify against their recorded public key: it was forged or altered.`;
  if (p.kind !== APPROVAL_KIND) return `The signature by ${who} is not an approval.`;
  if (p.datasetSha256 !== req.dataset_sha256 || p.specHash !== req.spec_hash || p.resultSha256 !== req.result_sha256 || p.cardSha256 !== req.card_sha256 || p.tier !== req.tier) {
    return `The signature by ${who} was made for another dataset, spec, result or card, not for request #${req.id}.`;
  }
  const meaning = sig.decision === 'approved' ? approvedMeaning(req.tier) : REJECTED_MEANING;
  if (p.meaning !== meaning) return `The signature by ${who} means “${p.meaning}”, not “${meaning}”.`;
  if (key.retired_at !== null && key.retired_at <= p.signedAt) return `The signature by ${who} was made with a key that had already been replaced.`;
  if (sig.decision === 'approved' && makers.has(sig.signer.toLowerCase())) {
    return `${who} made this dataset (spec, training or request), so separation of duties does not let their approval count.`;
  }
  return null;
}

export function evaluateRequest(db: Db, req: RequestRow): Evaluation {
  const m = datasetMakers(db, req.dataset_id);
  const makers = new Set([...m.specAuthors, ...m.runStartedBy, m.datasetCreatedBy, req.requested_by.toLowerCase()]);
  const required = getPolicy(db)[req.tier];
  const valid: SignatureRow[] = [];
  const rejections: SignatureRow[] = [];
  const problems: string[] = [];
  const counted = new Set<string>();
  for (const sig of signaturesOf(db, req.id)) {
    const problem = signatureProblem(db, req, sig, makers);
    if (problem) problems.push(problem);
    else if (sig.decision === 'rejected') rejections.push(sig);
    else if (!revocationOf(db, sig.id) && !counted.has(sig.signer.toLowerCase())) {
      counted.add(sig.signer.toLowerCase());
      valid.push(sig);
    }
  }
  const retired = retirementOf(db, req.dataset_id) !== null;
  const status: RequestStatus = retired ? 'retired' : rejections.length > 0 ? 'rejected' : valid.length >= required ? 'approved' : 'pending';
  return { status, required, valid, rejections, problems, makers };
}

export function signatureView(db: Db, sig: SignatureRow): SignatureView {
  const p = parsePayload(sig);
  const rev = revocationOf(db, sig.id);
  const revPayload = rev ? (JSON.parse(rev.payload) as { signer?: { printedName?: string } }) : null;
  return {
    id: sig.id,
    requestId: sig.request_id,
    username: sig.signer,
    printedName: p.signer.printedName,
    decision: sig.decision,
    meaning: p.meaning,
    comment: p.comment,
    exception: p.exception,
    signedAt: p.signedAt,
    keyFingerprint: keyById(db, sig.key_id)?.fingerprint ?? '',
    revoked: rev ? { by: rev.revoked_by, printedName: revPayload?.signer?.printedName ?? rev.revoked_by, reason: rev.reason, at: rev.revoked_at } : null,
  };
}

/** The dataset's identity recomputed from the stored rows or images, never the stored hash column. */
export function currentDatasetHash(db: Db, datasetId: number): string {
  const d = getDatasetRow(db, datasetId);
  if (d.kind === 'images') {
    // The class recorded beside each image must be the one its file names (the hash covers the file's).
    const stored = db.prepare('SELECT dicom, class_label FROM dataset_images WHERE dataset_id = ? ORDER BY idx').all(datasetId) as { dicom: Buffer; class_label: string | null }[];
    return imagesDatasetHash(stored.map((r) => new Uint8Array(r.dicom)), stored.map((r) => r.class_label));
  }
  const rows = (db.prepare('SELECT cells FROM dataset_rows WHERE dataset_id = ? ORDER BY row_idx').all(datasetId) as { cells: string }[]).map((r) => JSON.parse(r.cells) as (string | null)[]);
  return datasetHash(JSON.parse(d.header) as string[], rows);
}

// What the request froze, checked against what the store holds now.
function driftReasons(db: Db, req: RequestRow): string[] {
  const reasons: string[] = [];
  if (currentDatasetHash(db, req.dataset_id) !== req.dataset_sha256) reasons.push(`The synthetic data of dataset #${req.dataset_id} no longer matches what request #${req.id} froze: it was changed after the request.`);
  const spec = db.prepare('SELECT content FROM spec_versions WHERE spec_id = ? AND version = ?').get(req.spec_id, req.spec_version) as { content: string } | undefined;
  if (!spec || sha256Hex(spec.content) !== req.spec_hash) reasons.push(`The spec version request #${req.id} froze has changed or is missing.`);
  const result = getResultRow(db, req.validation_id);
  if (!result || sha256Hex(result.result) !== req.result_sha256 || result.result_sha256 !== req.result_sha256) reasons.push(`The validation result request #${req.id} froze has changed or is missing.`);
  if (sha256Hex(req.card) !== req.card_sha256) reasons.push(`The dataset card request #${req.id} froze has been altered.`);
  return reasons;
}

export function exportGate(db: Db, datasetId: number): GateAnswer & { request: RequestRow | null; evaluation: Evaluation | null } {
  const dataset = getDatasetRow(db, datasetId);
  const retirement = retirementOf(db, datasetId);
  const reasons: string[] = [];
  if (retirement) reasons.push(`Dataset #${datasetId} was retired by ${retirement.retired_by} on ${retirement.retired_at.slice(0, 10)} (“${retirement.reason}”): a retired dataset cannot be exported.`);
  const [latest] = listRequestRows(db, datasetId);
  const base = { datasetId, retired: retirement ? { by: retirement.retired_by, reason: retirement.reason, at: retirement.retired_at } : null };
  if (!latest) {
    reasons.push(`Dataset #${datasetId} (version ${dataset.version} of run #${dataset.run_id}) has no approval request. Validate it, then request approval.`);
    return { ...base, allowed: false, reasons, requestId: null, tier: null, approvals: [], requiredApprovals: null, request: null, evaluation: null };
  }
  const req = getRequestRow(db, latest.id);
  const ev = evaluateRequest(db, req);
  if (req.dataset_sha256 !== dataset.sha256) reasons.push(`Request #${req.id} froze another version of this dataset's data; request approval of this version.`);
  reasons.push(...driftReasons(db, req));
  for (const r of ev.rejections) {
    const p = parsePayload(r);
    reasons.push(`${p.signer.printedName} rejected request #${req.id} on ${p.signedAt.slice(0, 10)} (“${p.comment}”): a rejection ends the request.`);
  }
  reasons.push(...ev.problems);
  if (ev.valid.length < ev.required) {
    const have = ev.valid.length;
    reasons.push(`${TIER_LABELS[req.tier]} needs ${ev.required} distinct reviewer${ev.required === 1 ? '' : 's'}’ approval; request #${req.id} has ${have === 0 ? 'none' : have} that count${have === 1 ? 's' : ''}.`);
  }
  // Any unsound signature blocks, even beside enough sound ones: it means the store was tampered with.
  return {
    ...base,
    allowed: reasons.length === 0,
    reasons,
    requestId: req.id,
    tier: req.tier,
    approvals: ev.valid.map((s) => signatureView(db, s)),
    requiredApprovals: ev.required,
    request: req,
    evaluation: ev,
  };
}
