// Fidelity, column pairs (the SDMetrics definitions): whether the synthetic table keeps the relations between
// every two columns — correlations for numeric pairs, two-way contingency tables for the others — and the overall
// quality score, the mean of the column-shape and column-pair averages as SDMetrics' Quality Report computes it.
import { InvalidArgumentError } from '../errors';
import { binEdges, binIndex } from './shapes';
import { pearson } from './stats';
import type { Column, Frame, MetricInfo, NumericColumn } from './types';

export const CORRELATION_SIMILARITY: MetricInfo = {
  name: 'CorrelationSimilarity',
  definition: '1 − |ρ_real − ρ_synthetic| / 2, with ρ the correlation of two numeric columns over the rows where both are present.',
  goal: 'maximize',
  min: 0,
  max: 1,
};
export const CONTINGENCY_SIMILARITY: MetricInfo = {
  name: 'ContingencySimilarity',
  definition: '1 − the total variation distance between the real and synthetic two-way frequency tables of two columns (numeric columns binned on the real range; missing cells left out).',
  goal: 'maximize',
  min: 0,
  max: 1,
};
export const COLUMN_PAIR_TRENDS: MetricInfo = {
  name: 'ColumnPairTrends',
  definition: 'The mean over all pairs of columns of CorrelationSimilarity (numeric pairs) and ContingencySimilarity (other pairs).',
  goal: 'maximize',
  min: 0,
  max: 1,
};
export const QUALITY_SCORE: MetricInfo = {
  name: 'QualityScore',
  definition: 'The mean of the Column Shapes and Column Pair Trends scores (SDMetrics’ Quality Report).',
  goal: 'maximize',
  min: 0,
  max: 1,
};

export type CorrelationKind = 'pearson' | 'spearman';

export interface ColumnPair {
  columns: [string, string];
  metric: 'CorrelationSimilarity' | 'ContingencySimilarity';
  /** null when not computable (a side without complete rows, or a constant column). */
  score: number | null;
  /** Numeric pairs only. */
  realCorrelation: number | null;
  syntheticCorrelation: number | null;
  /** Rows where both columns are present. */
  realRows: number;
  syntheticRows: number;
  /** The numeric columns of this pair that were binned (their edges are in PairsResult.binEdges). */
  binned: string[];
}

/** Numeric columns only; null where a correlation is not computable. difference = synthetic − real. */
export interface CorrelationMatrices {
  columns: string[];
  real: (number | null)[][];
  synthetic: (number | null)[][];
  difference: (number | null)[][];
}

export interface PairsResult {
  correlation: CorrelationKind;
  bins: number;
  /**
   * Edges used to bin each numeric column for the contingency tables: np.histogram_bin_edges on the real column,
   * bins closed on the right as pd.cut(include_lowest=True); synthetic values outside the real range fall into a
   * "below" or an "above" cell of their own.
   */
  binEdges: { column: string; edges: number[] }[];
  /** The Column Pair Trends score: the mean of the pair scores that could be computed. */
  score: number | null;
  pairs: ColumnPair[];
  matrices: CorrelationMatrices;
}

export interface PairsOptions {
  correlation: CorrelationKind;
  bins: number;
}

/** SDMetrics' Quality Report score: the mean of the two property scores (either one alone when the other is null). */
export function qualityScore(shapesAvg: number | null, pairsAvg: number | null): number | null {
  const ok = [shapesAvg, pairsAvg].filter((v): v is number => v !== null && Number.isFinite(v));
  return ok.length ? ok.reduce((s, v) => s + v, 0) / ok.length : null;
}

/** Cell codes of one column for the contingency tables: −1 missing; numeric bins then "below" (bins) and "above" (bins + 1). */
interface Cells {
  codes: Int32Array;
  size: number;
}

function cellsOf(col: Column, edges: number[] | null): Cells {
  if (col.kind === 'categorical') return { codes: col.codes, size: col.levels.length };
  const bins = edges!.length - 1;
  const codes = new Int32Array(col.values.length);
  col.values.forEach((v, i) => {
    if (Number.isNaN(v)) codes[i] = -1;
    else {
      const k = binIndex(edges!, v, 'right');
      codes[i] = k < 0 ? bins : k;
    }
  });
  return { codes, size: bins + 2 };
}

