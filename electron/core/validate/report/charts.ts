// Report and UI charts: small pure builders returning Vega-Lite specs, and a renderer that turns a spec into a
// self-contained SVG string in plain Node (no DOM, no canvas, no network). Builders take aggregates only
// (shares per bin or category, curve points), never rows, so nothing row-level can reach a chart.
// vega and vega-lite (about 40 MB once loaded) load on the first chart, not with every process that imports a builder.
import type { Loader } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { AirlockError } from '../../errors';

export type ChartSpec = TopLevelSpec;

export const REAL_LABEL = 'Real (training)';
export const SYNTHETIC_LABEL = 'Synthetic';
export const REAL_COLOR = '#1f77b4';
export const SYNTHETIC_COLOR = '#ff7f0e';
// Tableau/category10 order: blue and orange first (colour-blind-safe pair), then distinguishable extras.
const PALETTE = [REAL_COLOR, SYNTHETIC_COLOR, '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#d62728'];
const WIDTH = 560;
const HEIGHT = 260;

// One print-friendly style for every chart: white background, system sans-serif (no font file to fetch).
const CONFIG = {
  background: 'white',
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: null },
  title: { fontSize: 14, fontWeight: 'bold', anchor: 'start', color: '#222222', subtitleColor: '#555555', subtitleFontSize: 11, offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 12, labelColor: '#333333', titleColor: '#222222', gridColor: '#e6e6e6', domainColor: '#888888', tickColor: '#888888', labelLimit: 200 },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom', labelLimit: 320, symbolType: 'square' },
} as const;

const realVsSynthetic = { domain: [REAL_LABEL, SYNTHETIC_LABEL], range: [REAL_COLOR, SYNTHETIC_COLOR] };

// Colours follow one convention across the report: the (first) series naming "synthetic" or TSTR is orange,
// the others take blue first (real, holdout, TRTR), then further colour-blind-distinguishable hues.
function palette(names: string[]): { domain: string[]; range: string[] } {
  const others = PALETTE.filter((c) => c !== SYNTHETIC_COLOR);
  const orange = names.findIndex((n) => /synthetic|tstr/i.test(n));
  let next = 0;
  return { domain: names, range: names.map((_, i) => (i === orange ? SYNTHETIC_COLOR : others[next++ % others.length]!)) };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export interface HistogramBin {
  start: number;
  end: number;
  /** Share of the real rows in this bin (0..1). */
  real: number;
  /** Share of the synthetic rows in this bin (0..1). */
  synthetic: number;
}
export interface HistogramInput {
  column: string;
  bins: HistogramBin[];
  title?: string;
}

/** Real vs synthetic share per bin, drawn side by side inside each bin on a true numeric axis. */
export function histogramChart(input: HistogramInput): ChartSpec {
  const values = input.bins.flatMap((b) => {
    // Each bin is split in two halves with a small gap, so unequal (merged) bins keep their true extent.
    const gap = (b.end - b.start) * 0.04;
    const mid = (b.start + b.end) / 2;
    return [
      { series: REAL_LABEL, x0: b.start + gap, x1: mid, share: b.real },
      { series: SYNTHETIC_LABEL, x0: mid, x1: b.end - gap, share: b.synthetic },
    ];
  });
  return {
    title: { text: input.title ?? `Distribution of ${input.column}`, subtitle: 'Share of rows per bin, real vs synthetic side by side' },
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'x0', type: 'quantitative', title: input.column, scale: { zero: false, nice: false } },
      x2: { field: 'x1' },
      y: { field: 'share', type: 'quantitative', title: 'Share of rows', axis: { format: '.0%' } },
      y2: { datum: 0 },
      color: { field: 'series', type: 'nominal', title: null, scale: realVsSynthetic },
    },
  };
}

export interface CategoryShare {
  label: string;
  /** Share of the real rows (0..1); null when suppressed (the label stays, no bar is drawn). */
  real: number | null;
  synthetic: number | null;
}
export interface CategoryInput {
  column: string;
  categories: CategoryShare[];
  title?: string;
}

