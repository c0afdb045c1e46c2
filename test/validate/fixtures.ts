// Frames for the metric tests from the real shared tables: read with csv-parse, typed by hand, split by a seed.
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnType } from '../../electron/core/ingest/table/types';
import { createRng } from '../../electron/core/train/rng';
import { buildFrames, type Cells } from '../../electron/core/validate/frames';
import type { Frames } from '../../electron/core/validate/types';

export const SHARED_DATA = join(__dirname, '..', '..', '..', 'shared', 'data');

export interface CsvTable {
  header: string[];
  rows: Cells;
}

export function readCsv(file: string): CsvTable {
  const records: string[][] = parse(readFileSync(join(SHARED_DATA, file), 'utf8'), { relax_quotes: true });
  const [header, ...body] = records;
  return { header: header!, rows: body.map((r) => r.map((c) => (c === '' ? null : c))) };
}

// Column types as Airlock's profiler infers them for the shared tables (ids dropped).
export const PBC_TYPES: Record<string, ColumnType> = {
  time: 'integer', status: 'categorical', trt: 'categorical', age: 'number', sex: 'categorical', ascites: 'boolean', hepato: 'boolean',
  spiders: 'boolean', edema: 'categorical', bili: 'number', chol: 'integer', albumin: 'number', copper: 'integer', 'alk.phos': 'number',
  ast: 'number', trig: 'integer', platelet: 'integer', protime: 'number', stage: 'categorical',
};
export const PIMA_TYPES: Record<string, ColumnType> = {
  pregnant: 'integer', glucose: 'integer', pressure: 'integer', triceps: 'integer', insulin: 'integer', mass: 'number', pedigree: 'number', age: 'integer', diabetes: 'categorical',
};

/** Splits `table` into training and holdout rows (holdoutShare, seeded) and frames them against `synthetic`. */
export function framesOf(table: CsvTable, types: Record<string, ColumnType>, synthetic: Cells, opts: { holdoutShare?: number; seed?: string } = {}): { frames: Frames; train: Cells; holdout: Cells } {
  const rng = createRng(opts.seed ?? 'fixture-split');
  const idx = rng.shuffle(table.rows.map((_, i) => i));
  const cut = Math.round(table.rows.length * (opts.holdoutShare ?? 0.3));
  const holdout = idx.slice(0, cut).sort((a, b) => a - b).map((i) => table.rows[i]!);
  const train = idx.slice(cut).sort((a, b) => a - b).map((i) => table.rows[i]!);
  const columns = Object.entries(types).map(([name, type]) => ({ name, type }));
  const side = (rows: Cells) => ({ header: table.header, rows });
  return { frames: buildFrames(columns, { train: side(train), holdout: side(holdout), synthetic: side(synthetic) }), train, holdout };
}

/**
 * Independent uniform noise in every column of `types`: numbers uniform between the min and max of `rows`
 * (default: all the table's rows), categories uniformly among the values seen; columns not typed stay missing.
 */
export function uniformNoise(table: CsvTable, types: Record<string, ColumnType>, n: number, seed: string, rows: Cells = table.rows): Cells {
  const rng = createRng(seed);
  const gens = table.header.map((name, c) => {
    const type = types[name];
    const seen = rows.map((r) => r[c] ?? null).filter((v): v is string => v !== null);
    if (!type || seen.length === 0) return () => null;
    if (type === 'integer' || type === 'number') {
      const nums = seen.map(Number);
      const [lo, hi] = [Math.min(...nums), Math.max(...nums)];
      return () => {
        const v = lo + rng.uniform() * (hi - lo);
        return type === 'integer' ? String(Math.round(v)) : String(v);
      };
    }
    const levels = [...new Set(seen)].sort();
    return () => levels[rng.int(levels.length)]!;
  });
  return Array.from({ length: n }, () => gens.map((g) => g()));
}

/**
 * Independent uniform noise per column of stored training cells: numbers (more than 12 distinct) uniform within the
 * observed range at the column's decimals, anything else uniformly among the values seen.
 */
export function cellNoise(training: Cells, n: number, seed: string): Cells {
  const rng = createRng(seed);
  const cols = training[0]!.map((_, j) => training.map((r) => r[j]).filter((v): v is string => v !== null && v !== undefined));
  return Array.from({ length: n }, () =>
    cols.map((vals) => {
      const nums = vals.map(Number);
      if (nums.every(Number.isFinite) && new Set(vals).size > 12) {
        const lo = Math.min(...nums);
        const hi = Math.max(...nums);
        const decimals = Math.max(...vals.map((v) => (v.split('.')[1] ?? '').length));
        return (lo + rng.uniform() * (hi - lo)).toFixed(decimals);
      }
      const levels = [...new Set(vals)];
      return levels[rng.int(levels.length)]!;
    }),
  );
}

/** Two random halves of the real table: the training half against the other half as the "synthetic" side. */
export function halves(t: CsvTable, types: Record<string, ColumnType>): Frames {
  const { frames } = framesOf(t, types, [], { holdoutShare: 0.5, seed: 'halves' });
  return { ...frames, synthetic: frames.holdout };
}

/** The real table split as usual, against 400 rows of independent uniform noise. */
export function withNoise(t: CsvTable, types: Record<string, ColumnType>): Frames {
  return framesOf(t, types, uniformNoise(t, types, 400, 'noise')).frames;
}
