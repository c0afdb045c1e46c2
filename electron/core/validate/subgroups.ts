// Subgroups and rare cases: an overall column-shape score can hide a subgroup (a sex, an age band) that the
// generator reproduces badly, and rare categories that vanish or are amplified; both are findings of their own.
import { InvalidArgumentError } from '../errors';
import { takeRows } from './frames';
import { codeCounts, columnShapes } from './shapes';
import { quantile } from './stats';
import type { Column, Frame, MetricInfo } from './types';

export const SUBGROUP_COLUMN_SHAPES: MetricInfo = {
  name: 'SubgroupColumnShapes',
  definition: 'The Column Shapes score recomputed on the real and synthetic rows of one subgroup (other columns than the stratifying one); a subgroup absent from the synthetic data scores 0.',
  goal: 'maximize',
  min: 0,
  max: 1,
};
export const RARE_CATEGORY_PRESERVATION: MetricInfo = {
  name: 'RareCategoryPreservation',
  definition: 'For a category under the threshold share of the real rows, the smaller of (synthetic share / real share) and its inverse: 0 when it vanished, 1 when its share is kept.',
  goal: 'maximize',
  min: 0,
  max: 1,
};

export interface Subgroup {
  column: string;
  /** The category, the quartile band's label, or "(missing)". */
  value: string;
  /** Quartile bands only: (low, high] on the real data's quartiles, null for an open end; null for categories. */
  band: { low: number | null; high: number | null } | null;
  realRows: number;
  syntheticRows: number;
  /** null when no column is left to score. */
  score: number | null;
  /** No synthetic row falls in this subgroup: it scores 0. */
  absent: boolean;
}

export interface Stratum {
  column: string;
  kind: 'categories' | 'quartiles';
  /** Quartile cut points of the real column (25th, 50th, 75th percentile, repeated values merged); empty for categories. */
  cuts: number[];
  /** The subgroups with at least minRows real rows, scored. */
  subgroups: Subgroup[];
  /** Subgroups with fewer real rows than minRows: not scored. */
  tooSmall: { value: string; realRows: number; syntheticRows: number }[];
  worst: Subgroup | null;
}

export interface SubgroupsResult {
  minRows: number;
  /** The Column Shapes score of the whole tables, beside which the worst subgroup is reported. */
  overall: number | null;
  strata: Stratum[];
  worst: Subgroup | null;
}

export interface RareCategory {
  column: string;
  category: string;
  realCount: number;
  /** Share of the real non-missing cells of the column. */
  realShare: number;
  syntheticCount: number;
  /** null when the synthetic column has no non-missing cell. */
  syntheticShare: number | null;
  /** syntheticShare / realShare: 0 = vanished, above 1 = amplified. */
  ratio: number | null;
  preservation: number | null;
  vanished: boolean;
  amplified: boolean;
}

export interface RareCategoriesResult {
  threshold: number;
  categories: RareCategory[];
}

const MISSING = '(missing)';

