// Validations of synthetic tables and images: the inputs frozen by their hashes, the work in a worker, the result stored
// once (immutable, hashed: the same inputs give the same result hash), every start and ending audited.
import type { FindingsView, ReportDocumentView, ValidationView } from '../../shared/validation-schemas';
import { AirlockError } from '../errors';
import { appendAudit } from '../govern/audit';
import type { Db } from '../store/database';
import type { Workspace } from '../store/workspace';
import { getDatasetRow } from '../train/runs-repo';
import { getImageSpecVersion, getSpecVersion } from '../train/specs';
import { imageSpecTier } from '../../shared/image-spec-schema';
import type { ReleaseTier } from '../../shared/criteria';
import { APP_VERSION } from '../version';
import { startValidationWorker, type ValidationHandle } from './client';
import { SAMPLES_PER_CLASS } from './image/document';
import { imageInputsHead, loadImageInputs } from './image/inputs';
import { loadSyntheticSamples } from './image/samples';
import { loadInputs } from './inputs';
import { IMAGE_STAGES, STAGES, type StageId, type ValidationFacts } from './protocol';
import { renderReportHtml } from './report/html';
import * as repo from './validations-repo';
import { sessionCodec } from '../store/sources-seal';

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
    const images = dataset.kind === 'images';
    const tier: ReleaseTier = images ? imageSpecTier(getImageSpecVersion(this.ws.db, row.spec_id, row.spec_version).spec) : getSpecVersion(this.ws.db, row.spec_id, row.spec_version).spec.tier;
    const stages: readonly { id: StageId; label: string }[] = images ? IMAGE_STAGES : STAGES;
    const result = repo.getResultRow(this.ws.db, id);
    const live = this.live.get(id);
    const at = live ? stages.findIndex((s) => s.id === live.stage) : row.status === 'done' ? stages.length : -1;
    return {
      id: row.id,
      datasetId: row.dataset_id,
      datasetVersion: dataset.version,
      runId: dataset.run_id,
      datasetSha256: row.dataset_sha256,
      specId: row.spec_id,
      specVersion: row.spec_version,
      specHash: row.spec_hash,
      tier,
      validatorVersion: row.validator_version,
      seed: row.seed,
      status: row.status,
      stage: live ? live.stage : null,
      progress: live ? live.progress : null,
      stages: stages.map((s, i) => ({ id: s.id, label: s.label, state: i < at ? 'done' : i === at && live ? 'running' : 'pending' })),
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
    const parsed = JSON.parse(result.result) as { kind?: string; findings?: FindingsView };
    // An image validation's findings (memorisation pairs) have their own channel, drawn on request and audited.
    const findings = parsed.kind === 'images' ? null : (parsed.findings ?? { identical: [], singledOut: [] });
    return { validation, document: JSON.parse(result.document) as ReportDocumentView, findings };
  }

  report(id: number, format: 'html' | 'json'): { fileName: string; mime: string; content: string } {
    const { validation, document } = this.get(id);
    if (!document) throw new AirlockError('CONFLICT', `Validation #${id} has no report: it is ${validation.status}.`);
    const base = `airlock-validation-${id}-dataset-${validation.datasetId}`;
    if (format === 'html') return { fileName: `${base}.html`, mime: 'text/html', content: renderReportHtml(document) };
    return { fileName: `${base}.json`, mime: 'application/json', content: `${JSON.stringify({ validation, report: document }, null, 2)}\n` };
  }

  start(actor: string, datasetId: number, seed?: string): ValidationView {
    if (getDatasetRow(this.ws.db, datasetId).kind === 'images') return this.startImages(actor, datasetId, seed);
    const inputs = loadInputs(this.ws.db, sessionCodec(this.ws), datasetId);
    const useSeed = seed ?? String(inputs.spec.seed);
    const sv = inputs.specVersion;
    const id = this.begin(actor, datasetId, inputs.dataset.sha256, { specId: sv.specId, version: sv.version, hash: sv.hash }, inputs.spec.tier, useSeed);
    const facts = this.facts(datasetId, inputs.dataset, inputs.run, { specId: sv.specId, version: sv.version, hash: sv.hash }, inputs.spec.name, inputs.split);
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
        facts,
      },
      this.onStage(id),
    );
    this.track(id, actor, datasetId, () => Promise.resolve(handle));
    return this.view(id);
  }

  // Images: the checks that can refuse at once run here; the frames decode in the 'prepare' stage (seconds).
  private startImages(actor: string, datasetId: number, seed?: string): ValidationView {
    const head = imageInputsHead(this.ws.db, sessionCodec(this.ws), datasetId);
    const useSeed = seed ?? String(head.spec.seed);
    const sv = head.specVersion;
    const id = this.begin(actor, datasetId, head.dataset.sha256, { specId: sv.specId, version: sv.version, hash: sv.hash }, imageSpecTier(head.spec), useSeed);
    const facts = this.facts(datasetId, head.dataset, head.run, { specId: sv.specId, version: sv.version, hash: sv.hash }, head.spec.name, head.split);
    const generatedAt = this.ws.now().toISOString();
    this.track(id, actor, datasetId, async (cancelled) => {
      const stop = (): void => {
        if (cancelled() || !this.ws.isOpen) throw new AirlockError('VALIDATION_CANCELLED', 'Validation was cancelled.');
      };
      const inputs = await loadImageInputs(this.ws.db, sessionCodec(this.ws), head, stop);
      const samples = await loadSyntheticSamples(this.ws.db, datasetId, SAMPLES_PER_CLASS);
      stop();
      return startValidationWorker({ type: 'validate-images', ...inputs, samples, spec: head.spec, seed: useSeed, validatorVersion: VALIDATOR_VERSION, generatedAt, facts }, this.onStage(id));
    });
    return this.view(id);
  }

  private begin(actor: string, datasetId: number, datasetSha256: string, sv: { specId: number; version: number; hash: string }, tier: ReleaseTier, seed: string): number {
    const running = repo.listValidationRows(this.ws.db, datasetId).find((r) => r.status === 'running' && this.live.has(r.id));
    if (running) throw new AirlockError('CONFLICT', `Dataset #${datasetId} is already being validated (validation #${running.id}).`);
    return this.ws.db.transaction(() => {
      const vid = repo.insertValidation(this.ws.db, { datasetId, datasetSha256, specId: sv.specId, specVersion: sv.version, specHash: sv.hash, validatorVersion: VALIDATOR_VERSION, seed, actor }, this.ws.now());
      appendAudit(this.ws.db, { actor, action: 'validation.started', subject: `validation #${vid}`, details: { datasetId, datasetSha256, specHash: sv.hash, validatorVersion: VALIDATOR_VERSION, seed, tier } }, this.ws.now());
      return vid;
    })();
  }

  private facts(datasetId: number, dataset: { version: number; sha256: string }, run: { id: number; generator: string }, sv: { specId: number; version: number; hash: string }, specName: string, split: string): ValidationFacts {
    return { datasetId, datasetVersion: dataset.version, datasetSha256: dataset.sha256, runId: run.id, generator: run.generator, specId: sv.specId, specVersion: sv.version, specHash: sv.hash, specName, split };
  }

  private onStage(id: number): (stage: StageId, progress: number) => void {
    return (stage, progress) => {
      const l = this.live.get(id);
      if (l) Object.assign(l, { stage, progress });
    };
  }

  // The worker's ending stored in one transaction with its audit event; a cancel before the worker starts is a cancel.
  private track(id: number, actor: string, datasetId: number, open: (cancelled: () => boolean) => Promise<ValidationHandle>): void {
    const live: Live = { stage: 'prepare', progress: 0, cancel: () => Promise.resolve(), cancelRequested: false, done: Promise.resolve() };
    this.live.set(id, live);
    const handle = open(() => live.cancelRequested);
    live.cancel = async () => {
      const h = await handle.catch(() => null);
      await h?.cancel();
    };
    live.done = handle
      .then((h) => h.done)
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
