// DCR benchmark: the exact Gower nearest neighbour (k = 1) of 50,000 synthetic rows among 50,000 real rows of
// 20 mixed columns (12 numeric, 8 categorical), Airlock's nearestNeighbours beside sklearn's exact
// NearestNeighbors (brute force, Manhattan, both cores) on the equivalent embedding (numeric / range, one-hot
// × 0.5: L1 / 20 = Gower when nothing is missing), the sides alternated, the distances checked to agree; then
// the full privacyDistances on 20,000 training, holdout and synthetic rows beside the same metrics from sklearn.
// Run alone with `npx tsx bench/validate-dcr.ts` (BENCH_DCR_ROWS, BENCH_DCR_REPS change the size and repeats).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../electron/core/train/rng';
import { gowerSpace, nearestNeighbours } from '../electron/core/validate/distance';
import { privacyDistances } from '../electron/core/validate/privacy';
import type { Column, Frame } from '../electron/core/validate/types';
import type { BenchContext } from './context';
import type { Metric } from './harness';

const ROWS = Number(process.env.BENCH_DCR_ROWS ?? 50_000);
const PRIVACY_ROWS = Number(process.env.BENCH_DCR_PRIVACY_ROWS ?? 20_000);
const NUMERIC = 12;
const LEVELS = [2, 3, 5, 4, 6, 3, 8, 10];
const PYTHON = '/usr/bin/python3';

/**
 * Rows of a hospital-like table: three latent factors drive every column (so columns correlate), some
 * numeric columns are whole numbers (ages, counts: many ties), categories cut a noisy factor score. Numeric
 * values are clipped to [0, 1] so no synthetic value falls outside the real range (where Gower caps at 1 and
 * L1 does not); `missing` blanks that share of numeric cells.
 */
export function benchFrame(rows: number, seed: string, missing = 0): Frame {
  const rng = createRng(seed);
  const load = createRng('bench-dcr-loadings');
  const weights = Array.from({ length: NUMERIC + LEVELS.length }, () => [load.normal(), load.normal(), load.normal()]);
  const num = Array.from({ length: NUMERIC }, () => new Float64Array(rows));
  const cat = LEVELS.map(() => new Int32Array(rows));
  for (let i = 0; i < rows; i++) {
    const z = [rng.normal(), rng.normal(), rng.normal()];
    weights.forEach((w, c) => {
      const v = (w[0]! * z[0]! + w[1]! * z[1]! + w[2]! * z[2]!) / 2 + rng.normal() * 0.5;
      if (c < NUMERIC) {
        let x = Math.min(1, Math.max(0, 0.5 + v / 6));
        if (c % 3 === 0) x = Math.round(x * 80) / 80;
        num[c]![i] = rng.uniform() < missing ? Number.NaN : x;
      } else {
        const n = LEVELS[c - NUMERIC]!;
        cat[c - NUMERIC]![i] = Math.min(n - 1, Math.max(0, Math.floor((0.5 + v / 4) * n)));
      }
    });
  }
  const columns: Column[] = [
    ...num.map((values, c): Column => ({ kind: 'numeric', name: `x${c}`, type: 'number', values })),
    ...cat.map((codes, c): Column => ({ kind: 'categorical', name: `g${c}`, type: 'categorical', codes, levels: Array.from({ length: LEVELS[c]! }, (_, l) => `L${l}`) })),
  ];
  return { rows, columns };
}

/** The L1 embedding: numeric / range of the reference, each category one-hot × 0.5. */
function embedding(f: Frame, ranges: number[]): { values: Float64Array; width: number } {
  const width = NUMERIC + LEVELS.reduce((a, b) => a + b, 0);
  const values = new Float64Array(f.rows * width);
  let at = 0;
  f.columns.forEach((c, ci) => {
    if (c.kind === 'numeric') {
      for (let i = 0; i < f.rows; i++) values[i * width + at] = c.values[i]! / ranges[ci]!;
      at += 1;
    } else {
      for (let i = 0; i < f.rows; i++) values[i * width + at + c.codes[i]!] = 0.5;
      at += c.levels.length;
    }
  });
  return { values, width };
}

