// Report sections for fidelity: column shapes, column pairs, detection, subgroups and rare categories. Every
// histogram bin, category share and count that rests on fewer than `min` real rows is merged or suppressed.
import { DETECTION_AUC, DETECTION_SCORE, type DetectionResult } from '../detection';
import { COLUMN_PAIR_TRENDS, CONTINGENCY_SIMILARITY, CORRELATION_SIMILARITY, QUALITY_SCORE, type PairsResult } from '../pairs';
import { CATEGORY_COVERAGE, COLUMN_SHAPES, KS_COMPLEMENT, MISSING_VALUE_SIMILARITY, RANGE_COVERAGE, TV_COMPLEMENT, type ColumnShape, type ShapesResult } from '../shapes';
import { RARE_CATEGORY_PRESERVATION, SUBGROUP_COLUMN_SHAPES, type RareCategoriesResult, type SubgroupsResult } from '../subgroups';
import { barChart, categoryChart, heatmapChart, histogramChart, renderSvg, rocChart } from './charts';
import { metricRow, num, pct } from './format';
import type { ReportChart, ReportSection } from './html';
import { suppressBins, suppressCategories, suppressCount } from './suppression';

async function columnChart(c: ColumnShape, min: number, notes: string[]): Promise<ReportChart | null> {
  const h = c.histogram;
  if (!h) return null;
  if (h.kind === 'numeric') {
    const s = suppressBins(h.real.map((r, i) => ({ start: h.edges[i]!, end: h.edges[i + 1]!, realCount: r, syntheticCount: h.synthetic[i]! })), min, c.column);
    if (s.merged > 0 || s.suppressed) notes.push(s.note);
    if (s.suppressed) return null;
    const outside = h.syntheticBelow + h.syntheticAbove;
    return { caption: `${c.column}: real vs synthetic distribution${outside ? ` (${outside} synthetic values fall outside the real range and are not drawn)` : ''}.`, svg: await renderSvg(histogramChart({ column: c.column, bins: s.bins })) };
  }
  const s = suppressCategories(h.categories.map((label, i) => ({ label, realCount: h.real[i]!, syntheticCount: h.synthetic[i]! })), min, c.column);
  if (s.merged > 0 || s.suppressed) notes.push(s.note);
  return { caption: `${c.column}: real vs synthetic category shares.`, svg: await renderSvg(categoryChart({ column: c.column, categories: s.categories })) };
}

// Names of real categories missing from the synthetic data, unless the category itself is a small cell.
function missingCategoriesText(c: ColumnShape, min: number): string {
  if (c.missingCategories.length === 0) return '—';
  const h = c.histogram;
  const countOf = (name: string): number => (h?.kind === 'categorical' ? (h.real[h.categories.indexOf(name)] ?? 0) : 0);
  const named = c.missingCategories.filter((n) => countOf(n) >= min);
  const hidden = c.missingCategories.length - named.length;
  return [...named, ...(hidden > 0 ? [`${hidden} rare categor${hidden === 1 ? 'y' : 'ies'} (under ${min} real rows each)`] : [])].join(', ');
}

export async function shapesSection(shapes: ShapesResult, min: number): Promise<ReportSection> {
  const notes: string[] = [];
  const charts: ReportChart[] = [];
  for (const c of shapes.columns) {
    const chart = await columnChart(c, min, notes);
    if (chart) charts.push(chart);
  }
  return {
    id: 'shapes',
    title: 'Fidelity: column shapes',
    intro: 'Each column of the synthetic table compared with the same column of the real training rows: the shape of its distribution, its missing values, and how much of its range or categories the synthetic data covers. Real minima and maxima are not printed: extreme values identify patients.',
    metrics: [
      metricRow(COLUMN_SHAPES, shapes.score),
      metricRow(KS_COMPLEMENT, null, null, 'KSComplement (per column, below)'),
      metricRow(TV_COMPLEMENT, null, null, 'TVComplement (per column, below)'),
      metricRow(MISSING_VALUE_SIMILARITY, shapes.missingValueSimilarity),
      metricRow(RANGE_COVERAGE, shapes.rangeCoverage),
      metricRow(CATEGORY_COVERAGE, shapes.categoryCoverage),
    ],
    tables: [
      {
        caption: 'Per column (missing shares are of all rows; coverage is range coverage for numbers, category coverage otherwise).',
        columns: ['column', 'metric', 'score', 'missing, real', 'missing, synthetic', 'coverage', 'real categories never generated'],
        rows: shapes.columns.map((c) => [c.column, c.metric, num(c.score), pct(c.realMissingShare), pct(c.syntheticMissingShare), num(c.rangeCoverage ?? c.categoryCoverage), missingCategoriesText(c, min)]),
      },
    ],
    charts,
    notes,
  };
}

