// The image-training worker: picks the backend from the ladder as soon as it starts (and says which, even if the
// run then fails before training), trains a DCGAN or convolutional VAE epoch by
// epoch, streams progress with a sample grid every N steps, checkpoints, stops on request between steps,
// and finally samples the synthetic images. Everything random comes from the run's seed.
import * as tf from '@tensorflow/tfjs';
import { parentPort } from 'node:worker_threads';
import { selectBackend } from '../engine/backend';
import { toTrainingFailure } from '../engine/errors';
import { Rng, RNG_STREAM } from '../engine/rng';
import { createImageTrainer, imageConfigSchema, type ImageTrainer } from '../models/image';
import type { ImageJob, ImageReply } from './protocol';

const port = parentPort;
if (!port) throw new Error('image/worker.ts must run in a worker thread');
const send = (m: ImageReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
let stop = false;

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

const backend = selectBackend();
backend.then(
  (info) => send({ type: 'backend', info }),
  (err: unknown) => send({ type: 'failed', code: 'NOT_AVAILABLE', message: `No TensorFlow.js backend could be started: ${err instanceof Error ? err.message : String(err)}` }),
);

async function run(job: ImageJob): Promise<void> {
  try {
    await backend;
  } catch {
    return; // already reported
  }
  const config = imageConfigSchema.parse(job.config);
  const data = { images: new Float32Array(job.images), count: job.count, size: job.size, labels: job.labels ? new Int32Array(job.labels) : null };
  let rng = Rng.fromSeed(job.seed);
  let trainer: ImageTrainer | undefined;
  let epoch = 0;
  try {
    trainer = createImageTrainer(config, data, Math.min(job.batchSize, job.count), rng);
    const history = job.resume?.lossHistory ?? [];
    if (job.resume) {
      trainer.importWeights(job.resume.weights);
      trainer.importOptimizer(job.resume.optimizer);
      rng = Rng.fromState(job.resume.rngState);
    }
    const steps = trainer.stepsPerEpoch();
    const first = (job.resume?.epoch ?? 0) + 1;
    const started = performance.now();
    for (epoch = first; epoch <= job.epochs; epoch++) {
      trainer.beginEpoch(rng);
      const sums: Record<string, number> = {};
      for (let step = 0; step < steps; step++) {
        if (stop) return send({ type: 'cancelled', epoch: epoch - 1 });
        const losses = trainer.trainStep(step, rng);
        for (const [k, v] of Object.entries(losses)) {
          if (!Number.isFinite(v)) throw new Error(`${trainer.lossLabel(k)} became ${String(v)} at epoch ${epoch}; lower the learning rate or check the images.`);
          sums[k] = (sums[k] ?? 0) + v;
        }
        const now = performance.now();
        const done = (epoch - first) * steps + step + 1;
        const left = (job.epochs - first + 1) * steps - done;
        // Grids come from a fixed preview seed, so successive grids show the same latent points improving.
        const grid = done % job.gridEvery === 0 || (epoch === job.epochs && step === steps - 1) ? trainer.sampleGrid(16, Rng.fromSeed(job.seed + 1)) : null;
        const gridBytes = grid ? (grid.pixels.buffer.slice(grid.pixels.byteOffset, grid.pixels.byteOffset + grid.pixels.byteLength) as ArrayBuffer) : null;
        send(
          {
          type: 'progress',
          epoch,
          epochs: job.epochs,
          step: step + 1,
          stepsPerEpoch: steps,
          losses: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / (step + 1)])),
          etaSeconds: ((now - started) / done) * left / 1000,
          grid: grid && gridBytes ? { width: grid.width, height: grid.height, bytes: gridBytes } : null,
          },
          gridBytes ? [gridBytes] : [],
        );
        await yieldToEventLoop();
      }
      history.push({ epoch, losses: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / steps])) });
      if (job.checkpointEvery > 0 && epoch % job.checkpointEvery === 0 && epoch < job.epochs) {
        send({ type: 'checkpoint', epoch, weights: trainer.exportWeights(), optimizer: trainer.exportOptimizer(), rngState: rng.state(), stream: RNG_STREAM, lossHistory: history });
      }
    }
    const images = trainer.sample(job.samples, Rng.fromSeed(job.seed + 2), job.sampleLabels ? new Int32Array(job.sampleLabels) : null);
    const buffer = images.buffer.slice(images.byteOffset, images.byteOffset + images.byteLength) as ArrayBuffer;
    send({ type: 'done', weights: trainer.exportWeights(), lossHistory: history, images: buffer }, [buffer]);
  } catch (err) {
    const failure = toTrainingFailure(err, epoch);
    const diverged = err instanceof Error && / became (NaN|Infinity|-Infinity) /.test(err.message);
    send({ type: 'failed', code: diverged ? 'TRAINING_DIVERGED' : failure.code, message: diverged && err instanceof Error ? err.message : failure.message });
  } finally {
    trainer?.dispose();
    tf.disposeVariables();
  }
}

port.on('message', (m: { type: 'start'; job: ImageJob } | { type: 'cancel' }) => {
  if (m.type === 'cancel') stop = true;
  else void run(m.job);
});
