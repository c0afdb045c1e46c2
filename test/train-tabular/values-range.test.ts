// Synthetic numbers of the real kind: the real column's precision (11 decimals stay 11, KS against scipy's), every
// value inside the real range, and no pile of synthetic rows on a real extreme that only 2–3 patients hold.
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { createRng } from '../../electron/core/train/rng';
import { conformNumber, formatNumber } from '../../electron/core/train/tabular/format';
import { prepareColumns, type ContinuousColumn, type TableSchema } from '../../electron/core/train/tabular/schema';
import { hasSciPy, python } from '../validate/python';
import { decimalsOf, shareAt, synthesise, type Cells, type GeneratorKind } from './values-helpers';

const N = 500;
const header = ['lab', 'flag', 'count'];
const schema: TableSchema = {
  columns: [
    { name: 'lab', type: 'number', role: 'synthesise' },
    { name: 'flag', type: 'integer', role: 'synthesise' },
    { name: 'count', type: 'integer', role: 'synthesise' },
  ],
};

// A lab value around 1e-5 written with 11 decimals (rounding it to 6 leaves one or two values); its minimum is held
// by 3 rows and its maximum by 2, as an extreme real value usually is. flag is 0/1, count a skewed whole number.
function realRows(): (string | null)[][] {
  const rng = createRng('values-range');
  const lab = Array.from({ length: N }, () => 1.2e-5 * Math.exp(0.5 * rng.normal()));
  const [lo, hi] = [Math.min(...lab) * 0.97, Math.max(...lab) * 1.03];
  for (const i of [3, 100, 250]) lab[i] = lo;
  for (const i of [7, 400]) lab[i] = hi;
  return lab.map((x) => [x.toFixed(11), rng.uniform() < 0.3 ? '1' : '0', String(Math.floor(3 * Math.exp(0.8 * rng.normal())))]);
}

describe('synthetic numbers keep the real precision and range', () => {
  const rows = realRows();
  const columns = prepareColumns(rows, header, schema);
  const lab = columns[0] as ContinuousColumn;
  const out = new Map<GeneratorKind, Cells>();

  beforeAll(async () => {
    await selectBackend();
    out.set('copula', synthesise('copula', columns, { epochs: 0, rows: 2000 }));
    out.set('tvae', synthesise('tvae', columns, { epochs: 15, rows: 2000 }));
    out.set('ctgan', synthesise('ctgan', columns, { epochs: 15, rows: 2000 }));
  }, 120_000);

  it('learns 11 decimals from the text, not a fixed 6', () => {
    expect(lab.format.decimals).toBe(11);
    expect(formatNumber(1.234567890123e-5, lab.format)).toBe('0.00001234568');
  });

  it('rounds inside the range and folds overshoots back in instead of clipping them onto the extremes', () => {
    const f = { type: 'number' as const, min: 0.3, max: 28, integer: false, decimals: 1, padded: false, levels: null };
    expect(conformNumber(0.26, f)).toBe(0.3); // rounds to 0.3, inside
    expect(conformNumber(0.1, f)).toBe(0.5); // reflected at 0.3, not clipped onto it
    expect(conformNumber(28.4, f)).toBe(27.6);
    expect(conformNumber(1000, f)).toBeGreaterThanOrEqual(0.3);
    // A level column keeps its extreme level: 0/1 flags snap to the nearest flag.
    const flag = { ...f, min: 0, max: 1, integer: true, decimals: 0, levels: [0, 1] };
    expect([conformNumber(1.7, flag), conformNumber(-0.4, flag)]).toEqual([1, 0]);
  });

  it.each(['copula', 'tvae', 'ctgan'] as const)('%s: 11 decimals, inside the range, ≤ 1 %% of rows on the real min or max', (kind) => {
    const cells = out.get(kind) as Cells;
    const values = cells.map((r) => r[0]).filter((c): c is string => c !== null);
    expect(values.length).toBe(cells.length);
    expect(Math.max(...values.map(decimalsOf))).toBe(11);
    for (const v of values) {
      expect(Number(v)).toBeGreaterThanOrEqual(lab.format.min);
      expect(Number(v)).toBeLessThanOrEqual(lab.format.max);
    }
    expect(shareAt(cells, 0, lab.format.min), 'share on the real minimum').toBeLessThanOrEqual(0.01);
    expect(shareAt(cells, 0, lab.format.max), 'share on the real maximum').toBeLessThanOrEqual(0.01);
    // The 0/1 flag is exempt (its extremes are its levels) and must still hold both, near the real 30 %.
    const ones = shareAt(cells, 1, 1);
    expect(ones).toBeGreaterThan(0.1);
    expect(ones).toBeLessThan(0.5);
    expect(shareAt(cells, 1, 0) + ones).toBe(1);
  });

  it.runIf(hasSciPy())('copula: KS statistic against the real column is small (scipy ks_2samp)', () => {
    const real = Array.from(lab.values);
    const syn = (out.get('copula') as Cells).map((r) => Number(r[0]));
    const ks = python<number>('from scipy.stats import ks_2samp\nprint(json.dumps(float(ks_2samp(data["a"], data["b"]).statistic)))', { a: real, b: syn });
    expect(ks).toBeLessThan(0.06);
  });
});
