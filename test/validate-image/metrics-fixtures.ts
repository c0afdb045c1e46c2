// Frames for the image metric tests: seeded noise, head-like phantoms, and the bundled real MR series read by
// Airlock's own DICOM decoder, block-averaged to the training size and scaled to [−1, 1].
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDicom } from '../../electron/core/imaging/dicom';
import { decodeFrame } from '../../electron/core/imaging/pixels';
import type { Rng } from '../../electron/core/train/rng';
import type { FeatureRows, ImageFrames } from '../../electron/core/validate/image/types';
import { PYTHON } from '../validate/python';

export function framesOf(data: Float32Array, size: number, labels: Int32Array | null = null, classes: string[] = []): ImageFrames {
  return { count: data.length / (size * size), size, data, labels, classes };
}

export function noiseFrames(rng: Rng, count: number, size: number): ImageFrames {
  return framesOf(Float32Array.from({ length: count * size * size }, () => rng.uniform() * 2 - 1), size);
}

/** Head-like phantoms: a bright skull ellipse, darker brain, two random lesions and mild noise; left-right roughly symmetric. */
export function phantomFrames(rng: Rng, count: number, size: number): ImageFrames {
  const data = new Float32Array(count * size * size);
  for (let f = 0; f < count; f++) {
    const ax = 0.7 + 0.15 * rng.uniform(), ay = 0.85 + 0.1 * rng.uniform();
    const lesions = [0, 1].map(() => ({ x: rng.uniform() - 0.5, y: rng.uniform() - 0.5, r: 0.05 + 0.12 * rng.uniform(), v: rng.uniform() }));
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const u = (2 * x + 1) / size - 1, v = (2 * y + 1) / size - 1;
        const e = (u / ax) ** 2 + (v / ay) ** 2;
        let p = e > 1 ? -1 : e > 0.8 ? 0.8 : -0.2 + 0.2 * v;
        for (const l of lesions) if ((u - l.x) ** 2 + (v - l.y) ** 2 < l.r * l.r && e < 0.8) p = l.v;
        data[f * size * size + y * size + x] = Math.max(-1, Math.min(1, p + 0.03 * rng.normal()));
      }
    }
  }
  return framesOf(data, size);
}

const MR_DIR = join(__dirname, '../../resources/sample/mr-brain');

/** The 20 real MR slices (256×256), averaged over (256/size)² blocks, scaled by the series' min and max to [−1, 1]. */
export async function mrFrames(size: number): Promise<ImageFrames> {
  const files = readdirSync(MR_DIR).filter((f) => f.endsWith('.dcm')).sort();
  const slices: Float32Array[] = [];
  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(join(MR_DIR, file)));
    const frame = await decodeFrame(bytes, parseDicom(bytes));
    // Stored values: the modality values mark Pixel Padding as NaN, which a block mean would spread.
    const values = frame.stored;
    const b = frame.width / size;
    const out = new Float32Array(size * size);
    for (let y = 0; y < frame.height; y++) for (let x = 0; x < frame.width; x++) {
      const i = Math.floor(y / b) * size + Math.floor(x / b);
      out[i] = (out[i] as number) + (values[y * frame.width + x] as number) / (b * b);
    }
    slices.push(out);
  }
  let lo = Infinity, hi = -Infinity;
  for (const s of slices) for (const v of s) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const data = new Float32Array(slices.length * size * size);
  slices.forEach((s, f) => s.forEach((v, i) => { data[f * size * size + i] = (2 * (v - lo)) / (hi - lo) - 1; }));
  return framesOf(data, size);
}

export function frameAt(frames: ImageFrames, i: number): Float32Array {
  const area = frames.size * frames.size;
  return frames.data.slice(i * area, (i + 1) * area);
}

export function flipLeftRight(frame: Float32Array, size: number): Float32Array {
  return frame.map((_, i) => frame[Math.floor(i / size) * size + (size - 1 - (i % size))] as number);
}

/** Shifted right by one pixel, the first column repeated. */
export function shiftRight(frame: Float32Array, size: number): Float32Array {
  return frame.map((_, i) => frame[i % size === 0 ? i : i - 1] as number);
}

export function addNoise(frame: Float32Array, rng: Rng, sd: number): Float32Array {
  return frame.map((v) => Math.max(-1, Math.min(1, v + sd * rng.normal())));
}

export function concatFrames(size: number, parts: Float32Array[]): ImageFrames {
  const data = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { data.set(p, at); at += p.length; }
  return framesOf(data, size);
}

export function featureRows(rng: Rng, n: number, d: number, shift = 0, scale = 1): FeatureRows {
  return { n, d, data: Float32Array.from({ length: n * d }, (_, i) => shift * (i % d === 0 ? 1 : 0) + scale * rng.normal()) };
}

export function rowsOf(f: FeatureRows): number[][] {
  return Array.from({ length: f.n }, (_, i) => Array.from(f.data.subarray(i * f.d, (i + 1) * f.d)));
}

export type Task = Record<string, unknown> & { op: string };

/** Runs every task through reference.py in one Python process (imports cost ~1 s each time). */
export function reference<T extends unknown[]>(tasks: Task[]): T {
  const r = spawnSync(PYTHON, [join(__dirname, 'reference.py')], { input: JSON.stringify({ tasks }), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`reference.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
