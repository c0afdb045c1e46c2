// The main-side handle on a training run (no tfjs is loaded on this side): spawns a worker_threads Worker, sends the job (the data buffer is
// transferred, not copied), validates everything the worker says, and turns every ending — done, failed,
// cancelled, a crash, an exit, a worker that ran out of heap — into one TrainingResult. The app never throws
// because a run did.
//
// In development, tests and the CLI the worker is TypeScript, run through tsx (see spawnWorker); a bundled app
// passes the built worker's URL in `options.workerUrl`.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { BackendInfo, ForcedBackend } from './backend';
import { validateSpans } from '../models/spans';
import { invalidInput, isOutOfMemory, outOfMemoryMessage, toTrainingFailure, type TrainingErrorCode } from './errors';
import {
  trainingJobSchema,
  workerToMainSchema,
  type Checkpoint,
  type EpochLosses,
  type MainToWorker,
  type Progress,
  type TrainingJob,
} from './protocol';
import type { SerializedTensor } from './tensors';

export interface TrainingCallbacks {
  onBackend?(info: BackendInfo): void;
  onProgress?(progress: Progress): void;
  /** The checkpoint's buffers belong to the callee (they were transferred from the worker). */
  onCheckpoint?(checkpoint: Checkpoint): void;
}

export interface TrainingOptions {
  /** Force a backend in the worker (sets AIRLOCK_TF_BACKEND there). */
  backend?: ForcedBackend;
  /** The worker entry; defaults to worker.ts beside this file (through tsx) or worker.js when built. */
  workerUrl?: URL;
  /** Extra Node options for the worker (default none). */
  execArgv?: string[];
  /** V8 heap limits for the worker; exceeding them ends the run as OUT_OF_MEMORY. */
  resourceLimits?: ResourceLimits;
  /** How long cancel() waits for the worker to stop between steps before terminating it (default 5 s). */
  cancelTimeoutMs?: number;
}

export type TrainingResult =
  | { status: 'done'; backend: BackendInfo | null; weights: SerializedTensor[]; lossHistory: EpochLosses[] }
  | { status: 'failed'; backend: BackendInfo | null; code: TrainingErrorCode; message: string }
  | { status: 'cancelled'; backend: BackendInfo | null; epoch: number };

export interface TrainingHandle {
  /** Ask the run to stop; resolves once it has (the worker is gone). */
  cancel(): Promise<void>;
  /** Settles once, never rejects. */
  done: Promise<TrainingResult>;
}

const nodeRequire = createRequire(import.meta.url);

/** worker.ts beside this file when running from source (dev, tests, CLI via tsx), worker.js when built. */
function defaultWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
}

/**
 * Start a worker on `url`. A TypeScript entry goes through tsx: Node 20 ignores `--import tsx` in a Worker's
 * execArgv for the worker's own entry module ("Unknown file extension .ts"), so a two-line bootstrap registers
 * tsx's ESM hooks inside the worker (tsx/esm/api register()) and then imports the entry.
 */
export function spawnWorker(url: URL, options: { env?: NodeJS.ProcessEnv; execArgv?: string[]; resourceLimits?: ResourceLimits } = {}): Worker {
  const common = { env: options.env ?? process.env, execArgv: options.execArgv ?? [], ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}) };
  if (!url.pathname.endsWith('.ts')) return new Worker(url, common);
  const tsxApi = pathToFileURL(join(dirname(nodeRequire.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { ...common, eval: true });
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    console.error('airlock training: a progress callback threw', err);
  }
}

