// One image run, main side: load the training frames, train in the image worker (progress and sample grids
// stream into the live state), then write each synthetic image as a Secondary Capture DICOM into the store.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Worker } from 'node:worker_threads';
import type { ImageSpec } from '../../../shared/image-spec-schema';
import { AirlockError } from '../../errors';
import { writeSyntheticDicom } from '../../export/dicom-writer';
import { appendAudit } from '../../govern/audit';
import type { Workspace } from '../../store/workspace';
import { spawnWorker } from '../engine/runner';
import { loadImageData } from '../image-data';
import { pack } from '../pack';
import type { LiveState } from '../run-view';
import * as repo from '../runs-repo';
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

// The source's pixel spacing scaled by the resampling, when every chosen series agrees on it (else none).
function resampledSpacing(ws: Workspace, spec: ImageSpec): [number, number] | null {
  const spacings = spec.source.seriesIds.map((id) => {
    const row = ws.db.prepare('SELECT metadata FROM dicom_instances WHERE series_id = ? LIMIT 1').get(id) as { metadata: string } | undefined;
    const f = row ? (JSON.parse(row.metadata) as { fields?: { pixelSpacing?: number[] | null; rows?: number; columns?: number } }).fields : undefined;
    const ps = f?.pixelSpacing;
    return ps && ps.length === 2 && f?.rows && f.columns ? [((ps[0] ?? 0) * f.rows) / spec.image.size, ((ps[1] ?? 0) * f.columns) / spec.image.size] : null;
  });
  const first = spacings[0];
  if (!first) return null;
  const [r0, c0] = first as [number, number];
  if (spacings.some((s) => !s || Math.abs((s[0] ?? 0) - r0) > 1e-6 || Math.abs((s[1] ?? 0) - c0) > 1e-6)) return null;
  return [Number(r0.toFixed(6)), Number(c0.toFixed(6))];
}

export function sourceHashOf(ws: Workspace, seriesIds: number[]): string {
  const hashes = seriesIds.flatMap((id) =>
    (ws.db.prepare('SELECT f.sha256 FROM dicom_instances i JOIN source_files f ON f.id = i.file_id WHERE i.series_id = ? ORDER BY f.sha256').all(id) as { sha256: string }[]).map((r) => r.sha256),
  );
  return createHash('sha256').update(hashes.sort().join('\n')).digest('hex');
}

export async function executeImageRun(ws: Workspace, runId: number, actor: string, spec: ImageSpec, specHash: string, resume: ImageCheckpoint | null, live: ImageLive, setCancel: (c: () => Promise<void>) => void): Promise<void> {
  live.stage = 'loading frames';
  const data = await loadImageData(ws.db, { seriesIds: spec.source.seriesIds, size: spec.image.size, window: spec.image.window, labelBy: spec.image.labelBy });
  const g = spec.generator;
  const worker: Worker = spawnWorker(workerUrl());
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  setCancel(async () => {
    // Ask the worker to stop between steps; terminate it if it has not within a few seconds.
    worker.postMessage({ type: 'cancel' });
    const timer = setTimeout(() => void worker.terminate(), 3000);
    await exited;
    clearTimeout(timer);
  });
  live.stage = 'training';
  const images = data.images.buffer.slice(0) as ArrayBuffer;
  const labels = data.labels ? (data.labels.buffer.slice(0) as ArrayBuffer) : null;
  // Grids are encoded to PNG in order; the last one is awaited so a finished run keeps its final grid.
  let gridWork: Promise<void> = Promise.resolve();
  const result = await new Promise<Extract<ImageReply, { type: 'done' }>>((resolve, reject) => {
    worker.on('message', (m: ImageReply) => {
      if (m.type === 'backend') {
        live.backend = m.info;
        repo.setRunBackend(ws.db, runId, m.info);
      } else if (m.type === 'progress') {
        live.progress = { epoch: m.epoch, epochs: m.epochs, step: m.step, stepsPerEpoch: m.stepsPerEpoch, losses: m.losses, elapsedMs: 0, etaSeconds: m.etaSeconds };
        const grid = m.grid;
        if (grid) {
          gridWork = gridWork
            .then(() => sharp(Buffer.from(grid.bytes), { raw: { width: grid.width, height: grid.height, channels: 1 } }).png().toBuffer())
            .then((png) => {
              live.grid = `data:image/png;base64,${png.toString('base64')}`;
            });
        }
      } else if (m.type === 'checkpoint') {
        live.lossHistory = m.lossHistory;
        repo.saveCheckpoint(ws.db, runId, m.epoch, pack({ ...m, type: undefined }), ws.now());
        repo.updateRunProgress(ws.db, runId, m.epoch, m.lossHistory);
      } else if (m.type === 'done') resolve(m);
      else if (m.type === 'cancelled') reject(new AirlockError('RUN_CANCELLED', 'Cancelled.'));
      else reject(new AirlockError(m.code === 'TRAINING_DIVERGED' || m.code === 'OUT_OF_MEMORY' ? m.code : 'INTERNAL', m.message));
    });
    worker.on('error', (err) => reject(new AirlockError('INTERNAL', `The image-training worker failed: ${err.message}`)));
    worker.on('exit', () => reject(new AirlockError(live.cancelRequested ? 'RUN_CANCELLED' : 'INTERNAL', live.cancelRequested ? 'Cancelled.' : 'The image-training worker stopped unexpectedly.')));
    worker.postMessage(
      { type: 'start', job: { config: engineConfig(spec, data.classes.length), images, labels, count: data.count, size: data.size, seed: spec.seed, epochs: g.epochs, batchSize: g.batchSize, checkpointEvery: g.checkpointEvery, samples: spec.images, gridEvery: GRID_EVERY_STEPS, ...(resume ? { resume } : {}) } },
      [images, ...(labels ? [labels] : [])],
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
  const modality = (ws.db.prepare('SELECT modality FROM dicom_series WHERE id = ?').get(spec.source.seriesIds[0]) as { modality: string | null } | undefined)?.modality ?? 'OT';
  const pixelSpacing = resampledSpacing(ws, spec);
  const files = writeSyntheticDicom(pictures, { runId, generator: g.kind, specHash, modality, seriesDescription: spec.name, ...(pixelSpacing ? { pixelSpacing } : {}) });
  ws.db.transaction(() => {
    const dataset = repo.insertImageDataset(ws.db, runId, spec.image.size, pictures.map((p) => p.pixels), files, actor, ws.now());
    repo.saveModel(ws.db, runId, pack({ kind: g.kind, config: engineConfig(spec, data.classes.length), weights: result.weights, classes: data.classes }));
    repo.finishRun(ws.db, runId, 'done', ws.now());
    appendAudit(ws.db, { actor, action: 'run.finished', subject: `run #${runId}`, details: { datasetId: dataset.id, images: files.length, outputSha256: dataset.sha256, backend: live.backend?.name ?? 'unknown', heldOutFrames: data.heldOutFrames } }, ws.now());
  })();
}
