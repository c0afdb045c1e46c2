// One image run, main side: load the training frames, train in the image worker (progress and sample grids
// stream into the live state), then write each synthetic image as a Secondary Capture DICOM into the store,
// with its class and the attributes the real series of that class had.
import { createHash } from 'node:crypto';
import { loadSharp } from '../../imaging/sharp';
import type { Worker } from 'node:worker_threads';
import type { ImageSpec } from '../../../shared/image-spec-schema';
import { AirlockError } from '../../errors';
import { writeSyntheticClasses } from '../../export/dicom-writer';
import { appendAudit } from '../../govern/audit';
import type { Workspace } from '../../store/workspace';
import { sessionCodec } from '../../store/sources-seal';
import { spawnWorker } from '../engine/runner';
import { loadImageData, type ImageData } from '../image-data';
import { pack } from '../pack';
import type { LiveState } from '../run-view';
import * as repo from '../runs-repo';
import { classAttributes, type ClassAttributes } from './attributes';
import type { ImageCheckpoint, ImageReply } from './protocol';

export interface ImageLive extends LiveState {
  grid: string | null;
}

// A sample grid every this many training steps (and after the last one) streams to the UI.
const GRID_EVERY_STEPS = 10;

function workerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './image-worker.js', import.meta.url);
}

// The engine's config for the spec's generator (sizes and classes come from the data).
function engineConfig(spec: ImageSpec, classes: number): Record<string, unknown> {
  const g = spec.generator;
  if (g.kind === 'dcgan') return { kind: 'dcgan', size: spec.image.size, ngf: g.ngf, ndf: g.ndf, latent: g.latentDim, classes, generatorLr: g.learningRate, discriminatorLr: g.learningRate };
  return { kind: 'cvae', size: spec.image.size, ngf: g.filters, latent: g.latentDim, classes, learningRate: g.learningRate };
}

export function sourceHashOf(ws: Workspace, seriesIds: number[]): string {
  const hashes = seriesIds.flatMap((id) =>
    (ws.db.prepare('SELECT f.sha256 FROM dicom_instances i JOIN source_files f ON f.id = i.file_id WHERE i.series_id = ? ORDER BY f.sha256').all(id) as { sha256: string }[]).map((r) => r.sha256),
  );
  return createHash('sha256').update(hashes.sort().join('\n')).digest('hex');
}

// How long a run that fails before training waits for the ladder's answer, so it still names its backend.
const BACKEND_WAIT_MS = 20_000;

