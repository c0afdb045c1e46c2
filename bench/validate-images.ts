// Image memorisation benchmark: Airlock's memorisation() on 2,000 synthetic × 10,000 training (+ 1,000 holdout)
// frames of 64×64 on one core, beside numpy doing the same blocked normalised products (bench/memorise_numpy.py,
// one BLAS thread unless BENCH_MEM_NUMPY_THREADS says otherwise), the sides alternated A B A B, median and ratio;
// the highest NCC of both sides checked to agree. Run alone with `npx tsx bench/validate-images.ts`;
// BENCH_MEM_SYN, BENCH_MEM_TRAIN, BENCH_MEM_HOLDOUT, BENCH_MEM_SIZE, BENCH_MEM_PAIRS change the scale.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { selectBackend } from '../electron/core/train/engine/backend';
import { createRng, type Rng } from '../electron/core/train/rng';
import { memorisation } from '../electron/core/validate/image/memorisation';
import type { ImageFrames, MemorisationResult } from '../electron/core/validate/image/types';

const PYTHON = '/usr/bin/python3';
const BLOCK = 2048;

function env(name: string, fallback: number): number {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive whole number (it is ${process.env[name]}).`);
  return v;
}

/** Smooth random frames (a few low-frequency waves and blobs plus noise) on [−1, 1], like windowed slices. */
function frames(rng: Rng, count: number, size: number): ImageFrames {
  const data = new Float32Array(count * size * size);
  const cosX = new Float32Array(size);
  const cosY = new Float32Array(size);
  for (let f = 0; f < count; f++) {
    const o = f * size * size;
    for (let w = 0; w < 3; w++) {
      const fx = rng.uniform() * 0.4, fy = rng.uniform() * 0.4, px = rng.uniform() * 6.3, py = rng.uniform() * 6.3, a = 0.3 * rng.uniform();
      for (let i = 0; i < size; i++) { cosX[i] = Math.cos(fx * i + px); cosY[i] = Math.cos(fy * i + py); }
      for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data[o + y * size + x] = (data[o + y * size + x] as number) + a * (cosX[x] as number) * (cosY[y] as number);
    }
    for (let i = 0; i < size * size; i++) data[o + i] = Math.max(-1, Math.min(1, (data[o + i] as number) + 0.05 * rng.normal()));
  }
  return { count, size, data, labels: null, classes: [] };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

interface AirlockRun {
  seconds: number;
  productSeconds: number;
  result: MemorisationResult;
}

function runAirlock(syn: ImageFrames, train: ImageFrames, holdout: ImageFrames): AirlockRun {
  const productShare = (train.count + holdout.count) / (2 * train.count + holdout.count);
  const t0 = performance.now();
  let productEnd = 0;
  const result = memorisation(syn, train, holdout, {
    threshold: 0.95,
    blockRows: BLOCK,
    checkpoint: (p = 0) => { if (productEnd === 0 && p >= productShare - 1e-9) productEnd = performance.now(); },
  });
  const end = performance.now();
  return { seconds: (end - t0) / 1000, productSeconds: ((productEnd || end) - t0) / 1000, result };
}

function runNumpy(dir: string, syn: ImageFrames, train: ImageFrames, holdout: ImageFrames): number {
  const threads = String(env('BENCH_MEM_NUMPY_THREADS', 1));
  const args = [join(import.meta.dirname, 'memorise_numpy.py'), dir, syn.count, train.count, holdout.count, syn.size, BLOCK].map(String);
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads } });
  if (r.status !== 0) throw new Error(`memorise_numpy.py failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { seconds: number }).seconds;
}

/** The file's bytes in an ArrayBuffer of their own (a Buffer may sit at any offset of a shared pool). */
function readBytes(file: string): ArrayBuffer {
  const b = readFileSync(file);
  const out = new ArrayBuffer(b.byteLength);
  new Uint8Array(out).set(b);
  return out;
}

