// Date treatments on rows: generalise (year / month, in every date form) and shift (one secret offset per patient,
// intervals within a patient kept), deterministic for the same secret and seed.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rowTreatment, shiftOffset, type DateTreatment, type ShiftKey } from '../../electron/core/train/tabular/treatments';

const DAY = 86_400_000;
const isoDays = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY;

// Columns: 0 patient, 1 admitted (ISO), 2 discharged (ISO datetime), 3 diagnosis (decimal year), 4 entry (days since 1960), 5 yob.
const plan = (kind: 'generalise-year' | 'generalise-month' | 'shift'): DateTreatment[] => {
  const treatment = kind === 'shift' ? { kind: 'shift' as const } : { kind: 'generalise' as const, to: kind === 'generalise-year' ? ('year' as const) : ('month' as const) };
  return [
    { index: 1, name: 'admitted', form: 'iso', treatment },
    { index: 2, name: 'discharged', form: 'iso', treatment },
    { index: 3, name: 'diagnosis', form: { unit: 'decimal-year' }, treatment },
    { index: 4, name: 'entry', form: { unit: 'days', epoch: '1960-01-01' }, treatment },
  ];
};
const rows: (string | null)[][] = [
  ['P1', '1998-04-10', '1998-04-17T08:30:00', '1998.2710472', '13978', '1950'],
  ['P1', '31/12/1999', '2000-01-03T10:00:00', '1999.9986301', '14609', '1950'],
  ['P2', '2003-07-01', '2003-07-02T00:00:00', '2003.4958904', null, '1961'],
  ['P3', null, '2010-02-28T23:59:59', '2010.1589041', '18321', '1970'],
];

describe('generalise', () => {
  it('to the year: ISO dates become "YYYY", decimal years and day counts whole years; other columns untouched', () => {
    const out = rows.map(rowTreatment(plan('generalise-year'), null));
    expect(out).toEqual([
      ['P1', '1998', '1998', '1998', '1998', '1950'],
      ['P1', '1999', '2000', '1999', '1999', '1950'],
      ['P2', '2003', '2003', '2003', null, '1961'],
      ['P3', null, '2010', '2010', '2010', '1970'],
    ]);
    // The source rows are not changed in place.
    expect(rows[0]?.[1]).toBe('1998-04-10');
  });

  it('to the month: "YYYY-MM" whatever the form', () => {
    const out = rows.map(rowTreatment(plan('generalise-month'), null));
    expect(out[0]).toEqual(['P1', '1998-04', '1998-04', '1998-04', '1998-04', '1950']);
    expect(out[1]).toEqual(['P1', '1999-12', '2000-01', '1999-12', '1999-12', '1950']);
  });
});

describe('shift', () => {
  const key = (over: Partial<ShiftKey> = {}): ShiftKey => ({ patientIndex: 0, secret: Buffer.alloc(32, 7), seed: 1, maxDays: 365, ...over });

  it('moves every date of a patient by the same offset, so intervals within the patient are kept, in each form', () => {
    const out = rows.map(rowTreatment(plan('shift'), key()));
    const offset = isoDays(out[0]?.[1] ?? '') - isoDays('1998-04-10');
    expect(offset).not.toBe(0);
    expect(Math.abs(offset)).toBeLessThanOrEqual(365);
    expect(offset).toBe(shiftOffset(key(), 'id:P1'));
    // Both rows of P1, every column: the same offset (the time of day kept).
    expect(isoDays(out[1]?.[1] ?? '') - isoDays('1999-12-31')).toBe(offset);
    expect(isoDays(out[0]?.[2] ?? '') - isoDays('1998-04-17')).toBe(offset);
    expect(out[0]?.[2]?.slice(10)).toBe('T08:30:00');
    expect(Number(out[0]?.[4]) - 13978).toBe(offset);
    expect(Number(out[1]?.[4]) - 14609).toBe(offset);
    // Decimal years keep their 7 decimals and move by offset / 365.25 years.
    expect(out[0]?.[3]).toMatch(/^\d{4}\.\d{7}$/);
    expect(Number(out[0]?.[3]) - 1998.2710472).toBeCloseTo(offset / 365.25, 6);
    // Interval within P1 between the two admissions, and admission → discharge: unchanged.
    expect(isoDays(out[1]?.[1] ?? '') - isoDays(out[0]?.[1] ?? '')).toBe(isoDays('1999-12-31') - isoDays('1998-04-10'));
    expect(out[2]?.[4]).toBeNull();
    expect(out[0]?.[5]).toBe('1950');
  });

  it('gives patients their own offsets, reproducibly for one secret and seed, and others under another secret', () => {
    const many = Array.from({ length: 200 }, (_, i) => ['P' + i, '2000-01-01', null, null, null, null]);
    const shifted = (k: ShiftKey) => many.map(rowTreatment(plan('shift'), k)).map((r) => isoDays(r[1] ?? '') - isoDays('2000-01-01'));
    const a = shifted(key());
    expect(shifted(key())).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(150);
    expect(a.every((d) => d !== 0 && Math.abs(d) <= 365)).toBe(true);
    expect(a.some((d) => d < 0) && a.some((d) => d > 0)).toBe(true);
    expect(shifted(key({ secret: randomBytes(32) }))).not.toEqual(a);
    expect(shifted(key({ seed: 2 }))).not.toEqual(a);
    expect(shifted(key({ maxDays: 10 })).every((d) => Math.abs(d) <= 10)).toBe(true);
  });

  it('without a patient column, each row is its own patient: its dates move together', () => {
    const out = rows.map(rowTreatment(plan('shift'), key({ patientIndex: null })));
    const d0 = isoDays(out[0]?.[1] ?? '') - isoDays('1998-04-10');
    expect(isoDays(out[0]?.[2] ?? '') - isoDays('1998-04-17')).toBe(d0);
    expect(Number(out[0]?.[4]) - 13978).toBe(d0);
  });

  it('refuses a cell that is not a date, naming the column', () => {
    expect(() => rowTreatment(plan('generalise-year'), null)(['P9', 'soon', null, null, null, null])).toThrow(/Column “admitted” holds “soon”/);
  });
});
