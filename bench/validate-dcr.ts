// DCR benchmark: the exact Gower nearest neighbour (k = 1) of 50,000 synthetic rows among 50,000 real rows of
// 20 mixed columns (12 numeric, 8 categorical), Airlock's nearestNeighbours beside sklearn's exact
// NearestNeighbors (brute force, Manhattan, both cores) on the equivalent embedding (numeric / range, one-hot
// × 0.5: L1 / 20 = Gower when nothing is missing), the sides alternated, the distances checked to agree; then
// the full privacyDistances on 20,000 training, holdout and synthetic rows beside the same metrics from sklearn.
// Run alone with `npx tsx bench/validate-dcr.ts` (BENCH_DCR_ROWS, BENCH_DCR_REPS change the size and repeats).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../electron/core/train/rng';
import { gowerSpace, nearestNeighbours } from '../electron/core/validate/distance';
import { privacyDistances } from '../electron/core/validate/privacy';
import type { Column, Frame } from '../electron/core/validate/types';

const ROWS = Number(process.env.BENCH_DCR_ROWS ?? 50_000);
const REPS = Number(process.env.BENCH_DCR_REPS ?? 2);
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

export function benchDcr(): void {
  console.log(`\n6. Exact DCR: nearest real row of ${ROWS.toLocaleString('en')} synthetic rows among ${ROWS.toLocaleString('en')} real rows, 20 mixed columns (12 numeric, 8 categorical)`);
  const real = benchFrame(ROWS, 'bench-dcr-real');
  const synthetic = benchFrame(ROWS, 'bench-dcr-synthetic');
  const space = gowerSpace(real);
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-dcr-'));
  try {
    const ranges = space.columns.map((c) => c.range);
    const q = embedding(synthetic, ranges);
    write(join(dir, 'query.f64'), q.values);
    write(join(dir, 'reference.f64'), embedding(real, ranges).values);
    const ours: number[] = [];
    const theirs: number[] = [];
    let ourDistances: Float64Array = new Float64Array(0);
    let ourIndices: Int32Array = new Int32Array(0);
    let skVersion = '';
    for (let rep = 0; rep < REPS; rep++) {
      const t0 = performance.now();
      const nn = nearestNeighbours(space, synthetic, real, 1);
      ours.push((performance.now() - t0) / 1000);
      [ourDistances, ourIndices] = [nn.distances, nn.indices];
      const r = spawnSync(PYTHON, [join(import.meta.dirname, 'validate_dcr.py'), 'knn', dir, String(ROWS), String(ROWS), String(q.width), '20', '1'], { encoding: 'utf8' });
      if (r.status !== 0) {
        console.log(`sklearn reference unavailable (${r.stderr.trim().split('\n').at(-1) ?? 'failed'}); install python3-sklearn.`);
        break;
      }
      const sk = JSON.parse(r.stdout) as { seconds: number; sklearn: string };
      theirs.push(sk.seconds);
      skVersion = sk.sklearn;
      console.log(`   run ${rep + 1}: airlock ${ours.at(-1)!.toFixed(1)} s, sklearn ${sk.seconds.toFixed(1)} s`);
    }
    const best = (xs: number[]) => Math.min(...xs);
    const pairs = (ROWS * ROWS) / 1e6;
    console.log(`airlock nearestNeighbours (exact, all cores)        ${best(ours).toFixed(1).padStart(7)} s  ${(pairs / best(ours)).toFixed(0).padStart(6)} M pairs/s`);
    if (theirs.length) {
      console.log(`sklearn ${skVersion} NearestNeighbors brute manhattan    ${best(theirs).toFixed(1).padStart(7)} s  ${(pairs / best(theirs)).toFixed(0).padStart(6)} M pairs/s`);
      console.log(`   ratio (sklearn time / airlock time, best of ${theirs.length}): ${(best(theirs) / best(ours)).toFixed(2)}× — above 1 is faster than sklearn`);
      const skd = new Float64Array(readFileSync(join(dir, 'sk_dist.f64')).buffer.slice(0));
      const ski = new Int32Array(readFileSync(join(dir, 'sk_idx.i32')).buffer.slice(0));
      let maxDiff = 0;
      let same = 0;
      for (let i = 0; i < ROWS; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(skd[i]! - ourDistances[i]!));
        if (ski[i] === ourIndices[i]) same++;
      }
      console.log(`   agreement: max |distance difference| ${maxDiff.toExponential(2)}; same neighbour row ${((100 * same) / ROWS).toFixed(2)}% (the rest are ties at equal distance)`);
    }
    const missing = benchFrame(ROWS, 'bench-dcr-synthetic-missing', 0.05);
    const t0 = performance.now();
    nearestNeighbours(space, missing, real, 1);
    console.log(`airlock with 5% of numeric cells missing (no sklearn equivalent) ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  benchPrivacy();
}

/**
 * The full privacyDistances on equal-sized training, holdout and synthetic sets (so its equal-size samples are
 * every row and Python can compute the very same metrics), beside the same metrics from sklearn's exact search.
 */
function benchPrivacy(): void {
  const n = PRIVACY_ROWS;
  const [train, holdout, synthetic] = ['train', 'holdout', 'synthetic'].map((side) => benchFrame(n, `bench-privacy-${side}`));
  console.log(`\n   Full privacyDistances (DCR, DCR share, NNDR, membership attack) on ${n.toLocaleString('en')} training, holdout and synthetic rows`);
  const t0 = performance.now();
  const ours = privacyDistances({ train: train!, holdout: holdout!, synthetic: synthetic! }, { seed: 'bench' });
  const seconds = (performance.now() - t0) / 1000;
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-privacy-'));
  try {
    const ranges = gowerSpace(train!).columns.map((c) => c.range);
    let width = 0;
    for (const [name, f] of [['train', train!], ['holdout', holdout!], ['synthetic', synthetic!]] as const) {
      const e = embedding(f, ranges);
      write(join(dir, `${name}.f64`), e.values);
      width = e.width;
    }
    const r = spawnSync(PYTHON, [join(import.meta.dirname, 'validate_dcr.py'), 'privacy', dir, String(n), String(width), '20'], { encoding: 'utf8' });
    const sk = r.status === 0 ? (JSON.parse(r.stdout) as Record<string, number>) : null;
    const line = (label: string, a: number, b: number | undefined) => console.log(`   ${label.padEnd(34)} ${a.toFixed(6).padStart(10)} ${b === undefined ? '' : b.toFixed(6).padStart(10)}`);
    console.log(`   ${'metric'.padEnd(34)} ${'airlock'.padStart(10)} ${sk ? 'sklearn'.padStart(10) : ''}`);
    line('DCR p5, synthetic→training', ours.dcr.synthetic.p5, sk?.dcrSyntheticP5);
    line('DCR p5, holdout→training', ours.dcr.holdout.p5, sk?.dcrHoldoutP5);
    line('DCR share (ties half)', ours.dcrShare.share, sk?.dcrShare);
    line('NNDR p5, synthetic', ours.nndr.p5, sk?.nndrP5);
    line('NNDR p5, holdout', ours.holdoutNndr.p5, sk?.holdoutNndrP5);
    line('membership AUC', ours.membership.auc, sk?.membershipAuc);
    console.log(`   seconds: airlock ${seconds.toFixed(1)} (all of privacyDistances, with identical matches and a 200-resample bootstrap)${sk ? `, sklearn ${sk.seconds!.toFixed(1)} (the searches and metrics above)` : ''}`);
    if (sk) console.log(`   ratio (sklearn time / airlock time): ${(sk.seconds! / seconds).toFixed(2)}×`);
    else console.log(`   sklearn reference unavailable (${r.stderr.trim().split('\n').at(-1) ?? 'failed'}).`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) benchDcr();