/** Horizontal grouped bars: one row per category (in the given order), real above synthetic. */
export function categoryChart(input: CategoryInput): ChartSpec {
  const labels = unique(input.categories.map((c) => c.label));
  const values = input.categories.flatMap((c) => [
    ...(finite(c.real) ? [{ category: c.label, series: REAL_LABEL, share: c.real }] : []),
    ...(finite(c.synthetic) ? [{ category: c.label, series: SYNTHETIC_LABEL, share: c.synthetic }] : []),
  ]);
  const hidden = input.categories.filter((c) => !finite(c.real) && !finite(c.synthetic)).map((c) => ({ category: c.label, share: 0, text: 'suppressed' }));
  const y = { field: 'category', type: 'nominal' as const, title: input.column, sort: labels, scale: { domain: labels }, axis: { labelLimit: 400 } };
  return {
    title: { text: input.title ?? `Categories of ${input.column}`, subtitle: 'Share of rows per category, real vs synthetic' },
    width: WIDTH - 200,
    // A fixed height (not a band step) because the text layer has no yOffset and would conflict with it.
    height: Math.max(60, labels.length * 44),
    config: CONFIG,
    encoding: { y },
    layer: [
      {
        data: { values },
        mark: { type: 'bar' },
        encoding: {
          yOffset: { field: 'series', type: 'nominal', scale: { domain: realVsSynthetic.domain } },
          x: { field: 'share', type: 'quantitative', title: 'Share of rows', axis: { format: '.0%' } },
          color: { field: 'series', type: 'nominal', title: null, scale: realVsSynthetic },
        },
      },
      // A suppressed category keeps its row, with the word instead of bars.
      {
        data: { values: hidden },
        mark: { type: 'text', align: 'left', dx: 4, fontStyle: 'italic', color: '#555555' },
        encoding: { x: { field: 'share', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } },
      },
    ],
  };
}

export interface HeatmapInput {
  title: string;
  columns: string[];
  /** matrix[row][col]; null where the value could not be computed (drawn grey, "n/a"). */
  matrix: (number | null)[][];
  domain: [number, number];
  subtitle?: string;
}

/** Square matrix heatmap; a domain spanning 0 uses a diverging scheme centred at 0 (correlations). */
export function heatmapChart(input: HeatmapInput): ChartSpec {
  const [lo, hi] = input.domain;
  const diverging = lo < 0 && hi > 0;
  const span = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  const n = input.columns.length;
  const labelled = n <= 16;
  const cells = input.columns.flatMap((row, i) =>
    input.columns.map((col, j) => {
      const v = input.matrix[i]?.[j];
      const ok = finite(v);
      // Text on dark cells is white; darkness grows with |v| (diverging) or with v (sequential).
      const strength = ok ? (diverging ? Math.abs(v) / span : (v - lo) / (hi - lo || 1)) : 0;
      return { row, col, value: ok ? v : null, text: ok ? v.toFixed(2) : 'n/a', ink: strength > 0.6 ? 'white' : '#222222' };
    }),
  );
  const step = n > 24 ? 14 : n > 16 ? 20 : 34;
  const axisCommon = { labelLimit: 140, title: null, domain: false, ticks: false };
  return {
    title: { text: input.title, ...(input.subtitle ? { subtitle: input.subtitle } : {}) },
    width: { step },
    height: { step },
    config: CONFIG,
    encoding: {
      x: { field: 'col', type: 'nominal', sort: input.columns, axis: { ...axisCommon, orient: 'top', labelAngle: -45 } },
      y: { field: 'row', type: 'nominal', sort: input.columns, axis: axisCommon },
    },
    layer: [
      { data: { values: cells.filter((c) => c.value === null) }, mark: { type: 'rect', fill: '#eeeeee' } },
      {
        data: { values: cells.filter((c) => c.value !== null) },
        mark: { type: 'rect' },
        encoding: {
          color: {
            field: 'value',
            type: 'quantitative',
            title: null,
            scale: diverging ? { scheme: 'blueorange', domain: [lo, hi], domainMid: 0 } : { scheme: 'blues', domain: [lo, hi] },
            legend: { orient: 'right', direction: 'vertical', gradientLength: Math.min(220, Math.max(80, n * step)) },
          },
        },
      },
      // Two text layers (dark ink, white ink) rather than a colour encoding, which would fight the fill scale.
      ...(labelled
        ? ['#222222', 'white'].map((ink) => ({
            data: { values: cells.filter((c) => c.ink === ink) },
            mark: { type: 'text' as const, fontSize: 10, color: ink },
            encoding: { text: { field: 'text', type: 'nominal' as const } },
          }))
        : []),
    ],
  };
}

export interface Bar {
  label: string;
  value: number;
  /** Lower and upper end of the interval, drawn as an error bar when both are given. */
  low?: number;
  high?: number;
  /** Bars sharing a label but with different groups are drawn side by side (e.g. TSTR beside TRTR). */
  group?: string;
}
export interface BarInput {
  title: string;
  bars: Bar[];
  xTitle: string;
  threshold?: number;
  thresholdLabel?: string;
  subtitle?: string;
}

