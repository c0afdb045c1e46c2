// Image generators' training speed at 64 × 64, batch 32: DCGAN (ngf = ndf = 64, z 100, the PyTorch DCGAN example's
// network) and the conv VAE (latent 64, ngf = ndf = 64), each on the backend the ladder picks (WASM here) beside the
// same architecture in PyTorch CPU on one thread (bench/image/dcgan_torch.py, cvae_torch.py), alternated by the
// harness. PyTorch runs as shipped (Debian links the reference BLAS, so its ConvTranspose2d is slow) and with the
// decoder's ConvTranspose2d computed sub-pixel on Conv2d (oneDNN), what a well-built PyTorch CPU achieves.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { Rng } from '../../electron/core/train/engine/rng';
import { cvaeConfigSchema, dcganConfigSchema } from '../../electron/core/train/models/image/config';
import { CvaeTrainer } from '../../electron/core/train/models/image/cvae';
import type { ImageTrainer } from '../../electron/core/train/models/image/data';
import { DcganTrainer } from '../../electron/core/train/models/image/dcgan';
import type { BenchContext } from '../context';
import { backendLabel } from '../generators';

const SIZE = 64;
const BATCH = 32;
const PYTHON = '/usr/bin/python3';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

type Kind = 'dcgan' | 'cvae';

function trainer(kind: Kind, rng: Rng): ImageTrainer {
  const count = 4 * BATCH;
  const images = rng.fillUniform(new Float32Array(count * SIZE * SIZE), -1, 1);
  const data = { images, count, size: SIZE };
  return kind === 'dcgan'
    ? new DcganTrainer(dcganConfigSchema.parse({ size: SIZE, ngf: 64, ndf: 64 }), data, BATCH, rng)
    : new CvaeTrainer(cvaeConfigSchema.parse({ size: SIZE, ngf: 64, ndf: 64 }), data, BATCH, rng);
}

/** Steps/s of ours: two warm-up steps, then as many as fit in `seconds` (at least three). */
export function measureOurs(kind: Kind, seconds: number): number {
  const rng = Rng.fromSeed(1);
  const t = trainer(kind, rng);
  try {
    let step = 0;
    const next = () => {
      if (step % t.stepsPerEpoch() === 0) t.beginEpoch(rng);
      t.trainStep(step++ % t.stepsPerEpoch(), rng);
    };
    next();
    next();
    let steps = 0;
    const t0 = performance.now();
    while (steps < 3 || performance.now() - t0 < seconds * 1000) {
      next();
      steps++;
    }
    return steps / ((performance.now() - t0) / 1000);
  } finally {
    t.dispose();
  }
}

function torchSide(kind: Kind, subpixel: boolean, seconds: number, threads: number): { stepsPerSecond: number; threads: number; torch: string } {
  const args = [join(import.meta.dirname, `${kind}_torch.py`), String(seconds), String(threads), ...(subpixel ? ['subpixel'] : [])];
  const r = spawnSync(PYTHON, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${kind}_torch.py failed (install python3-torch): ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
  const t = JSON.parse(r.stdout) as { stepsPerSecond: number; threads: number; torch: string };
  if (t.threads !== threads) throw new Error(`PyTorch ran on ${t.threads} threads, not ${threads}`);
  return t;
}

async function benchImage(ctx: BenchContext, kind: Kind, title: string): Promise<void> {
  tf.env().set('PROD', true);
  const info = await selectBackend();
  const threads = info.threads ?? 1; // PyTorch gets as many as the backend has (AIRLOCK_TRAIN_THREADS)
  let version = '';
  for (const subpixel of [false, true]) {
    await ctx.compare({
      name: `${title} vs PyTorch ${subpixel ? 'sub-pixel ConvT' : 'as shipped'}`,
      metrics: [{ key: 'steps', label: 'train', unit: 'steps/s', better: 'higher' }],
      ours: { label: backendLabel(info), threads, run: () => ({ steps: measureOurs(kind, SECONDS) }) },
      reference: {
        label: `PyTorch CPU${subpixel ? ', ConvTranspose2d as four Conv2d phases (oneDNN)' : ', as shipped (reference BLAS ConvTranspose2d)'}`,
        threads,
        run: () => {
          const t = torchSide(kind, subpixel, SECONDS, threads);
          version = t.torch;
          return { steps: t.stepsPerSecond };
        },
      },
    });
  }
  ctx.note(`${title}: ${SIZE} × ${SIZE}, batch ${BATCH}, ngf = ndf = 64; ~${SECONDS} s of steps per run; PyTorch ${version}, torch.set_num_threads(${threads}).`);
}

export const benchDcgan = (ctx: BenchContext): Promise<void> => benchImage(ctx, 'dcgan', 'DCGAN');
export const benchCvae = (ctx: BenchContext): Promise<void> => benchImage(ctx, 'cvae', 'conv VAE');
