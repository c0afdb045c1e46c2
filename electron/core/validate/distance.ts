// Exact nearest neighbours under the Gower distance (the SDMetrics DCR definition): per column, numeric
// |a−b| / range of the real column capped at 1, categorical 0 if equal else 1, missing equals missing (0) and
// missing vs a value is 1; the distance is the mean over columns, summed in column order. Exact, because a
// privacy claim cannot rest on an approximate neighbour. Ties go to the lower reference index.
//
// Speed: rows are laid out row-major so one formula, min(1, |a−b|), covers every column: categorical codes differ
// by at least 1 when unequal, and a missing numeric cell becomes a sentinel farther than 1 from every value of
// its column (missing vs missing still gives 0). The kernel and the threads are in knn-worker.ts.
import { InvalidArgumentError } from '../errors';
import { runSearch, type KnnTask } from './knn-worker';
import type { Checkpoint, Column, Frame } from './types';

/** The columns compared and each numeric column's range, fixed from the real training frame. */
export interface GowerSpace {
  columns: { name: string; kind: 'numeric' | 'categorical'; range: number }[];
}

export function gowerSpace(reference: Frame, columns?: readonly string[]): GowerSpace {
  const picked = columns ? reference.columns.filter((c) => columns.includes(c.name)) : reference.columns;
  if (columns && picked.length !== columns.length) throw new InvalidArgumentError(`Unknown columns for the distance: ${columns.filter((n) => !picked.some((c) => c.name === n)).join(', ')}.`);
  if (picked.length === 0) throw new InvalidArgumentError('There is no column to compare rows on.');
  return {
    columns: picked.map((c) => {
      if (c.kind === 'categorical') return { name: c.name, kind: 'categorical', range: 1 };
      let [lo, hi] = [Infinity, -Infinity];
      for (const v of c.values) {
        if (!Number.isNaN(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      return { name: c.name, kind: 'numeric', range: hi > lo ? hi - lo : 0 };
    }),
  };
}

export interface Neighbours {
  k: number;
  /** rows × k, nearest first; −1 where the reference has fewer than k rows. */
  indices: Int32Array;
  distances: Float64Array;
}

/** The frame's columns in the space's order, checked for presence, kind and finite values. */
function columnsOf(space: GowerSpace, f: Frame): Column[] {
  return space.columns.map((sc) => {
    const c = f.columns.find((x) => x.name === sc.name);
    if (!c || c.kind !== sc.kind) throw new InvalidArgumentError(`Column “${sc.name}” is missing from the rows to compare.`);
    if (c.kind === 'numeric') {
      for (const v of c.values) if (v === Infinity || v === -Infinity) throw new InvalidArgumentError(`Column “${sc.name}” holds an infinite value, which has no distance to other values.`);
    }
    return c;
  });
}

/** A numeric cell in the space: scaled by 1/range (a constant column is 0 everywhere), NaN when missing. */
function scaled(v: number, range: number): number {
  return range > 0 ? v / range : v === v ? 0 : Number.NaN;
}

/** Per numeric column, a stand-in for missing cells more than 1 away from every scaled value on either side. */
function sentinels(space: GowerSpace, sides: Column[][]): Float64Array {
  const out = new Float64Array(space.columns.length);
  space.columns.forEach((sc, c) => {
    let m = 0;
    for (const cols of sides) {
      const col = cols[c]!;
      if (col.kind !== 'numeric') continue;
      for (const v of col.values) {
        const x = Math.abs(scaled(v, sc.range));
        if (x > m) m = x;
      }
    }
    out[c] = 2 * m + 2;
  });
  return out;
}

interface Layout {
  full: Float64Array;
  cat: Int32Array;
}

/** Row-major blocks: all columns in order (missing numeric cells as their sentinel); codes packed a byte each. */
function layout(space: GowerSpace, cols: Column[], rows: number, fill: Float64Array): Layout {
  const C = cols.length;
  const cats = cols.flatMap((c, i) => (c.kind === 'categorical' ? [i] : []));
  const P = Math.ceil(cats.length / 4);
  const full = new Float64Array(rows * C);
  cols.forEach((col, c) => {
    if (col.kind === 'categorical') for (let i = 0; i < rows; i++) full[i * C + c] = col.codes[i]!;
    else {
      const range = space.columns[c]!.range;
      for (let i = 0; i < rows; i++) {
        const x = scaled(col.values[i]!, range);
        full[i * C + c] = x === x ? x : fill[c]!;
      }
    }
  });
  const cat = new Int32Array(rows * P);
  cats.forEach((c, w) => {
    const codes = (cols[c] as Extract<Column, { kind: 'categorical' }>).codes;
    // A byte per code: distinct codes may share a byte (every 256th), which only weakens the bound.
    for (let i = 0; i < rows; i++) cat[i * P + (w >> 2)]! |= ((codes[i]! + 1) & 255) << (8 * (w & 3));
  });
  return { full, cat };
}

/** The numeric columns in `order`, row-major, for the bound. */
function numericBlock(full: Float64Array, rows: number, C: number, order: number[]): Float64Array {
  const N = order.length;
  const num = new Float64Array(rows * N);
  for (let i = 0; i < rows; i++) for (let n = 0; n < N; n++) num[i * N + n] = full[i * C + order[n]!]!;
  return num;
}

/**
 * Numeric columns ordered by their mean term over a fixed spread of query×reference pairs, largest first, so
 * the bound passes the k-th best after as few columns as possible. Any order gives the same result.
 */
function boundOrder(space: GowerSpace, q: Float64Array, qRows: number, r: Float64Array, rRows: number): number[] {
  const C = space.columns.length;
  const numeric = space.columns.flatMap((c, i) => (c.kind === 'numeric' ? [i] : []));
  const samples = Math.min(512, qRows * rRows);
  const mean = numeric.map((c) => {
    let s = 0;
    for (let t = 0; t < samples; t++) {
      const i = Math.floor((t * qRows) / samples);
      const j = (t * 7919) % rRows;
      s += Math.min(1, Math.abs(q[i * C + c]! - r[j * C + c]!));
    }
    return s;
  });
  return numeric.map((c, n) => ({ c, m: mean[n]! })).sort((a, b) => b.m - a.m || a.c - b.c).map((x) => x.c);
}

/**
 * The k nearest reference rows of every query row, exact (ties to the lower reference index). `selfExclude`
 * skips reference row i for query row i (query and reference are the same table). `threads` caps the threads
 * used (default: every core, for searches large enough to repay starting one). `check` is called with the share
 * done at least every ~100 ms and may throw to cancel.
 */
export function nearestNeighbours(space: GowerSpace, query: Frame, reference: Frame, k: number, opts: { selfExclude?: boolean; check?: Checkpoint; threads?: number } = {}): Neighbours {
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`The number of neighbours must be a whole number of at least 1, not ${k}.`);
  const qCols = columnsOf(space, query);
  const rCols = columnsOf(space, reference);
  const fill = sentinels(space, [qCols, rCols]);
  const q = layout(space, qCols, query.rows, fill);
  const r = layout(space, rCols, reference.rows, fill);
  const C = space.columns.length;
  const order = boundOrder(space, q.full, query.rows, r.full, reference.rows);
  const task: KnnTask = {
    k,
    selfExclude: opts.selfExclude ?? false,
    width: C,
    numWidth: order.length,
    catWords: Math.ceil(space.columns.filter((c) => c.kind === 'categorical').length / 4),
    qRows: query.rows,
    rRows: reference.rows,
    qFull: q.full,
    rFull: r.full,
    qNum: numericBlock(q.full, query.rows, C, order),
    rNum: numericBlock(r.full, reference.rows, C, order),
    qCat: q.cat,
    rCat: r.cat,
    indices: new Int32Array(query.rows * k).fill(-1),
    distances: new Float64Array(query.rows * k).fill(Number.POSITIVE_INFINITY),
  };
  runSearch(task, { check: opts.check, threads: opts.threads });
  opts.check?.(1);
  return { k, indices: task.indices, distances: task.distances };
}
