// The training worker (worker_threads). Chooses the TensorFlow.js backend once, waits for `start`, runs the
// loop, and reports backend → progress/checkpoint → done | failed | cancelled. A `cancel` message sets a flag
// that the loop checks between steps. After its last message the worker closes its port and exits.
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendInfo } from './backend';
import { toTrainingFailure, TrainingError } from './errors';
import { runTraining } from './loop';
import { mainToWorkerSchema, type ParsedTrainingJob, type WorkerToMain } from './protocol';
import { buffersOf } from './tensors';

const port = parentPort;
if (!port) throw new Error('worker.ts runs inside a worker thread.');

// Production mode: no "install tfjs-node" banner or debug checks in a worker's output.
tf.env().set('PROD', true);

let cancelRequested = false;
let started = false;
let finished = false;

function post(message: WorkerToMain, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

function finish(message: WorkerToMain, transfer: ArrayBuffer[] = []): void {
  if (finished) return;
  finished = true;
  post(message, transfer);
  port?.close();
}

// Start loading the backend while the data is on its way.
const backend: Promise<BackendInfo> = selectBackend();
backend.catch(() => undefined); // reported when the start message arrives

async function run(job: ParsedTrainingJob): Promise<void> {
  try {
    let info: BackendInfo;
    try {
      info = await backend;
    } catch (err) {
      throw new TrainingError('NOT_AVAILABLE', `No TensorFlow.js backend could be started: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    post({ type: 'backend', info });
    const outcome = await runTraining(
      job,
      {
        progress: (p) => post({ type: 'progress', ...p }),
        checkpoint: (c) => post({ type: 'checkpoint', ...c }, [...buffersOf(c.weights), ...buffersOf(c.optimizer)]),
      },
      () => cancelRequested,
    );
    if (outcome.status === 'cancelled') finish({ type: 'cancelled', epoch: outcome.epoch });
    else finish({ type: 'done', ...outcome.output }, buffersOf(outcome.output.weights));
  } catch (err) {
    const failure = toTrainingFailure(err);
    if (failure.code === 'INTERNAL') console.error('airlock training worker:', err);
    finish({ type: 'failed', ...failure });
  }
}

port.on('message', (raw: unknown) => {
  const msg = mainToWorkerSchema.safeParse(raw);
  if (!msg.success) {
    const issue = msg.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
    finish({ type: 'failed', code: 'INVALID_ARGUMENT', message: `The training job is not valid${where}: ${issue?.message ?? 'unknown problem'}.` });
    return;
  }
  if (msg.data.type === 'cancel') {
    cancelRequested = true;
    if (!started) finish({ type: 'cancelled', epoch: 0 });
    return;
  }
  if (started) return;
  started = true;
  const { type: _type, ...job } = msg.data;
  void run(job);
});
