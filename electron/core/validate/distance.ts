// Exact nearest neighbours under the Gower distance (the SDMetrics DCR definition): per column, numeric
// |a−b| / range of the real column capped at 1, categorical 0 if equal else 1, missing equals missing (0) and
// missing vs a value is 1; the distance is the mean over columns. Exact, because a privacy claim cannot rest
// on an approximate neighbour.
import { InvalidArgumentError } from '../errors';
import type { Checkpoint, Frame } from './types';

/** The columns compared and each numeric column's range, fixed from the real training frame. */
export interface GowerSpace {
  columns: { name: string; kind: 'numeric' | 'categorical'; range: number }[];
}

export function gowerSpace(reference: Frame, columns?: readonly string[]): GowerSpace {
  const picked = columns ? reference.columns.filter((c) => columns.includes(c.name)) : reference.columns;
  if (columns && picked.length !== columns.length) throw new InvalidArgumentError(`Unknown columns for the distance: ${columns.filter((n) => !picked.some((c) => c.name === n)).join(', ')}.`);
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

/** Column-major values in the space: numeric scaled by 1/range (NaN = missing), categorical codes (−1 = missing). */
function embed(space: GowerSpace, f: Frame): Float64Array[] {
  return space.columns.map((sc) => {
    const c = f.columns.find((x) => x.name === sc.name);
    if (!c || c.kind !== sc.kind) throw new InvalidArgumentError(`Column “${sc.name}” is missing from the rows to compare.`);
    if (c.kind === 'categorical') return Float64Array.from(c.codes);
    const out = new Float64Array(f.rows);
    for (let i = 0; i < f.rows; i++) out[i] = sc.range > 0 ? c.values[i]! / sc.range : c.values[i]! === c.values[i]! ? 0 : Number.NaN;
    return out;
  });
}

export interface Neighbours {
  k: number;
  /** rows × k, nearest first; −1 where the reference has fewer than k rows. */
  indices: Int32Array;
  distances: Float64Array;
}

/** Gower distance between row i of embedded query q and row j of embedded reference r. */
function gower(space: GowerSpace, q: Float64Array[], i: number, r: Float64Array[], j: number): number {
  let s = 0;
  for (let c = 0; c < q.length; c++) {
    const a = q[c]![i]!;
    const b = r[c]![j]!;
    if (space.columns[c]!.kind === 'categorical') s += a === b ? 0 : 1;
    else if (a !== a || b !== b) s += a !== a && b !== b ? 0 : 1;
    else s += Math.min(1, Math.abs(a - b));
  }
  return s / q.length;
}

/**
 * The k nearest reference rows of every query row, exact. `exclude` optionally names, per query row, a reference
 * row to skip (a row's own index when query and reference are the same table).
 */
export function nearestNeighbours(space: GowerSpace, query: Frame, reference: Frame, k: number, opts: { selfExclude?: boolean; check?: Checkpoint } = {}): Neighbours {
  const q = embed(space, query);
  const r = embed(space, reference);
  const indices = new Int32Array(query.rows * k).fill(-1);
  const distances = new Float64Array(query.rows * k).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < query.rows; i++) {
    if (opts.check && i % 256 === 0) opts.check(i / query.rows);
    const base = i * k;
    for (let j = 0; j < reference.rows; j++) {
      if (opts.selfExclude && i === j) continue;
      const d = gower(space, q, i, r, j);
      if (d >= distances[base + k - 1]!) continue;
      let p = k - 1;
      while (p > 0 && distances[base + p - 1]! > d) {
        distances[base + p] = distances[base + p - 1]!;
        indices[base + p] = indices[base + p - 1]!;
        p--;
      }
      distances[base + p] = d;
      indices[base + p] = j;
    }
  }
  return { k, indices, distances };
}