/** Horizontal bars with optional interval whiskers and a dashed rule at the threshold. */
export function barChart(input: BarInput): ChartSpec {
  const labels = unique(input.bars.map((b) => b.label));
  const groups = unique(input.bars.map((b) => b.group ?? ''));
  const grouped = groups.length > 1 || groups[0] !== '';
  const values = input.bars.map((b) => ({
    label: b.label,
    group: b.group ?? '',
    value: b.value,
    low: finite(b.low) && finite(b.high) ? b.low : null,
    high: finite(b.low) && finite(b.high) ? b.high : null,
  }));
  const offset = grouped ? { yOffset: { field: 'group', type: 'nominal' as const, scale: { domain: groups } } } : {};
  const colour = grouped
    ? { color: { field: 'group', type: 'nominal' as const, title: null, scale: palette(groups) } }
    : { color: { value: REAL_COLOR } };
  const y = { field: 'label', type: 'nominal' as const, title: null, sort: labels, scale: { domain: labels } };
  const threshold = finite(input.threshold) ? input.threshold : null;
  return {
    title: { text: input.title, ...(input.subtitle ? { subtitle: input.subtitle } : {}) },
    width: WIDTH - 180,
    height: { step: grouped ? 18 * groups.length + 8 : 26 },
    config: CONFIG,
    layer: [
      {
        data: { values },
        encoding: { y, ...offset },
        layer: [
          { mark: { type: 'bar', opacity: 0.85 }, encoding: { x: { field: 'value', type: 'quantitative', title: input.xTitle }, ...colour } },
          {
            transform: [{ filter: 'datum.low !== null' }],
            mark: { type: 'rule', color: '#222222', strokeWidth: 1.5 },
            encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
          },
          {
            transform: [{ filter: 'datum.low !== null' }],
            mark: { type: 'tick', color: '#222222', thickness: 1.5, size: 10, orient: 'vertical' },
            encoding: { x: { field: 'low', type: 'quantitative' } },
          },
          {
            transform: [{ filter: 'datum.low !== null' }],
            mark: { type: 'tick', color: '#222222', thickness: 1.5, size: 10, orient: 'vertical' },
            encoding: { x: { field: 'high', type: 'quantitative' } },
          },
        ],
      },
      ...(threshold === null
        ? []
        : [
            {
              data: { values: [{ threshold, text: input.thresholdLabel ?? `Threshold ${threshold}` }] },
              layer: [
                { mark: { type: 'rule' as const, color: '#d62728', strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { x: { field: 'threshold', type: 'quantitative' as const } } },
                {
                  mark: { type: 'text' as const, color: '#d62728', align: 'left' as const, baseline: 'bottom' as const, dx: 4, y: -2, fontSize: 11 },
                  encoding: { x: { field: 'threshold', type: 'quantitative' as const }, text: { field: 'text', type: 'nominal' as const } },
                },
              ],
            },
          ]),
    ],
  };
}

export interface DistributionSeries {
  name: string;
  /** Already binned: share of this series' values per bin (0..1); no raw values enter a report. */
  bins: { start: number; end: number; share: number }[];
}
export interface DistributionInput {
  title: string;
  series: DistributionSeries[];
  xTitle?: string;
  subtitle?: string;
}

/** Overlaid step outlines, one per series (e.g. synthetic→train beside holdout→train). */
export function distributionChart(input: DistributionInput): ChartSpec {
  const names = unique(input.series.map((s) => s.name));
  const values = input.series.flatMap((s) => {
    const bins = [...s.bins].sort((a, b) => a.start - b.start);
    const last = bins[bins.length - 1];
    // step-after needs a closing point at the last bin's end to draw that bin's full width.
    const pts = bins.map((b, i) => ({ series: s.name, x: b.start, share: b.share, order: i }));
    return last ? [...pts, { series: s.name, x: last.end, share: last.share, order: bins.length }] : pts;
  });
  const encoding = {
    x: { field: 'x', type: 'quantitative' as const, title: input.xTitle ?? 'Value', scale: { zero: false, nice: false } },
    y: { field: 'share', type: 'quantitative' as const, title: 'Share of rows', axis: { format: '.0%' } },
    color: { field: 'series', type: 'nominal' as const, title: null, scale: palette(names) },
    order: { field: 'order', type: 'quantitative' as const },
  };
  return {
    title: { text: input.title, ...(input.subtitle ? { subtitle: input.subtitle } : {}) },
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values },
    encoding,
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
  };
}

