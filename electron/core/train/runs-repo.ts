// Runs, checkpoints, fitted models and synthetic datasets in the store: `db` first, parameters only.
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { AirlockError } from '../errors';
import type { Db } from '../store/database';
import type { SourceCodec } from '../store/sources-seal';
import { tableRows } from '../ingest/sources-repo';
import { appendAudit } from '../govern/audit';
import { updateImageHash } from '../export/bundle/images';
import { ruleCheckSchema, type RuleCheck } from '../../shared/rules-schema';

export interface RunRow {
  id: number;
  spec_id: number;
  spec_version: number;
  spec_hash: string;
  source_sha256: string;
  generator: string;
  seed: number;
  status: 'running' | 'cancelled' | 'failed' | 'done';
  actor: string;
  backend: string;
  hyperparameters: string;
  epochs_done: number;
  losses: string;
  error_code: string | null;
  error_message: string | null;
  started_at: string;
  finished_at: string | null;
  /** JSON RuleCheck[] of the table the run produced (migration 12). */
  rule_checks: string;
  /** JSON string[]: notes on the run (migration 11). */
  notes: string;
}

export function insertRun(
  db: Db,
  r: { specId: number; version: number; specHash: string; sourceSha256: string; generator: string; seed: number; actor: string; hyperparameters: unknown },
  now: Date,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO runs (spec_id, spec_version, spec_hash, source_sha256, generator, seed, status, actor, hyperparameters, started_at)
         VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)`,
      )
      .run(r.specId, r.version, r.specHash, r.sourceSha256, r.generator, r.seed, r.actor, JSON.stringify(r.hyperparameters), now.toISOString()).lastInsertRowid,
  );
}

export function getRunRow(db: Db, runId: number): RunRow {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `There is no training run #${runId}.`);
  return row;
}

export function listRunRows(db: Db): RunRow[] {
  return db.prepare('SELECT * FROM runs ORDER BY id DESC').all() as RunRow[];
}

export function updateRunProgress(db: Db, runId: number, epochsDone: number, losses: unknown[]): void {
  db.prepare('UPDATE runs SET epochs_done = ?, losses = ? WHERE id = ?').run(epochsDone, JSON.stringify(losses), runId);
}

// Sentences about how a run went (mixed modalities, greyscale conversion, …), added once each.
export function addRunNotes(db: Db, runId: number, notes: readonly string[]): void {
  if (notes.length === 0) return;
  const row = db.prepare('SELECT notes FROM runs WHERE id = ?').get(runId) as { notes: string } | undefined;
  const have = row ? (JSON.parse(row.notes) as string[]) : [];
  db.prepare('UPDATE runs SET notes = ? WHERE id = ?').run(JSON.stringify([...have, ...notes.filter((n) => !have.includes(n))]), runId);
}

export function setRunBackend(db: Db, runId: number, backend: unknown): void {
  db.prepare('UPDATE runs SET backend = ? WHERE id = ?').run(JSON.stringify(backend), runId);
}

export function finishRun(db: Db, runId: number, status: 'done' | 'cancelled' | 'failed', now: Date, error?: { code: string; message: string }): void {
  db.prepare('UPDATE runs SET status = ?, finished_at = ?, error_code = ?, error_message = ? WHERE id = ?').run(status, now.toISOString(), error?.code ?? null, error?.message ?? null, runId);
  // A finished run keeps its fitted model; its checkpoint could only resume what is done.
  if (status === 'done') db.prepare('DELETE FROM run_checkpoints WHERE run_id = ?').run(runId);
}

export function reopenRun(db: Db, runId: number): void {
  db.prepare("UPDATE runs SET status = 'running', finished_at = NULL, error_code = NULL, error_message = NULL WHERE id = ?").run(runId);
}

/**
 * A run's checkpoint and its progress in one commit (one fsync), replacing the run's earlier checkpoints: a resume
 * only ever starts from the latest, and keeping every epoch's model grew the store by a model per epoch.
 */
