// Type inference rules, one at a time, and coercion of stored strings for type overrides.
import { describe, expect, it } from 'vitest';
import { coerceValue, DISTINCT_CAP, overrideType, validateOverride, ValueTypeError } from '../../electron/core/ingest/table';
import { ColumnAccumulator } from '../../electron/core/ingest/table/profile';

function profileOf(name: string, values: (string | null)[]) {
  const acc = new ColumnAccumulator();
  for (const v of values) acc.add(v);
  return acc.finish(name, 0);
}
const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

describe('type inference', () => {
  it('numbers: sign, decimal point and exponent; whole numbers are integers, 1.0 included', () => {
    expect(profileOf('x', ['1', '-2', '+3', null]).inferredType).toBe('integer');
    expect(profileOf('x', ['1.0', '2.0']).inferredType).toBe('integer');
    expect(profileOf('x', ['1.5', '-.5', '2e3', '1E-2']).inferredType).toBe('number');
    // Thousands separators and leading-zero codes are not numbers.
    expect(profileOf('x', ['1,234', '2,000']).inferredType).toBe('categorical');
    expect(profileOf('x', ['007', '010']).inferredType).toBe('categorical');
  });

  it('keeps a small-cardinality integer column integer, exposing its distinct count', () => {
    const p = profileOf('status', many(200, (i) => String(i % 3)));
    expect(p).toMatchObject({ inferredType: 'integer', distinct: 3, distinctCapped: false });
    expect(p.stats.top).toEqual([{ value: '0', count: 67 }, { value: '1', count: 67 }, { value: '2', count: 66 }]);
  });

  it('booleans need true/false words of both polarities; 0/1 stay integers and m/f stays categorical', () => {
    expect(profileOf('x', ['yes', 'No', 'Y', 'n', null]).inferredType).toBe('boolean');
    expect(profileOf('x', ['TRUE', 'false']).inferredType).toBe('boolean');
    expect(profileOf('x', ['0', '1']).inferredType).toBe('integer');
    expect(profileOf('sex', ['f', 'm', 'f']).inferredType).toBe('categorical');
    expect(profileOf('sex', ['f', 'f']).inferredType).toBe('categorical');
  });

  it('dates (ISO and day-first) and datetimes, with calendar checks', () => {
    const d = profileOf('visit', ['2024-02-29', '31/12/2023', '01.01.2020']);
    expect(d.inferredType).toBe('date');
    expect(d.stats.dates).toEqual({ min: '2020-01-01', max: '2024-02-29', withTime: false });
    expect(profileOf('x', ['2024-01-01 10:30', '2024-01-02T08:00:00Z', '2024-01-03']).inferredType).toBe('datetime');
    expect(profileOf('x', ['2023-02-29', '2024-01-01']).inferredType).toBe('categorical');
    expect(profileOf('x', ['12/25/2023', '01/01/2024']).inferredType).toBe('categorical'); // month-first is not guessed
  });

  it('identifiers: key-like names with many values, or unique digit codes', () => {
    expect(profileOf('patient_id', many(100, (i) => String(i + 1))).inferredType).toBe('identifier');
    expect(profileOf('MRN', many(50, (i) => `H${1000 + i}`)).inferredType).toBe('identifier');
    expect(profileOf('specimen', many(50, (i) => `S-${i}x`)).inferredType).toBe('identifier');
    expect(profileOf('barcode', many(50, (i) => String(1_000_000 + i * 7))).inferredType).toBe('identifier');
    // A unique integer measurement of varying length is a number, not a code.
    expect(profileOf('time', many(50, (i) => String(i * 37))).inferredType).toBe('integer');
    // A key-like name with few values (a handful of hospitals) is a category, not an identifier.
    expect(profileOf('hospital_id', many(100, (i) => `H${i % 4}`)).inferredType).toBe('categorical');
  });

  it('text: long strings, or more distinct strings than a category can hold', () => {
    expect(profileOf('note', ['Patient seen in clinic today, reports mild pain', 'Follow-up in six weeks; bloods to be repeated']).inferredType).toBe('text');
    const surnames = profileOf('surname', many(100, (i) => `Name${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 4))}`));
    expect(surnames.inferredType).toBe('text');
    expect(surnames.stats.top).toBeUndefined();
  });

  it('counts distinct values exactly beyond the values it remembers, and says how many in the reason', () => {
    const p = profileOf('x', many(3000, (i) => `v${i} with space`));
    expect(p).toMatchObject({ distinct: 3000, distinctCapped: false, inferredType: 'text', unique: true });
    expect(p.why).toContain('3000');
    // A repeat of a value first seen after the remembered ones is still a repeat.
    const ids = profileOf('patient_id', [...many(DISTINCT_CAP + 500, (i) => `P${i}`), `P${DISTINCT_CAP + 200}`]);
    expect(ids).toMatchObject({ distinct: DISTINCT_CAP + 500, unique: false, inferredType: 'identifier' });
  });

  it('counts missing separately and computes Welford mean/SD', () => {
    const p = profileOf('x', ['2', '4', null, '4', '4', '5', '5', '7', '9', null]);
    expect(p).toMatchObject({ count: 8, missing: 2 });
    expect(p.stats.numeric).toMatchObject({ min: 2, max: 9, mean: 5, integral: true });
    expect(p.stats.numeric?.std).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(profileOf('x', [null, null])).toMatchObject({ inferredType: 'categorical', count: 0, missing: 2 });
  });
});

describe('type overrides', () => {
  it('coerces stored strings to typed values', () => {
    expect(coerceValue(' 42 ', 'integer')).toBe(42);
    expect(coerceValue('1e3', 'number')).toBe(1000);
    expect(coerceValue('Yes', 'boolean')).toBe(true);
    expect(coerceValue('05/11/2024', 'date')).toBe('2024-11-05');
    expect(coerceValue('2024-11-05', 'datetime')).toBe('2024-11-05T00:00:00');
    expect(coerceValue('5/11/2024 7:30', 'datetime')).toBe('2024-11-05T07:30:00');
    expect(coerceValue('2024-11-05T07:30:15.250+01:00', 'datetime')).toBe('2024-11-05T07:30:15.250+01:00');
  });

  it('throws a ValueTypeError naming the value and the expected type', () => {
    expect(() => coerceValue('1.5', 'integer')).toThrow(ValueTypeError);
    expect(() => coerceValue('abc', 'number')).toThrow('"abc" is not a number.');
    expect(() => coerceValue('2024-11-05 10:00', 'date')).toThrow(/is not a date/);
    expect(coerceValue(null, 'integer')).toBeNull();
    expect(coerceValue('anything', 'categorical')).toBe('anything');
  });

  it('validates an override against the data, reporting the first value that does not fit', () => {
    expect(validateOverride(['1', null, '3'], 'integer')).toEqual({ ok: true });
    expect(validateOverride(['1', '2', 'x', '4.5'], 'integer')).toMatchObject({ ok: false, firstBad: { row: 2, value: 'x' } });
    function* fromStore() {
      yield '2020-01-01';
      yield '2020-13-01';
    }
    expect(validateOverride(fromStore(), 'date').firstBad).toMatchObject({ row: 1, value: '2020-13-01' });
  });

  it('overrideType returns a new profile and leaves the inferred type alone', () => {
    const p = profileOf('status', ['0', '1', '2']);
    const q = overrideType(p, 'categorical');
    expect(q).toMatchObject({ inferredType: 'integer', type: 'categorical' });
    expect(p.type).toBe('integer');
  });
});
