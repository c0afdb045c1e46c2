// Identifying-column flags from names (a few spellings and languages) and from values.
import { describe, expect, it } from 'vitest';
import { flagIdentifying } from '../../electron/core/ingest/table';
import { ColumnAccumulator } from '../../electron/core/ingest/table/profile';

function flagOf(name: string, values: (string | null)[]) {
  const acc = new ColumnAccumulator();
  for (const v of values) acc.add(v);
  return flagIdentifying(acc.finish(name, 0));
}
const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
const plain = many(30, (i) => ['low', 'mid', 'high'][i % 3] ?? '');

describe('flags by column name', () => {
  it.each([
    ['Surname', 'name', 'drop'],
    ['first_name', 'name', 'drop'],
    ['PatientName', 'name', 'drop'],
    ['Vorname', 'name', 'drop'],
    ['MRN', 'record-number', 'drop'],
    ['nhs_number', 'record-number', 'drop'],
    ['NHSNo', 'record-number', 'drop'],
    ['patient_id', 'record-number', 'drop'],
    ['patientid', 'record-number', 'drop'],
    ['SSN', 'record-number', 'drop'],
    ['DOB', 'date-of-birth', 'generalise'],
    ['date_of_birth', 'date-of-birth', 'generalise'],
    ['Postcode', 'postcode', 'drop'],
    ['zip', 'postcode', 'drop'],
    ['mobile_phone', 'phone', 'drop'],
    ['Tel', 'phone', 'drop'],
    ['E-mail', 'email', 'drop'],
    ['home_address', 'address', 'drop'],
    ['Street', 'address', 'drop'],
    ['comments', 'free-text', 'drop'],
    ['clinical_notes', 'free-text', 'drop'],
  ])('%s → %s', (name, kind, suggested) => {
    const f = flagOf(name, plain);
    expect(f.identifying).toBe(true);
    expect(f.kind).toBe(kind);
    expect(f.suggested).toBe(suggested);
    expect(f.reason).toContain(`"${name}"`);
  });

  it('does not flag things called names, or look-alike words', () => {
    for (const name of ['drug_name', 'ward_name', 'birth_weight', 'hotel', 'cell_count', 'status', 'valid']) expect(flagOf(name, plain)).toMatchObject({ identifying: false, suggested: 'keep' });
  });

  it('a "notes" or "summary" column of numbers is not free text', () => {
    expect(flagOf('notes_count', ['1', '2', '3']).identifying).toBe(false);
    expect(flagOf('summary_score', ['1.5', '2.5']).identifying).toBe(false);
  });

  it('"birth" counts as date of birth only for a column of dates', () => {
    expect(flagOf('birth', ['1970-01-01', '1980-05-06']).kind).toBe('date-of-birth');
    expect(flagOf('birth', ['3.2', '2.9']).identifying).toBe(false);
  });

  it('says a record number can still group the holdout', () => {
    expect(flagOf('MRN', plain).reason).toMatch(/holdout group key/);
  });
});

describe('flags by values', () => {
  it('e-mail addresses, phone numbers and postcodes under neutral names', () => {
    expect(flagOf('contact', many(10, (i) => `p${i}@example.org`))).toMatchObject({ kind: 'email', suggested: 'drop' });
    expect(flagOf('contact', ['07700 900123', '+44 20 7946 0958', '(555) 123-4567', '020 7946 0000'])).toMatchObject({ kind: 'phone', suggested: 'drop' });
    expect(flagOf('area', ['SW1A 1AA', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT'])).toMatchObject({ kind: 'postcode', suggested: 'drop' });
    expect(flagOf('area', ['02134', '10001-1234', '94105'])).toMatchObject({ kind: 'postcode' });
  });

  it('5-digit quantities are not ZIP codes, and 10-digit bare numbers are not phones', () => {
    expect(flagOf('alk', ['12345', '23456', '34567']).identifying).toBe(false);
    expect(flagOf('lab', many(10, (i) => String(4_000_000_000 + i * 13 + (i % 2 ? 1 : 100_000)))).kind).not.toBe('phone');
  });

  it('unique codes, free text and dates by their inferred type', () => {
    expect(flagOf('specimen', many(50, (i) => `S-${i}x`))).toMatchObject({ kind: 'identifier', suggested: 'drop' });
    expect(flagOf('remarks_2', many(5, (i) => `Patient ${i} seen in the clinic today and discharged home`))).toMatchObject({ kind: 'free-text' });
    expect(flagOf('x', many(5, (i) => `Seen ${i} times in the clinic this year, discharged home`))).toMatchObject({ kind: 'free-text', suggested: 'drop' });
    expect(flagOf('admitted', ['2020-01-01', '2020-02-03'])).toMatchObject({ kind: 'date', suggested: 'generalise' });
  });
});
