// Approval requests, signatures, revocations, retirements and exports in the store: `db` first, parameters only.
// Every table here is append-only (migration 8's triggers): state is derived from rows, never updated.
import { AirlockError } from '../errors';
import type { Db } from '../store/database';
import type { ReleaseTier } from '../../shared/criteria';

export interface RequestRow {
  id: number;
  dataset_id: number;
  validation_id: number;
  dataset_sha256: string;
  spec_id: number;
  spec_version: number;
  spec_hash: string;
  result_sha256: string;
  card: string;
  card_sha256: string;
  tier: ReleaseTier;
  requested_by: string;
  requested_at: string;
}

export interface SignatureRow {
  id: number;
  request_id: number;
  signer: string;
  key_id: number;
  decision: 'approved' | 'rejected';
  payload: string;
  signature: string;
  signed_at: string;
}

export interface RevocationRow {
  signature_id: number;
  revoked_by: string;
  key_id: number;
  payload: string;
  signature: string;
  reason: string;
  revoked_at: string;
}

export interface RetirementRow {
  dataset_id: number;
  retired_by: string;
  reason: string;
  retired_at: string;
}

export function insertRequest(db: Db, r: Omit<RequestRow, 'id'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO approval_requests (dataset_id, validation_id, dataset_sha256, spec_id, spec_version, spec_hash, result_sha256, card, card_sha256, tier, requested_by, requested_at)
         VALUES (@dataset_id, @validation_id, @dataset_sha256, @spec_id, @spec_version, @spec_hash, @result_sha256, @card, @card_sha256, @tier, @requested_by, @requested_at)`,
      )
      .run(r).lastInsertRowid,
  );
}

export function getRequestRow(db: Db, id: number): RequestRow {
  const row = db.prepare('SELECT * FROM approval_requests WHERE id = ?').get(id) as RequestRow | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `There is no approval request #${id}.`);
  return row;
}

export function listRequestRows(db: Db, datasetId?: number): RequestRow[] {
  if (datasetId !== undefined) return db.prepare('SELECT * FROM approval_requests WHERE dataset_id = ? ORDER BY id DESC').all(datasetId) as RequestRow[];
  return db.prepare('SELECT * FROM approval_requests ORDER BY id DESC').all() as RequestRow[];
}

export function insertSignature(db: Db, s: Omit<SignatureRow, 'id'>): number {
  return Number(
    db
      .prepare('INSERT INTO approval_signatures (request_id, signer, key_id, decision, payload, signature, signed_at) VALUES (@request_id, @signer, @key_id, @decision, @payload, @signature, @signed_at)')
      .run(s).lastInsertRowid,
  );
}

export function signaturesOf(db: Db, requestId: number): SignatureRow[] {
  return db.prepare('SELECT * FROM approval_signatures WHERE request_id = ? ORDER BY id').all(requestId) as SignatureRow[];
}

export function getSignatureRow(db: Db, id: number): SignatureRow {
  const row = db.prepare('SELECT * FROM approval_signatures WHERE id = ?').get(id) as SignatureRow | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `There is no signature #${id}.`);
  return row;
}

export function insertRevocation(db: Db, r: RevocationRow): void {
  db.prepare(
    'INSERT INTO approval_revocations (signature_id, revoked_by, key_id, payload, signature, reason, revoked_at) VALUES (@signature_id, @revoked_by, @key_id, @payload, @signature, @reason, @revoked_at)',
  ).run(r);
}

export function revocationOf(db: Db, signatureId: number): RevocationRow | null {
  return (db.prepare('SELECT * FROM approval_revocations WHERE signature_id = ?').get(signatureId) as RevocationRow | undefined) ?? null;
}

export function insertRetirement(db: Db, r: RetirementRow): void {
  db.prepare('INSERT INTO dataset_retirements (dataset_id, retired_by, reason, retired_at) VALUES (@dataset_id, @retired_by, @reason, @retired_at)').run(r);
}

export function retirementOf(db: Db, datasetId: number): RetirementRow | null {
  return (db.prepare('SELECT * FROM dataset_retirements WHERE dataset_id = ?').get(datasetId) as RetirementRow | undefined) ?? null;
}

export function insertExport(db: Db, e: { bundle_id: string; dataset_id: number; request_id: number; manifest_sha256: string; path: string; exported_by: string; exported_at: string }): void {
  db.prepare(
    'INSERT INTO exports (bundle_id, dataset_id, request_id, manifest_sha256, path, exported_by, exported_at) VALUES (@bundle_id, @dataset_id, @request_id, @manifest_sha256, @path, @exported_by, @exported_at)',
  ).run(e);
}
