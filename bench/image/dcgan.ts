// DCGAN training speed: steps/s at 64 × 64, batch 32, ngf = ndf = 64 (the PyTorch DCGAN example's network, z of
// 100, unconditional) on the backend the ladder picks (WASM here), beside the same architecture in PyTorch CPU
// with 1 and 2 threads (bench/image/dcgan_torch.py, Debian's python3-torch), printed with the ratio. PyTorch runs
// twice: as shipped (Debian links the reference BLAS, so its ConvTranspose2d is slow) and with the generator's
// ConvTranspose2d computed sub-pixel on Conv2d (oneDNN), which is what a well-built PyTorch CPU achieves.
//   npx tsx bench/image/dcgan.ts            (BENCH_SECONDS per side, default 10)
// bench/run.ts can call benchDcgan().
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { Rng } from '../../electron/core/train/engine/rng';
import { dcganConfigSchema } from '../../electron/core/train/models/image/config';
import { DcganTrainer } from '../../electron/core/train/models/image/dcgan';

const SIZE = 64;
const BATCH = 32;
const PYTHON = '/usr/bin/python3';

export interface DcganBenchResult {
  backend: string;
  stepsPerSecond: number;
  torch: { threads: number; subpixel: boolean; stepsPerSecond: number; version: string }[];
}

/** Steps/s of our DCGAN: two warm-up steps, then as many as fit in `seconds` (at least three). */
function measureOurs(seconds: number): number {
  const rng = Rng.fromSeed(1);
  const count = 4 * BATCH;
  const images = rng.fillUniform(new Float32Array(count * SIZE * SIZE), -1, 1);
  const trainer = new DcganTrainer(dcganConfigSchema.parse({ size: SIZE, ngf: 64, ndf: 64 }), { images, count, size: SIZE }, BATCH, rng);
  try {
    let step = 0;
    const next = () => {
      if (step % trainer.stepsPerEpoch() === 0) trainer.beginEpoch(rng);
      trainer.trainStep(step++ % trainer.stepsPerEpoch(), rng);
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
    trainer.dispose();
  }
}

export async function benchDcgan(seconds = Number(process.env.BENCH_SECONDS ?? 10)): Promise<DcganBenchResult> {
  tf.env().set('PROD', true);
  const info = await selectBackend();
  console.log(`\nDCGAN training, ${SIZE} × ${SIZE}, batch ${BATCH}, ngf = ndf = 64, z 100 (steps/s; ~${seconds} s per side)`);
  const ours = measureOurs(seconds);
  const simd = info.name === 'wasm' ? `, SIMD ${info.simd ? 'on' : 'off'}, ${info.threads ?? 1} thread` : '';
  console.log(`airlock (${info.name}${simd})`.padEnd(52) + `${ours.toFixed(3).padStart(8)} steps/s  ${(1000 / ours).toFixed(0).padStart(6)} ms/step`);
  const torch: DcganBenchResult['torch'] = [];
  for (const subpixel of [false, true]) {
    for (const threads of [1, 2]) {
      const args = [join(import.meta.dirname, 'dcgan_torch.py'), String(seconds), String(threads), ...(subpixel ? ['subpixel'] : [])];
      const r = spawnSync(PYTHON, args, { encoding: 'utf8' });
      if (r.status !== 0) {
        console.log(`PyTorch reference unavailable (${r.stderr.trim().split('\n').at(-1) ?? 'failed'}); install python3-torch.`);
        return { backend: info.name, stepsPerSecond: ours, torch };
      }
      const t = JSON.parse(r.stdout) as { stepsPerSecond: number; threads: number; torch: string };
      torch.push({ threads, subpixel, stepsPerSecond: t.stepsPerSecond, version: t.torch });
      const label = `PyTorch ${t.torch} CPU, ${threads} thread${threads > 1 ? 's' : ''}${subpixel ? ', sub-pixel ConvT' : ', as shipped'}`;
      console.log(label.padEnd(52) + `${t.stepsPerSecond.toFixed(3).padStart(8)} steps/s  ${(1000 / t.stepsPerSecond).toFixed(0).padStart(6)} ms/step   airlock/pytorch ${(ours / t.stepsPerSecond).toFixed(2)}×`);
    }
  }
  console.log('   (Debian\'s torch links the reference BLAS: ConvTranspose2d runs as slow_conv_transpose2d; the sub-pixel rows put');
  console.log('    every convolution on oneDNN, as a PyTorch built with a tuned BLAS would run it.)');
  return { backend: info.name, stepsPerSecond: ours, torch };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchDcgan();