function formatCut(v: number, type: Column['type']): string {
  if (type === 'date') return new Date(v * 86_400_000).toISOString().slice(0, 10);
  if (type === 'datetime') return new Date(v).toISOString();
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

interface Grouping {
  kind: Stratum['kind'];
  cuts: number[];
  labels: string[];
  bands: (Subgroup['band'])[];
  /** Group of each row, −1 for a missing cell. */
  real: Int32Array;
  syn: Int32Array;
}

function cutsBelow(cuts: number[], v: number): number {
  let k = 0;
  while (k < cuts.length && cuts[k]! < v) k++;
  return k;
}

function groupingOf(real: Column, syn: Column): Grouping {
  if (real.kind === 'categorical' && syn.kind === 'categorical') {
    return { kind: 'categories', cuts: [], labels: real.levels, bands: real.levels.map(() => null), real: real.codes, syn: syn.codes };
  }
  if (real.kind !== 'numeric' || syn.kind !== 'numeric') throw new InvalidArgumentError(`Column “${real.name}” differs between the real and the synthetic table.`);
  const present = real.values.filter((v) => !Number.isNaN(v));
  const cuts = [...new Set([0.25, 0.5, 0.75].map((q) => quantile(present, q)))].filter((v) => Number.isFinite(v));
  // Bands (−∞, c1], (c1, c2], …, (ck, ∞): open at the ends so synthetic values beyond the real range still belong.
  const bounds = [null, ...cuts, null];
  const bands = cuts.length ? bounds.slice(0, -1).map((low, k) => ({ low, high: bounds[k + 1] ?? null })) : [];
  const labels = bands.map(({ low, high }) =>
    low === null ? `≤ ${formatCut(high!, real.type)}` : high === null ? `> ${formatCut(low, real.type)}` : `${formatCut(low, real.type)} – ${formatCut(high, real.type)}`,
  );
  const band = (values: Float64Array) => Int32Array.from(values, (v) => (Number.isNaN(v) || !cuts.length ? -1 : cutsBelow(cuts, v)));
  return { kind: 'quartiles', cuts, labels, bands, real: band(real.values), syn: band(syn.values) };
}

function rowsByGroup(groups: Int32Array, size: number): number[][] {
  // Slot `size` holds the missing cells.
  const out = Array.from({ length: size + 1 }, () => [] as number[]);
  groups.forEach((g, i) => out[g < 0 ? size : g]!.push(i));
  return out;
}

function without(f: Frame, name: string): Frame {
  return { rows: f.rows, columns: f.columns.filter((c) => c.name !== name) };
}

function worstOf(groups: Subgroup[]): Subgroup | null {
  let worst: Subgroup | null = null;
  for (const g of groups) if (g.score !== null && (worst === null || g.score < worst.score!)) worst = g;
  return worst;
}

/**
 * Column shapes inside every subgroup of each stratification column that has at least `minRows` real rows
 * (categories as they are; a numeric column cut in quartile bands of the real data), and the worst subgroup.
 */
export function subgroupShapes(real: Frame, syn: Frame, stratifyBy: string[], minRows = 30): SubgroupsResult {
  if (!Number.isInteger(minRows) || minRows < 1) throw new InvalidArgumentError(`The smallest subgroup size must be a positive whole number, not ${minRows}.`);
  const strata: Stratum[] = stratifyBy.map((name) => {
    const at = real.columns.findIndex((c) => c.name === name);
    const rc = real.columns[at];
    const sc = syn.columns[at];
    if (!rc || !sc || sc.name !== name) throw new InvalidArgumentError(`The stratification column “${name}” is not a column of the table.`);
    const g = groupingOf(rc, sc);
    const realRows = rowsByGroup(g.real, g.labels.length);
    const synRows = rowsByGroup(g.syn, g.labels.length);
    const restReal = without(real, name);
    const restSyn = without(syn, name);
    const subgroups: Subgroup[] = [];
    const tooSmall: Stratum['tooSmall'] = [];
    realRows.forEach((rows, k) => {
      const value = k < g.labels.length ? g.labels[k]! : MISSING;
      const synIdx = synRows[k]!;
      if (rows.length === 0) return;
      if (rows.length < minRows) {
        tooSmall.push({ value, realRows: rows.length, syntheticRows: synIdx.length });
        return;
      }
      const band = k < g.bands.length ? g.bands[k]! : null;
      const base = { column: name, value, band, realRows: rows.length, syntheticRows: synIdx.length };
      if (synIdx.length < 1) {
        subgroups.push({ ...base, score: 0, absent: true });
        return;
      }
      const shapes = columnShapes(takeRows(restReal, rows), takeRows(restSyn, synIdx), { histograms: false });
      subgroups.push({ ...base, score: shapes.score, absent: false });
    });
    return { column: name, kind: g.kind, cuts: g.cuts, subgroups, tooSmall, worst: worstOf(subgroups) };
  });
  return {
    minRows,
    overall: columnShapes(real, syn, { histograms: false }).score,
    strata,
    worst: worstOf(strata.flatMap((s) => s.subgroups)),
  };
}

/** Every category of every categorical column with under `threshold` of the real non-missing cells, real vs synthetic. */
export function rareCategories(real: Frame, syn: Frame, threshold = 0.05): RareCategoriesResult {
  if (!(threshold > 0 && threshold < 1)) throw new InvalidArgumentError(`The rare-category threshold must be a share between 0 and 1, not ${threshold}.`);
  const categories: RareCategory[] = [];
  real.columns.forEach((rc, i) => {
    const sc = syn.columns[i];
    if (rc.kind !== 'categorical') return;
    if (sc?.kind !== 'categorical' || sc.name !== rc.name) throw new InvalidArgumentError(`Column “${rc.name}” differs between the real and the synthetic table.`);
    const r = codeCounts(rc.codes, rc.levels.length);
    const s = codeCounts(sc.codes, rc.levels.length);
    const realTotal = rc.codes.length - r.missing;
    const synTotal = sc.codes.length - s.missing;
    r.counts.forEach((count, k) => {
      if (count === 0 || count / realTotal >= threshold) return;
      const realShare = count / realTotal;
      const syntheticCount = s.counts[k]!;
      const syntheticShare = synTotal > 0 ? syntheticCount / synTotal : null;
      const ratio = syntheticShare === null ? null : syntheticShare / realShare;
      categories.push({
        column: rc.name,
        category: rc.levels[k]!,
        realCount: count,
        realShare,
        syntheticCount,
        syntheticShare,
        ratio,
        preservation: ratio === null ? null : ratio === 0 ? 0 : Math.min(ratio, 1 / ratio),
        vanished: syntheticCount === 0,
        amplified: ratio !== null && ratio > 1,
      });
    });
  });
  return { threshold, categories };
}
