// What the UI and CLI see of a run: the stored record, overlaid with the live progress of a running one.
import type { BackendView, RunView } from '../../shared/train-schemas';
import type { Db } from '../store/database';
import type { BackendInfo } from './engine/backend';
import type { EpochLosses, Progress } from './engine/protocol';
import { imageDatasetClasses } from './image/dataset-classes';
import { datasetRuleChecks, latestCheckpoint, runDatasets, runRuleChecks, type RunRow } from './runs-repo';

export interface LiveState {
  stage: string | null;
  progress: Progress | null;
  backend: BackendInfo | null;
  lossHistory: EpochLosses[];
  cancelRequested: boolean;
  // The latest sample grid of an image run, as a PNG data URL.
  grid?: string | null;
}

function backendView(b: unknown): BackendView | null {
  if (!b || typeof b !== 'object' || !('name' in b)) return null;
  const info = b as Partial<BackendInfo>;
  return { name: String(info.name), tfjsVersion: info.tfjsVersion ?? null, backendVersion: info.backendVersion ?? null, threads: info.threads ?? null, threadsNote: info.threadsNote ?? null, fallbacks: (info.fallbacks ?? []).map((f) => ({ name: f.name, reason: f.reason })) };
}

export function buildRunView(db: Db, row: RunRow, live: LiveState | null, lastGrid: string | null = null): RunView {
  // Table and image specs alike: only the name is needed here.
  const content = db.prepare('SELECT content FROM spec_versions WHERE spec_id = ? AND version = ?').get(row.spec_id, row.spec_version) as { content: string } | undefined;
  const name = content ? (JSON.parse(content.content) as { name?: unknown }).name : undefined;
  const specName = typeof name === 'string' ? name : '';
  const hyper = JSON.parse(row.hyperparameters) as Record<string, unknown>;
  const epochs = typeof hyper.epochs === 'number' ? hyper.epochs : 1;
  const stored = JSON.parse(row.losses) as EpochLosses[];
  const history = live && live.lossHistory.length >= stored.length ? live.lossHistory : stored;
  const losses = live?.progress ? [...history.filter((h) => h.epoch < (live.progress?.epoch ?? 0)), { epoch: live.progress.epoch, losses: live.progress.losses }] : history;
  const running = row.status === 'running' && live !== null;
  return {
    id: row.id,
    specId: row.spec_id,
    specVersion: row.spec_version,
    specName,
    specHash: row.spec_hash,
    sourceSha256: row.source_sha256,
    generator: row.generator,
    seed: row.seed,
    status: row.status,
    actor: row.actor,
    backend: backendView(live?.backend ?? (JSON.parse(row.backend) as unknown)),
    hyperparameters: hyper,
    epochsDone: running ? Math.max(row.epochs_done, (live.progress?.epoch ?? 1) - 1) : row.status === 'done' ? epochs : row.epochs_done,
    epochs: row.generator === 'copula' ? 1 : epochs,
    stage: running ? live.stage : null,
    losses,
    etaSeconds: running ? (live.progress?.etaSeconds ?? null) : null,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    previewGrid: live?.grid ?? lastGrid,
    canResume: !running && row.status !== 'done' && latestCheckpoint(db, row.id) !== null,
    ruleChecks: runRuleChecks(row),
    datasets: runDatasets(db, row.id).map((d) => ({ id: d.id, runId: d.run_id, version: d.version, rows: d.row_count, sha256: d.sha256, createdAt: d.created_at, createdBy: d.created_by, ruleChecks: datasetRuleChecks(db, d.id), ...imageDatasetClasses(db, d) })),
    notes: JSON.parse(row.notes) as string[],
  };
}
