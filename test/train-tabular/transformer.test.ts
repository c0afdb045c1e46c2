// The CTGAN/TVAE transformer: exact round trips on real tables, a layout that tiles the row, mode finding, storage.
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../electron/core/train/rng';
import { fitGmm } from '../../electron/core/train/tabular/gmm';
import { prepareColumns } from '../../electron/core/train/tabular/schema';
import { Transformer, type TransformerJSON } from '../../electron/core/train/tabular/transformer';
import { loadTable, sha256, type LoadedTable } from './helpers';

describe.each(['pbc.csv', 'PimaIndiansDiabetes2.csv'])('transformer on %s', (file) => {
  let table: LoadedTable;
  let transformer: Transformer;
  let encoded: Float32Array;

  beforeAll(async () => {
    table = await loadTable(file);
    transformer = Transformer.fit(table.columns, createRng(1));
    encoded = transformer.transform(table.columns, createRng(2));
  });

  it('round-trips: integers and categories exactly, numbers within 1e-4 relative, missing as missing', () => {
    const back = transformer.inverse(encoded, table.rows.length);
    table.schema.columns.forEach((col, j) => {
      const at = table.header.indexOf(col.name);
      table.rows.forEach((row, r) => {
        const [real, got] = [row[at] ?? null, back[r]?.[j] ?? null];
        if (real === null || got === null || col.type !== 'number') expect(got, `${col.name} row ${r}`).toBe(real);
        else expect(Math.abs(Number(got) - Number(real)), `${col.name} row ${r}`).toBeLessThanOrEqual(1e-4 * Math.abs(Number(real)));
      });
    });
  });

  it('encodes into spans that tile [0, width) with sane values', () => {
    let next = 0;
    for (const span of transformer.spans) {
      expect(span.start).toBe(next);
      expect(span.width).toBeGreaterThan(0);
      expect(span.activation).toBe(span.kind === 'alpha' ? 'tanh' : 'softmax');
      next += span.width;
    }
    expect(next).toBe(transformer.width);
    expect(encoded).toHaveLength(table.rows.length * transformer.width);
    for (let r = 0; r < table.rows.length; r++)
      for (const span of transformer.spans) {
        const cells = encoded.subarray(r * transformer.width + span.start, r * transformer.width + span.start + span.width);
        if (span.kind === 'alpha') expect(Math.abs(cells[0] as number)).toBeLessThanOrEqual(1);
        else expect([cells.reduce((s, v) => s + v, 0), cells.every((v) => v === 0 || v === 1)]).toEqual([1, true]);
      }
  });

  it('describes the discrete spans for the conditional vector', () => {
    const discrete = transformer.discreteColumns();
    expect(discrete.length).toBe(transformer.spans.filter((s) => s.kind === 'category' || s.kind === 'missing').length);
    for (const d of discrete) {
      expect(d.counts.reduce((s, n) => s + n, 0)).toBe(table.rows.length);
      expect(d.frequency.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      expect(d.logFrequency.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      expect(d.counts).toHaveLength(d.width);
    }
  });

  it('stores as JSON and decodes the same after reloading; the fit is fixed by its seed', () => {
    const json = JSON.parse(JSON.stringify(transformer)) as TransformerJSON;
    const reloaded = Transformer.fromJSON(json);
    expect(reloaded.width).toBe(transformer.width);
    expect(sha256(reloaded.inverse(encoded, table.rows.length))).toBe(sha256(transformer.inverse(encoded, table.rows.length)));
    expect(sha256(Transformer.fit(table.columns, createRng(1)))).toBe(sha256(transformer));
    expect(sha256(Array.from(transformer.transform(table.columns, createRng(2))))).toBe(sha256(Array.from(encoded)));
  });
});

describe('mode-specific normalisation', () => {
  it('finds two modes in a mixture of N(0, 1) and N(10, 1)', () => {
    const rng = createRng('bimodal');
    const values = Float64Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? 0 : 10) + rng.normal());
    const gmm = fitGmm(values, createRng(1));
    expect(gmm.means).toHaveLength(2);
    expect(gmm.means[0]).toBeCloseTo(0, 0);
    expect(gmm.means[1]).toBeCloseTo(10, 0);
    for (const w of gmm.weights) expect(w).toBeCloseTo(0.5, 1);
    for (const s of gmm.stds) expect(s).toBeGreaterThan(0.85);
  });

  it('keeps one mode for a single Gaussian and handles a constant column', () => {
    const rng = createRng('unimodal');
    expect(fitGmm(Float64Array.from({ length: 1000 }, () => 5 + 2 * rng.normal()), createRng(1)).means).toHaveLength(1);
    const constant = fitGmm(new Float64Array(50).fill(7), createRng(1));
    expect(constant.means).toEqual([7]);
  });

  it('decodes generator-like output: clips α, reads spans by argmax, formats like the source', () => {
    const header = ['n', 'x', 'when', 'cat'];
    const rows = [['1', '2.5', '2024-01-31', 'a'], ['3', null, '2024-02-29', null], ['2', '3.75', '2023-12-01', 'b']];
    const columns = prepareColumns(rows, header, {
      columns: [
        { name: 'n', type: 'integer', role: 'synthesise' },
        { name: 'x', type: 'number', role: 'synthesise' },
        { name: 'when', type: 'date', role: 'synthesise' },
        { name: 'cat', type: 'categorical', role: 'condition' },
      ],
    });
    const t = Transformer.fit(columns, createRng(1));
    expect(t.inverse(t.transform(columns, createRng(1)), 3)).toEqual(rows);
    // Arbitrary network output: every α saturated, softmax spans fuzzy.
    const noise = createRng(9);
    const fake = Float32Array.from({ length: 50 * t.width }, () => 3 * noise.normal());
    for (const row of t.inverse(fake, 50)) {
      expect(row[0]).toMatch(/^[123]$/);
      if (row[1] !== null) expect(Number(row[1])).toBeGreaterThanOrEqual(2.5);
      expect(row[2]).toMatch(/^(2023-12|2024-0[12])-\d\d$/);
      expect(['a', 'b', null]).toContain(row[3]);
    }
    // With an rng, softmax spans are drawn in proportion to their values: still only valid cells, reproducibly.
    const drawn = t.inverse(fake, 50, createRng(4));
    expect(drawn).toEqual(t.inverse(fake, 50, createRng(4)));
    for (const row of drawn) expect(['a', 'b', null]).toContain(row[3]);
    expect(() => t.inverse(fake, 49)).toThrow(/Expected 49/);
  });
});
