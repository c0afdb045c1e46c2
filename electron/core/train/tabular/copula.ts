// The Gaussian copula generator, the fast baseline: each column keeps its own (empirical) distribution, and the
// dependence between columns is a correlation matrix of normal scores. Fitting takes one pass and a small matrix
// factorisation, so it runs in seconds where the neural generators take minutes, and gives the reviewer a yardstick.
import { InvalidArgumentError } from '../../errors';
import type { Rng } from '../rng';
import { conditionalSampler, type DimCondition } from './conditional';
import { formatNumber, type NumericFormat } from './format';
import { cholesky, choleskyShrunk, nearestCorrelation, normalCdf, normalQuantile, tetrachoric } from './gaussian';
import { cellToNumber, type ColumnRole, type PreparedColumn } from './schema';
import { ranks } from './stats';

/** At most this many quantile knots are stored per column; smaller columns keep every sorted value. */
export const MAX_KNOTS = 1001;
// Latent uniforms stay this far from 0 and 1 so Φ⁻¹ is finite.
const U_EDGE = 1e-12;

export interface ContinuousMarginal {
  kind: 'continuous';
  name: string;
  role: ColumnRole;
  format: NumericFormat;
  /** Non-missing values in training. */
  count: number;
  /** The sorted values (or MAX_KNOTS evenly spaced order statistics of them), interpolated linearly. */
  knots: number[];
  missingRate: number;
  valueDim: number;
  /** Latent coordinate of the missing/present indicator; null when the column had no missing values. */
  missingDim: number | null;
}

export interface DiscreteMarginal {
  kind: 'discrete';
  name: string;
  role: ColumnRole;
  /** Categories in latent order, most frequent first; null (missing) last when present. */
  categories: (string | null)[];
  probabilities: number[];
  dim: number;
}

export type Marginal = ContinuousMarginal | DiscreteMarginal;

/** A fitted copula as plain JSON. It holds order statistics of the training data: store it like the data. */
export interface CopulaModel {
  format: 'airlock.gaussian-copula';
  version: 1;
  rows: number;
  columns: Marginal[];
  /** Latent dimensions: one per column, plus one per continuous column with missing values. */
  dims: number;
  /** Row-major dims × dims correlation of the normal scores (positive definite after shrinkage). */
  correlation: number[];
  /** How far the pairwise estimate was shrunk toward the identity to make it positive definite (0 = not at all). */
  shrink: number;
}

const clampU = (u: number): number => Math.min(1 - U_EDGE, Math.max(U_EDGE, u));

/** Q(u): the sorted value at (fractional) position u·n − ½, the inverse of the mid-rank ECDF. */
function quantile(m: ContinuousMarginal, u: number): number {
  const { knots, count } = m;
  if (knots.length === 1) return knots[0] as number;
  const pos = Math.min(count - 1, Math.max(0, u * count - 0.5));
  const at = (pos * (knots.length - 1)) / (count - 1);
  const i = Math.min(knots.length - 2, Math.floor(at));
  const lo = knots[i] as number;
  return lo + (at - i) * ((knots[i + 1] as number) - lo);
}

/** F(x), the inverse of quantile() on [min, max]: used to fix a continuous condition on the latent axis. */
function cdf(m: ContinuousMarginal, x: number): number {
  const { knots, count } = m;
  if (knots.length === 1) return 0.5;
  let i = 0;
  while (i < knots.length - 2 && (knots[i + 1] as number) < x) i++;
  const lo = knots[i] as number;
  const hi = knots[i + 1] as number;
  const at = i + (hi > lo ? (x - lo) / (hi - lo) : 0.5);
  return ((at * (count - 1)) / (knots.length - 1) + 0.5) / count;
}

/** Mid-rank ECDF scores (u = (rank − ½)/n, ties sharing their mean rank) of the non-missing values, in row order. */
function midRanks(values: Float64Array): { u: Float64Array; sorted: Float64Array } {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  const n = sorted.length;
  return { u: ranks(values).map((r) => (r - 0.5) / n), sorted };
}

function knotsOf(sorted: Float64Array): number[] {
  const n = sorted.length;
  if (n <= MAX_KNOTS) return Array.from(sorted);
  return Array.from({ length: MAX_KNOTS }, (_, j) => {
    const pos = (j * (n - 1)) / (MAX_KNOTS - 1);
    const i = Math.min(n - 2, Math.floor(pos));
    return (sorted[i] as number) + (pos - i) * ((sorted[i + 1] as number) - (sorted[i] as number));
  });
}