export interface RocCurve {
  name: string;
  points: { fpr: number; tpr: number }[];
  auc: number;
}
export interface RocInput {
  title: string;
  curves: RocCurve[];
  subtitle?: string;
}

/** ROC curves (legend shows each AUC) with the chance diagonal. */
export function rocChart(input: RocInput): ChartSpec {
  const named = input.curves.map((c) => ({ ...c, key: `${c.name} (AUC ${c.auc.toFixed(3)})` }));
  const names = unique(named.map((c) => c.key));
  const values = named.flatMap((c) => c.points.map((p, i) => ({ series: c.key, fpr: p.fpr, tpr: p.tpr, order: i })));
  const axis = { scale: { domain: [0, 1] }, axis: { format: '.1f' } };
  return {
    title: { text: input.title, subtitle: input.subtitle ?? 'Dashed diagonal: an attacker guessing at random' },
    width: 320,
    height: 320,
    config: CONFIG,
    layer: [
      {
        data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] },
        mark: { type: 'line', color: '#888888', strokeDash: [4, 4], strokeWidth: 1 },
        encoding: { x: { field: 'fpr', type: 'quantitative' }, y: { field: 'tpr', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', title: 'False positive rate', ...axis },
          y: { field: 'tpr', type: 'quantitative', title: 'True positive rate', ...axis },
          color: { field: 'series', type: 'nominal', title: null, scale: palette(names), legend: { orient: 'bottom', direction: 'vertical' } },
          order: { field: 'order', type: 'quantitative' },
        },
      },
    ],
  };
}

export interface LossSeries {
  name: string;
  points: { epoch: number; value: number }[];
}
export interface LossInput {
  series: LossSeries[];
  title?: string;
}

/** Training losses per epoch, one line per loss. */
export function lossChart(input: LossInput): ChartSpec {
  const names = unique(input.series.map((s) => s.name));
  const values = input.series.flatMap((s) => s.points.filter((p) => finite(p.value)).map((p) => ({ series: s.name, epoch: p.epoch, value: p.value })));
  return {
    title: { text: input.title ?? 'Training losses' },
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values },
    mark: { type: 'line', strokeWidth: 2, point: values.length <= 60 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { tickMinStep: 1 }, scale: { zero: false, nice: false } },
      y: { field: 'value', type: 'quantitative', title: 'Loss', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, scale: palette(names) },
    },
  };
}

// Every way vega could reach outside (data URLs, images, links) goes through its loader: this one refuses,
// and remembers, so a chart that asked for anything fails even where vega only logs the refusal.
function offlineLoader(asked: string[]): Loader {
  const refuse = (uri: string): Promise<never> => {
    asked.push(uri);
    return Promise.reject(new Error(`offline: ${uri}`));
  };
  return { load: refuse, sanitize: refuse, http: refuse, file: refuse };
}

/** Compiles a Vega-Lite spec and renders it headless to a standalone SVG string (deterministic ids). */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = compile(spec).spec;
  const asked: string[] = [];
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: offlineLoader(asked), logLevel: vega.None });
  try {
    const svg = await view.toSVG();
    if (asked.length) {
      throw new AirlockError('INVALID_ARGUMENT', `A report chart asked to load ${asked[0]!}; charts must carry all their data inline so the report stays self-contained.`);
    }
    return normaliseSvg(svg);
  } finally {
    view.finalize();
  }
}

// vega numbers clip paths and gradients from a process-wide counter: renumber them in order of appearance so
// the same spec always gives the same bytes; drop the xlink namespace when nothing uses it.
function normaliseSvg(svg: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/<[^>]*\sid="([^"]+)"/g)) if (!ids.has(m[1]!)) ids.set(m[1]!, `chart-${ids.size + 1}`);
  // vega escapes '>' inside attribute values, so /<[^>]*>/ is exactly one tag; text content is left alone.
  const rename = (all: string, head: string, id: string): string => (ids.has(id) ? head + ids.get(id)! : all);
  let out = svg.replace(/<[^>]*>/g, (tag) => tag.replace(/(\sid="|url\(#|href="#)([^")]+)/g, rename));
  if (!/\sxlink:[\w-]+="/.test(out.replace(/\sxmlns:xlink="[^"]*"/, ''))) out = out.replace(/\sxmlns:xlink="[^"]*"/, '');
  return out;
}

/** A data: URI for an SVG (for an <img> in the app; the HTML report inlines the SVG itself). */
export function svgDataUri(svg: string): string {
  // Percent-encoding (not base64) keeps this free of Node's Buffer, so the UI can use it too.
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
