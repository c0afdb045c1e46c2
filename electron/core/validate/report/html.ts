// The validation report as one self-contained HTML page: inline CSS, inline SVG charts, no script and no
// reference to anything outside the file, readable on screen and printable to A4. Verdict first, then the
// criteria, then the evidence sections. Every text is escaped; chart SVG is checked against an allowlist.
import { AirlockError } from '../../errors';
import { SAMPLE_GRID_CSS, sampleGridHtml, type SampleGrid } from './image-sections';

export interface ReportFact {
  label: string;
  value: string;
}
export interface ReportVerdict {
  pass: boolean;
  headline: string;
  /** One sentence per failed criterion. */
  failed: string[];
}
export interface ReportCriterion {
  id: string;
  sentence: string;
  measured: string;
  threshold: string;
  status: 'pass' | 'fail' | 'not-applicable';
  /** The measured value's interval contains the threshold. */
  straddles: boolean;
  note?: string;
}
export interface ReportMetric {
  name: string;
  definition: string;
  value: string;
  interval?: string;
  range: string;
  goal: 'higher is better' | 'lower is better';
}
export interface ReportTable {
  caption: string;
  columns: string[];
  rows: string[][];
}
export interface ReportChart {
  caption: string;
  /** An SVG from renderSvg (charts.ts). */
  svg: string;
}
export interface ReportSection {
  id: string;
  title: string;
  intro: string;
  metrics?: ReportMetric[];
  tables?: ReportTable[];
  charts?: ReportChart[];
  /** Image validations only: synthetic sample images (never a real one). */
  grids?: SampleGrid[];
  notes?: string[];
}
export interface ReportDocument {
  title: string;
  subtitle: string;
  generatedAt: string;
  facts: ReportFact[];
  verdict: ReportVerdict;
  criteria: ReportCriterion[];
  sections: ReportSection[];
  suppressionNote: string;
  /** Absent for a table validation; 'images' for an image validation. */
  kind?: 'images';
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

// Only what vega's SVG renderer draws: shapes, text, gradients and clip paths. No scripts, links, images,
// styles, foreign content, comments or entity declarations can get through.
const SVG_ELEMENTS = new Set(['svg', 'g', 'path', 'rect', 'line', 'circle', 'ellipse', 'polygon', 'polyline', 'text', 'tspan', 'defs', 'clipPath', 'linearGradient', 'radialGradient', 'stop', 'title', 'desc']);

function refuseChart(caption: string, why: string): never {
  throw new AirlockError('INVALID_ARGUMENT', `The chart "${caption}" cannot go into the report: it ${why}. The report only inlines charts drawn by Airlock.`);
}

// vega writes `<`, `>` only as tag delimiters and `"` only around attribute values, so a chart must be
// nothing but such tags and plain text; anything else (comments, CDATA, unquoted attributes) is refused.
const TOKEN = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<>]*")*)\s*\/?>|[^<>]+/y;
const ATTRIBUTE = /([A-Za-z_:][\w:.-]*)="([^"]*)"/g;