/** Pearson correlation over the rows where both score columns are present (pairwise-complete). */
function pairwise(a: Float64Array, b: Float64Array): number {
  let [n, sa, sb, saa, sbb, sab] = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    n++;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  if (n < 3) return 0;
  const cov = sab - (sa * sb) / n;
  const den = Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n));
  return den > 0 ? Math.max(-1, Math.min(1, cov / den)) : 0;
}

/** A latent score inside [lo, hi) of the uniform axis, drawn at random: a category's (or missingness') slice. */
const inSlice = (lo: number, hi: number, rng: Rng): number => normalQuantile(clampU(lo + (hi - lo) * rng.uniform()));

/**
 * Between two missingness coordinates, the tetrachoric correlation of the real missing-together share replaces
 * the Pearson one of jittered scores, which halved how often lab values absent together came out absent together.
 */
function jointMissingness(r: Float64Array, d: number, dims: { dim: number; rate: number; values: Float64Array }[]): [number, number][] {
  const rows = dims[0]?.values.length ?? 0;
  const set: [number, number][] = [];
  for (let i = 0; i < dims.length; i++)
    for (let j = 0; j < i; j++) {
      const [a, b] = [dims[i] as (typeof dims)[number], dims[j] as (typeof dims)[number]];
      let both = 0;
      for (let k = 0; k < rows; k++) if (Number.isNaN(a.values[k]) && Number.isNaN(b.values[k])) both++;
      if (a.rate >= 1 || b.rate >= 1) continue; // an all-missing column has no threshold to correlate
      const rho = tetrachoric(normalQuantile(a.rate), normalQuantile(b.rate), both / rows);
      r[a.dim * d + b.dim] = r[b.dim * d + a.dim] = rho;
      set.push([a.dim * d + b.dim, rho], [b.dim * d + a.dim, rho]);
    }
  return set;
}

/** Fits marginals and the normal-score correlation. rng draws the within-category positions of discrete scores. */
export function fitCopula(columns: PreparedColumn[], rng: Rng): CopulaModel {
  const rows = columns[0]?.values.length ?? 0;
  if (rows === 0) throw new InvalidArgumentError('The copula needs at least one row to learn from.');
  const scores: Float64Array[] = [];
  const missingDims: { dim: number; rate: number; values: Float64Array }[] = [];
  const marginals = columns.map((col): Marginal => {
    if (col.values.length !== rows) throw new InvalidArgumentError(`Column “${col.name}” has ${col.values.length} rows, not ${rows}.`);
    if (col.kind === 'discrete') {
      const missing = rows - col.counts.reduce((s, n) => s + n, 0);
      const categories = missing > 0 ? [...col.categories, null] : [...col.categories];
      const counts = missing > 0 ? [...col.counts, missing] : [...col.counts];
      const cum = counts.reduce<number[]>((acc, n) => [...acc, (acc[acc.length - 1] as number) + n / rows], [0]);
      const index = new Map(categories.map((c, j) => [c, j]));
      scores.push(Float64Array.from(col.values, (v) => {
        const j = index.get(v) as number;
        return inSlice(cum[j] as number, cum[j + 1] as number, rng);
      }));
      return { kind: 'discrete', name: col.name, role: col.role, categories, probabilities: counts.map((n) => n / rows), dim: scores.length - 1 };
    }
    const { u, sorted } = midRanks(col.values);
    scores.push(u.map((p) => (Number.isNaN(p) ? Number.NaN : normalQuantile(p))));
    const valueDim = scores.length - 1;
    const m = col.missingRate;
    let missingDim: number | null = null;
    if (m > 0) {
      // Missingness as its own latent coordinate (missing = the bottom slice), so it can correlate with other columns.
      scores.push(Float64Array.from(col.values, (v) => (Number.isNaN(v) ? inSlice(0, m, rng) : inSlice(m, 1, rng))));
      missingDim = scores.length - 1;
      missingDims.push({ dim: missingDim, rate: m, values: col.values });
    }
    return { kind: 'continuous', name: col.name, role: col.role, format: col.format, count: sorted.length, knots: knotsOf(sorted), missingRate: m, valueDim, missingDim };
  });
  const d = scores.length;
  const r = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    r[i * d + i] = 1;
    for (let j = 0; j < i; j++) r[i * d + j] = r[j * d + i] = pairwise(scores[i] as Float64Array, scores[j] as Float64Array);
  }
  const fixed = jointMissingness(r, d, missingDims);
  // The tetrachoric entries can leave the matrix indefinite; project only then, so other tables fit as before.
  const { matrix, shrink } = choleskyShrunk(fixed.length > 0 && !cholesky(r, d) ? nearestCorrelation(r, d) : r, d);
  return { format: 'airlock.gaussian-copula', version: 1, rows, columns: marginals, dims: d, correlation: Array.from(matrix), shrink };
}

