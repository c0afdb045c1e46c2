// Generator benchmark on a 32,000-row, 15-column table drawn from the real colon-cancer trial's distributions:
// the copula and the data transformer alone, then TVAE and CTGAN train and sample rows/s beside the same
// architecture, batch and steps in PyTorch CPU (bench/tvae_torch.py, bench/ctgan_torch.py) on the identical encoded
// matrix, both sides on one thread, alternated by the harness, after the matmul roofline (bench/matmul.ts) that
// bounds them. `--profile` adds the top tfjs kernels of one step.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTable } from '../electron/core/ingest/table/read';
import { selectBackend, type BackendInfo } from '../electron/core/train/engine/backend';
import { Rng } from '../electron/core/train/engine/rng';
import { CtganTrainer, ctganConfigSchema } from '../electron/core/train/models/ctgan';
import type { EncodedTable, ModelTrainer } from '../electron/core/train/models/model';
import { TvaeTrainer, tvaeConfigSchema } from '../electron/core/train/models/tvae';
import { createRng } from '../electron/core/train/rng';
import { fitCopula, sampleCopula } from '../electron/core/train/tabular/copula';
import { prepareColumns, type TableSchema } from '../electron/core/train/tabular/schema';
import { Transformer } from '../electron/core/train/tabular/transformer';
import type { BenchContext } from './context';
import type { Metric } from './harness';
import { benchMatmul, floorNote, matmulFlops } from './matmul';

