// Training speed: `npx tsx test/train-engine/bench.ts` — TVAE and CTGAN steps/s on a 418 × 59 encoded matrix,
// batch 500 (CTGAN: 500 too, pac 10), per backend, in this process.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { Rng } from '../../electron/core/train/engine/rng';
import { ctganConfigSchema, CtganTrainer } from '../../electron/core/train/models/ctgan';
import type { ModelTrainer } from '../../electron/core/train/models/model';
import { TvaeTrainer, tvaeConfigSchema } from '../../electron/core/train/models/tvae';
import { CLINICAL, syntheticTable } from './helpers';

tf.env().set('PROD', true);
const info = await selectBackend();
const table = syntheticTable(418, 3, CLINICAL);
console.log(`table ${table.rows} × ${table.width}; ladder chose ${info.name} (fallbacks: ${info.fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; ')})`);

function measure(make: (rng: Rng) => ModelTrainer, seconds: number): number {
  const rng = Rng.fromSeed(1);
  const trainer = make(rng);
  trainer.beginEpoch(rng);
  for (let i = 0; i < 2; i++) trainer.trainStep(0, rng); // warm-up
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    trainer.beginEpoch(rng);
    trainer.trainStep(0, rng);
    steps++;
  }
  const rate = steps / ((performance.now() - t0) / 1000);
  trainer.dispose();
  return rate;
}

for (const backend of ['wasm', 'cpu'] as const) {
  await tf.setBackend(backend);
  const tvae = measure((rng) => new TvaeTrainer(tvaeConfigSchema.parse({}), table, 500, rng), 5);
  const ctgan = measure((rng) => new CtganTrainer(ctganConfigSchema.parse({}), table, 500, rng), 8);
  console.log(`${backend.padEnd(5)} TVAE ${tvae.toFixed(2)} steps/s (= epochs/s at 418 rows)   CTGAN ${ctgan.toFixed(2)} steps/s`);
}
