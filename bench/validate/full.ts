// Validation benchmark: the full validation of a 32,000-row table (colon-shaped: rows drawn from the real colon
// trial with jitter), stage by stage, beside the same metrics computed in Python (scipy, sklearn) on the same
// data in the same run, the two sides alternating, printed as a ratio.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { createRng } from '../../electron/core/train/rng';
import { specSchema } from '../../electron/shared/spec-schema';
import { runValidation } from '../../electron/core/validate/pipeline';
import type { StageId } from '../../electron/core/validate/protocol';

const ROWS = Number(process.env.BENCH_VALIDATE_ROWS ?? 32_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PYTHON = '/usr/bin/python3';
type Cells = (string | null)[][];

const TYPES: Record<string, 'integer' | 'categorical'> = {
  rx: 'categorical', sex: 'categorical', age: 'integer', obstruct: 'categorical', perfor: 'categorical', adhere: 'categorical', nodes: 'integer',
  status: 'categorical', differ: 'categorical', extent: 'categorical', surg: 'categorical', node4: 'categorical', time: 'integer', etype: 'categorical',
};

function draw(rows: Cells, header: string[], n: number, seed: string): Cells {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const r = rows[rng.int(rows.length)]!;
    return header.map((h, j) => {
      const v = r[j] ?? null;
      if (v === null || TYPES[h] !== 'integer') return v;
      return String(Math.max(0, Math.round(Number(v) + rng.normal() * 3)));
    });
  });
}

export async function benchValidation(): Promise<void> {
  const text = readFileSync(join(import.meta.dirname, '../../../shared/data/colon.csv'), 'utf8');
  const records: string[][] = parse(text);
  const [full, ...body] = records;
  const header = Object.keys(TYPES);
  const at = header.map((h) => full!.indexOf(h));
  const rows: Cells = body.map((r) => at.map((i) => (r[i] === '' ? null : r[i]!)));
  const train = draw(rows, header, ROWS, 'train');
  const holdout = draw(rows, header, Math.round(ROWS / 4), 'holdout');
  const synthetic = draw(rows, header, ROWS, 'synthetic');
  const columns = header.map((name) => ({ name, type: TYPES[name]! }));
  const spec = specSchema.parse({
    name: 'bench', source: { kind: 'table', tableId: 1, sha256: '0'.repeat(64) }, columns: header.map((name) => ({ name, treatment: 'synthesise' })),
    generator: { kind: 'copula' }, rows: ROWS, seed: 1, intendedUse: 'bench', acceptance: { utility: { target: 'status', minScoreRatio: 0.8 } },
    evaluation: { quasiIdentifiers: ['age', 'sex', 'rx', 'extent'], sensitive: ['status'] },
  });
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-validate-'));
  const data = join(dir, 'data.json');
  writeFileSync(data, JSON.stringify({ header, types: TYPES, train, holdout, synthetic }));
  console.log(`\n5. Validation of ${ROWS.toLocaleString('en')} synthetic × ${ROWS.toLocaleString('en')} training rows (${holdout.length.toLocaleString('en')} holdout), ${header.length} mixed columns`);
  const ours: Record<string, number>[] = [];
  const theirs: Record<string, number>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const times: Record<string, number> = {};
    let current: StageId = 'prepare';
    let t = performance.now();
    const t0 = t;
    await runValidation(
      { type: 'validate', columns, header, train, holdout, synthetic, spec, seed: 'bench', validatorVersion: 'bench', generatedAt: new Date().toISOString(), facts: { datasetId: 1, datasetVersion: 1, datasetSha256: '', runId: 1, generator: 'bench', specId: 1, specVersion: 1, specHash: '', specName: 'bench', split: '' } },
      (stage) => {
        if (stage === current) return;
        const now = performance.now();
        times[current] = (times[current] ?? 0) + (now - t) / 1000;
        current = stage;
        t = now;
      },
    );
    times[current] = (times[current] ?? 0) + (performance.now() - t) / 1000;
    times.total = (performance.now() - t0) / 1000;
    ours.push(times);
    const r = spawnSync(PYTHON, [join(import.meta.dirname, 'full.py'), data], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
    theirs.push(JSON.parse(r.stdout) as Record<string, number>);
  }
  rmSync(dir, { recursive: true, force: true });
  const best = (xs: Record<string, number>[], k: string) => Math.min(...xs.map((x) => x[k] ?? Number.NaN));
  // Stages both sides compute; attacks (Anonymeter is not installed) and the report are Airlock's alone.
  const comparable = ['shapes+pairs', 'detection', 'utility', 'distances'];
  const ourStage = (k: string) => (k === 'shapes+pairs' ? best(ours, 'prepare') + best(ours, 'shapes') + best(ours, 'pairs') : best(ours, k));
  console.log(`${'stage'.padEnd(14)} ${'airlock s'.padStart(10)} ${'python s'.padStart(10)} ${'ratio'.padStart(8)}   (best of ${ROUNDS}, sides alternating; ratio > 1 = Airlock faster)`);
  let a = 0;
  let p = 0;
  for (const k of comparable) {
    const x = ourStage(k);
    const y = best(theirs, k);
    a += x;
    p += y;
    console.log(`${k.padEnd(14)} ${x.toFixed(2).padStart(10)} ${y.toFixed(2).padStart(10)} ${(y / x).toFixed(2).padStart(8)}×`);
  }
  console.log(`${'compared'.padEnd(14)} ${a.toFixed(2).padStart(10)} ${p.toFixed(2).padStart(10)} ${(p / a).toFixed(2).padStart(8)}×`);
  console.log(`Airlock only: subgroups ${best(ours, 'subgroups').toFixed(2)} s, attacks ${best(ours, 'attacks').toFixed(2)} s, report ${best(ours, 'report').toFixed(2)} s; whole validation ${best(ours, 'total').toFixed(2)} s.`);
}


