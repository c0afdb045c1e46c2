// The Gaussian copula on real clinical tables: source schema kept, marginals, missingness and a strong correlation
// reproduced, output fixed by the seed, and categorical conditions honoured exactly.
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../electron/core/train/rng';
import { fitCopula, sampleCopula, type CopulaModel } from '../../electron/core/train/tabular/copula';
import type { ContinuousColumn, PreparedColumn } from '../../electron/core/train/tabular/schema';
import { ksStatistic, pearson } from '../../electron/core/train/tabular/stats';
import { byName, loadTable, reprepare, sha256, type LoadedTable } from './helpers';

const N = 2000;

function continuous(columns: PreparedColumn[], name: string): Float64Array {
  const col = byName(columns, name);
  if (col.kind !== 'continuous') throw new Error(`${name} is not continuous`);
  return col.values;
}

function mean(values: Float64Array): number {
  const present = values.filter((v) => !Number.isNaN(v));
  return present.reduce((s, v) => s + v, 0) / present.length;
}

describe.each([
  { file: 'pbc.csv', pair: ['bili', 'copper'] },
  { file: 'PimaIndiansDiabetes2.csv', pair: ['glucose', 'insulin'] },
])('Gaussian copula on $file', ({ file, pair }) => {
  let table: LoadedTable;
  let model: CopulaModel;
  let rows: (string | null)[][];
  let synthetic: PreparedColumn[];

  beforeAll(async () => {
    table = await loadTable(file);
    model = fitCopula(table.columns, createRng(1));
    rows = sampleCopula(model, N, createRng(1));
    synthetic = reprepare(rows, table.schema); // throws if any cell does not fit its column's type
  });

  it('keeps the source schema: columns, categories, integers, ranges', () => {
    expect(rows).toHaveLength(N);
    for (const row of rows) expect(row).toHaveLength(table.schema.columns.length);
    table.columns.forEach((real, i) => {
      const syn = synthetic[i] as PreparedColumn;
      expect(syn.name).toBe(real.name);
      if (real.kind === 'discrete' && syn.kind === 'discrete') {
        for (const c of syn.categories) expect(real.categories).toContain(c);
      } else if (real.kind === 'continuous' && syn.kind === 'continuous') {
        if (real.format.integer) expect(syn.format.integer).toBe(true);
        expect(syn.format.min).toBeGreaterThanOrEqual(real.format.min);
        expect(syn.format.max).toBeLessThanOrEqual(real.format.max);
        expect(syn.format.decimals).toBeLessThanOrEqual(real.format.decimals);
      }
      expect(Math.abs(syn.missingRate - real.missingRate), `missing rate of ${real.name}`).toBeLessThanOrEqual(0.05);
    });
  });

  it('matches each numeric marginal (two-sample KS < 0.1)', () => {
    for (const real of table.columns.filter((c): c is ContinuousColumn => c.kind === 'continuous')) {
      const ks = ksStatistic(real.values, continuous(synthetic, real.name));
      expect(ks, `KS of ${real.name}`).toBeLessThan(0.1);
    }
  });

  it(`keeps the ${pair.join('–')} correlation within 0.15`, () => {
    const [a, b] = pair as [string, string];
    const real = pearson(continuous(table.columns, a), continuous(table.columns, b));
    const syn = pearson(continuous(synthetic, a), continuous(synthetic, b));
    expect(real).toBeGreaterThan(0.4);
    expect(Math.abs(syn - real)).toBeLessThan(0.15);
  });

  it('is fixed by its seed and JSON-serialisable', () => {
    const stored = JSON.parse(JSON.stringify(model)) as CopulaModel;
    expect(sha256(fitCopula(table.columns, createRng(1)))).toBe(sha256(model));
    expect(sha256(sampleCopula(stored, N, createRng(1)))).toBe(sha256(rows));
    expect(sha256(sampleCopula(model, N, createRng(2)))).not.toBe(sha256(rows));
  });
});

describe('conditional sampling', () => {
  it('fixes a category and shifts the correlated columns (pbc sex, Pima diabetes)', async () => {
    const pbc = await loadTable('pbc.csv');
    const males = sampleCopula(fitCopula(pbc.columns, createRng(1)), 500, createRng(1), { sex: 'm' });
    const sexAt = pbc.schema.columns.findIndex((c) => c.name === 'sex');
    expect(new Set(males.map((r) => r[sexAt]))).toEqual(new Set(['m']));

    const pima = await loadTable('PimaIndiansDiabetes2.csv');
    const model = fitCopula(pima.columns, createRng(1));
    const pos = reprepare(sampleCopula(model, 1000, createRng(1), { diabetes: 'pos' }), pima.schema);
    const neg = reprepare(sampleCopula(model, 1000, createRng(1), { diabetes: 'neg' }), pima.schema);
    expect(byName(pos, 'diabetes')).toMatchObject({ categories: ['pos'] });
    // Diabetics have higher glucose in the source (≈ 142 vs 111); the conditional Gaussian must carry that over.
    expect(mean(continuous(pos, 'glucose')) - mean(continuous(neg, 'glucose'))).toBeGreaterThan(15);
  });

  it('conditions on a number, on missingness, and on two columns at once', async () => {
    const pima = await loadTable('PimaIndiansDiabetes2.csv');
    const model = fitCopula(pima.columns, createRng(1));
    const at = (name: string) => pima.schema.columns.findIndex((c) => c.name === name);
    const rows = sampleCopula(model, 300, createRng(3), { age: '50', insulin: null, diabetes: 'pos' });
    for (const r of rows) expect([r[at('age')], r[at('insulin')], r[at('diabetes')]]).toEqual(['50', null, 'pos']);
    // Insulin and triceps are often missing together in Pima; conditioning on one being missing raises the other's rate.
    const tricepsMissing = rows.filter((r) => r[at('triceps')] === null).length / rows.length;
    expect(tricepsMissing).toBeGreaterThan(0.4);
  });

  it('refuses conditions it cannot meet, in words', async () => {
    const pbc = await loadTable('pbc.csv');
    const model = fitCopula(pbc.columns, createRng(1));
    expect(() => sampleCopula(model, 1, createRng(1), { sex: 'x' })).toThrow(/never had the value “x”/);
    expect(() => sampleCopula(model, 1, createRng(1), { weight: '1' })).toThrow(/no column “weight”/);
    expect(() => sampleCopula(model, 1, createRng(1), { age: '120' })).toThrow(/outside/);
    expect(() => sampleCopula(model, 1, createRng(1), { age: null })).toThrow(/never missing/);
  });
});
