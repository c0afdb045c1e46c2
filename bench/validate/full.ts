// Validation benchmark: the full validation of a 32,000-row table (colon-shaped: rows drawn from the real colon
// trial with jitter), stage by stage, beside the same metrics computed in Python (scipy, sklearn) on the same
// data in the same run, the two sides alternated by the harness (ratio > 1: Airlock faster).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRng } from '../../electron/core/train/rng';
import { specSchema, type Spec } from '../../electron/shared/spec-schema';
import { runValidation } from '../../electron/core/validate/pipeline';
import type { StageId } from '../../electron/core/validate/protocol';
import type { BenchContext } from '../context';
import { median, single } from '../harness';

const ROWS = Number(process.env.BENCH_VALIDATE_ROWS ?? 32_000);
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

export async function benchValidation(ctx: BenchContext): Promise<void> {
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
  console.log(`   ${ROWS.toLocaleString('en')} synthetic × ${ROWS.toLocaleString('en')} training rows (${holdout.length.toLocaleString('en')} holdout), ${header.length} mixed columns; seconds per stage`);
  const comparable = ['shapes+pairs', 'detection', 'utility', 'distances'];
  const oursRuns: Record<string, number>[] = [];
  try {
    await ctx.compare({
      name: 'validation',
      metrics: [...comparable, 'compared'].map((k) => ({ key: k, label: k, unit: 's', better: 'lower' as const })),
      ours: {
        label: 'runValidation (JavaScript, k-NN helper threads)',
        threads: availableParallelism(),
        run: async () => {
          const times = await ourStages(columns, header, train, holdout, synthetic, spec);
          oursRuns.push(times);
          const m: Record<string, number> = { 'shapes+pairs': (times.prepare ?? 0) + (times.shapes ?? 0) + (times.pairs ?? 0) };
          for (const k of comparable.slice(1)) m[k] = times[k] ?? Number.NaN;
          m.compared = comparable.reduce((a, k) => a + (m[k] ?? 0), 0);
          return m;
        },
      },
      reference: {
        label: 'scipy + sklearn (bench/validate/full.py)',
        threads: 1,
        run: () => {
          const r = spawnSync(PYTHON, [join(import.meta.dirname, 'full.py'), data], { encoding: 'utf8', maxBuffer: 1 << 26 });
          if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
          const m = JSON.parse(r.stdout) as Record<string, number>;
          m.compared = comparable.reduce((a, k) => a + (m[k] ?? 0), 0);
          return m;
        },
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Stages only Airlock computes (Anonymeter is not installed): the medians of the counted runs.
  const counted = oursRuns.slice(-ctx.opts.pairs);
  for (const k of ['subgroups', 'attacks', 'report', 'total']) {
    const values = counted.map((t) => t[k] ?? Number.NaN);
    const f = single('validate', 'validation', { key: k, label: `${k} (Airlock only)`, unit: 's', better: 'lower' }, median(values), 'runValidation', availableParallelism());
    ctx.add({ ...f, pairs: values.length, oursRuns: values });
  }
}

async function ourStages(columns: { name: string; type: 'integer' | 'categorical' }[], header: string[], train: Cells, holdout: Cells, synthetic: Cells, spec: Spec): Promise<Record<string, number>> {
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
  return times;
}


