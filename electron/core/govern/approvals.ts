// Sign-off: a steward requests approval of a validated dataset (freezing dataset, spec, result and card by their
// hashes); reviewers sign it with their password and a meaning; approvals can be revoked and datasets retired.
// Separation of duties is enforced here, whatever roles the caller holds. Every step is an audit event.
import { TIER_LABELS } from '../../shared/criteria';
import type { RequestDetail, RequestView } from '../../shared/approval-schemas';
import { AirlockError, ForbiddenError, InvalidCredentialsError } from '../errors';
import type { Workspace } from '../store/workspace';
import { getDatasetRow, getRunRow } from '../train/runs-repo';
import { specName } from '../train/specs';
import { getResultRow, listValidationRows } from '../validate/validations-repo';
import * as repo from './approvals-repo';
import { appendAudit } from './audit';
import { buildCard, cardContent } from './card/build';
import { sessionCodec } from '../store/sources-seal';
import { renderCardHtml } from './card/html';
import { evaluateRequest, parsePayload, signatureView, type Evaluation } from './gate';
import { APPROVAL_KIND, REJECTED_MEANING, REVOCATION_KIND, approvedMeaning, canonicalBytes, sha256Hex, signCanonical, type ApprovalPayload, type RevocationPayload } from './signature';
import { unlockSigningKey } from './signing-keys';
import type { UserRow } from './users-repo';
import { assertNotLocked, refuseWrongPassword } from './users';
import { renderReportHtml } from '../validate/report/html';
import type { ReportDocument } from '../validate/report/html';

export interface SectionInput {
  title: string;
  body: string;
}

// The validation a request rests on: the one named, or the dataset's newest finished one. buildCard checks it
// (done, of this dataset, judging its current data), so the card is the one place those checks live.
function chooseValidation(ws: Workspace, datasetId: number, validationId?: number): number {
  getDatasetRow(ws.db, datasetId);
  return validationId ?? latestDoneValidation(ws, datasetId);
}

function latestDoneValidation(ws: Workspace, datasetId: number): number {
  const done = listValidationRows(ws.db, datasetId).find((r) => r.status === 'done');
  if (!done) throw new AirlockError('CONFLICT', `Dataset #${datasetId} has no finished validation. Validate it before requesting approval.`);
  return done.id;
}

function assertNotRetired(ws: Workspace, datasetId: number): void {
  const r = repo.retirementOf(ws.db, datasetId);
  if (r) throw new AirlockError('DATASET_RETIRED', `Dataset #${datasetId} was retired by ${r.retired_by} (“${r.reason}”): it can no longer be approved or exported.`);
}

export function previewCard(ws: Workspace, actor: UserRow, datasetId: number, validationId: number | undefined, sections: SectionInput[]): { cardJson: string; cardHtml: string } {
  const card = buildCard(ws.db, sessionCodec(ws), { datasetId, validationId: chooseValidation(ws, datasetId, validationId), requestedBy: actor.username, stewardSections: sections, generatedAt: ws.now() });
  return { cardJson: cardContent(card).content, cardHtml: renderCardHtml(card, [], null) };
}

export function requestApproval(ws: Workspace, actor: UserRow, datasetId: number, validationId: number | undefined, sections: SectionInput[]): RequestView {
  assertNotRetired(ws, datasetId);
  const validation = chooseValidation(ws, datasetId, validationId);
  for (const r of repo.listRequestRows(ws.db, datasetId)) {
    const status = evaluateRequest(ws.db, r).status;
    if (status === 'pending' || status === 'approved') throw new AirlockError('CONFLICT', `Request #${r.id} for dataset #${datasetId} is still ${status}. A rejection, or a revoked approval, ends it first.`);
  }
  // What the request freezes is what the card states: the card is built from the store and checked there.
  const card = buildCard(ws.db, sessionCodec(ws), { datasetId, validationId: validation, requestedBy: actor.username, stewardSections: sections, generatedAt: ws.now() });
  const { content, sha256 } = cardContent(card);
  const c = card.identity;
  const id = ws.db.transaction(() => {
    const rid = repo.insertRequest(ws.db, {
      dataset_id: datasetId,
      validation_id: c.validationId,
      dataset_sha256: c.datasetSha256,
      spec_id: c.specId,
      spec_version: c.specVersion,
      spec_hash: c.specHash,
      result_sha256: c.resultSha256,
      card: content,
      card_sha256: sha256,
      tier: c.tier,
      requested_by: actor.username,
      requested_at: ws.now().toISOString(),
    });
    appendAudit(ws.db, { actor: actor.username, action: 'approval.requested', subject: `request #${rid}`, details: { datasetId, validationId: c.validationId, tier: c.tier, datasetSha256: c.datasetSha256, specHash: c.specHash, resultSha256: c.resultSha256, cardSha256: sha256, verdict: c.verdict } }, ws.now());
    return rid;
  })();
  return requestView(ws, actor, id);
}