function write(file: string, a: Float64Array): void {
  writeFileSync(file, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
}

/** Seconds of one exact k = 1 search of n synthetic rows among n real rows (the scaling section). */
export function dcrSeconds(n: number): number {
  const real = benchFrame(n, 'bench-dcr-real');
  const synthetic = benchFrame(n, 'bench-dcr-synthetic');
  const space = gowerSpace(real);
  const t0 = performance.now();
  nearestNeighbours(space, synthetic, real, 1);
  return (performance.now() - t0) / 1000;
}

function sklearn(args: string[]): Record<string, number> & { sklearn: string; threads: number } {
  const r = spawnSync(PYTHON, [join(import.meta.dirname, 'validate_dcr.py'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`validate_dcr.py failed (install python3-sklearn): ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
  return JSON.parse(r.stdout) as Record<string, number> & { sklearn: string; threads: number };
}

export async function benchDcr(ctx: BenchContext): Promise<void> {
  console.log(`   nearest real row of ${ROWS.toLocaleString('en')} synthetic rows among ${ROWS.toLocaleString('en')} real rows, 20 mixed columns (12 numeric, 8 categorical)`);
  const real = benchFrame(ROWS, 'bench-dcr-real');
  const synthetic = benchFrame(ROWS, 'bench-dcr-synthetic');
  const space = gowerSpace(real);
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-dcr-'));
  try {
    const ranges = space.columns.map((c) => c.range);
    const q = embedding(synthetic, ranges);
    write(join(dir, 'query.f64'), q.values);
    write(join(dir, 'reference.f64'), embedding(real, ranges).values);
    let ours: { distances: Float64Array<ArrayBufferLike>; indices: Int32Array<ArrayBufferLike> } = { distances: new Float64Array(0), indices: new Int32Array(0) };
    let version = '';
    let skThreads = 0;
    const pairs = (ROWS * ROWS) / 1e6;
    const metrics = [
      { key: 's', label: 'exact k=1', unit: 's', better: 'lower' as const },
      { key: 'rate', label: 'exact k=1', unit: 'M pairs/s', better: 'higher' as const },
    ];
    await ctx.compare({
      name: 'Gower DCR',
      metrics,
      ours: {
        label: 'nearestNeighbours (exact, helper threads)',
        threads: availableParallelism(),
        run: () => {
          const t0 = performance.now();
          const nn = nearestNeighbours(space, synthetic, real, 1);
          const s = (performance.now() - t0) / 1000;
          ours = { distances: nn.distances, indices: nn.indices };
          return { s, rate: pairs / s };
        },
      },
      reference: {
        label: 'sklearn NearestNeighbors brute manhattan on the equivalent embedding',
        threads: 'OpenMP',
        run: () => {
          const sk = sklearn(['knn', dir, String(ROWS), String(ROWS), String(q.width), '20', '1']);
          version = sk.sklearn;
          skThreads = sk.threads;
          return { s: sk.seconds as number, rate: pairs / (sk.seconds as number) };
        },
      },
    });
    const skd = new Float64Array(readFileSync(join(dir, 'sk_dist.f64')).buffer.slice(0));
    const ski = new Int32Array(readFileSync(join(dir, 'sk_idx.i32')).buffer.slice(0));
    let maxDiff = 0;
    let same = 0;
    for (let i = 0; i < ROWS; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((skd[i] as number) - (ours.distances[i] as number)));
      if (ski[i] === ours.indices[i]) same++;
    }
    ctx.note(`sklearn ${version} on ${skThreads} OpenMP thread(s). Agreement (last pair): max |distance difference| ${maxDiff.toExponential(2)}; same neighbour row ${((100 * same) / ROWS).toFixed(2)}% (the rest are ties at equal distance)`);
    const missing = benchFrame(ROWS, 'bench-dcr-synthetic-missing', 0.05);
    await ctx.compare({
      name: 'Gower DCR, 5% numeric cells missing',
      metrics: [metrics[0] as Metric],
      ours: { label: 'nearestNeighbours (no sklearn equivalent)', threads: availableParallelism(), run: () => {
        const t0 = performance.now();
        nearestNeighbours(space, missing, real, 1);
        return { s: (performance.now() - t0) / 1000 };
      } },
      reference: null,
    }, { pairs: 1, warmup: 0 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await benchPrivacy(ctx);
}

/**
 * The full privacyDistances on equal-sized training, holdout and synthetic sets (so its equal-size samples are
 * every row and Python can compute the very same metrics), beside the same metrics from sklearn's exact search.
 */
async function benchPrivacy(ctx: BenchContext): Promise<void> {
  const n = PRIVACY_ROWS;
  const [train, holdout, synthetic] = ['train', 'holdout', 'synthetic'].map((side) => benchFrame(n, `bench-privacy-${side}`)) as [Frame, Frame, Frame];
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-privacy-'));
  try {
    const ranges = gowerSpace(train).columns.map((c) => c.range);
    let width = 0;
    for (const [name, f] of [['train', train], ['holdout', holdout], ['synthetic', synthetic]] as const) {
      const e = embedding(f, ranges);
      write(join(dir, `${name}.f64`), e.values);
      width = e.width;
    }
    let ours: ReturnType<typeof privacyDistances> | null = null;
    let sk: Record<string, number> | null = null;
    await ctx.compare({
      name: `privacyDistances, ${n.toLocaleString('en')} rows each`,
      metrics: [{ key: 's', label: 'all metrics', unit: 's', better: 'lower' }],
      ours: {
        label: 'privacyDistances (DCR, share, NNDR, membership, identical matches, 200-resample bootstrap)',
        threads: availableParallelism(),
        run: () => {
          const t0 = performance.now();
          ours = privacyDistances({ train, holdout, synthetic }, { seed: 'bench' });
          return { s: (performance.now() - t0) / 1000 };
        },
      },
      reference: {
        label: 'sklearn searches and the same metrics (no bootstrap)',
        threads: 'OpenMP',
        run: () => {
          sk = sklearn(['privacy', dir, String(n), String(width), '20']);
          return { s: sk.seconds as number };
        },
      },
    });
    const o = ours as ReturnType<typeof privacyDistances> | null;
    const r = sk as Record<string, number> | null;
    if (o && r) {
      const rows: [string, number, number | undefined][] = [
        ['DCR p5, synthetic→training', o.dcr.synthetic.p5, r.dcrSyntheticP5],
        ['DCR p5, holdout→training', o.dcr.holdout.p5, r.dcrHoldoutP5],
        ['DCR share (ties half)', o.dcrShare.share, r.dcrShare],
        ['NNDR p5, synthetic', o.nndr.p5, r.nndrP5],
        ['NNDR p5, holdout', o.holdoutNndr.p5, r.holdoutNndrP5],
        ['membership AUC', o.membership.auc, r.membershipAuc],
      ];
      for (const [label, a, b] of rows) ctx.note(`${label.padEnd(30)} airlock ${a.toFixed(6)}  sklearn ${b === undefined ? '—' : b.toFixed(6)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