/** The latent conditions that make column `name` equal `value` (a cell as the source writes it; null = missing). */
function conditionFor(model: CopulaModel, name: string, value: string | null): DimCondition[] {
  const m = model.columns.find((c) => c.name === name);
  if (!m) throw new InvalidArgumentError(`There is no column “${name}” to condition on.`);
  if (m.kind === 'discrete') {
    const j = m.categories.indexOf(value);
    if (j < 0) throw new InvalidArgumentError(`Column “${name}” never had ${value === null ? 'a missing value' : `the value “${value}”`} in training, so it cannot be a condition.`);
    const lo = m.probabilities.slice(0, j).reduce((s, p) => s + p, 0);
    const hi = j === m.categories.length - 1 ? 1 : lo + (m.probabilities[j] as number);
    return [{ dim: m.dim, lo: j === 0 ? -Infinity : normalQuantile(lo), hi: hi >= 1 ? Infinity : normalQuantile(hi) }];
  }
  const gap = m.missingDim === null ? null : normalQuantile(m.missingRate);
  if (value === null) {
    if (m.missingDim === null || gap === null) throw new InvalidArgumentError(`Column “${name}” was never missing in training, so “missing” cannot be a condition.`);
    return [{ dim: m.missingDim, lo: -Infinity, hi: gap }];
  }
  const x = cellToNumber(value, m.format.type, name);
  if (x < m.format.min || x > m.format.max)
    throw new InvalidArgumentError(`Column “${name}” ranged from ${formatNumber(m.format.min, m.format)} to ${formatNumber(m.format.max, m.format)} in training; “${value}” is outside it.`);
  const fixed: DimCondition[] = [{ dim: m.valueDim, fixed: normalQuantile(clampU(cdf(m, x))) }];
  return m.missingDim === null || gap === null ? fixed : [...fixed, { dim: m.missingDim, lo: gap, hi: Infinity }];
}

/**
 * n synthetic rows of source-like cells. `conditions` fixes columns by name to a value as the source writes it
 * (null = missing): categories by their slice of the latent axis, numbers by their exact latent score, and the other
 * columns drawn from the conditional Gaussian — exact conditioning, never rejection, so rare values cost nothing extra.
 */
export function sampleCopula(model: CopulaModel, n: number, rng: Rng, conditions: Record<string, string | null> = {}): (string | null)[][] {
  if (model.format !== 'airlock.gaussian-copula' || model.version !== 1) throw new InvalidArgumentError('This stored copula is not one this version of Airlock can read.');
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('The number of rows to sample must be a whole number, zero or more.');
  const fixedCells = new Map(Object.entries(conditions));
  const latent = Object.entries(conditions).flatMap(([name, value]) => conditionFor(model, name, value));
  const sampler = conditionalSampler(Float64Array.from(model.correlation), model.dims, latent);
  const out: (string | null)[][] = [];
  for (let r = 0; r < n; r++) {
    const z = sampler.draw(rng);
    out.push(model.columns.map((m) => {
      // A fixed number is written as given (through the column's format), not re-derived through Φ and Q.
      const given = fixedCells.get(m.name);
      if (given !== undefined && (m.kind === 'discrete' || given === null)) return given;
      if (m.kind === 'discrete') {
        let u = normalCdf(z[m.dim] as number);
        for (let j = 0; j < m.categories.length; j++) {
          u -= m.probabilities[j] as number;
          if (u < 0 || j === m.categories.length - 1) return m.categories[j] ?? null;
        }
        return null;
      }
      if (given !== undefined) return formatNumber(cellToNumber(given, m.format.type, m.name), m.format);
      if (m.missingDim !== null && normalCdf(z[m.missingDim] as number) < m.missingRate) return null;
      return formatNumber(quantile(m, normalCdf(z[m.valueDim] as number)), m.format);
    }));
  }
  return out;
}
