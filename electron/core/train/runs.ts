// Training runs: a spec version in, a versioned synthetic table out, with everything needed to reproduce it
// recorded (spec hash, source hash, seed, backend, hyperparameters, losses per epoch, output hash). All heavy
// work happens in worker threads; this side only moves messages and writes the store.
import type { RunView } from '../../shared/train-schemas';
import { AirlockError } from '../errors';
import { appendAudit } from '../govern/audit';
import { treatedSource } from './tabular/treatments';
import { sessionCodec } from '../store/sources-seal';
import type { Workspace } from '../store/workspace';
import type { Checkpoint } from './engine/protocol';
import { RNG_STREAM } from './engine/rng';
import { startTraining, type TrainingHandle } from './engine/runner';
import { generate } from './generate/client';
import type { Cells } from './generate/protocol';
import { pack, unpack } from './pack';
import { buildRunView } from './run-view';
import { watchRunControl } from './run-control';
import * as repo from './runs-repo';
import { freezeSpecVersion, getImageSpecVersion, getSpecVersion, specKind } from './specs';
import { executeImageRun, sourceHashOf, type ImageLive } from './image/execute';
import type { ImageCheckpoint } from './image/protocol';
import type { TableSchema } from './tabular/schema';
import { conditionSource, type ConditionSource } from './tabular/conditioned';
import type { TransformerJSON } from './tabular/transformer';
import type { RuleStats } from './rules/enforce';
import { modelHeader, modelledInput, planRules, ruleChecks, type RulePlan } from './rules/plan';
import type { RuleCheck } from '../../shared/rules-schema';
import type { Spec } from '../../shared/spec-schema';

// `header` is the synthetic table's; with `rules`, the model's own columns add the plan's gap columns after it.
export type StoredModel = (
  | { kind: 'copula'; header: string[]; model: unknown; conditions: unknown }
  | { kind: 'tvae' | 'ctgan'; header: string[]; config: unknown; batchSize: number; transformer: TransformerJSON; weights: { name: string; shape: number[]; dtype: 'float32' | 'int32'; data: ArrayBuffer }[]; encoded?: ArrayBuffer; conditions?: ConditionSource | null }
) & { rules?: RulePlan | null };

// What the audit trail keeps of a table's rule checks: per rule, its words and counts.
const auditedChecks = (checks: RuleCheck[]) => checks.map((c) => ({ rule: c.text, method: c.method, rows: c.rows, violations: c.violations, rejected: c.rejected }));

interface Live extends ImageLive {
  cancel: (() => Promise<void>) | null;
  done: Promise<void>;
}

// The columns a generator sees: every column not dropped, in source order, with its (possibly overridden) type.
function modelInput(ws: Workspace, spec: Spec): { header: string[]; rows: Cells; schema: TableSchema } {
  const { table, treat } = treatedSource(ws.db, sessionCodec(ws), spec); // date treatments (generalise, shift) before the generator sees a row
  const keep = table.columns.filter((c) => spec.columns.find((s) => s.name === c.name)?.treatment !== 'drop');
  const rows = repo.trainingRows(ws.db, sessionCodec(ws), table.id).map(treat).map((r) => keep.map((c) => r[c.index] ?? null));
  const schema: TableSchema = { columns: keep.map((c) => ({ name: c.name, type: c.type, role: spec.columns.find((s) => s.name === c.name)?.treatment === 'condition' ? 'condition' : 'synthesise' })) };
  return { header: keep.map((c) => c.name), rows, schema };
}

// The spec's generator settings in the engine's terms (TVAE's hidden layers serve encoder and decoder alike).
function engineConfig(g: Exclude<Spec['generator'], { kind: 'copula' }>): Record<string, unknown> {
  if (g.kind === 'tvae') {
    return { embeddingDim: g.embeddingDim, compressDims: g.hiddenDims, decompressDims: g.hiddenDims, learningRate: g.learningRate, l2scale: g.l2scale, lossFactor: g.lossFactor };
  }
  return { embeddingDim: g.embeddingDim, generatorDims: g.generatorDims, discriminatorDims: g.discriminatorDims, generatorLr: g.generatorLr, discriminatorLr: g.discriminatorLr, discriminatorSteps: g.discriminatorSteps, pac: g.pac };
}

export class TrainingRuns {
  private live = new Map<number, Live>();
  // The last sample grid of each image run that ended in this session, so the UI can still show it.
  private lastGrid = new Map<number, string>();

