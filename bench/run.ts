// `npm run bench`: speed and memory figures, each beside a reference measured in the same run.
//   1. Ingest of a generated 512×512 CT series: Airlock (parse, decode check, hash, encrypted store)
//      vs pydicom (read, decode, hash) — files/s, MB/s, peak RSS, each in its own process.
//   2. Rendering a 512×512 slice: cold (parse + decode + window + PNG) and warm (window + PNG).
//   3. Generators: fit/sample rows/s for copula, TVAE, CTGAN; TVAE beside PyTorch CPU (bench/generators.ts).
//   4. DCGAN training steps/s at 64×64, batch 32, WASM beside PyTorch CPU (bench/image/dcgan.ts).
//   5. Validation of a 32k-row table, stage by stage, beside scipy/sklearn on the same data (bench/validate/).
//   6. Exact Gower nearest neighbours, 50k × 50k × 20 mixed columns, beside sklearn's NearestNeighbors (bench/validate-dcr.ts).
// `npm run bench -- generators`, `-- dcgan`, `-- validate` or `-- dcr` runs only that part.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDicom } from '../electron/core/imaging/dicom';
import { decodeFrame } from '../electron/core/imaging/pixels';
import { CT_PRESETS, renderPng } from '../electron/core/imaging/render';
import { benchGenerators } from './generators';
import { benchDcgan } from './image/dcgan';
import { benchDcr } from './validate-dcr';
import { benchValidation } from './validate/full';

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

function row(label: string, s: Side): string {
  const mb = s.bytes / 1e6;
  return `${label.padEnd(10)} ${String(s.files).padStart(6)} ${s.seconds.toFixed(2).padStart(9)} ${(s.files / s.seconds).toFixed(1).padStart(9)} ${(mb / s.seconds).toFixed(1).padStart(8)} ${s.peakRssMb.toFixed(0).padStart(10)}`;
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

async function timeMany(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  const only = process.argv[2];
  if (only === 'generators') return benchGenerators();
  if (only === 'validate') return benchValidation();
  if (only === 'dcr') return benchDcr();
  if (only === 'dcgan') {
    await benchDcgan();
    return;
  }
  const folder = join(tmpdir(), `airlock-bench-ct-${SLICES}`);
  if (!existsSync(folder) || readdirSync(folder).length !== SLICES) {
    console.log(`Generating ${SLICES} CT slices (512×512 int16) in ${folder} with pydicom…`);
    run(PYTHON, [join(import.meta.dirname, 'gen_series.py'), folder, String(SLICES)]);
  }
  console.log('\n1. Ingest of the series (each side in its own process)');
  const airlock = JSON.parse(run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'ingest-child.ts'), folder])) as Side & { refused: number };
  if (airlock.refused !== 0 || airlock.files !== SLICES) throw new Error(`Airlock imported ${airlock.files} of ${SLICES} (refused ${airlock.refused})`);
  const pydicom = JSON.parse(run(PYTHON, [join(import.meta.dirname, 'read_pydicom.py'), folder])) as Side;
  console.log(`${'side'.padEnd(10)} ${'files'.padStart(6)} ${'seconds'.padStart(9)} ${'files/s'.padStart(9)} ${'MB/s'.padStart(8)} ${'peak MB'.padStart(10)}`);
  console.log(row('airlock', airlock));
  console.log(row('pydicom', pydicom));
  console.log(`ratio (airlock/pydicom): throughput ${(pydicom.seconds / airlock.seconds).toFixed(2)}×, peak memory ${(airlock.peakRssMb / pydicom.peakRssMb).toFixed(2)}×`);
  console.log('   (Airlock also checks every file decodes, and writes it encrypted with synchronous=FULL; pydicom only reads.)');

  console.log('\n2. Rendering one 512×512 slice (ms over 30 runs)');
  const first = readdirSync(folder).sort()[Math.floor(SLICES / 2)] ?? '';
  const bytes = new Uint8Array(readFileSync(join(folder, first)));
  const parsed = parseDicom(bytes);
  const frame = await decodeFrame(bytes, parsed, 0);
  const cold = await timeMany(30, async () => renderPng(await decodeFrame(bytes, parseDicom(bytes), 0), CT_PRESETS.softTissue));
  const warm = await timeMany(30, () => renderPng(frame, CT_PRESETS.lung));
  const thumb = await timeMany(30, () => renderPng(frame, CT_PRESETS.lung, { maxSize: 128 }));
  const fmt = (label: string, xs: number[]) => console.log(`${label.padEnd(44)} p50 ${percentile(xs, 0.5).toFixed(1).padStart(6)}  p95 ${percentile(xs, 0.95).toFixed(1).padStart(6)}`);
  fmt('cold: parse + decode + window + PNG', cold);
  fmt('warm (frame cached): window + PNG', warm);
  fmt('thumbnail 128 px from cached frame', thumb);
  console.log('   target: a window/level change (warm) well under 50 ms feels instant at 20+ updates per second.');
  await benchGenerators();
  await benchDcgan();
  await benchValidation();
  benchDcr();
}

await main();