function write(file: string, a: Float32Array): void {
  writeFileSync(file, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
}

/** Prints Airlock's memorisation beside numpy's products at the scale of issue #10 (or the BENCH_MEM_* scale). */
export async function benchMemorisation(): Promise<void> {
  const nSyn = env('BENCH_MEM_SYN', 2000), nTrain = env('BENCH_MEM_TRAIN', 10_000), nHold = env('BENCH_MEM_HOLDOUT', 1000);
  const size = env('BENCH_MEM_SIZE', 64), pairs = env('BENCH_MEM_PAIRS', 3);
  const backend = await selectBackend();
  const rng = createRng('bench-memorisation');
  const train = frames(rng, nTrain, size);
  const holdout = frames(rng, nHold, size);
  const syn = frames(rng, nSyn, size);
  // A few planted copies, so both sides must find the same training frames.
  const d = size * size;
  for (let i = 0; i < Math.min(10, nSyn); i++) syn.data.set(train.data.subarray((i * 7) % nTrain * d, ((i * 7) % nTrain + 1) * d), i * d);
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-mem-'));
  try {
    write(join(dir, 'syn.f32'), syn.data);
    write(join(dir, 'train.f32'), train.data);
    write(join(dir, 'holdout.f32'), holdout.data);
    const gflop = (2 * nSyn * (nTrain + nHold) * d) / 1e9;
    console.log(`memorisation: ${nSyn} synthetic × ${nTrain} training + ${nHold} holdout frames of ${size}×${size} (${gflop.toFixed(1)} GFLOP of products), Airlock on tfjs ${backend.name}${backend.simd ? ' SIMD' : ''}, 1 thread; numpy ${process.env.BENCH_MEM_NUMPY_THREADS ?? 1} BLAS thread(s)`);
    const airlock: AirlockRun[] = [];
    const numpy: number[] = [];
    for (let p = 0; p < pairs; p++) {
      airlock.push(runAirlock(syn, train, holdout));
      numpy.push(runNumpy(dir, syn, train, holdout));
      const a = airlock.at(-1) as AirlockRun;
      console.log(`  pair ${p + 1}: Airlock ${a.seconds.toFixed(2)} s (products ${a.productSeconds.toFixed(2)} s, then SSIM and shifted NCC of the top 5), numpy products ${(numpy.at(-1) as number).toFixed(2)} s`);
    }
    const last = (airlock.at(-1) as AirlockRun).result;
    const npMax = new Float32Array(readBytes(join(dir, 'numpy-max.bin')));
    const npArg = new Int32Array(readBytes(join(dir, 'numpy-argmax.bin')));
    let maxDiff = 0;
    let sameArg = 0;
    last.rows.forEach((r, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(r.bestTrainNcc - (npMax[i] as number)), Math.abs(r.bestHoldoutNcc - (npMax[nSyn + i] as number)));
      if (r.bestTrain === npArg[i]) sameArg++;
    });
    const medA = median(airlock.map((a) => a.seconds));
    const medP = median(airlock.map((a) => a.productSeconds));
    const medN = median(numpy);
    console.log(`  median: Airlock ${medA.toFixed(2)} s in all (${(gflop / medP).toFixed(1)} GFLOP/s in the products, ${medP.toFixed(2)} s), numpy ${medN.toFixed(2)} s (${(gflop / medN).toFixed(1)} GFLOP/s); products ratio Airlock/numpy ${(medP / medN).toFixed(2)}×, whole metric ${(medA / medN).toFixed(2)}×`);
    console.log(`  agreement: highest NCC within ${maxDiff.toExponential(1)}, same closest training frame for ${sameArg}/${nSyn}; planted copies found: ${last.rows.slice(0, Math.min(10, nSyn)).filter((r) => r.bestTrainNcc > 0.9999).length}/${Math.min(10, nSyn)}; share ≥ 0.95: ${(100 * last.shareAboveThreshold).toFixed(2)}%`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchMemorisation().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