/** Counts of the (a, b) cells over rows where both are present; dense for small tables, sparse for wide ones. */
function contingency(a: Cells, b: Cells): { counts: Map<number, number>; total: number } {
  const counts = new Map<number, number>();
  let total = 0;
  if (a.size * b.size <= 1 << 20) {
    const dense = new Float64Array(a.size * b.size);
    for (let i = 0; i < a.codes.length; i++) {
      const x = a.codes[i]!;
      const y = b.codes[i]!;
      if (x < 0 || y < 0) continue;
      dense[x * b.size + y]!++;
      total++;
    }
    dense.forEach((c, k) => {
      if (c > 0) counts.set(k, c);
    });
  } else {
    for (let i = 0; i < a.codes.length; i++) {
      const x = a.codes[i]!;
      const y = b.codes[i]!;
      if (x < 0 || y < 0) continue;
      const k = x * b.size + y;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      total++;
    }
  }
  return { counts, total };
}

function contingencyPair(ra: Cells, rb: Cells, sa: Cells, sb: Cells): { score: number | null; realRows: number; syntheticRows: number } {
  const r = contingency(ra, rb);
  const s = contingency(sa, sb);
  if (r.total === 0 || s.total === 0) return { score: null, realRows: r.total, syntheticRows: s.total };
  let d = 0;
  for (const [k, c] of r.counts) d += Math.abs(c / r.total - (s.counts.get(k) ?? 0) / s.total);
  for (const [k, c] of s.counts) if (!r.counts.has(k)) d += c / s.total;
  return { score: 1 - d / 2, realRows: r.total, syntheticRows: s.total };
}

/** Row indices of the non-missing values in ascending order of value. */
function argsort(values: Float64Array): Int32Array {
  const idx: number[] = [];
  values.forEach((v, i) => {
    if (!Number.isNaN(v)) idx.push(i);
  });
  return Int32Array.from(idx.sort((a, b) => values[a]! - values[b]!));
}

/** Average ranks (1-based) of the rows with `at[row]` ≥ 0, written at out[at[row]], walking a precomputed order. */
function ranksAlong(values: Float64Array, order: Int32Array, at: Int32Array, out: Float64Array): void {
  let rank = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    let kept = 0;
    while (j < order.length && values[order[j]!] === values[order[i]!]) {
      if (at[order[j]!]! >= 0) kept++;
      j++;
    }
    const r = rank + (kept + 1) / 2;
    for (let k = i; k < j; k++) if (at[order[k]!]! >= 0) out[at[order[k]!]!] = r;
    rank += kept;
    i = j;
  }
}

/**
 * Correlation over the rows where both values are present; NaN when not computable. For Spearman, `orders` (each
 * column's argsort) let the ranks of the complete rows be read in one pass instead of a sort per pair.
 */
export function completeCorrelation(x: Float64Array, y: Float64Array, kind: CorrelationKind, orders?: [Int32Array, Int32Array]): { rho: number; rows: number } {
  const at = new Int32Array(x.length).fill(-1);
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]!) && !Number.isNaN(y[i]!)) at[i] = n++;
  if (n < 2) return { rho: Number.NaN, rows: n };
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  if (kind === 'spearman') {
    const [ox, oy] = orders ?? [argsort(x), argsort(y)];
    ranksAlong(x, ox, at, a);
    ranksAlong(y, oy, at, b);
    return { rho: pearson(a, b), rows: n };
  }
  for (let i = 0; i < x.length; i++) {
    if (at[i]! < 0) continue;
    a[at[i]!] = x[i]!;
    b[at[i]!] = y[i]!;
  }
  return { rho: pearson(a, b), rows: n };
}