export function saveCheckpoint(db: Db, runId: number, epoch: number, content: Buffer, losses: unknown[], now: Date): void {
  db.transaction(() => {
    db.prepare('INSERT OR REPLACE INTO run_checkpoints (run_id, epoch, content, created_at) VALUES (?, ?, ?, ?)').run(runId, epoch, content, now.toISOString());
    db.prepare('DELETE FROM run_checkpoints WHERE run_id = ? AND epoch < ?').run(runId, epoch);
    updateRunProgress(db, runId, epoch, losses);
  })();
}

export function latestCheckpoint(db: Db, runId: number): { epoch: number; content: Buffer } | null {
  const row = db.prepare('SELECT epoch, content FROM run_checkpoints WHERE run_id = ? ORDER BY epoch DESC LIMIT 1').get(runId) as { epoch: number; content: Buffer } | undefined;
  return row ?? null;
}

export function saveModel(db: Db, runId: number, content: Buffer): void {
  db.prepare('INSERT OR REPLACE INTO run_models (run_id, content) VALUES (?, ?)').run(runId, content);
}

export function loadModel(db: Db, runId: number): Buffer {
  const row = db.prepare('SELECT content FROM run_models WHERE run_id = ?').get(runId) as { content: Buffer } | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `Run #${runId} has no fitted model (it did not finish).`);
  return row.content;
}

// The dataset's identity: SHA-256 over the canonical JSON of header and rows, so equal tables hash equal.
export function datasetHash(header: string[], rows: (string | null)[][]): string {
  const hash = createHash('sha256');
  hash.update(canonicalize(header) ?? '[]');
  for (const r of rows) hash.update(`\n${canonicalize(r) ?? '[]'}`);
  return hash.digest('hex');
}

export function insertDataset(db: Db, runId: number, header: string[], rows: (string | null)[][], actor: string, now: Date): { id: number; version: number; sha256: string } {
  const sha256 = datasetHash(header, rows);
  const version = ((db.prepare('SELECT max(version) AS v FROM datasets WHERE run_id = ?').get(runId) as { v: number | null }).v ?? 0) + 1;
  const id = Number(
    db
      .prepare("INSERT INTO datasets (run_id, version, kind, header, row_count, sha256, created_at, created_by) VALUES (?, ?, 'table', ?, ?, ?, ?, ?)")
      .run(runId, version, JSON.stringify(header), rows.length, sha256, now.toISOString(), actor).lastInsertRowid,
  );
  const insert = db.prepare('INSERT INTO dataset_rows (dataset_id, row_idx, cells) VALUES (?, ?, ?)');
  rows.forEach((r, i) => insert.run(id, i, JSON.stringify(r)));
  return { id, version, sha256 };
}

// A table's rule checks: on the run for the table it produced (runId), and with every dataset version.
export function saveRuleChecks(db: Db, runId: number | null, datasetId: number, checks: RuleCheck[]): void {
  const json = JSON.stringify(checks);
  if (runId !== null) db.prepare('UPDATE runs SET rule_checks = ? WHERE id = ?').run(json, runId);
  db.prepare('INSERT INTO dataset_rule_checks (dataset_id, checks) VALUES (?, ?)').run(datasetId, json);
}

function parseChecks(json: string | undefined): RuleCheck[] {
  if (!json) return [];
  const parsed = ruleCheckSchema.array().safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : [];
}

export function runRuleChecks(row: RunRow): RuleCheck[] {
  return parseChecks(row.rule_checks);
}

export function datasetRuleChecks(db: Db, datasetId: number): RuleCheck[] {
  const row = db.prepare('SELECT checks FROM dataset_rule_checks WHERE dataset_id = ?').get(datasetId) as { checks: string } | undefined;
  return parseChecks(row?.checks);
}

export interface DatasetRow {
  id: number;
  run_id: number;
  version: number;
  kind: 'table' | 'images';
  header: string;
  row_count: number;
  sha256: string;
  created_at: string;
  created_by: string;
}