const ROWS = Number(process.env.BENCH_ROWS ?? 32_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const SAMPLE_ROWS = 20_000;
const BATCH = 500;
const PYTHON = '/usr/bin/python3';

export interface BenchTable {
  header: string[];
  schema: TableSchema;
  cells: (string | null)[][];
}

let source: Promise<BenchTable> | undefined;

/** colon.csv without its id column, read once. */
function colon(): Promise<BenchTable> {
  source ??= (async () => {
    const rows: (string | null)[][] = [];
    const summary = await readTable(join(import.meta.dirname, '../../shared/data/colon.csv'), { onRows: (b) => void rows.push(...b) });
    const keep = summary.profiles.filter((p) => p.name !== 'id');
    return {
      header: keep.map((p) => p.name),
      schema: { columns: keep.map((p) => ({ name: p.name, type: p.type, role: 'synthesise' as const })) },
      cells: rows.map((r) => keep.map((p) => r[p.index] ?? null)),
    };
  })();
  return source;
}

/**
 * `rows` rows with the trial's marginals and correlations (a copula fitted on colon.csv); `columns` above 15 puts
 * independent draws side by side under new names, below 15 keeps the first ones.
 */
export async function benchTable(rows: number, columns = 15, seed = 8): Promise<BenchTable> {
  const c = await colon();
  const copula = fitCopula(prepareColumns(c.cells, c.header, c.schema), createRng(7));
  const header: string[] = [];
  const schema: TableSchema = { columns: [] };
  const blocks: (string | null)[][][] = [];
  for (let b = 0; header.length < columns; b++) {
    const take = Math.min(c.header.length, columns - header.length);
    blocks.push(sampleCopula(copula, rows, createRng(seed + b)).map((r) => r.slice(0, take)));
    c.header.slice(0, take).forEach((h, i) => {
      header.push(b === 0 ? h : `${h}_${b}`);
      schema.columns.push({ ...(c.schema.columns[i] as TableSchema['columns'][number]), name: header.at(-1) as string });
    });
  }
  const cells = Array.from({ length: rows }, (_, r) => blocks.flatMap((bl) => bl[r] as (string | null)[]));
  return { header, schema, cells };
}

/** The transformer's encoding of a table, as the trainers take it. */
export function encode(t: BenchTable): EncodedTable {
  const columns = prepareColumns(t.cells, t.header, t.schema);
  const tr = Transformer.fit(columns, createRng(3));
  return { values: tr.transform(columns, createRng(4)), rows: t.cells.length, width: tr.width, spans: tr.spans };
}

type Make = (table: EncodedTable, rng: Rng) => ModelTrainer & { sample?: (n: number, rng: Rng) => Float32Array };

const makeTvae: Make = (table, rng) => new TvaeTrainer(tvaeConfigSchema.parse({}), table, BATCH, rng);
const makeCtgan: Make = (table, rng) => new CtganTrainer(ctganConfigSchema.parse({}), table, BATCH, rng);

function sampleOf(trainer: ModelTrainer, n: number, rng: Rng): Float32Array {
  if (trainer instanceof TvaeTrainer) return trainer.model.sample(n, rng);
  if (trainer instanceof CtganTrainer) return trainer.sample(n, rng);
  throw new Error('no sampler');
}

/** Train rows/s over `seconds` after two warm-up steps, then sample rows/s, on one fresh trainer. */
function measureOurs(make: Make, table: EncodedTable, seconds: number): { train: number; sample: number } {
  const rng = Rng.fromSeed(1);
  const trainer = make(table, rng);
  try {
    const per = trainer.stepsPerEpoch();
    let step = 0;
    const next = () => {
      if (step % per === 0) trainer.beginEpoch(rng);
      trainer.trainStep(step++ % per, rng);
    };
    next();
    next();
    let steps = 0;
    const t0 = performance.now();
    while (steps < 3 || performance.now() - t0 < seconds * 1000) {
      next();
      steps++;
    }
    const train = (steps * BATCH) / ((performance.now() - t0) / 1000);
    const t1 = performance.now();
    sampleOf(trainer, SAMPLE_ROWS, Rng.fromSeed(2));
    return { train, sample: SAMPLE_ROWS / ((performance.now() - t1) / 1000) };
  } finally {
    trainer.dispose();
  }
}

/** Matmul FLOPs of one training step and of sampling SAMPLE_ROWS rows, on a fresh trainer (tf.profile). */
async function modelFlops(make: Make, table: EncodedTable): Promise<{ step: number; sample: number }> {
  const rng = Rng.fromSeed(1);
  const trainer = make(table, rng);
  try {
    trainer.beginEpoch(rng);
    trainer.trainStep(0, rng);
    const step = await matmulFlops(() => void trainer.trainStep(1, rng));
    const sample = await matmulFlops(() => void sampleOf(trainer, SAMPLE_ROWS, Rng.fromSeed(2)));
    return { step, sample };
  } finally {
    trainer.dispose();
  }
}

/** Seconds for one epoch (every row once, batch 500) of a fresh trainer, after one warm-up step. */
export function epochSeconds(make: 'tvae' | 'ctgan', table: EncodedTable): number {
  const rng = Rng.fromSeed(1);
  const trainer = (make === 'tvae' ? makeTvae : makeCtgan)(table, rng);
  try {
    trainer.beginEpoch(rng);
    trainer.trainStep(0, rng);
    const t0 = performance.now();
    trainer.beginEpoch(rng);
    for (let s = 0; s < trainer.stepsPerEpoch(); s++) trainer.trainStep(s, rng);
    return (performance.now() - t0) / 1000;
  } finally {
    trainer.dispose();
  }
}

function torchSide(script: string, dir: string, table: EncodedTable, seconds: number, threads: number): { train: number; sample: number; threads: number; version: string } {
  const args = [join(import.meta.dirname, script), join(dir, 'x.f32'), join(dir, 'spans.json'), String(table.rows), String(table.width), String(seconds), String(threads), String(SAMPLE_ROWS)];
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${script} failed (install python3-torch): ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
  const t = JSON.parse(r.stdout) as { trainRowsPerSecond: number; sampleRowsPerSecond: number; threads: number; torch: string };
  return { train: t.trainRowsPerSecond, sample: t.sampleRowsPerSecond, threads: t.threads, version: t.torch };
}

export function backendLabel(info: BackendInfo): string {
  return info.name === 'wasm' ? `tfjs ${info.tfjsVersion} wasm (SIMD ${info.simd ? 'on' : 'off'})` : `tfjs ${info.tfjsVersion} ${info.name}`;
}

/** The top kernels of one training step by time (tf.profile), printed as a table. */
async function profileStep(label: string, make: Make, table: EncodedTable): Promise<void> {
  const rng = Rng.fromSeed(1);
  const trainer = make(table, rng);
  try {
    trainer.beginEpoch(rng);
    for (let i = 0; i < 3; i++) trainer.trainStep(i, rng);
    const t0 = performance.now();
    const info = await tf.profile(() => void trainer.trainStep(3, rng));
    const wall = performance.now() - t0;
    const byName = new Map<string, { ms: number; calls: number }>();
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
      byName.set(k.name, { ms: e.ms + ms, calls: e.calls + 1 });
    }
    const total = [...byName.values()].reduce((a, b) => a + b.ms, 0);
    console.log(`\n   ${label} step profile: ${info.kernels.length} kernels, ${total.toFixed(1)} ms in kernels of ${wall.toFixed(1)} ms (profiled; the rest is JavaScript around them)`);
    console.log(`   ${'kernel'.padEnd(28)} ${'ms'.padStart(8)} ${'share'.padStart(7)} ${'calls'.padStart(6)}`);
    for (const [name, e] of [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) {
      console.log(`   ${name.padEnd(28)} ${e.ms.toFixed(2).padStart(8)} ${((100 * e.ms) / total).toFixed(1).padStart(6)}% ${String(e.calls).padStart(6)}`);
    }
  } finally {
    trainer.dispose();
  }
}

const rate = (key: string, label: string): Metric => ({ key, label, unit: 'rows/s', better: 'higher' });

export async function benchGenerators(ctx: BenchContext): Promise<void> {
  const t = await benchTable(ROWS);
  console.log(`   table: ${ROWS.toLocaleString('en')} × ${t.header.length} drawn from colon.csv's distributions; ~${SECONDS} s of training per run, ${SAMPLE_ROWS.toLocaleString('en')} rows sampled`);
  const columns = prepareColumns(t.cells, t.header, t.schema);
  await ctx.compare({
    name: 'copula',
    metrics: [rate('fit', 'fit'), rate('sample', 'sample')],
    ours: {
      label: 'Gaussian copula (JavaScript)',
      threads: 1,
      run: () => {
        const t0 = performance.now();
        const fit = fitCopula(columns, createRng(1));
        const t1 = performance.now();
        sampleCopula(fit, ROWS, createRng(2));
        return { fit: ROWS / ((t1 - t0) / 1000), sample: ROWS / ((performance.now() - t1) / 1000) };
      },
    },
    reference: null,
  });
  let table: EncodedTable | undefined;
  await ctx.compare({
    name: 'transformer',
    metrics: [rate('fit', 'fit'), rate('encode', 'encode')],
    ours: {
      label: 'mode-specific normalisation (JavaScript)',
      threads: 1,
      run: () => {
        const t0 = performance.now();
        const tr = Transformer.fit(columns, createRng(3));
        const t1 = performance.now();
        const values = tr.transform(columns, createRng(4));
        table = { values, rows: ROWS, width: tr.width, spans: tr.spans };
        return { fit: ROWS / ((t1 - t0) / 1000), encode: ROWS / ((performance.now() - t1) / 1000) };
      },
    },
    reference: null,
  });
  if (!table) throw new Error('the transformer produced no table');
  const encoded: EncodedTable = table;
  console.log(`   encoded width ${encoded.width}, ${encoded.spans.length} spans`);

  tf.env().set('PROD', true);
  const info = await selectBackend();
  const threads = info.threads ?? 1; // PyTorch gets as many as the backend has (AIRLOCK_TRAIN_THREADS)
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-gen-'));
  try {
    writeFileSync(join(dir, 'x.f32'), Buffer.from(encoded.values.buffer, encoded.values.byteOffset, encoded.values.byteLength));
    writeFileSync(join(dir, 'spans.json'), JSON.stringify(encoded.spans));
    const roofline = await benchMatmul(ctx, info, backendLabel(info));
    for (const [name, make, script, shape] of [['TVAE', makeTvae, 'tvae_torch.py', '500×128 · 128×128'], ['CTGAN', makeCtgan, 'ctgan_torch.py', '500×256 · 256×256']] as const) {
      let version = '';
      const [train, sample] = await ctx.compare({
        name,
        metrics: [rate('train', 'train'), rate('sample', 'sample')],
        ours: { label: backendLabel(info), threads, run: () => measureOurs(make, encoded, SECONDS) },
        reference: {
          label: 'PyTorch CPU (Debian python3-torch)',
          threads,
          run: () => {
            const r = torchSide(script, dir, encoded, SECONDS, threads);
            if (r.threads !== threads) throw new Error(`PyTorch ran on ${r.threads} threads, not ${threads}`);
            version = r.version;
            return { train: r.train, sample: r.sample };
          },
        },
      });
      if (version) ctx.note(`${name} reference: PyTorch ${version}, torch.set_num_threads(${threads})`);
      const flops = await modelFlops(make, encoded);
      const per = (fig: typeof train, units: number) => (fig?.reference ? units / fig.reference : null);
      ctx.note(floorNote(`${name} train step`, flops.step, roofline.get(shape), per(train, BATCH)));
      ctx.note(floorNote(`${name} sample of ${SAMPLE_ROWS.toLocaleString('en')} rows`, flops.sample, roofline.get(shape), per(sample, SAMPLE_ROWS)));
    }
    if (ctx.opts.profile) {
      await profileStep('TVAE', makeTvae, encoded);
      await profileStep('CTGAN', makeCtgan, encoded);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  ctx.note('TVAE sampling: Airlock draws softmax spans from the decoder\'s softmax and adds σ noise; the reference takes the arg-max (SDV).');
}
