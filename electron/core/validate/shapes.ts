// Fidelity, column shapes (the SDMetrics definitions): how well each synthetic column reproduces the marginal
// distribution of the real training column, plus missing shares, range and category coverage, and the histogram
// counts the report plots (counts, not shares, so the report can suppress small cells later).
import { InvalidArgumentError } from '../errors';
import type { Column, Frame, MetricInfo } from './types';

export const KS_COMPLEMENT: MetricInfo = {
  name: 'KSComplement',
  definition: '1 − the two-sample Kolmogorov–Smirnov statistic between the real and synthetic values of a numeric or date column (missing cells left out).',
  goal: 'maximize',
  min: 0,
  max: 1,
};
export const TV_COMPLEMENT: MetricInfo = {
  name: 'TVComplement',
  definition: '1 − the total variation distance between the real and synthetic category frequencies of a categorical or boolean column (missing cells left out).',
  goal: 'maximize',
  min: 0,
  max: 1,
};
export const MISSING_VALUE_SIMILARITY: MetricInfo = {
  name: 'MissingValueSimilarity',
  definition: '1 − the absolute difference between the share of missing cells in the real and in the synthetic column.',
  goal: 'maximize',
  min: 0,
  max: 1,
};
export const RANGE_COVERAGE: MetricInfo = {
  name: 'RangeCoverage',
  definition: 'The share of the real [min, max] range of a numeric column that the synthetic values cover, clipped to [0, 1].',
  goal: 'maximize',
  min: 0,
  max: 1,
};
export const CATEGORY_COVERAGE: MetricInfo = {
  name: 'CategoryCoverage',
  definition: 'The share of the categories seen in the real column that appear at least once in the synthetic column.',
  goal: 'maximize',
  min: 0,
  max: 1,
};
export const COLUMN_SHAPES: MetricInfo = {
  name: 'ColumnShapes',
  definition: 'The mean over columns of KSComplement (numeric and date columns) and TVComplement (categorical and boolean columns).',
  goal: 'maximize',
  min: 0,
  max: 1,
};

/** Equal-width bins on the real [min, max] (np.histogram's convention: [a, b) and the last bin [a, b]). */
export interface NumericHistogram {
  kind: 'numeric';
  /** bins + 1 edges. */
  edges: number[];
  /** Real rows per bin. */
  real: number[];
  synthetic: number[];
  /** Synthetic values outside the real range, which no bin holds. */
  syntheticBelow: number;
  syntheticAbove: number;
}

/** Counts per category, for every category seen in either side, in the shared dictionary's order. */
export interface CategoryHistogram {
  kind: 'categorical';
  categories: string[];
  real: number[];
  synthetic: number[];
}

export interface ColumnShape {
  column: string;
  type: Column['type'];
  /** Which shape metric `score` is. */
  metric: 'KSComplement' | 'TVComplement';
  /** null when one side has no non-missing value. */
  score: number | null;
  realRows: number;
  syntheticRows: number;
  realMissing: number;
  syntheticMissing: number;
  realMissingShare: number | null;
  syntheticMissingShare: number | null;
  missingValueSimilarity: number | null;
  /** Numeric columns only (null otherwise, and when the real column is constant or empty). */
  rangeCoverage: number | null;
  realMin: number | null;
  realMax: number | null;
  syntheticMin: number | null;
  syntheticMax: number | null;
  /** Categorical columns only (null otherwise). */
  categoryCoverage: number | null;
  /** Real categories that never appear in the synthetic column (empty for numeric columns). */
  missingCategories: string[];
  histogram: NumericHistogram | CategoryHistogram | null;
}

export interface ShapesResult {
  /** The Column Shapes score: the mean of the per-column scores that could be computed. */
  score: number | null;
  missingValueSimilarity: number | null;
  rangeCoverage: number | null;
  categoryCoverage: number | null;
  columns: ColumnShape[];
}

export interface ShapesOptions {
  /** Histogram bins for numeric columns (default 20). */
  bins?: number;
  /** Leave the histograms out (subgroup recomputations need only the scores). */
  histograms?: boolean;
}

/** The non-missing values, sorted ascending. */
export function sortedFinite(values: Float64Array): Float64Array {
  let n = 0;
  for (const v of values) if (!Number.isNaN(v)) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (const v of values) if (!Number.isNaN(v)) out[k++] = v;
  return out.sort();
}

