// The report machinery: charts render offline to self-contained SVG, small cells are merged or suppressed
// exactly as stated, the HTML page holds no script and no outside reference, and Chromium prints it to PDF.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  barChart,
  categoryChart,
  distributionChart,
  heatmapChart,
  histogramChart,
  lossChart,
  REAL_LABEL,
  renderSvg,
  rocChart,
  svgDataUri,
  SYNTHETIC_LABEL,
  type ChartSpec,
} from '../../electron/core/validate/report/charts';
import { renderReportHtml, type ReportDocument } from '../../electron/core/validate/report/html';
import { chromiumAvailable, chromiumPath, htmlToPdf } from '../../electron/core/validate/report/pdf';
import { otherLabel, suppressBins, suppressCategories, suppressCount } from '../../electron/core/validate/report/suppression';

const SVG_NS = 'http://www.w3.org/2000/svg';
const EVIL = '<script>alert(1)</script>';

/** Every URL-looking reference in a text, apart from the SVG namespace. */
function outsideRefs(text: string): string[] {
  return (text.match(/(?:https?:|ftp:|file:|data:|javascript:)[^"'\s<>)]*|\/\/[a-z0-9.-]+\.[a-z]{2,}/gi) ?? []).filter((u) => u !== SVG_NS && u !== '//www.w3.org');
}

const charts: { name: string; spec: ChartSpec; expected: string[] }[] = [
  {
    name: 'histogram',
    spec: histogramChart({ column: 'bili', bins: [{ start: 0, end: 1, real: 0.4, synthetic: 0.35 }, { start: 1, end: 3, real: 0.6, synthetic: 0.65 }] }),
    expected: ['Distribution of bili', 'Share of rows', REAL_LABEL, SYNTHETIC_LABEL],
  },
  {
    name: 'category',
    spec: categoryChart({ column: 'stage', categories: [{ label: 'early', real: 0.7, synthetic: 0.6 }, { label: 'late', real: 0.3, synthetic: 0.4 }, { label: 'Other', real: null, synthetic: null }] }),
    expected: ['Categories of stage', 'early', 'late', 'suppressed', REAL_LABEL, SYNTHETIC_LABEL],
  },
  {
    name: 'heatmap',
    spec: heatmapChart({ title: 'Pearson correlation, real', columns: ['age', 'bili', 'albumin'], matrix: [[1, 0.2, -0.5], [0.2, 1, null], [-0.5, null, 1]], domain: [-1, 1] }),
    expected: ['Pearson correlation, real', 'albumin', '-0.50', 'n/a'],
  },
  {
    name: 'bar',
    spec: barChart({ title: 'TSTR vs TRTR', xTitle: 'ROC AUC', threshold: 0.7, bars: [{ label: 'Random forest', value: 0.81, low: 0.76, high: 0.86, group: 'TSTR (synthetic)' }, { label: 'Random forest', value: 0.84, group: 'TRTR (real)' }] }),
    expected: ['TSTR vs TRTR', 'ROC AUC', 'Random forest', 'Threshold 0.7', 'TSTR (synthetic)', 'TRTR (real)'],
  },
  {
    name: 'distribution',
    spec: distributionChart({ title: 'Distance to closest record', xTitle: 'Gower distance', series: [{ name: 'Holdout → training', bins: [{ start: 0, end: 0.1, share: 0.3 }, { start: 0.1, end: 0.2, share: 0.7 }] }, { name: 'Synthetic → training', bins: [{ start: 0, end: 0.1, share: 0.4 }, { start: 0.1, end: 0.2, share: 0.6 }] }] }),
    expected: ['Distance to closest record', 'Gower distance', 'Holdout → training', 'Synthetic → training'],
  },
  {
    name: 'roc',
    spec: rocChart({ title: 'Membership inference', curves: [{ name: 'Distance attack', auc: 0.5312, points: [{ fpr: 0, tpr: 0 }, { fpr: 0.4, tpr: 0.45 }, { fpr: 1, tpr: 1 }] }] }),
    expected: ['Membership inference', 'False positive rate', 'True positive rate', 'Distance attack (AUC 0.531)'],
  },
  {
    name: 'loss',
    spec: lossChart({ series: [{ name: 'Generator', points: [1, 2, 3].map((epoch) => ({ epoch, value: 1 / epoch })) }, { name: 'Discriminator', points: [1, 2, 3].map((epoch) => ({ epoch, value: 0.5 })) }] }),
    expected: ['Training losses', 'Epoch', 'Loss', 'Generator', 'Discriminator'],
  },
];

describe('charts', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(charts)('the $name chart renders offline to a self-contained SVG with its title and labels', async ({ spec, expected }) => {
    const warn = vi.spyOn(console, 'warn');
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of expected) expect(svg).toContain(`>${text}<`);
    expect(outsideRefs(svg)).toEqual([]);
    expect(svg.match(/https?:\/\/[^"]*/g)).toEqual([SVG_NS]);
    expect(svg).not.toMatch(/<(image|script|foreignObject|style)\b|\shref=/i);
    expect(warn).not.toHaveBeenCalled(); // vega-lite warns about conflicting specs: a chart must compile cleanly
  });

  it('escapes markup in names and renders the same bytes twice', async () => {
    const spec = histogramChart({ column: EVIL, bins: [{ start: 0, end: 1, real: 1, synthetic: 1 }] });
    const a = await renderSvg(heatmapChart({ title: 'h', columns: ['a', 'b'], matrix: [[1, 0], [0, 1]], domain: [-1, 1] }));
    const svg = await renderSvg(spec);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;');
    expect(await renderSvg(spec)).toBe(svg);
    // Gradient/clip ids come from a process-wide counter in vega; renderSvg renumbers them per chart.
    expect(await renderSvg(heatmapChart({ title: 'h', columns: ['a', 'b'], matrix: [[1, 0], [0, 1]], domain: [-1, 1] }))).toBe(a);
    expect(a).toContain('id="chart-1"');
  });

  it('refuses a chart that would make vega load anything', async () => {
    const spec = { data: { url: 'http://example.org/rows.csv' }, mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' } } } as ChartSpec;
    await expect(renderSvg(spec)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('http://example.org/rows.csv') });
  });

  it('keeps the real/synthetic colours fixed: real blue, synthetic orange, in every chart', async () => {
    const svg = await renderSvg(barChart({ title: 't', xTitle: 'x', bars: [{ label: 'a', value: 1, group: 'TSTR (synthetic)' }, { label: 'a', value: 1, group: 'TRTR (real)' }] }));
    const fills = [...svg.matchAll(/aria-roledescription="bar" [^>]*fill="(#[0-9a-f]+)"/g)].map((m) => m[1]);
    expect(fills).toEqual(['#ff7f0e', '#1f77b4']);
    expect(decodeURIComponent(svgDataUri('<svg/>').split(',')[1]!)).toBe('<svg/>');
  });
});

describe('small-cell suppression', () => {
  const bin = (i: number, realCount: number, syntheticCount = 5) => ({ start: i, end: i + 1, realCount, syntheticCount });

  it('merges 3 + 4 + 20 real rows into one bin', () => {
    const r = suppressBins([bin(0, 3), bin(1, 4), bin(2, 20)]);
    expect(r.bins).toEqual([{ start: 0, end: 3, real: 1, synthetic: 1 }]);
    expect(r.merged).toBe(3);
    expect(r.suppressed).toBe(false);
    expect(r.note).toBe('Bins resting on fewer than 10 real rows were merged with their neighbours: 3 bins became 1 (3 original bins are part of a merged bin).');
  });

  it('merges the smallest bin into its smaller neighbour and keeps large bins apart', () => {
    const r = suppressBins([bin(0, 20, 10), bin(1, 3, 10), bin(2, 4, 10), bin(3, 30, 10)], 10, 'age');
    // 3 joins 4 (smaller neighbour than 20) → 7, which joins 20 (smaller than 30).
    expect(r.bins.map((b) => [b.start, b.end])).toEqual([[0, 3], [3, 4]]);
    expect(r.bins[0]!.real).toBeCloseTo(27 / 57, 12);
    expect(r.bins[1]!.real).toBeCloseTo(30 / 57, 12);
    expect(r.bins[0]!.synthetic).toBeCloseTo(0.75, 12);
    expect(r.merged).toBe(3);
    expect(r.note.startsWith('age: bins resting on fewer than 10 real rows')).toBe(true);
    expect(suppressBins([bin(0, 10), bin(1, 12)]).merged).toBe(0);
    expect(suppressBins([bin(0, 10), bin(1, 12)]).note).toContain('all 2 bins are shown');
  });

  it('suppresses a histogram that rests on fewer than minCount real rows in total, and honours minCount', () => {
    const r = suppressBins([bin(0, 3), bin(1, 4)]);
    expect(r).toMatchObject({ bins: [], suppressed: true, merged: 2 });
    expect(r.note).toContain('suppressed');
    expect(suppressBins([bin(0, 3), bin(1, 4)], 5).bins).toHaveLength(1);
    expect(suppressBins([bin(0, 3), bin(1, 4)], 3).bins).toHaveLength(2);
    expect(() => suppressBins([bin(0, 3)], 0)).toThrow(/threshold/);
    expect(() => suppressBins([bin(0, -1)])).toThrow(/non-negative/);
    expect(() => suppressBins([bin(1, 10), bin(0, 10)])).toThrow(/in order/);
  });

  it('merges categories with 2 and 5 real rows into one "Other" bucket (7 < 10: suppressed)', () => {
    const r = suppressCategories([
      { label: 'A', realCount: 50, syntheticCount: 40 },
      { label: 'rare1', realCount: 2, syntheticCount: 6 },
      { label: 'B', realCount: 43, syntheticCount: 50 },
      { label: 'rare2', realCount: 5, syntheticCount: 4 },
    ]);
    const other = otherLabel(2);
    expect(other).toBe('Other (2 categories, each under 10 real rows)');
    expect(r.categories).toEqual([
      { label: 'A', real: 0.5, synthetic: 0.4, suppressed: false },
      { label: 'B', real: 0.43, synthetic: 0.5, suppressed: false },
      { label: other, real: null, synthetic: null, suppressed: true },
    ]);
    expect(r).toMatchObject({ merged: 2, suppressed: true });
    expect(r.note).toBe(`2 categories with fewer than 10 real rows were merged into "${other}"; together they rest on fewer than 10 real rows, so that bucket is suppressed.`);
    expect(JSON.stringify(r)).not.toMatch(/rare/); // a rare category is never named
  });

  it('shows the "Other" bucket when it reaches minCount, and says when nothing was merged', () => {
    const r = suppressCategories([
      { label: 'A', realCount: 80, syntheticCount: 70 },
      { label: 'x', realCount: 6, syntheticCount: 10 },
      { label: 'y', realCount: 9, syntheticCount: 15 },
      { label: 'z', realCount: 5, syntheticCount: 5 },
    ], 10, 'drug');
    expect(r.categories[1]).toEqual({ label: 'Other (3 categories, each under 10 real rows)', real: 0.2, synthetic: 0.3, suppressed: false });
    expect(r).toMatchObject({ merged: 3, suppressed: false });
    expect(r.note).toBe('drug: 3 categories with fewer than 10 real rows were merged into "Other (3 categories, each under 10 real rows)".');
    const single = suppressCategories([{ label: 'A', realCount: 12, syntheticCount: 1 }, { label: 'B', realCount: 1, syntheticCount: 1 }]);
    expect(single.categories[1]).toMatchObject({ label: 'Other (1 category, under 10 real rows)', suppressed: true });
    expect(suppressCategories([{ label: 'A', realCount: 12, syntheticCount: 1 }]).note).toBe('No category rests on fewer than 10 real rows; the category is shown.');
  });

  it('suppresses counts under minCount', () => {
    expect([suppressCount(9), suppressCount(10), suppressCount(1), suppressCount(0), suppressCount(4, 5), suppressCount(5, 5)]).toEqual(['under 10', 10, 'under 10', 0, 'under 5', 5]);
    expect(() => suppressCount(2.5)).toThrow(/whole/);
  });
});

async function chartSvg(): Promise<string> {
  return renderSvg(histogramChart({ column: EVIL, bins: [{ start: 0, end: 1, real: 0.5, synthetic: 0.4 }, { start: 1, end: 2, real: 0.5, synthetic: 0.6 }] }));
}

async function sampleDocument(): Promise<ReportDocument> {
  const heat = await renderSvg(heatmapChart({ title: 'Correlation difference', columns: ['age', EVIL], matrix: [[0, 0.1], [0.1, 0]], domain: [-1, 1] }));
  return {
    title: 'Validation of pbc synthetic v2',
    subtitle: `Dataset "pbc" & friends ${EVIL}`,
    generatedAt: '2025-01-01T00:00:00.000Z',
    facts: [{ label: 'Dataset sha256', value: 'ab'.repeat(32) }, { label: 'Tier', value: 'model development' }],
    verdict: { pass: false, headline: '2 of 3 criteria failed', failed: ['Detection AUC must stay under 0.7; it was 0.93.', 'Identical matches must be 0%; they were 1.2%.'] },
    criteria: [
      { id: 'fidelity.quality', sentence: 'Overall quality at least 0.8', measured: '0.86 (95% CI 0.84 – 0.88)', threshold: '≥ 0.8', status: 'pass', straddles: false },
      { id: 'detection.auc', sentence: 'Detection AUC under 0.7', measured: '0.93', threshold: '< 0.7', status: 'fail', straddles: false },
      { id: 'privacy.mia', sentence: 'Membership AUC under 0.6', measured: '0.58 (95% CI 0.55 – 0.62)', threshold: '< 0.6', status: 'fail', straddles: true, note: 'changed from the tier default 0.55' },
    ],
    sections: [
      {
        id: 'fidelity',
        title: 'Fidelity',
        intro: 'How closely each column follows the real data.',
        metrics: [{ name: 'KSComplement', definition: '1 − KS statistic', value: '0.91', interval: '95% CI 0.9 – 0.93', range: '0 to 1', goal: 'higher is better' }],
        tables: [{ caption: 'Column shapes', columns: ['Column', EVIL], rows: [['age', '0.9'], ['<b>bold</b>', 'x & y']] }],
        charts: [
          { caption: `Distribution of ${EVIL}`, svg: await chartSvg() },
          { caption: 'Correlation difference', svg: heat },
        ],
        notes: ['Dates compared as numbers.'],
      },
      { id: 'privacy/attacks', title: 'Privacy', intro: 'Attacks against the training rows.', charts: [{ caption: 'Same heatmap again', svg: heat }] },
    ],
    suppressionNote: 'Counts under 10 real rows are shown as "under 10".',
  };
}

describe('HTML report', () => {
  it('is one self-contained page: no script, no outside reference, everything escaped', async () => {
    const html = renderReportHtml(await sampleDocument());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('&quot;pbc&quot; &amp; friends');
    expect(html).not.toMatch(/<(link|img|iframe|object|embed|base|form|image|foreignObject)\b/i);
    expect(html).not.toMatch(/\ssrc\s*=/i);
    expect(html).not.toMatch(/@import|url\((?!#)/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    for (const m of html.matchAll(/\shref\s*=\s*"([^"]*)"/gi)) expect(m[1]!.startsWith('#')).toBe(true);
    expect(html).not.toMatch(/https?:|\/\/[a-z0-9-]+\.[a-z]/i); // not even the SVG namespace
    expect(outsideRefs(html)).toEqual([]);
  });

  it('puts the verdict first, then the criteria (straddling marked), then the sections', async () => {
    const html = renderReportHtml(await sampleDocument());
    const at = (s: string): number => {
      const i = html.indexOf(s);
      expect(i, s).toBeGreaterThan(0);
      return i;
    };
    expect(at('<span class="word">FAIL</span>')).toBeLessThan(at('Detection AUC must stay under 0.7; it was 0.93.'));
    expect(at('Identical matches must be 0%')).toBeLessThan(at('id="criteria"'));
    expect(at('id="criteria"')).toBeLessThan(at('class="evidence"'));
    expect(at('<h2>Fidelity</h2>')).toBeLessThan(at('<h2>Privacy</h2>'));
    expect(html.match(/Interval straddles the threshold<\/div>/g)).toHaveLength(1);
    expect(html).toMatch(/<tr class="fail straddles">/);
    expect(html).toContain('@page');
    expect(html).toContain('break-before: page');
    const pass = renderReportHtml({ ...(await sampleDocument()), verdict: { pass: true, headline: 'All passed', failed: [] } });
    expect(pass).toContain('<span class="word">PASS</span>');
    expect(pass).toContain('Every criterion passed.');
  });

  it('gives every inlined chart its own ids, so charts sharing a page never borrow each other’s gradients', async () => {
    const html = renderReportHtml(await sampleDocument());
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
    expect(ids).toContain('s2-privacy-attacks');
    // Apart from the namespaces and the id prefixes, the chart is inlined byte for byte (colours included).
    const svg = await chartSvg();
    expect(html).toContain(svg.replace(/\sxmlns(:\w+)?="[^"]*"/g, ''));
    expect(html).toContain('fill="#1f77b4"');
  });

  it('refuses chart markup that is not what Airlock draws', async () => {
    const doc = await sampleDocument();
    const withSvg = (svg: string): ReportDocument => ({ ...doc, sections: [{ id: 'x', title: 'x', intro: 'x', charts: [{ caption: 'bad', svg }] }] });
    const bad = [
      '<svg><script>alert(1)</script></svg>',
      '<svg><image href="http://example.org/a.png"/></svg>',
      '<svg><rect onload="alert(1)"/></svg>',
      '<svg><use href="http://example.org/x.svg#a"/></svg>',
      '<svg><rect fill="url(http://example.org/p)"/></svg>',
      '<svg><!-- x --></svg>',
      '<svg><foreignObject><iframe src="x"></iframe></foreignObject></svg>',
      '<svg><rect fill=red/></svg>',
      '<div>not svg</div>',
    ];
    for (const svg of bad) expect(() => renderReportHtml(withSvg(svg)), svg).toThrow(/cannot go into the report/);
    expect(() => renderReportHtml(withSvg('<svg width="10"><rect fill="url(#g)"/></svg>'))).not.toThrow();
  });
});

describe('PDF through Chromium', () => {
  const have = existsSync(chromiumPath());
  if (!have) {
    const banner = `\n${'!'.repeat(78)}\n!! PDF TEST SKIPPED: no Chromium at ${chromiumPath()}. Install it: apt-get install -y chromium\n${'!'.repeat(78)}\n`;
    if (process.env.CI) throw new Error(`Chromium is required in CI (${chromiumPath()} missing).`);
    console.warn(banner);
  }
  const out = mkdtempSync(join(tmpdir(), 'airlock-pdf-test-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const leftovers = (): string[] => readdirSync(tmpdir()).filter((f) => f.startsWith('airlock-pdf-') && !f.startsWith('airlock-pdf-test-'));

  it.skipIf(!have)('prints the report to a multi-page PDF and removes its temporary files', async () => {
    const before = new Set(leftovers());
    const file = join(out, 'report.pdf');
    await htmlToPdf(renderReportHtml(await sampleDocument()), file);
    const pdf = readFileSync(file);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Verdict + criteria, then each evidence section on a page of its own: at least 3 pages.
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(leftovers().filter((f) => !before.has(f))).toEqual([]);
    expect(await chromiumAvailable()).toBe(true);
  });

  it('says plainly when Chromium is missing, and writes nothing', async () => {
    const saved = process.env.AIRLOCK_CHROMIUM;
    process.env.AIRLOCK_CHROMIUM = join(out, 'no-chromium-here');
    try {
      const file = join(out, 'missing.pdf');
      await expect(htmlToPdf('<p>x</p>', file)).rejects.toMatchObject({ code: 'NOT_AVAILABLE', message: expect.stringContaining('needs Chromium') });
      expect(existsSync(file)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.AIRLOCK_CHROMIUM;
      else process.env.AIRLOCK_CHROMIUM = saved;
    }
  });
});
