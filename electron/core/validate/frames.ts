// Builds the three typed frames (training, holdout, synthetic) from stored string cells, with one category
// dictionary per column shared by all three, so every metric compares codes and never strings.
import { InvalidArgumentError } from '../errors';
import type { ColumnType } from '../ingest/table/types';
import { cellToNumber } from '../train/tabular/schema';
import type { Column, Frame, Frames } from './types';

export type Cells = (string | null)[][];

export interface FrameColumnSpec {
  name: string;
  type: ColumnType;
}

const NUMERIC = new Set<ColumnType>(['integer', 'number', 'date', 'datetime']);

function numericValues(rows: Cells, at: number, col: FrameColumnSpec, side: string): Float64Array {
  const out = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    const raw = r[at] ?? null;
    if (raw === null) {
      out[i] = Number.NaN;
      return;
    }
    try {
      out[i] = cellToNumber(raw, col.type as 'integer' | 'number' | 'date' | 'datetime', col.name, i);
    } catch (err) {
      throw new InvalidArgumentError(`The ${side} rows do not fit column “${col.name}” (${col.type}): ${(err as Error).message}`);
    }
  });
  return out;
}

/**
 * Typed frames for `columns` (names and types of the real table). Each side's rows are in its own header order.
 * Categories are coded by their count in the training rows (most frequent first), then the holdout's, then the
 * synthetic side's unseen ones, so codes are stable for the same inputs.
 */
export function buildFrames(
  columns: FrameColumnSpec[],
  sides: { train: { header: string[]; rows: Cells }; holdout: { header: string[]; rows: Cells }; synthetic: { header: string[]; rows: Cells } },
): Frames {
  const usable = columns.filter((c) => c.type !== 'identifier' && c.type !== 'text');
  if (usable.length === 0) throw new InvalidArgumentError('There is no column to validate: every column is an identifier or free text.');
  const at = (header: string[], name: string, side: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new InvalidArgumentError(`Column “${name}” is missing from the ${side} rows.`);
    return i;
  };
  const frame = (side: 'train' | 'holdout' | 'synthetic', levelsOf: Map<string, string[]>): Frame => {
    const { header, rows } = sides[side];
    const cols: Column[] = usable.map((c) => {
      const i = at(header, c.name, side);
      if (NUMERIC.has(c.type)) return { kind: 'numeric', name: c.name, type: c.type as 'integer' | 'number' | 'date' | 'datetime', values: numericValues(rows, i, c, side) };
      const levels = levelsOf.get(c.name)!;
      const index = new Map(levels.map((l, k) => [l, k]));
      const codes = new Int32Array(rows.length);
      rows.forEach((r, k) => {
        const v = r[i] ?? null;
        codes[k] = v === null ? -1 : index.get(v)!;
      });
      return { kind: 'categorical', name: c.name, type: c.type === 'boolean' ? 'boolean' : 'categorical', codes, levels };
    });
    return { rows: rows.length, columns: cols };
  };
  const levelsOf = new Map<string, string[]>();
  for (const c of usable) {
    if (NUMERIC.has(c.type)) continue;
    const levels: string[] = [];
    for (const side of ['train', 'holdout', 'synthetic'] as const) {
      const { header, rows } = sides[side];
      const i = at(header, c.name, side);
      const tally = new Map<string, number>();
      for (const r of rows) {
        const v = r[i] ?? null;
        if (v !== null) tally.set(v, (tally.get(v) ?? 0) + 1);
      }
      const seen = new Set(levels);
      const fresh = [...tally].filter(([v]) => !seen.has(v)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      levels.push(...fresh.map(([v]) => v));
    }
    levelsOf.set(c.name, levels);
  }
  return { train: frame('train', levelsOf), holdout: frame('holdout', levelsOf), synthetic: frame('synthetic', levelsOf) };
}

/** The rows of a frame picked by index (bootstrap, equal-size samples), sharing the dictionaries. */
export function takeRows(f: Frame, idx: ArrayLike<number>): Frame {
  const columns: Column[] = f.columns.map((c) => {
    if (c.kind === 'numeric') {
      const values = new Float64Array(idx.length);
      for (let i = 0; i < idx.length; i++) values[i] = c.values[idx[i]!]!;
      return { ...c, values };
    }
    const codes = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) codes[i] = c.codes[idx[i]!]!;
    return { ...c, codes };
  });
  return { rows: idx.length, columns };
}