export async function executeImageRun(ws: Workspace, runId: number, actor: string, spec: ImageSpec, specHash: string, resume: ImageCheckpoint | null, live: ImageLive, setCancel: (c: () => Promise<void>) => void): Promise<void> {
  // The worker starts first and climbs the backend ladder while the frames load, so every run records its backend.
  live.stage = 'starting';
  const worker: Worker = spawnWorker(workerUrl());
  let exitedEarly = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => ((exitedEarly = true), resolve())));
  let handle: ((m: ImageReply) => void) | null = null;
  const early: ImageReply[] = [];
  const backendKnown = new Promise<void>((resolve) => {
    worker.on('message', (m: ImageReply) => {
      if (m.type === 'backend') {
        live.backend = m.info;
        repo.setRunBackend(ws.db, runId, m.info);
        resolve();
        return;
      }
      if (m.type === 'failed') resolve();
      if (handle) handle(m);
      else early.push(m);
    });
    void exited.then(resolve);
  });
  setCancel(async () => {
    // Ask the worker to stop between steps; terminate it if it has not within a few seconds.
    worker.postMessage({ type: 'cancel' });
    const timer = setTimeout(() => void worker.terminate(), 3000);
    await exited;
    clearTimeout(timer);
  });

  let data: ImageData;
  try {
    live.stage = 'loading frames';
    data = await loadImageData(ws.db, sessionCodec(ws), { seriesIds: spec.source.seriesIds, size: spec.image.size, window: spec.image.window, labelBy: spec.image.labelBy, colour: spec.image.colour });
    repo.addRunNotes(ws.db, runId, data.notes);
    if (live.cancelRequested) throw new AirlockError('RUN_CANCELLED', 'Cancelled.');
  } catch (err) {
    await Promise.race([backendKnown, new Promise((r) => setTimeout(r, BACKEND_WAIT_MS))]);
    void worker.terminate();
    throw err;
  }
  const g = spec.generator;
  live.stage = 'training';
  const images = data.images.buffer.slice(0) as ArrayBuffer;
  const labels = data.labels ? (data.labels.buffer.slice(0) as ArrayBuffer) : null;
  // Image i is drawn for class i mod k (balanced), told to the worker so the class each image has is never guessed.
  const classOf = Int32Array.from({ length: spec.images }, (_v, i) => (data.classes.length > 0 ? i % data.classes.length : 0));
  const sampleLabels = data.classes.length > 0 ? classOf.buffer.slice(0) : null;
  // Grids are encoded to PNG in order; the last one is awaited so a finished run keeps its final grid.
  let gridWork: Promise<void> = Promise.resolve();
  const result = await new Promise<Extract<ImageReply, { type: 'done' }>>((resolve, reject) => {
    handle = (m: ImageReply) => {
      if (m.type === 'progress') {
        live.progress = { epoch: m.epoch, epochs: m.epochs, step: m.step, stepsPerEpoch: m.stepsPerEpoch, losses: m.losses, elapsedMs: 0, etaSeconds: m.etaSeconds };
        const grid = m.grid;
        if (grid) {
          gridWork = gridWork
            .then(async () => (await loadSharp())(Buffer.from(grid.bytes), { raw: { width: grid.width, height: grid.height, channels: 1 } }).png().toBuffer())
            .then((png) => {
              live.grid = `data:image/png;base64,${png.toString('base64')}`;
            });
        }
      } else if (m.type === 'checkpoint') {
        live.lossHistory = m.lossHistory;
        repo.saveCheckpoint(ws.db, runId, m.epoch, pack({ ...m, type: undefined }), m.lossHistory, ws.now());
      } else if (m.type === 'done') resolve(m);
      else if (m.type === 'cancelled') reject(new AirlockError('RUN_CANCELLED', 'Cancelled.'));
      else if (m.type === 'failed') reject(new AirlockError(m.code === 'TRAINING_DIVERGED' || m.code === 'OUT_OF_MEMORY' || m.code === 'NOT_AVAILABLE' ? m.code : 'INTERNAL', m.message));
    };
    for (const m of early.splice(0)) handle(m);
    const stopped = () => reject(new AirlockError(live.cancelRequested ? 'RUN_CANCELLED' : 'INTERNAL', live.cancelRequested ? 'Cancelled.' : 'The image-training worker stopped unexpectedly.'));
    if (exitedEarly) return stopped();
    worker.on('error', (err) => reject(new AirlockError('INTERNAL', `The image-training worker failed: ${err.message}`)));
    worker.on('exit', stopped);
    worker.postMessage(
      { type: 'start', job: { config: engineConfig(spec, data.classes.length), images, labels, sampleLabels, count: data.count, size: data.size, seed: spec.seed, epochs: g.epochs, batchSize: g.batchSize, checkpointEvery: g.checkpointEvery, samples: spec.images, gridEvery: GRID_EVERY_STEPS, ...(resume ? { resume } : {}) } },
      [images, ...(labels ? [labels] : []), ...(sampleLabels ? [sampleLabels] : [])],
    );
  }).finally(() => void worker.terminate());

  await gridWork;
  live.stage = 'writing synthetic DICOM';
  live.lossHistory = result.lossHistory;
  repo.updateRunProgress(ws.db, runId, result.lossHistory.length, result.lossHistory);
  const values = new Float32Array(result.images);
  const px = spec.image.size * spec.image.size;
  const pictures = Array.from({ length: spec.images }, (_v, i) => {
    const pixels = new Uint8Array(px);
    for (let j = 0; j < px; j++) pixels[j] = Math.max(0, Math.min(255, Math.round(((values[i * px + j] ?? -1) + 1) * 127.5)));
    return { width: spec.image.size, height: spec.image.size, pixels };
  });
  const classes = classAttributes(ws.db, sessionCodec(ws), spec.image.size, data.classes, data.sources);
  const series = classes.map((c) => ({ modality: c.modality, bodyPartExamined: c.bodyPart ?? undefined, pixelSpacing: c.pixelSpacing ?? undefined, classLabel: c.label ?? undefined }));
  const files = writeSyntheticClasses(pictures, [...classOf], series, { runId, generator: g.kind, specHash, seriesDescription: spec.name });
  const perImage = [...classOf].map((k) => {
    const c = classes[k] as ClassAttributes;
    return { classLabel: c.label, attributes: { modality: c.modality, bodyPart: c.bodyPart, pixelSpacing: c.pixelSpacing } };
  });
  ws.db.transaction(() => {
    const dataset = repo.insertImageDataset(ws.db, runId, spec.image.size, pictures.map((p) => p.pixels), files, actor, ws.now(), perImage, classes);
    repo.saveModel(ws.db, runId, pack({ kind: g.kind, config: engineConfig(spec, data.classes.length), weights: result.weights, classes: data.classes }));
    repo.addRunNotes(ws.db, runId, classes.flatMap((c) => (c.note ? [c.note] : [])));
    repo.finishRun(ws.db, runId, 'done', ws.now());
    appendAudit(ws.db, { actor, action: 'run.finished', subject: `run #${runId}`, details: { datasetId: dataset.id, images: files.length, outputSha256: dataset.sha256, backend: live.backend?.name ?? 'unknown', heldOutFrames: data.heldOutFrames, classes: classes.map((c) => ({ label: c.label, modality: c.modality })), greyscaleFrames: data.greyscaleFrames } }, ws.now());
  })();
}