export async function pairsSection(pairs: PairsResult, quality: number | null): Promise<ReportSection> {
  const m = pairs.matrices;
  const charts: ReportChart[] = [];
  if (m.columns.length >= 2) {
    const kind = pairs.correlation === 'pearson' ? 'Pearson' : 'Spearman';
    charts.push({ caption: `${kind} correlations among the numeric columns of the real training rows.`, svg: await renderSvg(heatmapChart({ title: `Real (training): ${kind} correlation`, columns: m.columns, matrix: m.real, domain: [-1, 1] })) });
    charts.push({ caption: `The same correlations in the synthetic rows.`, svg: await renderSvg(heatmapChart({ title: `Synthetic: ${kind} correlation`, columns: m.columns, matrix: m.synthetic, domain: [-1, 1] })) });
    charts.push({ caption: 'Synthetic minus real: where relationships between columns moved.', svg: await renderSvg(heatmapChart({ title: 'Difference (synthetic − real)', columns: m.columns, matrix: m.difference, domain: [-2, 2] })) });
  }
  const worst = pairs.pairs.filter((p) => p.score !== null).sort((a, b) => a.score! - b.score!).slice(0, 12);
  return {
    id: 'pairs',
    title: 'Fidelity: column pairs',
    intro: `Whether relationships between columns survive: correlations for pairs of numeric columns, two-way contingency tables for the other pairs (numeric columns cut into ${pairs.bins} equal-width bins on the real range).`,
    metrics: [metricRow(QUALITY_SCORE, quality), metricRow(COLUMN_PAIR_TRENDS, pairs.score), metricRow(CORRELATION_SIMILARITY, null, null, 'CorrelationSimilarity (per pair)'), metricRow(CONTINGENCY_SIMILARITY, null, null, 'ContingencySimilarity (per pair)')],
    tables: [
      {
        caption: `The ${worst.length} least preserved pairs.`,
        columns: ['pair', 'metric', 'score', 'ρ real', 'ρ synthetic'],
        rows: worst.map((p) => [`${p.columns[0]} × ${p.columns[1]}`, p.metric, num(p.score), num(p.realCorrelation), num(p.syntheticCorrelation)]),
      },
    ],
    charts,
  };
}

export async function detectionSection(d: DetectionResult): Promise<ReportSection> {
  return {
    id: 'detection',
    title: 'Fidelity: detection',
    intro: `Classifiers were trained to tell ${d.rowsPerSide} real training rows from ${d.rowsPerSide} synthetic rows, with ${d.folds}-fold cross-validation. The better one sets the figure: if no model can tell them apart (AUC near 0.5), the synthetic rows pass for real ones.`,
    metrics: d.models.flatMap((m) => [metricRow(DETECTION_AUC, m.auc, null, `AUC — ${m.description}`), metricRow(DETECTION_SCORE, m.score, null, `Detection score — ${m.description}`)]),
    charts: [{ caption: `Out-of-fold ROC curve of the ${d.headline.description}.`, svg: await renderSvg(rocChart({ title: 'Telling synthetic from real rows', curves: [{ name: d.headline.description, points: d.roc, auc: d.headline.auc }] })) }],
  };
}

export async function subgroupsSection(sub: SubgroupsResult | null, rare: RareCategoriesResult, min: number, threshold: number | null): Promise<ReportSection> {
  const charts: ReportChart[] = [];
  const tables: ReportSection['tables'] = [];
  const notes: string[] = [];
  if (sub && sub.strata.length > 0) {
    const bars = sub.strata.flatMap((s) => s.subgroups.map((g) => ({ label: `${s.column} = ${g.value}`, value: g.score ?? 0 })));
    charts.push({ caption: `Column-shape score inside each subgroup with at least ${sub.minRows} real rows; overall ${num(sub.overall)}.`, svg: await renderSvg(barChart({ title: 'Column shapes by subgroup', bars, xTitle: 'Column-shape score', ...(threshold !== null ? { threshold, thresholdLabel: 'Criterion' } : {}) })) });
    tables.push({
      caption: 'Subgroups (row counts under the small-cell minimum are not printed).',
      columns: ['subgroup', 'real rows', 'synthetic rows', 'score', ''],
      rows: sub.strata.flatMap((s) => [
        ...s.subgroups.map((g) => [`${s.column} = ${g.value}`, String(suppressCount(g.realRows, min)), String(g.syntheticRows), num(g.score), g.absent ? 'absent from the synthetic data' : g === s.worst ? 'worst' : '']),
        ...s.tooSmall.map((t) => [`${s.column} = ${t.value}`, String(suppressCount(t.realRows, min)), String(t.syntheticRows), 'not scored', 'too few real rows']),
      ]),
    });
  } else notes.push('The spec declares no stratification columns, so no subgroup was scored.');
  const rareRows = rare.categories.map((r) => [r.column, r.realCount >= min ? r.category : '(a rare category)', String(suppressCount(r.realCount, min)), pct(r.realShare), pct(r.syntheticShare), num(r.ratio), r.vanished ? 'vanished' : r.amplified ? 'amplified' : '']);
  tables.push({ caption: `Categories with under ${pct(rare.threshold, 0)} of the real rows: synthetic share over real share (0 = vanished, above 1 = amplified).`, columns: ['column', 'category', 'real rows', 'real share', 'synthetic share', 'ratio', ''], rows: rareRows });
  return {
    id: 'subgroups',
    title: 'Fidelity: subgroups and rare categories',
    intro: 'Averages can hide groups the synthetic data serves badly. Column shapes are recomputed inside every declared subgroup, and rare categories are checked for vanishing or being amplified.',
    metrics: [metricRow(SUBGROUP_COLUMN_SHAPES, sub?.worst?.score ?? null, null, 'Worst subgroup column-shape score'), metricRow(RARE_CATEGORY_PRESERVATION, null, null, 'Rare category preservation (per category, below)')],
    tables,
    charts,
    notes,
  };
}