export function startTraining(job: TrainingJob, callbacks: TrainingCallbacks = {}, options: TrainingOptions = {}): TrainingHandle {
  const valid = trainingJobSchema.safeParse(job);
  if (!valid.success) {
    const issue = valid.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
    const result: TrainingResult = { status: 'failed', backend: null, code: 'INVALID_ARGUMENT', message: `The training job is not valid${where}: ${issue?.message ?? 'unknown problem'}.` };
    return { cancel: () => Promise.resolve(), done: Promise.resolve(result) };
  }
  const { buffer, rows, width, spans } = valid.data.data;
  try {
    if (buffer.byteLength !== rows * width * 4) {
      throw invalidInput(`The encoded data is ${buffer.byteLength} bytes; ${rows} rows × ${width} float32 values need ${rows * width * 4}.`);
    }
    validateSpans(spans, width);
  } catch (err) {
    const failure = toTrainingFailure(err);
    return { cancel: () => Promise.resolve(), done: Promise.resolve({ status: 'failed', backend: null, ...failure }) };
  }

  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.backend) env.AIRLOCK_TF_BACKEND = options.backend;
  const worker = spawnWorker(options.workerUrl ?? defaultWorkerUrl(), {
    env,
    ...(options.execArgv ? { execArgv: options.execArgv } : {}),
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
  });

  let backend: BackendInfo | null = null;
  let epochsCompleted = job.resume?.epoch ?? 0;
  let cancelRequested = false;
  let settled = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let resolveDone!: (r: TrainingResult) => void;
  const done = new Promise<TrainingResult>((resolve) => (resolveDone = resolve));

  const settle = (r: TrainingResult): void => {
    if (settled) return;
    settled = true;
    resolveDone(r);
    void worker.terminate();
  };
  const fail = (code: TrainingErrorCode, message: string): void => settle({ status: 'failed', backend, code, message });

  worker.on('message', (raw: unknown) => {
    if (settled) return;
    const parsed = workerToMainSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      console.error('airlock training: unexpected worker message', issue);
      fail('INTERNAL', `The training worker sent a message Airlock does not understand (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}).`);
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'backend':
        backend = msg.info;
        safely(() => callbacks.onBackend?.(msg.info));
        break;
      case 'progress': {
        const { type: _t, ...progress } = msg;
        if (progress.step === progress.stepsPerEpoch) epochsCompleted = progress.epoch;
        safely(() => callbacks.onProgress?.(progress));
        break;
      }
      case 'checkpoint': {
        const { type: _t, ...checkpoint } = msg;
        safely(() => callbacks.onCheckpoint?.(checkpoint));
        break;
      }
      case 'done':
        settle({ status: 'done', backend, weights: msg.weights, lossHistory: msg.lossHistory });
        break;
      case 'failed':
        fail(msg.code, msg.message);
        break;
      case 'cancelled':
        settle({ status: 'cancelled', backend, epoch: msg.epoch });
        break;
    }
  });

  worker.on('error', (err: Error) => {
    if (isOutOfMemory(err)) fail('OUT_OF_MEMORY', outOfMemoryMessage(undefined));
    else fail('INTERNAL', `The training worker crashed: ${err.message.split('\n')[0] ?? ''}`);
  });

  worker.on('exit', (code) => {
    if (settled) return;
    if (cancelRequested) settle({ status: 'cancelled', backend, epoch: epochsCompleted });
    else fail('INTERNAL', `The training worker stopped unexpectedly (exit code ${code}).`);
  });

  const start: MainToWorker = { type: 'start', ...job };
  try {
    worker.postMessage(start, [job.data.buffer]);
  } catch (err) {
    fail('INVALID_ARGUMENT', `The training data could not be handed to the worker: ${err instanceof Error ? err.message : String(err)}`);
  }

  const cancel = async (): Promise<void> => {
    if (settled) {
      await done;
      await exited;
      return;
    }
    cancelRequested = true;
    worker.postMessage({ type: 'cancel' } satisfies MainToWorker);
    const timeout = options.cancelTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const forced = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        settle({ status: 'cancelled', backend, epoch: epochsCompleted });
        resolve();
      }, timeout);
    });
    await Promise.race([done.then(() => undefined), forced]);
    clearTimeout(timer);
    await exited;
  };

  return { cancel, done };
}
