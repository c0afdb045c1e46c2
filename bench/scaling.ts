// How the costs grow: one TVAE epoch against rows (4k, 16k, 64k) and columns (5, 15, 30), the exact DCR search
// against n (5k, 20k, 50k) and an import against files (100, 300, 1000); `--quick` stops at 16k rows, 20k DCR rows
// and 300 files. Each point is the median of three runs when a run is under 10 s, else one; printed with the cost per unit and the
// growth exponent between points (1 = linear, 2 = quadratic).
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../electron/core/train/engine/backend';
import type { BenchContext } from './context';
import { benchTable, encode, epochSeconds, backendLabel } from './generators';
import { median, single } from './harness';
import { airlockIngest, ctSeries } from './ingest';
import { dcrSeconds } from './validate-dcr';

interface Point {
  n: number;
  seconds: number;
  runs: number;
}

function growth(what: string, unit: string, points: readonly Point[]): string {
  const parts = points.slice(1).map((p, i) => {
    const q = points[i] as Point;
    return `${q.n.toLocaleString('en')}→${p.n.toLocaleString('en')}: ×${(p.seconds / q.seconds).toFixed(2)} time, exponent ${(Math.log(p.seconds / q.seconds) / Math.log(p.n / q.n)).toFixed(2)}`;
  });
  return `${what} against ${unit}: ${parts.join('; ')}`;
}

/** Median of three runs when one is cheap (under 10 s), else the one run: noise on a shared machine. */
async function point(n: number, once: () => number | Promise<number>): Promise<Point> {
  const first = await once();
  if (first > 10) return { n, seconds: first, runs: 1 };
  const all = [first, await once(), await once()];
  return { n, seconds: median(all), runs: all.length };
}

function record(ctx: BenchContext, name: (n: number) => string, per: { unit: string; scale: number; units?: (n: number) => number }, points: readonly Point[], label: string, threads: number | string): void {
  for (const p of points) {
    const units = per.units ? per.units(p.n) : p.n;
    const time = single('scaling', name(p.n), { key: 's', label: 'time', unit: 's', better: 'lower' }, p.seconds, label, threads);
    const each = single('scaling', name(p.n), { key: 'per', label: 'per unit', unit: per.unit, better: 'lower' }, (p.seconds * per.scale) / units, label, threads);
    ctx.add({ ...time, pairs: p.runs }, { ...each, pairs: p.runs });
  }
}

export async function benchScaling(ctx: BenchContext): Promise<void> {
  const quick = ctx.opts.quick;
  tf.env().set('PROD', true);
  const info = await selectBackend();
  const ours = backendLabel(info);

  const byRows: Point[] = [];
  for (const n of quick ? [4_000, 16_000] : [4_000, 16_000, 64_000]) {
    const table = encode(await benchTable(n));
    if (byRows.length === 0) epochSeconds('tvae', table); // warm-up: kernels compiled, allocator grown
    byRows.push(await point(n, () => epochSeconds('tvae', table)));
  }
  record(ctx, (n) => `TVAE epoch, ${n.toLocaleString('en')} rows × 15 cols`, { unit: 'µs/row', scale: 1e6 }, byRows, ours, info.threads ?? 1);
  ctx.note(growth('TVAE epoch', 'rows', byRows));

  const byCols: Point[] = [];
  const widths: number[] = [];
  for (const c of [5, 15, 30]) {
    const table = encode(await benchTable(4_000, c));
    widths.push(table.width);
    byCols.push(await point(c, () => epochSeconds('tvae', table)));
  }
  record(ctx, (c) => `TVAE epoch, 4,000 rows × ${c} cols`, { unit: 'ms/col', scale: 1e3 }, byCols, ours, info.threads ?? 1);
  ctx.note(`${growth('TVAE epoch', 'columns', byCols)} (encoded widths ${widths.join(', ')})`);

  const byN: Point[] = [];
  for (const n of quick ? [5_000, 20_000] : [5_000, 20_000, 50_000]) byN.push(await point(n, () => dcrSeconds(n)));
  record(ctx, (n) => `exact DCR, ${n.toLocaleString('en')} × ${n.toLocaleString('en')}`, { unit: 'ns/pair', scale: 1e9, units: (n) => n * n }, byN, 'nearestNeighbours', 'helper threads');
  ctx.note(growth('exact DCR (n synthetic × n real rows)', 'n', byN));

  const byFiles: Point[] = [];
  const peaks: number[] = [];
  for (const n of quick ? [100, 300] : [100, 300, 1000]) {
    const folder = ctSeries(n);
    const rss: number[] = [];
    byFiles.push(
      await point(n, async () => {
        const m = await airlockIngest(folder, n);
        rss.push(m.rss as number);
        return m.seconds as number;
      }),
    );
    peaks.push(median(rss));
  }
  record(ctx, (n) => `ingest, ${n.toLocaleString('en')} CT slices`, { unit: 'ms/file', scale: 1e3 }, byFiles, 'Airlock import (child process)', 'main + workers');
  // Memory must not grow with the files of an import: its buffers are reused, its results are small.
  byFiles.forEach((p, i) => ctx.add({ ...single('scaling', `ingest, ${p.n.toLocaleString('en')} CT slices`, { key: 'rss', label: 'peak memory', unit: 'MB', better: 'lower' }, peaks[i] ?? NaN, 'Airlock import (child process)', 'main + workers'), pairs: p.runs }));
  ctx.note(growth('ingest', 'files', byFiles));
  ctx.note(`ingest peak memory against files: ${byFiles.map((p, i) => `${p.n.toLocaleString('en')}: ${(peaks[i] ?? NaN).toFixed(0)} MB`).join(', ')}`);
}
