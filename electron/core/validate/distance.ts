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
    if (!Number.isFinite(out[c])) throw new InvalidArgumentError(`Column “${sc.name}” holds values too large to compare.`);
  });
  return out;
}

/** All columns in order, row-major: codes as numbers, numeric cells scaled, missing ones as their sentinel. */
function layout(space: GowerSpace, cols: Column[], rows: number, fill: Float64Array): Float64Array {
  const C = cols.length;
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
  return full;
}

/** The numeric columns in `order`, row-major, missing cells NaN, for the bound; at least 8 wide (zeros). */
function numericBlock(full: Float64Array, rows: number, C: number, order: number[], fill: Float64Array): Float64Array {
  const N = order.length === 0 ? 0 : Math.max(8, order.length);
  const num = new Float64Array(rows * N);
  for (let i = 0; i < rows; i++) {
    for (let n = 0; n < order.length; n++) {
      const x = full[i * C + order[n]!]!;
      num[i * N + n] = x === fill[order[n]!] ? Number.NaN : x;
    }
  }
  return num;
}

/** 32-bit words for the packed bytes: four a word, at least two when there are any (the kernel reads two). */
function catWords(bytes: number): number {
  return bytes === 0 ? 0 : Math.max(2, Math.ceil(bytes / 4));
}

/** A packed byte: a categorical column's code, or whether a numeric column's cell is missing. */
interface ByteSource {
  c: number;
  missing: boolean;
}

function byteOf(full: Float64Array, i: number, C: number, b: ByteSource, fill: Float64Array): number {
  const x = full[i * C + b.c]!;
  // A byte per code: distinct codes may share a byte (every 256th), which only weakens the bound.
  return b.missing ? (x === fill[b.c] ? 1 : 0) : (x + 1) & 255;
}

/** The bytes in `order`, four a word; padding bytes are 0 on both sides. */
function codeBlock(full: Float64Array, rows: number, C: number, order: ByteSource[], fill: Float64Array): Int32Array {
  const P = catWords(order.length);
  const cat = new Int32Array(rows * P);
  order.forEach((b, w) => {
    for (let i = 0; i < rows; i++) cat[i * P + (w >> 2)]! |= byteOf(full, i, C, b, fill) << (8 * (w & 3));
  });
  return cat;
}

/** A fixed spread of query×reference row pairs, to rank columns by how often they tell rows apart. */
function samplePairs(qRows: number, rRows: number): [number, number][] {
  const samples = Math.min(512, qRows * rRows);
  return Array.from({ length: samples }, (_, t) => [Math.floor((t * qRows) / samples), (t * 7919) % rRows]);
}

/**
 * Numeric columns by their mean term, largest first, so the bound passes the k-th best after as few columns as
 * possible; packed bytes (codes, and missing flags of numeric columns with a missing cell) by how often they
 * differ, so the most telling share word 0. Any order gives the same result.
 */
function boundOrder(space: GowerSpace, q: Float64Array, r: Float64Array, pairs: [number, number][], fill: Float64Array): { numeric: number[]; bytes: ByteSource[] } {
  const C = space.columns.length;
  const rank = <T>(items: T[], score: (x: T) => number): T[] => items.map((x, n) => ({ x, n, m: score(x) })).sort((a, b) => b.m - a.m || a.n - b.n).map((e) => e.x);
  const numeric = space.columns.flatMap((c, i) => (c.kind === 'numeric' ? [i] : []));
  const meanTerm = (c: number): number => pairs.reduce((s, [i, j]) => s + Math.min(1, Math.abs(q[i * C + c]! - r[j * C + c]!)), 0);
  const hasMissing = (a: Float64Array, rows: number, c: number): boolean => {
    for (let i = 0; i < rows; i++) if (a[i * C + c] === fill[c]) return true;
    return false;
  };
  const bytes: ByteSource[] = [
    ...space.columns.flatMap((col, c) => (col.kind === 'categorical' ? [{ c, missing: false }] : [])),
    ...numeric.filter((c) => hasMissing(q, q.length / C, c) || hasMissing(r, r.length / C, c)).map((c) => ({ c, missing: true })),
  ];
  const differ = (b: ByteSource): number => pairs.reduce((s, [i, j]) => s + (byteOf(q, i, C, b, fill) === byteOf(r, j, C, b, fill) ? 0 : 1), 0);
  return { numeric: rank(numeric, meanTerm), bytes: rank(bytes, differ) };
}

/** Reference rows sorted by their packed codes (then index), with the ends of the runs sharing word 0 / all words. */
function sortByCodes(cat: Int32Array, rows: number, P: number): { order: Int32Array; skipFirst: Int32Array; skipAll: Int32Array } {
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  if (P === 0) return { order, skipFirst: new Int32Array(0), skipAll: new Int32Array(0) };
  order.sort((a, b) => {
    for (let w = 0; w < P; w++) {
      const d = cat[a * P + w]! - cat[b * P + w]!;
      if (d !== 0) return d;
    }
    return a - b;
  });
  const skipFirst = new Int32Array(rows);
  const skipAll = new Int32Array(rows);
  for (let pos = rows - 1; pos >= 0; pos--) {
    const next = pos + 1 < rows ? order[pos + 1]! : -1;
    const here = order[pos]!;
    const sameFirst = next >= 0 && cat[next * P] === cat[here * P];
    let sameAll = sameFirst;
    for (let w = 1; sameAll && w < P; w++) sameAll = cat[next * P + w] === cat[here * P + w];
    skipFirst[pos] = sameFirst ? skipFirst[pos + 1]! : pos + 1;
    skipAll[pos] = sameAll ? skipAll[pos + 1]! : pos + 1;
  }
  return { order, skipFirst, skipAll };
}

/** Rows of a row-major block of `width` in the given order. */
function permuteRows<T extends Float64Array | Int32Array>(a: T, width: number, order: Int32Array): T {
  const out = a.slice() as T;
  for (let p = 0; p < order.length; p++) out.set(a.subarray(order[p]! * width, (order[p]! + 1) * width), p * width);
  return out;
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
  const C = space.columns.length;
  const q = layout(space, qCols, query.rows, fill);
  const r = layout(space, rCols, reference.rows, fill);
  const order = boundOrder(space, q, r, samplePairs(query.rows, reference.rows), fill);
  const [N, P] = [order.numeric.length === 0 ? 0 : Math.max(8, order.numeric.length), catWords(order.bytes.length)];
  const rCat = codeBlock(r, reference.rows, C, order.bytes, fill);
  const runs = sortByCodes(rCat, reference.rows, P);
  const task: KnnTask = {
    k,
    selfExclude: opts.selfExclude ?? false,
    width: C,
    numWidth: N,
    catWords: P,
    qRows: query.rows,
    rRows: reference.rows,
    qFull: q,
    rFull: permuteRows(r, C, runs.order),
    qNum: numericBlock(q, query.rows, C, order.numeric, fill),
    rNum: permuteRows(numericBlock(r, reference.rows, C, order.numeric, fill), N, runs.order),
    qCat: codeBlock(q, query.rows, C, order.bytes, fill),
    rCat: permuteRows(rCat, P, runs.order),
    ...runs,
    indices: new Int32Array(query.rows * k).fill(-1),
    distances: new Float64Array(query.rows * k).fill(Number.POSITIVE_INFINITY),
  };
  runSearch(task, { check: opts.check, threads: opts.threads });
  opts.check?.(1);
  return { k, indices: task.indices, distances: task.distances };
}
