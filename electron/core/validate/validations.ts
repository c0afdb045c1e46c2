// Validations of synthetic tables: the inputs frozen by their hashes, the work in a worker, the result stored
// once (immutable, hashed: the same inputs give the same result hash), every start and ending audited.
import type { FindingsView, ReportDocumentView, ValidationView } from '../../shared/validation-schemas';
import { AirlockError } from '../errors';
import { appendAudit } from '../govern/audit';
import type { Db } from '../store/database';
import type { Workspace } from '../store/workspace';
import { getDatasetRow } from '../train/runs-repo';
import { getSpecVersion } from '../train/specs';
import { APP_VERSION } from '../version';
import { startValidationWorker } from './client';
import { loadInputs } from './inputs';
import { STAGES, type StageId } from './protocol';
import { renderReportHtml } from './report/html';
import * as repo from './validations-repo';

/** Changes whenever a metric's definition or the gate changes, so results are keyed by what computed them. */
export const VALIDATOR_VERSION = `${APP_VERSION}+validate.1`;

interface Live {
  stage: StageId;
  progress: number;
  cancel: () => Promise<void>;
  cancelRequested: boolean;
  done: Promise<void>;
}

export function recoverInterruptedValidations(db: Db, now: Date): void {
  for (const id of repo.interruptedValidations(db)) {
    db.transaction(() => {
      repo.finishValidation(db, id, 'failed', now, { code: 'INTERRUPTED', message: 'Airlock closed while this validation was running. Validate the dataset again.' });
      appendAudit(db, { actor: 'system', action: 'validation.failed', subject: `validation #${id}`, details: { code: 'INTERRUPTED' } }, now);
    })();
  }
}

export class Validations {
  private live = new Map<number, Live>();

  constructor(private readonly ws: Workspace) {}

  view(id: number): ValidationView {
    const row = repo.getValidationRow(this.ws.db, id);
    const dataset = getDatasetRow(this.ws.db, row.dataset_id);
    const spec = getSpecVersion(this.ws.db, row.spec_id, row.spec_version).spec;
    const result = repo.getResultRow(this.ws.db, id);
    const live = this.live.get(id);
    const at = live ? STAGES.findIndex((s) => s.id === live.stage) : row.status === 'done' ? STAGES.length : -1;
    return {
      id: row.id,
      datasetId: row.dataset_id,
      datasetVersion: dataset.version,
      runId: dataset.run_id,
      datasetSha256: row.dataset_sha256,
      specId: row.spec_id,
      specVersion: row.spec_version,
      specHash: row.spec_hash,
      tier: spec.tier,
      validatorVersion: row.validator_version,
      seed: row.seed,
      status: row.status,
      stage: live ? live.stage : null,
      progress: live ? live.progress : null,
      stages: STAGES.map((s, i) => ({ id: s.id, label: s.label, state: i < at ? 'done' : i === at && live ? 'running' : 'pending' })),
      actor: row.actor,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      errorCode: row.error_code,
      errorMessage: row.error_message,
      verdict: result?.verdict ?? null,
      resultSha256: result?.result_sha256 ?? null,
    };
  }

  list(datasetId?: number): ValidationView[] {
    return repo.listValidationRows(this.ws.db, datasetId).map((r) => this.view(r.id));
  }

  get(id: number): { validation: ValidationView; document: ReportDocumentView | null; findings: FindingsView | null } {
    const validation = this.view(id);
    const result = repo.getResultRow(this.ws.db, id);
    if (!result) return { validation, document: null, findings: null };
    const parsed = JSON.parse(result.result) as { findings?: FindingsView };
    return { validation, document: JSON.parse(result.document) as ReportDocumentView, findings: parsed.findings ?? { identical: [], singledOut: [] } };
  }

  report(id: number, format: 'html' | 'json'): { fileName: string; mime: string; content: string } {
    const { validation, document } = this.get(id);
    if (!document) throw new AirlockError('CONFLICT', `Validation #${id} has no report: it is ${validation.status}.`);
    const base = `airlock-validation-${id}-dataset-${validation.datasetId}`;
    if (format === 'html') return { fileName: `${base}.html`, mime: 'text/html', content: renderReportHtml(document) };
    return { fileName: `${base}.json`, mime: 'application/json', content: `${JSON.stringify({ validation, report: document }, null, 2)}\n` };
  }

