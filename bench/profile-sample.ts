// `npx tsx bench/profile-sample.ts [rows]`: where TVAE and CTGAN sampling and training time go on the selected
// backend — the seeded noise in JavaScript, the decoder's kernels, and the JavaScript after the read-back — so a
// speed change can be aimed at the phase that costs (issue #13). Prints one table per model, and the kernels of
// one training step by name.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../electron/core/train/engine/backend';
import { Rng } from '../electron/core/train/engine/rng';
import { CtganTrainer, ctganConfigSchema } from '../electron/core/train/models/ctgan';
import { TvaeTrainer, tvaeConfigSchema } from '../electron/core/train/models/tvae';
import { benchTable, encode } from './generators';

const ROWS = Number(process.argv[2] ?? 16_000);
const SAMPLE = 20_000;

function best(times: number, f: () => void): number {
  let b = Infinity;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

/** Kernels one call runs, by name (most frequent first), with their total: the per-kernel bookkeeping's share. */
async function kernelCounts(f: () => void): Promise<string> {
  const info = await tf.profile(f);
  const by = new Map<string, number>();
  for (const k of info.kernels) by.set(k.name, (by.get(k.name) ?? 0) + 1);
  const top = [...by].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${n}`);
  return `${info.kernels.length} (${top.join(', ')})`;
}

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  const info = await selectBackend();
  const table = encode(await benchTable(ROWS));
  console.log(`backend ${info.name}, table ${table.rows} × ${table.width}, ${table.spans.length} spans, sampling ${SAMPLE} rows`);
  const rng = Rng.fromSeed(1);
  const tvae = new TvaeTrainer(tvaeConfigSchema.parse({}), table, 500, rng);
  const ctgan = new CtganTrainer(ctganConfigSchema.parse({}), table, 500, rng);
  try {
    const noise = best(5, () => Rng.fromSeed(2).normal(SAMPLE * 128));
    const decode = best(5, () =>
      tf.tidy(() => {
        for (let at = 0; at < SAMPLE; at += 1024) {
          const n = Math.min(1024, SAMPLE - at);
          tvae.model.decode(tf.zeros([n, 128])).dataSync();
        }
      }),
    );
    const tvaeSample = best(5, () => tvae.model.sample(SAMPLE, Rng.fromSeed(2)));
    const ctganSample = best(5, () => ctgan.sample(SAMPLE, Rng.fromSeed(2)));
    tvae.beginEpoch(rng);
    ctgan.beginEpoch();
    let s = 0;
    const tvaeStep = best(8, () => void tvae.trainStep(s++ % tvae.stepsPerEpoch(), rng));
    s = 0;
    const ctganStep = best(5, () => void ctgan.trainStep(s++ % ctgan.stepsPerEpoch(), rng));
    const epsNoise = best(20, () => rng.normal(500 * 128));
    const tvaeKernels = await kernelCounts(() => void tvae.trainStep(0, rng));
    const ctganKernels = await kernelCounts(() => void ctgan.trainStep(0, rng));
    console.log(`TVAE sample ${tvaeSample.toFixed(1)} ms (${((SAMPLE / tvaeSample) * 1000).toFixed(0)} rows/s): latent noise ${noise.toFixed(1)} ms, decoder + read ${decode.toFixed(1)} ms, rest ${(tvaeSample - noise - decode).toFixed(1)} ms`);
    console.log(`CTGAN sample ${ctganSample.toFixed(1)} ms (${((SAMPLE / ctganSample) * 1000).toFixed(0)} rows/s)`);
    console.log(`TVAE step ${tvaeStep.toFixed(1)} ms (batch noise ${epsNoise.toFixed(1)} ms), CTGAN step ${ctganStep.toFixed(1)} ms`);
    console.log(`TVAE step kernels: ${tvaeKernels}`);
    console.log(`CTGAN step kernels: ${ctganKernels}`);
  } finally {
    tvae.dispose();
    ctgan.dispose();
  }
}

await main();
