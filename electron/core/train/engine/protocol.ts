// The messages between the main side (runner.ts) and a training worker (worker.ts), zod-validated on receipt in
// both directions. ArrayBuffers travel in postMessage's transfer list: the data into the worker, weights out.
//
//   main → worker   start { kind, config, data, seed, epochs, batchSize, checkpointEvery, resume? } | cancel
//   worker → main   backend { info } → progress* / checkpoint* → done | failed | cancelled
import { z } from 'zod';
import { ctganConfigSchema, tvaeConfigSchema } from '../models/config';
import { outputSpanSchema } from '../models/spans';
import { TRAINING_ERROR_CODES } from './errors';

const uint32 = z.number().int().min(0).max(0xffffffff);
const count = z.number().int().min(1);

export const MODEL_KINDS = ['tvae', 'ctgan'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export const serializedTensorSchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().min(0)),
  dtype: z.enum(['float32', 'int32']),
  data: z.instanceof(ArrayBuffer),
});

/** Loss values by name. Always finite: a non-finite loss ends the run as TRAINING_DIVERGED instead. */
export const lossesSchema = z.record(z.string(), z.number());
export type Losses = z.infer<typeof lossesSchema>;

export const epochLossesSchema = z.object({ epoch: count, losses: lossesSchema });
export type EpochLosses = z.infer<typeof epochLossesSchema>;

export const checkpointSchema = z.object({
  kind: z.enum(MODEL_KINDS),
  /** Epochs completed when the checkpoint was taken; resuming continues with epoch + 1. */
  epoch: count,
  weights: z.array(serializedTensorSchema),
  /** Optimiser state: step counts and moment estimates. */
  optimizer: z.array(serializedTensorSchema),
  /** The engine Rng's four state words after `epoch` epochs. */
  rngState: z.tuple([uint32, uint32, uint32, uint32]),
  /** The stream rngState belongs to (RNG_STREAM); absent in checkpoints from before 3 December 2026 (Box–Muller). */
  stream: z.string().max(64).optional(),
  lossHistory: z.array(epochLossesSchema),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

export const trainingDataSchema = z.object({
  /** rows × width float32 values, row-major. Transferred: the sender's buffer is detached. */
  buffer: z.instanceof(ArrayBuffer),
  rows: count,
  width: count,
  spans: z.array(outputSpanSchema).min(1),
});
export type TrainingData = z.infer<typeof trainingDataSchema>;

const jobFields = {
  data: trainingDataSchema,
  seed: uint32,
  epochs: count.max(1_000_000),
  batchSize: count.max(1_000_000),
  /** Post a checkpoint every this many epochs; 0 for never. */
  checkpointEvery: z.number().int().min(0),
  resume: checkpointSchema.optional(),
};

const tvaeJobSchema = z.object({ kind: z.literal('tvae'), config: tvaeConfigSchema, ...jobFields });
const ctganJobSchema = z.object({ kind: z.literal('ctgan'), config: ctganConfigSchema, ...jobFields });
export const trainingJobSchema = z.discriminatedUnion('kind', [tvaeJobSchema, ctganJobSchema]);
/** A job as the caller writes it (model config fields optional, defaults applied on parse). */
export type TrainingJob = z.input<typeof trainingJobSchema>;
/** A job after validation. */
export type ParsedTrainingJob = z.output<typeof trainingJobSchema>;

/** start: the job's fields plus `type`. */
export const startMessageSchema = z.discriminatedUnion('kind', [
  tvaeJobSchema.extend({ type: z.literal('start') }),
  ctganJobSchema.extend({ type: z.literal('start') }),
]);
export const cancelMessageSchema = z.object({ type: z.literal('cancel') });
export const mainToWorkerSchema = z.union([startMessageSchema, cancelMessageSchema]);
export type MainToWorker = z.input<typeof mainToWorkerSchema>;

export const backendInfoSchema = z.object({
  name: z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']),
  tfjsVersion: z.string(),
  backendVersion: z.string(),
  simd: z.boolean().optional(),
  threads: z.number().int().optional(),
  threadsNote: z.string().optional(),
  addedKernels: z.array(z.string()).optional(),
  fallbacks: z.array(z.object({ name: z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']), reason: z.string() })),
});

export const progressSchema = z.object({
  /** The epoch in progress, 1-based. */
  epoch: count,
  epochs: count,
  /** Steps done in this epoch, 1-based. */
  step: count,
  stepsPerEpoch: count,
  /** Mean of each loss over this epoch's steps so far. */
  losses: lossesSchema,
  elapsedMs: z.number().min(0),
  /** Estimated seconds to the end of the run, from this run's pace so far. */
  etaSeconds: z.number().min(0),
});
export type Progress = z.infer<typeof progressSchema>;

export const doneSchema = z.object({
  weights: z.array(serializedTensorSchema),
  lossHistory: z.array(epochLossesSchema),
});
export type TrainingOutput = z.infer<typeof doneSchema>;

export const workerToMainSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('backend'), info: backendInfoSchema }),
  progressSchema.extend({ type: z.literal('progress') }),
  checkpointSchema.extend({ type: z.literal('checkpoint') }),
  doneSchema.extend({ type: z.literal('done') }),
  z.object({ type: z.literal('failed'), code: z.enum(TRAINING_ERROR_CODES), message: z.string() }),
  /** `epoch`: epochs completed before the run stopped. */
  z.object({ type: z.literal('cancelled'), epoch: z.number().int().min(0) }),
]);
export type WorkerToMain = z.infer<typeof workerToMainSchema>;