  constructor(private readonly ws: Workspace) {}

  view(runId: number): RunView {
    return buildRunView(this.ws.db, repo.getRunRow(this.ws.db, runId), this.live.get(runId) ?? null, this.lastGrid.get(runId) ?? null);
  }

  list(): RunView[] {
    return repo.listRunRows(this.ws.db).map((r) => buildRunView(this.ws.db, r, this.live.get(r.id) ?? null, this.lastGrid.get(r.id) ?? null));
  }

  start(actor: string, specId: number, version?: number): RunView {
    if (specKind(this.ws.db, specId) === 'image') return this.startImage(actor, specId, version);
    const v = getSpecVersion(this.ws.db, specId, version);
    const runId = this.ws.db.transaction(() => {
      freezeSpecVersion(this.ws.db, v.specId, v.version);
      const id = repo.insertRun(
        this.ws.db,
        { specId: v.specId, version: v.version, specHash: v.hash, sourceSha256: v.spec.source.sha256, generator: v.spec.generator.kind, seed: v.spec.seed, actor, hyperparameters: v.spec.generator },
        this.ws.now(),
      );
      appendAudit(this.ws.db, { actor, action: 'run.started', subject: `run #${id}`, details: { specId: v.specId, version: v.version, specHash: v.hash, generator: v.spec.generator.kind, seed: v.spec.seed } }, this.ws.now());
      return id;
    })();
    this.launch(runId, actor, (live) => this.execute(runId, actor, v.spec, null, live));
    return this.view(runId);
  }

  private startImage(actor: string, specId: number, version?: number): RunView {
    const v = getImageSpecVersion(this.ws.db, specId, version);
    const runId = this.ws.db.transaction(() => {
      freezeSpecVersion(this.ws.db, v.specId, v.version);
      const sourceSha256 = sourceHashOf(this.ws, v.spec.source.seriesIds);
      const id = repo.insertRun(this.ws.db, { specId: v.specId, version: v.version, specHash: v.hash, sourceSha256, generator: v.spec.generator.kind, seed: v.spec.seed, actor, hyperparameters: v.spec.generator }, this.ws.now());
      appendAudit(this.ws.db, { actor, action: 'run.started', subject: `run #${id}`, details: { specId: v.specId, version: v.version, specHash: v.hash, generator: v.spec.generator.kind, seed: v.spec.seed, kind: 'image' } }, this.ws.now());
      return id;
    })();
    this.launch(runId, actor, (live) => executeImageRun(this.ws, runId, actor, v.spec, v.hash, null, live, (c) => (live.cancel = c)));
    return this.view(runId);
  }

  resume(actor: string, runId: number): RunView {
    const row = repo.getRunRow(this.ws.db, runId);
    if (row.status === 'running' && this.live.has(runId)) throw new AirlockError('CONFLICT', `Run #${runId} is already running.`);
    if (row.status === 'done') throw new AirlockError('CONFLICT', `Run #${runId} has finished; start a new run instead.`);
    const checkpoint = repo.latestCheckpoint(this.ws.db, runId);
    if (!checkpoint) throw new AirlockError('NOT_FOUND', `Run #${runId} has no checkpoint to resume from; start a new run instead.`);
    const image = specKind(this.ws.db, row.spec_id) === 'image';
    const resumeFrom = unpack<Checkpoint | ImageCheckpoint>(checkpoint.content);
    if (resumeFrom.stream !== RNG_STREAM) {
      throw new AirlockError('CONFLICT', `Run #${runId} was checkpointed by an earlier version of Airlock that drew its random numbers differently; resumed now, it would not make what an uninterrupted run makes. Start its spec again as a new run.`);
    }
    this.ws.db.transaction(() => {
      repo.reopenRun(this.ws.db, runId);
      appendAudit(this.ws.db, { actor, action: 'run.resumed', subject: `run #${runId}`, details: { fromEpoch: checkpoint.epoch } }, this.ws.now());
    })();
    if (image) {
      const v = getImageSpecVersion(this.ws.db, row.spec_id, row.spec_version);
      this.launch(runId, actor, (live) => executeImageRun(this.ws, runId, actor, v.spec, v.hash, resumeFrom, live, (c) => (live.cancel = c)));
    } else {
      const spec = getSpecVersion(this.ws.db, row.spec_id, row.spec_version).spec;
      this.launch(runId, actor, (live) => this.execute(runId, actor, spec, resumeFrom as Checkpoint, live));
    }
    return this.view(runId);
  }

