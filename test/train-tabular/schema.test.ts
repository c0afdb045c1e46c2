// Preparing typed columns: facts learnt from the source, refusals, and the cell formatting every generator shares.
import { describe, expect, it } from 'vitest';
import { formatNumber, type NumericFormat } from '../../electron/core/train/tabular/format';
import { prepareColumns, type TableSchema } from '../../electron/core/train/tabular/schema';
import { ksStatistic, pearson, spearman } from '../../electron/core/train/tabular/stats';
import { byName, loadTable } from './helpers';

describe('prepareColumns', () => {
  it('learns ranges, precision, missingness and categories from pbc', async () => {
    const { columns } = await loadTable('pbc.csv');
    expect(byName(columns, 'bili')).toMatchObject({ kind: 'continuous', missingRate: 0, format: { type: 'number', min: 0.3, max: 28, integer: false, decimals: 1, padded: false, levels: null } });
    expect(byName(columns, 'age')).toMatchObject({ format: { decimals: 13 } }); // 13 places in the file, all kept
    expect(byName(columns, 'chol')).toMatchObject({ format: { type: 'integer', integer: true, decimals: 0 } });
    expect(byName(columns, 'chol').missingRate).toBeCloseTo(134 / 418, 12);
    expect(byName(columns, 'edema')).toMatchObject({ format: { levels: [0, 0.5, 1] } });
    expect(byName(columns, 'sex')).toMatchObject({ kind: 'discrete', categories: ['f', 'm'], counts: [374, 44], missingRate: 0 });
  });

  it('turns dates into days, datetimes into milliseconds, and keeps booleans verbatim', () => {
    const rows = [['2024-03-01', '01/02/2020 10:30', 'Yes'], ['2023-12-31', null, 'no'], [null, '2020-02-03 07:05:09.25', 'Yes']];
    const schema: TableSchema = {
      columns: [
        { name: 'd', type: 'date', role: 'synthesise' },
        { name: 't', type: 'datetime', role: 'synthesise' },
        { name: 'b', type: 'boolean', role: 'condition' },
      ],
    };
    const [d, t, b] = prepareColumns(rows, ['d', 't', 'b'], schema);
    expect(d).toMatchObject({ format: { min: 19722, max: 19783, integer: true }, missingRate: 1 / 3 });
    expect(t).toMatchObject({ format: { min: Date.UTC(2020, 1, 1, 10, 30), decimals: 2, timeSeparator: ' ' } });
    expect(b).toMatchObject({ categories: ['Yes', 'no'], counts: [2, 1], role: 'condition' });
  });

  it('refuses identifiers, free text, unknown columns and cells that do not fit', () => {
    const header = ['id', 'note', 'x'];
    const rows = [['1', 'a', '2'], ['2', 'b', 'three']];
    const one = (name: string, type: 'identifier' | 'text' | 'integer') => ({ columns: [{ name, type, role: 'synthesise' as const }] });
    expect(() => prepareColumns(rows, header, one('id', 'identifier'))).toThrow('Column “id” is an identifier; drop it or keep it out of synthesis.');
    expect(() => prepareColumns(rows, header, one('note', 'text'))).toThrow(/free text/);
    expect(() => prepareColumns(rows, header, one('y', 'integer'))).toThrow(/not in the table/);
    expect(() => prepareColumns(rows, header, one('x', 'integer'))).toThrow('Column “x”, row 2: "three" is not a whole number.');
  });
});

describe('formatNumber', () => {
  const base: NumericFormat = { type: 'number', min: 0, max: 100, integer: false, decimals: 2, padded: false, levels: null };
  it('reflects into the range, rounds and trims like the source', () => {
    expect(formatNumber(3.14159, base)).toBe('3.14');
    expect(formatNumber(3.5, base)).toBe('3.5');
    expect(formatNumber(3.5, { ...base, padded: true })).toBe('3.50');
    expect(formatNumber(-4, base)).toBe('4'); // reflected at the minimum, not piled onto it
    const far = Number(formatNumber(1e9, base));
    expect(far).toBeGreaterThanOrEqual(0);
    expect(far).toBeLessThanOrEqual(100);
    expect(formatNumber(41.6, { ...base, type: 'integer', integer: true })).toBe('42');
    expect(formatNumber(0.3, { ...base, levels: [0, 0.5, 1] })).toBe('0.5');
    expect(formatNumber(null, base)).toBeNull();
  });

  it('writes dates and datetimes as ISO text', () => {
    expect(formatNumber(19722.4, { ...base, type: 'date', min: 0, max: 1e5 })).toBe('2023-12-31');
    const dt: NumericFormat = { ...base, type: 'datetime', min: 0, max: 2e12, decimals: 0, timeSeparator: ' ' };
    expect(formatNumber(Date.UTC(2020, 1, 1, 10, 30, 5, 400), dt)).toBe('2020-02-01 10:30:05');
  });
});

describe('two-sample statistics', () => {
  it('computes KS, Pearson and Spearman, skipping missing values', () => {
    expect(ksStatistic([1, 2, 3, Number.NaN], [1, 2, 3])).toBe(0);
    expect(ksStatistic([1, 2], [3, 4])).toBe(1);
    expect(ksStatistic([1, 2, 3, 4], [3, 4, 5, 6])).toBe(0.5);
    expect(ksStatistic([0, 0, 1], [0, 1, 1])).toBeCloseTo(1 / 3, 12); // ties stepped over together
    expect(ksStatistic([], [1])).toBeNaN();
    expect(pearson([1, 2, 3, Number.NaN], [2, 4, 6, 1])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 1000])).toBeCloseTo(1, 12);
  });
});