/** The two-sample KS statistic sup |F_a − F_b| of two sorted samples (scipy.stats.ks_2samp's statistic). */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return Number.NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  // Both empirical CDFs only change at sample values; after one sample is exhausted the gap only shrinks.
  while (i < n1 && j < n2) {
    const v = Math.min(a[i]!, b[j]!);
    while (i < n1 && a[i] === v) i++;
    while (j < n2 && b[j] === v) j++;
    d = Math.max(d, Math.abs(i / n1 - j / n2));
  }
  return d;
}

/** Total variation distance ½ Σ |p − q| between two count vectors, each normalised by its own total. */
export function tvd(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) sp += p[i]!;
  for (let i = 0; i < q.length; i++) sq += q[i]!;
  if (sp === 0 || sq === 0) return Number.NaN;
  let d = 0;
  const n = Math.max(p.length, q.length);
  for (let i = 0; i < n; i++) d += Math.abs((p[i] ?? 0) / sp - (q[i] ?? 0) / sq);
  return d / 2;
}

/** np.histogram_bin_edges(values, bins) for min and max of the values (a constant column gets ±0.5). */
export function binEdges(min: number, max: number, bins: number): number[] {
  let lo = min;
  let hi = max;
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  // The same float operations as np.linspace: i·step + start, and the last edge set to stop exactly.
  const step = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + lo);
  edges[bins] = hi;
  return edges;
}

/** Count of edges that are < x ('right' closed) or ≤ x ('left' closed), by binary search. */
function edgesBelow(edges: number[], x: number, strict: boolean): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const e = edges[mid]!;
    if (strict ? e < x : e <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The bin of x: 0..bins−1, −1 below the first edge, `bins` above the last. 'left': np.histogram's [a, b) with the
 * last bin closed; 'right': pd.cut(..., include_lowest=True)'s (a, b] with the first bin closed (SDMetrics' pairs).
 */
export function binIndex(edges: number[], x: number, closed: 'left' | 'right'): number {
  const bins = edges.length - 1;
  if (x < edges[0]!) return -1;
  if (x > edges[bins]!) return bins;
  if (closed === 'left') return x === edges[bins] ? bins - 1 : edgesBelow(edges, x, false) - 1;
  return x === edges[0] ? 0 : edgesBelow(edges, x, true) - 1;
}

function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