/** Checks a chart's SVG, gives its ids a per-chart prefix (several charts share one page) and drops namespaces. */
function inlineSvg(chart: ReportChart, prefix: string): string {
  const svg = chart.svg.trim();
  if (!/^<svg[\s>]/.test(svg) || !svg.endsWith('</svg>')) refuseChart(chart.caption, 'is not an SVG image');
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < svg.length) {
    const m = TOKEN.exec(svg);
    if (!m) refuseChart(chart.caption, `has markup Airlock does not draw near character ${TOKEN.lastIndex}`);
    const [token, slash, tag, attrs] = m;
    if (tag === undefined) {
      out.push(token);
      continue;
    }
    if (!SVG_ELEMENTS.has(tag)) refuseChart(chart.caption, `contains a <${tag}> element`);
    const kept: string[] = [];
    for (const [, name, value] of (attrs ?? '').matchAll(ATTRIBUTE)) {
      if (/^on/i.test(name!)) refuseChart(chart.caption, 'contains an event handler');
      if (/(^|:)href$/i.test(name!) && !value!.startsWith('#')) refuseChart(chart.caption, 'links to an outside resource');
      if (/url\(\s*(?!#)/i.test(value!)) refuseChart(chart.caption, 'refers to an outside resource');
      // Inline SVG needs no namespace declarations, and dropping them leaves no URL at all in the page.
      if (/^xmlns(:|$)/.test(name!)) continue;
      // Only ids and references to ids change; a colour such as fill="#1f77b4" is not a reference.
      const v = name === 'id' ? prefix + value! : /(^|:)href$/i.test(name!) ? `#${prefix}${value!.slice(1)}` : value!.replace(/url\(#/g, `url(#${prefix}`);
      kept.push(` ${name!}="${v}"`);
    }
    out.push(`<${slash ?? ''}${tag}${kept.join('')}${token.endsWith('/>') ? '/>' : '>'}`);
  }
  return out.join('');
}

function anchor(id: string, index: number): string {
  return `s${index + 1}-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

const STATUS_TEXT: Record<ReportCriterion['status'], string> = { pass: 'PASS', fail: 'FAIL', 'not-applicable': 'N/A' };

function verdictHtml(v: ReportVerdict): string {
  const failed = v.failed.length
    ? `<h2>What failed</h2><ol class="failed">${v.failed.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ol>`
    : '<p class="allpass">Every criterion passed.</p>';
  return `<section id="verdict" class="verdict ${v.pass ? 'pass' : 'fail'}">
<div class="banner" role="status"><span class="word">${v.pass ? 'PASS' : 'FAIL'}</span><span class="headline">${escapeHtml(v.headline)}</span></div>
${failed}
</section>`;
}

function criteriaHtml(criteria: ReportCriterion[]): string {
  if (criteria.length === 0) return '<section id="criteria"><h2>Acceptance criteria</h2><p>No criteria were set.</p></section>';
  const rows = criteria
    .map((c) => {
      const note = c.note ? `<div class="small">${escapeHtml(c.note)}</div>` : '';
      const straddle = c.straddles ? '<div class="straddle">Interval straddles the threshold</div>' : '';
      return `<tr class="${c.status}${c.straddles ? ' straddles' : ''}"><td><div>${escapeHtml(c.sentence)}</div><div class="small id">${escapeHtml(c.id)}</div>${note}</td><td class="num">${escapeHtml(c.measured)}</td><td class="num">${escapeHtml(c.threshold)}</td><td class="status"><span class="badge ${c.status}">${STATUS_TEXT[c.status]}</span>${straddle}</td></tr>`;
    })
    .join('\n');
  const straddles = criteria.some((c) => c.straddles)
    ? '<p class="small">"Interval straddles the threshold": the 95% interval of the measured value contains the threshold, so another sample of the same data could have given the other result.</p>'
    : '';
  return `<section id="criteria"><h2>Acceptance criteria</h2>
<table class="criteria"><thead><tr><th>Criterion</th><th>Measured</th><th>Threshold</th><th>Result</th></tr></thead><tbody>
${rows}
</tbody></table>${straddles}</section>`;
}

function factsHtml(facts: ReportFact[]): string {
  if (facts.length === 0) return '';
  const rows = facts.map((f) => `<tr><th scope="row">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`).join('');
  return `<section id="facts"><h2>What was validated</h2><table class="facts"><tbody>${rows}</tbody></table></section>`;
}

function metricsHtml(metrics: ReportMetric[]): string {
  const rows = metrics
    .map((m) => `<tr><td><div class="metric">${escapeHtml(m.name)}</div><div class="small">${escapeHtml(m.definition)}</div></td><td class="num">${escapeHtml(m.value)}</td><td class="num">${escapeHtml(m.interval ?? '—')}</td><td class="num">${escapeHtml(m.range)}</td><td>${escapeHtml(m.goal)}</td></tr>`)
    .join('\n');
  return `<table class="metrics"><thead><tr><th>Metric</th><th>Value</th><th>95% interval</th><th>Range</th><th>Direction</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function tableHtml(t: ReportTable): string {
  const head = t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`).join('\n');
  return `<table class="data"><caption>${escapeHtml(t.caption)}</caption><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>`;
}

function sectionHtml(s: ReportSection, index: number): string {
  const id = anchor(s.id, index);
  const parts = [`<h2>${escapeHtml(s.title)}</h2>`, `<p class="intro">${escapeHtml(s.intro)}</p>`];
  if (s.metrics?.length) parts.push(metricsHtml(s.metrics));
  for (const t of s.tables ?? []) parts.push(tableHtml(t));
  (s.charts ?? []).forEach((c, i) => {
    parts.push(`<figure class="chart">${inlineSvg(c, `${id}-c${i + 1}-`)}<figcaption>${escapeHtml(c.caption)}</figcaption></figure>`);
  });
  for (const g of s.grids ?? []) parts.push(sampleGridHtml(g));
  if (s.notes?.length) parts.push(`<ul class="notes">${s.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  return `<section id="${id}" class="evidence">\n${parts.join('\n')}\n</section>`;
}

/** The page, type and heading rules every printable document (report, dataset card) shares. */
export const PRINT_BASE_CSS = `
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #1a1a1a; background: #ffffff; }
main { max-width: 182mm; margin: 0 auto; padding: 12px 16px 32px; }
h1 { font-size: 20pt; margin: 0 0 4px; }
h2 { font-size: 14pt; margin: 18px 0 8px; border-bottom: 1px solid #cccccc; padding-bottom: 3px; }
.subtitle { font-size: 12pt; color: #444444; margin: 0; }
`;

const CSS = `${PRINT_BASE_CSS}
.generated, .small { font-size: 8.5pt; color: #555555; }
.id { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.verdict .banner { display: flex; align-items: center; gap: 16px; padding: 14px 18px; border-radius: 6px; color: #ffffff; margin-top: 14px; }
.verdict.pass .banner { background: #1a7f37; }
.verdict.fail .banner { background: #b42318; }
.banner .word { font-size: 30pt; font-weight: bold; letter-spacing: 2px; }
.banner .headline { font-size: 12pt; }
ol.failed li { margin: 3px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid #dddddd; }
thead th { background: #f2f2f2; border-bottom: 1px solid #999999; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
caption { text-align: left; font-weight: bold; padding: 4px 0; caption-side: top; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.criteria th:first-child { width: 40%; }
table.criteria th:last-child { width: 19%; }
table.facts th { width: 34%; font-weight: normal; color: #444444; }
table.facts td { word-break: break-all; }
.badge { display: inline-block; min-width: 3.4em; text-align: center; font-weight: bold; padding: 1px 6px; border-radius: 3px; border: 1px solid; }
.badge.pass { color: #1a7f37; border-color: #1a7f37; }
.badge.fail { color: #ffffff; background: #b42318; border-color: #b42318; }
.badge.not-applicable { color: #555555; border-color: #999999; }
.straddle { margin-top: 4px; font-size: 8.5pt; font-weight: bold; color: #8a4b00; border-left: 3px solid #c77700; padding-left: 4px; }
tr.fail td:first-child { border-left: 3px solid #b42318; }
.metric { font-weight: bold; }
figure.chart { display: inline-block; vertical-align: top; max-width: 100%; margin: 12px 18px 18px 0; break-inside: avoid; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #444444; margin-top: 4px; }
nav ol { margin: 4px 0 0; padding-left: 20px; }
nav a { color: #1a1a1a; }
section.evidence { break-before: page; }
@media screen { section.evidence { border-top: 2px solid #eeeeee; margin-top: 28px; } }
@media print { main { max-width: none; padding: 0; } nav { display: none; } }
`;

/** Renders the report document as a complete, self-contained HTML page. */
export function renderReportHtml(doc: ReportDocument): string {
  // Only a page with sample images allows data: images; a table report stays exactly as it was.
  const images = doc.sections.some((s) => (s.grids?.length ?? 0) > 0);
  const toc = doc.sections.length
    ? `<nav><h2>Contents</h2><ol>${doc.sections.map((s, i) => `<li><a href="#${anchor(s.id, i)}">${escapeHtml(s.title)}</a></li>`).join('')}</ol></nav>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'${images ? '; img-src data:' : ''}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${images ? CSS + SAMPLE_GRID_CSS : CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(doc.title)}</h1>
<p class="subtitle">${escapeHtml(doc.subtitle)}</p>
<p class="generated">Generated ${escapeHtml(doc.generatedAt)}</p>
</header>
${verdictHtml(doc.verdict)}
${criteriaHtml(doc.criteria)}
${factsHtml(doc.facts)}
<section id="suppression"><h2>Small-cell suppression</h2><p>${escapeHtml(doc.suppressionNote)}</p></section>
${toc}
${doc.sections.map(sectionHtml).join('\n')}
</main>
</body>
</html>
`;
}