  async cancel(runId: number): Promise<RunView> {
    const live = this.live.get(runId);
    if (!live) throw new AirlockError('CONFLICT', `Run #${runId} is not running.`);
    live.cancelRequested = true;
    await live.cancel?.();
    await live.done;
    return this.view(runId);
  }

  async wait(runId: number): Promise<RunView> {
    await this.live.get(runId)?.done;
    return this.view(runId);
  }

  async cancelAll(): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.cancel(id).catch(() => undefined)));
  }

  private launch(runId: number, actor: string, work: (live: Live) => Promise<void>): void {
    const stored = repo.getRunRow(this.ws.db, runId);
    const live: Live = { stage: 'starting', progress: null, backend: null, lossHistory: JSON.parse(stored.losses) as Live['lossHistory'], cancel: null, cancelRequested: false, grid: null, done: Promise.resolve() };
    this.live.set(runId, live);
    live.done = work(live)
      .catch((err: unknown) => {
        const cancelled = live.cancelRequested || (err instanceof AirlockError && err.code === 'RUN_CANCELLED');
        const code = err instanceof AirlockError ? err.code : 'INTERNAL';
        const message = err instanceof Error ? err.message : String(err);
        if (!this.ws.isOpen) return;
        this.ws.db.transaction(() => {
          repo.finishRun(this.ws.db, runId, cancelled ? 'cancelled' : 'failed', this.ws.now(), cancelled ? undefined : { code, message });
          appendAudit(this.ws.db, { actor, action: cancelled ? 'run.cancelled' : 'run.failed', subject: `run #${runId}`, details: cancelled ? { epochsDone: live.lossHistory.length } : { code, message } }, this.ws.now());
        })();
      })
      .finally(() => {
        if (live.grid) this.lastGrid.set(runId, live.grid);
        this.live.delete(runId);
      });
    // Another process (a second `airlock`, the desktop app) cannot open the locked store: it asks through run-control.
    watchRunControl(this.ws, runId, live.done, () => this.cancel(runId));
  }

  private async execute(runId: number, actor: string, spec: Spec, resume: Checkpoint | null, live: Live): Promise<void> {
    const output = modelInput(this.ws, spec);
    if (output.rows.length === 0) throw new AirlockError('INVALID_ARGUMENT', 'The source table has no training rows (everything is in the holdout).');
    // The generator learns the model's columns (the rules' gap columns included) and writes the output's.
    const rules = planRules(spec.rules, output);
    const input = modelledInput(rules, output);
    let cells: Cells;
    let stats: RuleStats | null;
    let model: StoredModel;
    const g = spec.generator;
    if (g.kind === 'copula') {
      const job = generate({ type: 'copula-fit-sample', ...input, seed: spec.seed, n: spec.rows, rules }, 'copula', (s) => (live.stage = s));
      live.cancel = () => job.cancel();
      const out = await job.done;
      cells = out.cells;
      stats = out.rules;
      model = { kind: 'copula', header: output.header, model: out.model, conditions: out.conditions, rules };
    } else {
      const enc = generate({ type: 'encode', ...input, seed: spec.seed }, 'encoded', (s) => (live.stage = s));
      live.cancel = () => enc.cancel();
      const encoded = await enc.done;
      if (live.cancelRequested) throw new AirlockError('RUN_CANCELLED', 'Cancelled.');
      live.stage = 'training';
      const conditions = conditionSource(input.header, input.rows, input.schema.columns.filter((c) => c.role === 'condition').map((c) => c.name));
      // The training worker takes the buffer (transferred); CTGAN keeps a copy for its conditional sampling.
      const encodedCopy = g.kind === 'ctgan' ? encoded.buffer.slice(0) : undefined;
      const { epochs, checkpointEvery } = g;
      // A batch never exceeds the data; CTGAN's stays a multiple of its pac.
      const pac = g.kind === 'ctgan' ? g.pac : 1;
      const batchSize = Math.max(pac, Math.floor(Math.min(g.batchSize, encoded.rows) / pac) * pac);
      const config = engineConfig(g);
      const handle: TrainingHandle = startTraining(
        { kind: g.kind, config: config as never, data: { buffer: encoded.buffer, rows: encoded.rows, width: encoded.width, spans: encoded.spans }, seed: spec.seed, epochs, batchSize, checkpointEvery, ...(resume ? { resume } : {}) },
        {
          onBackend: (info) => {
            live.backend = info;
            repo.setRunBackend(this.ws.db, runId, info);
          },
          onProgress: (p) => (live.progress = p),
          onCheckpoint: (c) => {
            live.lossHistory = c.lossHistory;
            repo.saveCheckpoint(this.ws.db, runId, c.epoch, pack(c), c.lossHistory, this.ws.now());
          },
        },
      );
      live.cancel = () => handle.cancel();
      const result = await handle.done;
      if (result.status === 'cancelled') throw new AirlockError('RUN_CANCELLED', 'Cancelled.');
      if (result.status === 'failed') throw new AirlockError(result.code, result.message);
      live.lossHistory = result.lossHistory;
      repo.updateRunProgress(this.ws.db, runId, result.lossHistory.length, result.lossHistory);
      const sampler = generate(
        { type: 'nn-sample', kind: g.kind, config, weights: result.weights, transformer: encoded.transformer, seed: spec.seed, n: spec.rows, batchSize, header: input.header, conditions, rules, ...(encodedCopy ? { encoded: encodedCopy.slice(0) } : {}) },
        'cells',
        (s) => (live.stage = s),
      );
      live.cancel = () => sampler.cancel();
      const sampled = await sampler.done;
      cells = sampled.cells;
      stats = sampled.rules ?? null;
      model = { kind: g.kind, header: output.header, config, batchSize, transformer: encoded.transformer, weights: result.weights, conditions, rules, ...(encodedCopy ? { encoded: encodedCopy } : {}) };
    }
    const checks = ruleChecks(rules, cells, stats?.rejected ?? []);
    this.ws.db.transaction(() => {
      const dataset = repo.insertDataset(this.ws.db, runId, output.header, cells, actor, this.ws.now());
      repo.saveModel(this.ws.db, runId, pack(model));
      repo.saveRuleChecks(this.ws.db, runId, dataset.id, checks);
      repo.finishRun(this.ws.db, runId, 'done', this.ws.now());
      appendAudit(this.ws.db, { actor, action: 'run.finished', subject: `run #${runId}`, details: { datasetId: dataset.id, rows: cells.length, outputSha256: dataset.sha256, backend: live.backend?.name ?? 'none (copula, plain JavaScript)', ...(checks.length > 0 ? { ruleChecks: auditedChecks(checks), rowsDrawn: stats?.drawn ?? cells.length } : {}) } }, this.ws.now());
    })();
  }

  // More rows from a finished run's stored model, as a new dataset version.
  async sample(actor: string, runId: number, n: number) {
    const row = repo.getRunRow(this.ws.db, runId);
    if (row.status !== 'done') throw new AirlockError('CONFLICT', `Run #${runId} has not finished, so it has no model to sample from.`);
    if (row.generator === 'dcgan' || row.generator === 'cvae') {
      throw new AirlockError('NOT_AVAILABLE', 'Sampling more images from a finished image run is not available yet; start a new run with more images.');
    }
    const model = unpack<StoredModel>(repo.loadModel(this.ws.db, runId));
    const version = repo.runDatasets(this.ws.db, runId).length + 1;
    const seed = row.seed + version - 1;
    const rules = model.rules ?? null;
    const job =
      model.kind === 'copula'
        ? generate({ type: 'copula-sample', model: model.model as never, conditions: (model.conditions ?? null) as never, seed, n, rules }, 'cells')
        : generate({ type: 'nn-sample', kind: model.kind, config: model.config, weights: model.weights, transformer: model.transformer, seed, n, batchSize: model.batchSize, header: modelHeader(rules, model.header), conditions: model.conditions ?? null, rules, ...(model.encoded ? { encoded: model.encoded } : {}) }, 'cells');
    const out = await job.done;
    const cells = out.cells;
    const checks = ruleChecks(rules, cells, out.rules?.rejected ?? []);
    return this.ws.db.transaction(() => {
      const d = repo.insertDataset(this.ws.db, runId, model.header, cells, actor, this.ws.now());
      repo.saveRuleChecks(this.ws.db, null, d.id, checks);
      appendAudit(this.ws.db, { actor, action: 'dataset.sampled', subject: `run #${runId}`, details: { datasetId: d.id, version: d.version, rows: n, seed, outputSha256: d.sha256, ...(checks.length > 0 ? { ruleChecks: auditedChecks(checks) } : {}) } }, this.ws.now());
      return d;
    })();
  }
}
