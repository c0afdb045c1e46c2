// The training loop, independent of how it is hosted (the worker wraps it in messages; tests may call it
// directly). Epochs of synchronous tfjs steps, yielding to the event loop after every step so a cancel message
// is seen within one step; losses checked for NaN/∞ after every step; a checkpoint every `checkpointEvery`
// epochs carrying everything needed to continue bit-for-bit: weights, optimiser state, the Rng state, and the
// loss history so far.
import { createTrainer } from '../models';
import type { EncodedTable, ModelTrainer } from '../models/model';
import { validateSpans } from '../models/spans';
import { divergedError, invalidInput, toTrainingFailure, TrainingError } from './errors';
import type { Checkpoint, EpochLosses, ParsedTrainingJob, Progress, TrainingOutput } from './protocol';
import { Rng, RNG_STREAM } from './rng';

export interface LoopEvents {
  progress(p: Progress): void;
  checkpoint(c: Checkpoint): void;
}

export type LoopOutcome = { status: 'done'; output: TrainingOutput } | { status: 'cancelled'; epoch: number };

export interface LoopOptions {
  /** Minimum time between progress events inside an epoch (the end of every epoch always reports). */
  progressIntervalMs?: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function tableOf(job: ParsedTrainingJob): EncodedTable {
  const { buffer, rows, width, spans } = job.data;
  if (buffer.byteLength !== rows * width * 4) {
    throw invalidInput(`The encoded data is ${buffer.byteLength} bytes; ${rows} rows × ${width} float32 values need ${rows * width * 4}.`);
  }
  validateSpans(spans, width);
  return { values: new Float32Array(buffer), rows, width, spans };
}

export async function runTraining(job: ParsedTrainingJob, events: LoopEvents, shouldStop: () => boolean, options: LoopOptions = {}): Promise<LoopOutcome> {
  const interval = options.progressIntervalMs ?? 250;
  let epoch: number | undefined;
  let trainer: ModelTrainer | undefined;
  try {
    const table = tableOf(job);
    let rng = Rng.fromSeed(job.seed);
    trainer = createTrainer(job, table, job.batchSize, rng);
    let completed = 0;
    const lossHistory: EpochLosses[] = [];
    if (job.resume) {
      const r = job.resume;
      if (r.kind !== job.kind) throw invalidInput(`The checkpoint is from a ${r.kind.toUpperCase()} run, not ${job.kind.toUpperCase()}.`);
      if (r.epoch > job.epochs) throw invalidInput(`The checkpoint is after epoch ${r.epoch}, beyond the ${job.epochs} epochs asked for.`);
      trainer.importWeights(r.weights);
      trainer.importOptimizer(r.optimizer);
      rng = Rng.fromState(r.rngState);
      completed = r.epoch;
      lossHistory.push(...r.lossHistory);
    }

    const steps = trainer.stepsPerEpoch();
    const totalSteps = (job.epochs - completed) * steps;
    const started = performance.now();
    let stepsDone = 0;
    let lastReport = -Infinity;
    const names = trainer.lossNames;

    for (epoch = completed + 1; epoch <= job.epochs; epoch++) {
      trainer.beginEpoch(rng);
      const sums: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
      for (let step = 0; step < steps; step++) {
        if (shouldStop()) return { status: 'cancelled', epoch: epoch - 1 };
        const losses = trainer.trainStep(step, rng);
        for (const n of names) {
          const v = losses[n] as number;
          if (!Number.isFinite(v)) throw divergedError(trainer.lossLabel(n), v, epoch);
          sums[n] = (sums[n] as number) + v;
        }
        stepsDone++;
        const now = performance.now();
        const last = step === steps - 1;
        if (last || now - lastReport >= interval) {
          lastReport = now;
          const elapsedMs = now - started;
          events.progress({
            epoch,
            epochs: job.epochs,
            step: step + 1,
            stepsPerEpoch: steps,
            losses: Object.fromEntries(names.map((n) => [n, (sums[n] as number) / (step + 1)])),
            elapsedMs,
            etaSeconds: ((elapsedMs / stepsDone) * (totalSteps - stepsDone)) / 1000,
          });
        }
        await yieldToEventLoop();
      }
      lossHistory.push({ epoch, losses: Object.fromEntries(names.map((n) => [n, (sums[n] as number) / steps])) });
      if (job.checkpointEvery > 0 && epoch % job.checkpointEvery === 0) {
        events.checkpoint({
          kind: job.kind,
          epoch,
          weights: trainer.exportWeights(),
          optimizer: trainer.exportOptimizer(),
          rngState: rng.state(),
          stream: RNG_STREAM,
          lossHistory: lossHistory.map((e) => ({ epoch: e.epoch, losses: { ...e.losses } })),
        });
      }
    }
    return { status: 'done', output: { weights: trainer.exportWeights(), lossHistory } };
  } catch (err) {
    if (err instanceof TrainingError) throw err;
    const failure = toTrainingFailure(err, epoch);
    throw new TrainingError(failure.code, failure.message, { cause: err });
  } finally {
    trainer?.dispose();
  }
}
