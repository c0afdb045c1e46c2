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
