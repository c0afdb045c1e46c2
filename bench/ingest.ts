// Ingest and rendering. Ingest of a generated 512 × 512 CT series: Airlock (parse, decode check, hash, encrypted
// store with synchronous=FULL, bench/ingest-child.ts) beside pydicom (read, decode, hash, bench/read_pydicom.py),
// each run in its own process so its peak memory is its own, alternated by the harness. Rendering: one slice cold
// (parse + decode + window + PNG), warm (window + PNG) and as a thumbnail, Airlock alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDicom } from '../electron/core/imaging/dicom';
import { decodeFrame } from '../electron/core/imaging/pixels';
import { CT_PRESETS, renderPng } from '../electron/core/imaging/render';
import type { BenchContext } from './context';
import type { Measure, Metric } from './harness';

const SLICES = Number(process.env.BENCH_SLICES ?? 300);
const PYTHON = '/usr/bin/python3';

interface Side {
  files: number;
  bytes: number;
  seconds: number;
  peakRssMb: number;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/** A folder of `n` generated CT slices (512 × 512 int16, Explicit VR Little Endian), made once and kept in tmp. */
export function ctSeries(n: number): string {
  const folder = join(tmpdir(), `airlock-bench-ct-${n}`);
  if (!existsSync(folder) || readdirSync(folder).length !== n) {
    console.log(`   generating ${n} CT slices (512×512 int16) in ${folder} with pydicom…`);
    run(PYTHON, [join(import.meta.dirname, 'gen_series.py'), folder, String(n)]);
  }
  return folder;
}

/** The same series compressed with dcmtk's dcmcjpls (JPEG-LS lossless), made once and kept in tmp. */
export function jpegLsSeries(n: number): string {
  const source = ctSeries(n);
  const folder = join(tmpdir(), `airlock-bench-ct-${n}-jpegls`);
  if (!existsSync(folder) || readdirSync(folder).length !== n) {
    console.log(`   compressing ${n} CT slices to JPEG-LS lossless in ${folder} with dcmcjpls…`);
    mkdirSync(folder, { recursive: true });
    for (const f of readdirSync(source)) run('dcmcjpls', [join(source, f), join(folder, f)]);
  }
  return folder;
}

function measure(s: Side): Measure {
  return { files: s.files / s.seconds, mb: s.bytes / 1e6 / s.seconds, rss: s.peakRssMb, seconds: s.seconds };
}

let childScript: string | null = null;

// The child is bundled once to plain JavaScript (packages stay in node_modules), as the app ships: run under tsx,
// its transpiler alone added about 36 MB to the peak memory measured beside pydicom's.
async function ingestChild(): Promise<string> {
  if (childScript) return childScript;
  const { build } = await import('esbuild');
  const out = join(import.meta.dirname, '..', 'node_modules', '.cache', 'airlock-bench', 'ingest-child.mjs');
  await build({ entryPoints: [join(import.meta.dirname, 'ingest-child.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: out, logLevel: 'error' });
  childScript = out;
  return out;
}

/** One Airlock import of `folder` in a fresh workspace, in a child process. */
export async function airlockIngest(folder: string, expected: number): Promise<Measure> {
  const side = JSON.parse(run(process.execPath, [await ingestChild(), folder])) as Side & { refused: number };
  if (side.refused !== 0 || side.files !== expected) throw new Error(`Airlock imported ${side.files} of ${expected} (refused ${side.refused})`);
  return measure(side);
}

export const INGEST_METRICS: Metric[] = [
  { key: 'files', label: 'throughput', unit: 'files/s', better: 'higher' },
  { key: 'mb', label: 'throughput', unit: 'MB/s', better: 'higher' },
  { key: 'rss', label: 'peak memory', unit: 'MB', better: 'lower' },
];

export async function benchIngest(ctx: BenchContext): Promise<void> {
  const folder = ctSeries(SLICES);
  await ctx.compare({
    name: `${SLICES} CT slices`,
    metrics: INGEST_METRICS,
    ours: { label: 'Airlock import: parse, decode check, hash, encrypted store (synchronous=FULL)', threads: 'main + workers', run: () => airlockIngest(folder, SLICES) },
    reference: { label: 'pydicom: read, decode pixel_array, sha256 (no store)', threads: 1, run: () => measure(JSON.parse(run(PYTHON, [join(import.meta.dirname, 'read_pydicom.py'), folder])) as Side) },
  });
  const compressed = jpegLsSeries(SLICES);
  await ctx.compare({
    name: `${SLICES} CT slices, JPEG-LS lossless`,
    metrics: INGEST_METRICS,
    ours: { label: 'Airlock import: parse, decode check (CharLS, WASM), hash, encrypted store (synchronous=FULL)', threads: 'main + workers', run: () => airlockIngest(compressed, SLICES) },
    reference: { label: 'pydicom + gdcm: read, decode pixel_array, sha256 (no store)', threads: 1, run: () => measure(JSON.parse(run(PYTHON, [join(import.meta.dirname, 'read_pydicom.py'), compressed])) as Side) },
  });
  ctx.note('Targets: ≥ 200 files/s, ≥ 100 MB/s, peak memory ≤ 2× pydicom\'s (memory ratio ≥ 0.50 here; ratio > 1 = Airlock better).');
}

async function timeMs(fn: () => Promise<unknown>): Promise<Measure> {
  const t0 = performance.now();
  await fn();
  return { ms: performance.now() - t0 };
}

export async function benchRender(ctx: BenchContext): Promise<void> {
  const folder = ctSeries(SLICES);
  const first = readdirSync(folder).sort()[Math.floor(SLICES / 2)] ?? '';
  const bytes = new Uint8Array(readFileSync(join(folder, first)));
  const frame = await decodeFrame(bytes, parseDicom(bytes), 0);
  const metric: Metric = { key: 'ms', label: '', unit: 'ms', better: 'lower' };
  const repeats = { pairs: Math.max(ctx.opts.pairs, 30), warmup: 3 };
  const alone = (name: string, fn: () => Promise<unknown>) => ctx.compare({ name, metrics: [metric], ours: { label: 'Airlock render (sharp PNG)', threads: 1, run: () => timeMs(fn) }, reference: null }, repeats);
  await alone('cold: parse + decode + window + PNG', async () => renderPng(await decodeFrame(bytes, parseDicom(bytes), 0), CT_PRESETS.softTissue));
  await alone('warm (frame cached): window + PNG', () => renderPng(frame, CT_PRESETS.lung));
  await alone('thumbnail 128 px from cached frame', () => renderPng(frame, CT_PRESETS.lung, { maxSize: 128 }));
  ctx.note('Medians of 30 runs. Target: a window/level change (warm) well under 50 ms feels instant at 20+ updates per second.');
}