const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Column pairs of `syn` against the real training frame `real` (same columns, same order, shared dictionaries). */
export function columnPairs(real: Frame, syn: Frame, opts: PairsOptions): PairsResult {
  const { correlation, bins } = opts;
  if (!Number.isInteger(bins) || bins < 1) throw new InvalidArgumentError(`The number of bins for numeric columns must be a positive whole number, not ${bins}.`);
  if (correlation !== 'pearson' && correlation !== 'spearman') throw new InvalidArgumentError(`The correlation must be "pearson" or "spearman", not "${String(correlation)}".`);
  if (real.columns.length !== syn.columns.length) throw new InvalidArgumentError('The real and the synthetic table do not have the same columns.');
  real.columns.forEach((c, i) => {
    const s = syn.columns[i]!;
    if (s.name !== c.name || s.kind !== c.kind) throw new InvalidArgumentError(`Column “${c.name}” differs between the real and the synthetic table.`);
  });

  const edges: (number[] | null)[] = real.columns.map((c) => {
    if (c.kind !== 'numeric') return null;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of c.values) {
      if (Number.isNaN(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return lo <= hi ? binEdges(lo, hi, bins) : null;
  });
  // A numeric column with no real value cannot be binned: its pairs are not computable.
  const realCells = real.columns.map((c, i) => (c.kind === 'numeric' && !edges[i] ? null : cellsOf(c, edges[i] ?? null)));
  const synCells = syn.columns.map((c, i) => (c.kind === 'numeric' && !edges[i] ? null : cellsOf(c, edges[i] ?? null)));

  const numeric = real.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.kind === 'numeric');
  const m = numeric.length;
  const square = (): (number | null)[][] => Array.from({ length: m }, () => new Array<number | null>(m).fill(null));
  const matrices: CorrelationMatrices = { columns: numeric.map(({ c }) => c.name), real: square(), synthetic: square(), difference: square() };
  const slot = new Map(numeric.map(({ i }, k) => [i, k]));
  const sortOf = (f: Frame) => new Map(correlation === 'spearman' ? numeric.map(({ i }) => [i, argsort((f.columns[i] as NumericColumn).values)]) : []);
  const realOrder = sortOf(real);
  const synOrder = sortOf(syn);
  const ordersOf = (m: Map<number, Int32Array>, i: number, j: number): [Int32Array, Int32Array] | undefined => {
    const a = m.get(i);
    const b = m.get(j);
    return a && b ? [a, b] : undefined;
  };

  const pairs: ColumnPair[] = [];
  for (let i = 0; i < real.columns.length; i++) {
    for (let j = i + 1; j < real.columns.length; j++) {
      const a = real.columns[i]!;
      const b = real.columns[j]!;
      const sa = syn.columns[i]!;
      const sb = syn.columns[j]!;
      const names: [string, string] = [a.name, b.name];
      if (a.kind === 'numeric' && b.kind === 'numeric' && sa.kind === 'numeric' && sb.kind === 'numeric') {
        const r = completeCorrelation(a.values, b.values, correlation, ordersOf(realOrder, i, j));
        const s = completeCorrelation(sa.values, sb.values, correlation, ordersOf(synOrder, i, j));
        const both = Number.isFinite(r.rho) && Number.isFinite(s.rho);
        pairs.push({
          columns: names,
          metric: 'CorrelationSimilarity',
          score: both ? 1 - Math.abs(r.rho - s.rho) / 2 : null,
          realCorrelation: orNull(r.rho),
          syntheticCorrelation: orNull(s.rho),
          realRows: r.rows,
          syntheticRows: s.rows,
          binned: [],
        });
        const p = slot.get(i)!;
        const q = slot.get(j)!;
        matrices.real[p]![q] = matrices.real[q]![p] = orNull(r.rho);
        matrices.synthetic[p]![q] = matrices.synthetic[q]![p] = orNull(s.rho);
        matrices.difference[p]![q] = matrices.difference[q]![p] = both ? s.rho - r.rho : null;
        continue;
      }
      const binned = [a, b].filter((c) => c.kind === 'numeric').map((c) => c.name);
      const [ra, rb, ca, cb] = [realCells[i], realCells[j], synCells[i], synCells[j]];
      const res = ra && rb && ca && cb ? contingencyPair(ra, rb, ca, cb) : { score: null, realRows: 0, syntheticRows: 0 };
      pairs.push({ columns: names, metric: 'ContingencySimilarity', ...res, realCorrelation: null, syntheticCorrelation: null, binned });
    }
  }
  // The diagonal: 1 where the column varies on that side, null where it is constant or empty.
  numeric.forEach(({ c, i }, k) => {
    const sc = syn.columns[i]!;
    const varies = (col: Column) => col.kind === 'numeric' && Number.isFinite(completeCorrelation(col.values, col.values, 'pearson').rho);
    const r = varies(c) ? 1 : null;
    const s = varies(sc) ? 1 : null;
    matrices.real[k]![k] = r;
    matrices.synthetic[k]![k] = s;
    matrices.difference[k]![k] = r !== null && s !== null ? 0 : null;
  });

  const scores = pairs.map((p) => p.score).filter((v): v is number => v !== null);
  return {
    correlation,
    bins,
    binEdges: real.columns.flatMap((c, i) => (edges[i] ? [{ column: c.name, edges: edges[i] }] : [])),
    score: scores.length ? scores.reduce((s, v) => s + v, 0) / scores.length : null,
    pairs,
    matrices,
  };
}