interface CannotSign {
  code: 'FORBIDDEN' | 'SEPARATION_OF_DUTIES' | 'DATASET_RETIRED' | 'CONFLICT';
  reason: string;
  /** Only an approval is barred (the tier's approvals are in); a rejection may still be signed. */
  approvalOnly: boolean;
}

// Why this user may not sign this request now, or null.
function cannotSign(actor: UserRow, req: repo.RequestRow, ev: Evaluation, signed: boolean): CannotSign | null {
  const no = (code: CannotSign['code'], reason: string, approvalOnly = false): CannotSign => ({ code, reason, approvalOnly });
  if (!actor.roles.includes('reviewer')) return no('FORBIDDEN', 'Only a reviewer can sign approvals.');
  const me = actor.username.toLowerCase();
  if (req.requested_by.toLowerCase() === me) return no('SEPARATION_OF_DUTIES', 'You requested this approval: separation of duties forbids you to sign it.');
  if (ev.makers.has(me)) return no('SEPARATION_OF_DUTIES', 'You wrote the spec or trained this dataset: separation of duties forbids you to sign it.');
  if (ev.status === 'retired') return no('DATASET_RETIRED', 'The dataset was retired.');
  if (ev.status === 'rejected') return no('CONFLICT', 'A rejection ended this request.');
  if (signed) return no('CONFLICT', 'You have already signed this request.');
  if (ev.status === 'approved') return no('CONFLICT', `It already has the ${ev.required} approval${ev.required === 1 ? '' : 's'} its tier needs.`, true);
  return null;
}

export function requestView(ws: Workspace, actor: UserRow, id: number): RequestView {
  const req = repo.getRequestRow(ws.db, id);
  const ev = evaluateRequest(ws.db, req);
  const dataset = getDatasetRow(ws.db, req.dataset_id);
  const run = getRunRow(ws.db, dataset.run_id);
  const signed = repo.signaturesOf(ws.db, id).some((s) => s.signer.toLowerCase() === actor.username.toLowerCase());
  const why = cannotSign(actor, req, ev, signed);
  return {
    id,
    datasetId: req.dataset_id,
    datasetVersion: dataset.version,
    datasetKind: dataset.kind,
    runId: run.id,
    specName: specName(ws.db, req.spec_id, req.spec_version),
    validationId: req.validation_id,
    verdict: getResultRow(ws.db, req.validation_id)?.verdict ?? 'fail',
    tier: req.tier,
    datasetSha256: req.dataset_sha256,
    specHash: req.spec_hash,
    resultSha256: req.result_sha256,
    cardSha256: req.card_sha256,
    requestedBy: req.requested_by,
    requestedAt: req.requested_at,
    status: ev.status,
    requiredApprovals: ev.required,
    approvals: ev.valid.length,
    canSign: why === null,
    cannotSignBecause: why?.reason ?? null,
  };
}

export function listRequests(ws: Workspace, actor: UserRow, status?: RequestView['status']): RequestView[] {
  return repo
    .listRequestRows(ws.db)
    .map((r) => requestView(ws, actor, r.id))
    .filter((v) => !status || v.status === status);
}

export function requestDetail(ws: Workspace, actor: UserRow, id: number): RequestDetail {
  const request = requestView(ws, actor, id);
  const req = repo.getRequestRow(ws.db, id);
  const signatures = repo.signaturesOf(ws.db, id).map((s) => signatureView(ws.db, s));
  const result = getResultRow(ws.db, req.validation_id);
  const document = result ? (JSON.parse(result.document) as ReportDocument) : null;
  const card = JSON.parse(req.card) as Parameters<typeof renderCardHtml>[0];
  return {
    request,
    signatures,
    cardJson: req.card,
    cardHtml: renderCardHtml(card, signatures, { requiredApprovals: request.requiredApprovals }),
    reportHtml: document ? renderReportHtml(document) : '<p>No report.</p>',
    meanings: request.canSign ? [approvedMeaning(req.tier), REJECTED_MEANING] : [],
  };
}

export interface SignInput {
  requestId: number;
  meaning: string;
  comment: string;
  exception?: string | undefined;
  password: string;
}

// The password typed to sign: a wrong one is audited and counts towards the lockout, like a failed login.
export async function unlockOrAudit(ws: Workspace, actor: UserRow, password: string, what: string, details: Record<string, unknown> = {}) {
  assertNotLocked(ws, actor);
  try {
    return await unlockSigningKey(ws.db, ws.workspaceId, actor.username, password);
  } catch (err) {
    if (err instanceof InvalidCredentialsError) refuseWrongPassword(ws, actor, { action: 'signature.failed', subject: what, details: { reason: 'wrong password', ...details } });
    throw err;
  }
}