  start(actor: string, datasetId: number, seed?: string): ValidationView {
    const inputs = loadInputs(this.ws.db, datasetId);
    const running = repo.listValidationRows(this.ws.db, datasetId).find((r) => r.status === 'running' && this.live.has(r.id));
    if (running) throw new AirlockError('CONFLICT', `Dataset #${datasetId} is already being validated (validation #${running.id}).`);
    const specVersion = inputs.specVersion;
    const useSeed = seed ?? String(inputs.spec.seed);
    const id = this.ws.db.transaction(() => {
      const vid = repo.insertValidation(
        this.ws.db,
        { datasetId, datasetSha256: inputs.dataset.sha256, specId: specVersion.specId, specVersion: specVersion.version, specHash: specVersion.hash, validatorVersion: VALIDATOR_VERSION, seed: useSeed, actor },
        this.ws.now(),
      );
      appendAudit(this.ws.db, { actor, action: 'validation.started', subject: `validation #${vid}`, details: { datasetId, datasetSha256: inputs.dataset.sha256, specHash: specVersion.hash, validatorVersion: VALIDATOR_VERSION, seed: useSeed, tier: inputs.spec.tier } }, this.ws.now());
      return vid;
    })();
    const handle = startValidationWorker(
      {
        type: 'validate',
        columns: inputs.columns,
        header: inputs.header,
        train: inputs.train,
        holdout: inputs.holdout,
        synthetic: inputs.synthetic,
        spec: inputs.spec,
        seed: useSeed,
        validatorVersion: VALIDATOR_VERSION,
        generatedAt: this.ws.now().toISOString(),
        facts: {
          datasetId,
          datasetVersion: inputs.dataset.version,
          datasetSha256: inputs.dataset.sha256,
          runId: inputs.run.id,
          generator: inputs.run.generator,
          specId: specVersion.specId,
          specVersion: specVersion.version,
          specHash: specVersion.hash,
          specName: inputs.spec.name,
          split: inputs.split,
        },
      },
      (stage, progress) => {
        const l = this.live.get(id);
        if (l) Object.assign(l, { stage, progress });
      },
    );
    const live: Live = { stage: 'prepare', progress: 0, cancel: () => handle.cancel(), cancelRequested: false, done: Promise.resolve() };
    this.live.set(id, live);
    live.done = handle.done
      .then((out) => {
        if (!this.ws.isOpen) return;
        // The worker wrote the canonical JSON and its hash: canonicalising a large result here would block the main loop.
        const [content, sha256] = [out.resultContent, out.resultSha256];
        this.ws.db.transaction(() => {
          repo.insertResult(this.ws.db, { validationId: id, verdict: out.verdict, result: content, resultSha256: sha256, document: JSON.stringify(out.document) }, this.ws.now());
          repo.finishValidation(this.ws.db, id, 'done', this.ws.now());
          appendAudit(this.ws.db, { actor, action: 'validation.finished', subject: `validation #${id}`, details: { datasetId, verdict: out.verdict, resultSha256: sha256 } }, this.ws.now());
        })();
      })
      .catch((err: unknown) => {
        if (!this.ws.isOpen) return;
        const cancelled = live.cancelRequested;
        const code = err instanceof AirlockError ? err.code : 'INTERNAL';
        const message = err instanceof Error ? err.message : String(err);
        this.ws.db.transaction(() => {
          repo.finishValidation(this.ws.db, id, cancelled ? 'cancelled' : 'failed', this.ws.now(), cancelled ? undefined : { code, message });
          appendAudit(this.ws.db, { actor, action: cancelled ? 'validation.cancelled' : 'validation.failed', subject: `validation #${id}`, details: cancelled ? { stage: live.stage } : { code, message } }, this.ws.now());
        })();
      })
      .finally(() => this.live.delete(id));
    return this.view(id);
  }

  async cancel(id: number): Promise<ValidationView> {
    const live = this.live.get(id);
    if (!live) throw new AirlockError('CONFLICT', `Validation #${id} is not running.`);
    live.cancelRequested = true;
    await live.cancel();
    await live.done;
    return this.view(id);
  }

  async wait(id: number): Promise<ValidationView> {
    await this.live.get(id)?.done;
    return this.view(id);
  }

  async cancelAll(): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.cancel(id).catch(() => undefined)));
  }
}
