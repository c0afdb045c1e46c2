// Validations and their immutable results in the store: `db` first, parameters only.
import { AirlockError } from '../errors';
import type { Db } from '../store/database';

export interface ValidationRow {
  id: number;
  dataset_id: number;
  dataset_sha256: string;
  spec_id: number;
  spec_version: number;
  spec_hash: string;
  validator_version: string;
  seed: string;
  status: 'running' | 'cancelled' | 'failed' | 'done';
  actor: string;
  error_code: string | null;
  error_message: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface ResultRow {
  validation_id: number;
  verdict: 'pass' | 'fail';
  result: string;
  result_sha256: string;
  document: string;
  created_at: string;
}

export function insertValidation(
  db: Db,
  v: { datasetId: number; datasetSha256: string; specId: number; specVersion: number; specHash: string; validatorVersion: string; seed: string; actor: string },
  now: Date,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO validations (dataset_id, dataset_sha256, spec_id, spec_version, spec_hash, validator_version, seed, status, actor, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
      )
      .run(v.datasetId, v.datasetSha256, v.specId, v.specVersion, v.specHash, v.validatorVersion, v.seed, v.actor, now.toISOString()).lastInsertRowid,
  );
}

export function getValidationRow(db: Db, id: number): ValidationRow {
  const row = db.prepare('SELECT * FROM validations WHERE id = ?').get(id) as ValidationRow | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `There is no validation #${id}.`);
  return row;
}

export function listValidationRows(db: Db, datasetId?: number): ValidationRow[] {
  return (datasetId === undefined
    ? db.prepare('SELECT * FROM validations ORDER BY id DESC').all()
    : db.prepare('SELECT * FROM validations WHERE dataset_id = ? ORDER BY id DESC').all(datasetId)) as ValidationRow[];
}

export function finishValidation(db: Db, id: number, status: 'done' | 'cancelled' | 'failed', now: Date, error?: { code: string; message: string }): void {
  db.prepare("UPDATE validations SET status = ?, finished_at = ?, error_code = ?, error_message = ? WHERE id = ? AND status = 'running'").run(status, now.toISOString(), error?.code ?? null, error?.message ?? null, id);
}

export function insertResult(db: Db, r: { validationId: number; verdict: 'pass' | 'fail'; result: string; resultSha256: string; document: string }, now: Date): void {
  db.prepare('INSERT INTO validation_results (validation_id, verdict, result, result_sha256, document, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(r.validationId, r.verdict, r.result, r.resultSha256, r.document, now.toISOString());
}

export function getResultRow(db: Db, validationId: number): ResultRow | null {
  return (db.prepare('SELECT * FROM validation_results WHERE validation_id = ?').get(validationId) as ResultRow | undefined) ?? null;
}

/** Validations still 'running' when a workspace opens were cut off; they failed (and say so in the audit chain). */
export function interruptedValidations(db: Db): number[] {
  return (db.prepare("SELECT id FROM validations WHERE status = 'running'").all() as { id: number }[]).map((r) => r.id);
}