export async function signRequest(ws: Workspace, actor: UserRow, input: SignInput): Promise<RequestDetail> {
  const req = repo.getRequestRow(ws.db, input.requestId);
  const ev = evaluateRequest(ws.db, req);
  const signed = repo.signaturesOf(ws.db, req.id).some((s) => s.signer.toLowerCase() === actor.username.toLowerCase());
  const approving = input.meaning === approvedMeaning(req.tier);
  // Rejecting is allowed while the request is open; approving also needs it not yet approved.
  const why = cannotSign(actor, req, ev, signed);
  if (why && (approving || !why.approvalOnly)) throw new AirlockError(why.code, `You cannot sign request #${req.id}. ${why.reason}`);
  if (!approving && input.meaning !== REJECTED_MEANING) {
    throw new AirlockError('INVALID_ARGUMENT', `Request #${req.id} asks for approval for ${TIER_LABELS[req.tier].toLowerCase()}: sign “${approvedMeaning(req.tier)}” or “${REJECTED_MEANING}”.`);
  }
  const verdict = getResultRow(ws.db, req.validation_id)?.verdict ?? 'fail';
  const exception = input.exception?.trim() ? input.exception.trim() : null;
  if (approving && verdict === 'fail' && !exception) {
    throw new AirlockError('CONFLICT', `Validation #${req.validation_id} failed its acceptance criteria. To approve it anyway, record a justified exception: it is printed on the card.`);
  }
  if (exception && (!approving || verdict === 'pass')) throw new AirlockError('INVALID_ARGUMENT', 'An exception is recorded only to approve a dataset whose validation failed.');
  const { key, row } = await unlockOrAudit(ws, actor, input.password, `request #${req.id}`);
  const payload: ApprovalPayload = {
    kind: APPROVAL_KIND,
    datasetSha256: req.dataset_sha256,
    specHash: req.spec_hash,
    resultSha256: req.result_sha256,
    cardSha256: req.card_sha256,
    tier: req.tier,
    meaning: input.meaning,
    comment: input.comment.trim(),
    exception,
    signer: { username: actor.username, printedName: actor.displayName },
    signedAt: ws.now().toISOString(),
  };
  const signature = signCanonical(key, payload);
  ws.db.transaction(() => {
    const sid = repo.insertSignature(ws.db, { request_id: req.id, signer: actor.username, key_id: row.id, decision: approving ? 'approved' : 'rejected', payload: canonicalBytes(payload).toString('utf8'), signature, signed_at: payload.signedAt });
    appendAudit(
      ws.db,
      { actor: actor.username, action: approving ? 'approval.approved' : 'approval.rejected', subject: `request #${req.id}`, details: { signatureId: sid, datasetId: req.dataset_id, tier: req.tier, meaning: payload.meaning, exception: exception !== null, fingerprint: row.fingerprint, signatureSha256: sha256Hex(Buffer.from(signature, 'base64')) } },
      ws.now(),
    );
  })();
  return requestDetail(ws, actor, req.id);
}

export async function revokeApproval(ws: Workspace, actor: UserRow, signatureId: number, reason: string, password: string): Promise<RequestDetail> {
  const sig = repo.getSignatureRow(ws.db, signatureId);
  if (sig.decision !== 'approved') throw new AirlockError('CONFLICT', 'Only an approval can be revoked; a rejection ends its request for good.');
  const own = sig.signer.toLowerCase() === actor.username.toLowerCase();
  if (!own && !actor.roles.includes('admin')) throw new ForbiddenError('Only the approval’s signer or an admin can revoke it.');
  if (repo.revocationOf(ws.db, sig.id)) throw new AirlockError('CONFLICT', `This approval by ${parsePayload(sig).signer.printedName} is already revoked.`);
  const { key, row } = await unlockOrAudit(ws, actor, password, `signature #${sig.id}`);
  const payload: RevocationPayload = {
    kind: REVOCATION_KIND,
    approvalSignatureSha256: sha256Hex(Buffer.from(sig.signature, 'base64')),
    reason: reason.trim(),
    signer: { username: actor.username, printedName: actor.displayName },
    signedAt: ws.now().toISOString(),
  };
  const signature = signCanonical(key, payload);
  ws.db.transaction(() => {
    repo.insertRevocation(ws.db, { signature_id: sig.id, revoked_by: actor.username, key_id: row.id, payload: canonicalBytes(payload).toString('utf8'), signature, reason: payload.reason, revoked_at: payload.signedAt });
    appendAudit(ws.db, { actor: actor.username, action: 'approval.revoked', subject: `request #${sig.request_id}`, details: { signatureId: sig.id, signer: sig.signer, reason: payload.reason, fingerprint: row.fingerprint } }, ws.now());
  })();
  return requestDetail(ws, actor, sig.request_id);
}

export function retireDataset(ws: Workspace, actor: UserRow, datasetId: number, reason: string): void {
  getDatasetRow(ws.db, datasetId);
  assertNotRetired(ws, datasetId);
  ws.db.transaction(() => {
    repo.insertRetirement(ws.db, { dataset_id: datasetId, retired_by: actor.username, reason: reason.trim(), retired_at: ws.now().toISOString() });
    appendAudit(ws.db, { actor: actor.username, action: 'dataset.retired', subject: `dataset #${datasetId}`, details: { reason: reason.trim() } }, ws.now());
  })();
}