export function getDatasetRow(db: Db, datasetId: number): DatasetRow {
  const row = db.prepare('SELECT * FROM datasets WHERE id = ?').get(datasetId) as DatasetRow | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `There is no synthetic dataset #${datasetId}.`);
  return row;
}

export function runDatasets(db: Db, runId: number): DatasetRow[] {
  return db.prepare('SELECT * FROM datasets WHERE run_id = ? ORDER BY version').all(runId) as DatasetRow[];
}

export function datasetRows(db: Db, datasetId: number, limit: number, offset = 0): (string | null)[][] {
  return (db.prepare('SELECT cells FROM dataset_rows WHERE dataset_id = ? ORDER BY row_idx LIMIT ? OFFSET ?').all(datasetId, limit, offset) as { cells: string }[]).map(
    (r) => JSON.parse(r.cells) as (string | null)[],
  );
}

// Training rows only: the holdout never reaches a generator.
export function trainingRows(db: Db, codec: SourceCodec, tableId: number): (string | null)[][] {
  return tableRows(db, codec, tableId, 0).map((r) => r.cells);
}

// A run still 'running' when a workspace opens was cut off (crash, power loss, app closed): it failed, and
// can be resumed from its last checkpoint.
export function recoverInterruptedRuns(db: Db, now: Date): void {
  const cut = db.prepare("SELECT id, epochs_done FROM runs WHERE status = 'running'").all() as { id: number; epochs_done: number }[];
  db.transaction(() => {
    db.prepare(
      "UPDATE runs SET status = 'failed', finished_at = ?, error_code = 'INTERRUPTED', error_message = 'Airlock closed while this run was training. Resume it from its last checkpoint, or start it again.' WHERE status = 'running'",
    ).run(now.toISOString());
    for (const r of cut) appendAudit(db, { actor: 'system', action: 'run.interrupted', subject: `run #${r.id}`, details: { epochsDone: r.epochs_done, code: 'INTERRUPTED' } }, now);
  })();
}

// Synthetic images as a dataset version: one DICOM file each; the hash is over the pixels and each image's class
// (the files carry fresh UIDs and times, so only these say whether two runs made the same images).
export function insertImageDataset(
  db: Db,
  runId: number,
  size: number,
  pixels: Uint8Array[],
  dicoms: Uint8Array[],
  actor: string,
  now: Date,
  images: { classLabel: string | null; attributes: unknown }[] = [],
  classes: unknown[] = [],
): { id: number; version: number; sha256: string } {
  const hash = createHash('sha256');
  pixels.forEach((p, i) => updateImageHash(hash, p, images[i]?.classLabel ?? null));
  const sha256 = hash.digest('hex');
  const version = ((db.prepare('SELECT max(version) AS v FROM datasets WHERE run_id = ?').get(runId) as { v: number | null }).v ?? 0) + 1;
  const id = Number(
    db
      .prepare("INSERT INTO datasets (run_id, version, kind, header, row_count, sha256, created_at, created_by) VALUES (?, ?, 'images', ?, ?, ?, ?, ?)")
      .run(runId, version, JSON.stringify(classes.length > 0 ? { size, classes } : { size }), dicoms.length, sha256, now.toISOString(), actor).lastInsertRowid,
  );
  // Class and attributes at insert: dataset_images refuses UPDATE.
  const insert = db.prepare('INSERT INTO dataset_images (dataset_id, idx, dicom, class_label, attributes) VALUES (?, ?, ?, ?, ?)');
  dicoms.forEach((d, i) => insert.run(id, i, Buffer.from(d.buffer, d.byteOffset, d.byteLength), images[i]?.classLabel ?? null, images[i] ? JSON.stringify(images[i].attributes) : null));
  return { id, version, sha256 };
}

export function datasetImage(db: Db, datasetId: number, index: number): Buffer {
  const row = db.prepare('SELECT dicom FROM dataset_images WHERE dataset_id = ? AND idx = ?').get(datasetId, index) as { dicom: Buffer } | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `Dataset #${datasetId} has no image ${index + 1}.`);
  return row.dicom;
}