function meanOf(values: (number | null)[]): number | null {
  const ok = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return ok.length ? ok.reduce((s, v) => s + v, 0) / ok.length : null;
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** SDMetrics' RangeCoverage: 1 − (the uncovered part below + above) / the real range, clipped at 0. */
export function rangeCoverage(realMin: number, realMax: number, synMin: number, synMax: number): number | null {
  const range = realMax - realMin;
  if (!(range > 0) || !Number.isFinite(synMin) || !Number.isFinite(synMax)) return null;
  const below = Math.max((synMin - realMin) / range, 0);
  const above = Math.max((realMax - synMax) / range, 0);
  return Math.min(1, Math.max(1 - (below + above), 0));
}

function numericShape(real: Float64Array, syn: Float64Array, bins: number, histograms: boolean) {
  const r = sortedFinite(real);
  const s = sortedFinite(syn);
  const ks = ksStatistic(r, s);
  const realMin = r.length ? r[0]! : Number.NaN;
  const realMax = r.length ? r[r.length - 1]! : Number.NaN;
  const synMin = s.length ? s[0]! : Number.NaN;
  const synMax = s.length ? s[s.length - 1]! : Number.NaN;
  let histogram: NumericHistogram | null = null;
  if (histograms && r.length) {
    const edges = binEdges(realMin, realMax, bins);
    const hr = new Array<number>(bins).fill(0);
    const hs = new Array<number>(bins).fill(0);
    let below = 0;
    let above = 0;
    for (const v of r) hr[binIndex(edges, v, 'left')]!++;
    for (const v of s) {
      const k = binIndex(edges, v, 'left');
      if (k < 0) below++;
      else if (k >= bins) above++;
      else hs[k]!++;
    }
    histogram = { kind: 'numeric', edges, real: hr, synthetic: hs, syntheticBelow: below, syntheticAbove: above };
  }
  return {
    score: Number.isNaN(ks) ? null : 1 - ks,
    realMissing: real.length - r.length,
    syntheticMissing: syn.length - s.length,
    rangeCoverage: r.length && s.length ? rangeCoverage(realMin, realMax, synMin, synMax) : null,
    realMin: finite(realMin),
    realMax: finite(realMax),
    syntheticMin: finite(synMin),
    syntheticMax: finite(synMax),
    histogram,
  };
}

/** Counts of each code (missing cells, −1, left out) and the number of missing cells. */
export function codeCounts(codes: Int32Array, levels: number): { counts: Float64Array; missing: number } {
  const counts = new Float64Array(levels);
  let missing = 0;
  for (const c of codes) {
    if (c < 0) missing++;
    else counts[c]!++;
  }
  return { counts, missing };
}

function categoricalShape(real: Int32Array, syn: Int32Array, levels: string[], histograms: boolean) {
  const r = codeCounts(real, levels.length);
  const s = codeCounts(syn, levels.length);
  const d = tvd(r.counts, s.counts);
  const seen = [...r.counts.keys()].filter((k) => r.counts[k]! > 0);
  const lost = seen.filter((k) => s.counts[k] === 0);
  const shown = [...r.counts.keys()].filter((k) => r.counts[k]! > 0 || s.counts[k]! > 0);
  const histogram: CategoryHistogram | null = histograms
    ? { kind: 'categorical', categories: shown.map((k) => levels[k]!), real: shown.map((k) => r.counts[k]!), synthetic: shown.map((k) => s.counts[k]!) }
    : null;
  return {
    score: Number.isNaN(d) ? null : 1 - d,
    realMissing: r.missing,
    syntheticMissing: s.missing,
    categoryCoverage: seen.length ? (seen.length - lost.length) / seen.length : null,
    missingCategories: lost.map((k) => levels[k]!),
    histogram,
  };
}

function columnShape(real: Column, syn: Column, bins: number, histograms: boolean): ColumnShape {
  if (real.kind !== syn.kind || real.name !== syn.name) throw new InvalidArgumentError(`Column “${real.name}” differs between the real and the synthetic table.`);
  const base = { column: real.name, type: real.type, realRows: 0, syntheticRows: 0 };
  let part: Omit<ColumnShape, 'column' | 'type' | 'realRows' | 'syntheticRows' | 'realMissingShare' | 'syntheticMissingShare' | 'missingValueSimilarity'>;
  if (real.kind === 'numeric' && syn.kind === 'numeric') {
    base.realRows = real.values.length;
    base.syntheticRows = syn.values.length;
    part = { metric: 'KSComplement', categoryCoverage: null, missingCategories: [], ...numericShape(real.values, syn.values, bins, histograms) };
  } else if (real.kind === 'categorical' && syn.kind === 'categorical') {
    base.realRows = real.codes.length;
    base.syntheticRows = syn.codes.length;
    part = {
      metric: 'TVComplement',
      rangeCoverage: null,
      realMin: null,
      realMax: null,
      syntheticMin: null,
      syntheticMax: null,
      ...categoricalShape(real.codes, syn.codes, real.levels, histograms),
    };
  } else throw new InvalidArgumentError(`Column “${real.name}” differs between the real and the synthetic table.`);
  const realMissingShare = share(part.realMissing, base.realRows);
  const syntheticMissingShare = share(part.syntheticMissing, base.syntheticRows);
  const missingValueSimilarity = realMissingShare !== null && syntheticMissingShare !== null ? 1 - Math.abs(realMissingShare - syntheticMissingShare) : null;
  return { ...base, ...part, realMissingShare, syntheticMissingShare, missingValueSimilarity };
}

/** Column shapes of `syn` against the real training frame `real` (same columns, same order, shared dictionaries). */
export function columnShapes(real: Frame, syn: Frame, opts: ShapesOptions = {}): ShapesResult {
  const bins = opts.bins ?? 20;
  if (!Number.isInteger(bins) || bins < 1) throw new InvalidArgumentError(`The number of histogram bins must be a positive whole number, not ${bins}.`);
  if (real.columns.length !== syn.columns.length) throw new InvalidArgumentError('The real and the synthetic table do not have the same columns.');
  const columns = real.columns.map((c, i) => columnShape(c, syn.columns[i]!, bins, opts.histograms ?? true));
  return {
    score: meanOf(columns.map((c) => c.score)),
    missingValueSimilarity: meanOf(columns.map((c) => c.missingValueSimilarity)),
    rangeCoverage: meanOf(columns.map((c) => c.rangeCoverage)),
    categoryCoverage: meanOf(columns.map((c) => c.categoryCoverage)),
    columns,
  };
}
