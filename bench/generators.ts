// Generator benchmark: rows/s for fit and sample of the copula, TVAE and CTGAN on a 32,000-row, 15-column
// table drawn from the real colon-cancer trial's distributions, and the same TVAE architecture in PyTorch CPU
// on the identical encoded matrix, printed side by side with the ratio.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTable } from '../electron/core/ingest/table/read';
import { selectBackend } from '../electron/core/train/engine/backend';
import { Rng } from '../electron/core/train/engine/rng';
import { CtganTrainer, ctganConfigSchema } from '../electron/core/train/models/ctgan';
import type { EncodedTable, ModelTrainer } from '../electron/core/train/models/model';
import { TvaeTrainer, tvaeConfigSchema } from '../electron/core/train/models/tvae';
import { createRng } from '../electron/core/train/rng';
import { fitCopula, sampleCopula } from '../electron/core/train/tabular/copula';
import { prepareColumns, type TableSchema } from '../electron/core/train/tabular/schema';
import { Transformer } from '../electron/core/train/tabular/transformer';

const ROWS = 32_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

function rate(rows: number, ms: number): string {
  return `${Math.round(rows / (ms / 1000)).toLocaleString('en').padStart(10)} rows/s`;
}

function timeIt<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

function trainRate(make: (rng: Rng) => ModelTrainer, batch: number): number {
  const rng = Rng.fromSeed(1);
  const trainer = make(rng);
  trainer.beginEpoch(rng);
  for (let i = 0; i < 2; i++) trainer.trainStep(i, rng);
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    if ((steps + 2) % trainer.stepsPerEpoch() === 0) trainer.beginEpoch(rng);
    trainer.trainStep((steps + 2) % trainer.stepsPerEpoch(), rng);
    steps++;
  }
  const rowsPerSecond = (steps * batch) / ((performance.now() - t0) / 1000);
  trainer.dispose();
  return rowsPerSecond;
}

export async function benchGenerators(): Promise<void> {
  // A 32k-row table with the real trial's marginals and correlations (the copula, fitted on colon.csv).
  const rows: (string | null)[][] = [];
  const summary = await readTable(join(import.meta.dirname, '../../shared/data/colon.csv'), { onRows: (b) => void rows.push(...b) });
  const keep = summary.profiles.filter((p) => p.name !== 'id');
  const schema: TableSchema = { columns: keep.map((p) => ({ name: p.name, type: p.type, role: 'synthesise' })) };
  const source = rows.map((r) => keep.map((p) => r[p.index] ?? null));
  const header = keep.map((p) => p.name);
  const table = sampleCopula(fitCopula(prepareColumns(source, header, schema), createRng(7)), ROWS, createRng(8));
  console.log(`\n3. Generators on a ${ROWS.toLocaleString('en')} × ${header.length} table drawn from colon.csv's distributions`);

  const columns = prepareColumns(table, header, schema);
  const copFit = timeIt(() => fitCopula(columns, createRng(1)));
  const copSample = timeIt(() => sampleCopula(copFit.value, ROWS, createRng(2)));
  console.log(`copula      fit ${rate(ROWS, copFit.ms)}   sample ${rate(copSample.value.length, copSample.ms)}`);

  const tr = timeIt(() => Transformer.fit(columns, createRng(3)));
  const enc = timeIt(() => tr.value.transform(columns, createRng(4)));
  const encoded: EncodedTable = { values: enc.value, rows: ROWS, width: tr.value.width, spans: tr.value.spans };
  console.log(`transformer fit ${rate(ROWS, tr.ms)}   encode ${rate(ROWS, enc.ms)}   (width ${tr.value.width})`);

  tf.env().set('PROD', true);
  const info = await selectBackend();
  const tvae = trainRate((rng) => new TvaeTrainer(tvaeConfigSchema.parse({}), encoded, 500, rng), 500);
  const tvaeModel = new TvaeTrainer(tvaeConfigSchema.parse({}), encoded, 500, Rng.fromSeed(1));
  const tvaeSample = timeIt(() => tvaeModel.model.sample(20_000, Rng.fromSeed(2)));
  tvaeModel.dispose();
  const ctgan = trainRate((rng) => new CtganTrainer(ctganConfigSchema.parse({}), encoded, 500, rng), 500);
  const ctganModel = new CtganTrainer(ctganConfigSchema.parse({}), encoded, 500, Rng.fromSeed(1));
  const ctganSample = timeIt(() => ctganModel.sample(20_000, Rng.fromSeed(2)));
  ctganModel.dispose();
  console.log(`TVAE  (${info.name}) train ${Math.round(tvae).toLocaleString('en').padStart(10)} rows/s   sample ${rate(20_000, tvaeSample.ms)}`);
  console.log(`CTGAN (${info.name}) train ${Math.round(ctgan).toLocaleString('en').padStart(10)} rows/s   sample ${rate(20_000, ctganSample.ms)}`);

  // The same TVAE in PyTorch, on the identical matrix, one thread like the WASM backend.
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-tvae-'));
  try {
    writeFileSync(join(dir, 'x.f32'), Buffer.from(enc.value.buffer, enc.value.byteOffset, enc.value.byteLength));
    writeFileSync(join(dir, 'spans.json'), JSON.stringify(tr.value.spans));
    for (const threads of [1, 2]) {
      const r = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'tvae_torch.py'), join(dir, 'x.f32'), join(dir, 'spans.json'), String(ROWS), String(tr.value.width), String(SECONDS), String(threads)], { encoding: 'utf8' });
      if (r.status !== 0) {
        console.log(`PyTorch reference unavailable (${r.stderr.trim().split('\n').at(-1) ?? 'failed'}); install python3-torch.`);
        break;
      }
      const torch = JSON.parse(r.stdout) as { trainRowsPerSecond: number; sampleRowsPerSecond: number; torch: string };
      console.log(`TVAE  (PyTorch ${torch.torch} CPU, ${threads} thread${threads > 1 ? 's' : ''}) train ${Math.round(torch.trainRowsPerSecond).toLocaleString('en').padStart(10)} rows/s   sample ${Math.round(torch.sampleRowsPerSecond).toLocaleString('en').padStart(10)} rows/s`);
      console.log(`   ratio airlock/pytorch (${threads} thread${threads > 1 ? 's' : ''}): train ${(tvae / torch.trainRowsPerSecond).toFixed(2)}×, sample ${(20_000 / (tvaeSample.ms / 1000) / torch.sampleRowsPerSecond).toFixed(2)}×`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
