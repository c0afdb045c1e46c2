// Dates written as numbers: decimal years and day counts since 1960 recognised when name and range agree, offered as
// "date?" when only one does, and survival follow-up times (pbc, colon) never taken for dates.
import { describe, expect, it } from 'vitest';
import { flagIdentifying } from '../../electron/core/ingest/table';
import { chooseDate, formToDays, isoOfDays } from '../../electron/core/ingest/table/dates';
import { column, DATA, readAll, writeTemp } from './table-helpers';

// 200 patients: diagnosis dates from 1985 to 2004, written three ways, plus follow-up in days and a whole birth year.
function survivalCsv(): string {
  const lines = ['pid,diagdate,dtdiag,visit,onset,yob,futime,fu_days,labvalue'];
  for (let i = 0; i < 200; i++) {
    const days1960 = 9132 + ((i * 7919) % 7300); // 1985-01-01 + up to 20 years
    const d = new Date(Date.UTC(1960, 0, 1) + days1960 * 86_400_000);
    const y = d.getUTCFullYear();
    const start = Date.UTC(y, 0, 1);
    const decimal = y + (d.getTime() - start) / (Date.UTC(y + 1, 0, 1) - start);
    const futime = 30 + ((i * 104729) % 4000);
    const visit = 12785 + (((i % 120) * 7919) % 7300); // repeats: several patients seen on one day
    lines.push([`P${i}`, decimal.toFixed(7), days1960, visit, decimal.toFixed(4), 1920 + (i % 50), futime, futime, 100 + (i % 90)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

describe('dates written as numbers', () => {
  it('recognises decimal years and day counts since 1960 under date-like names, and offers "date?" on range alone', async () => {
    const { summary } = await readAll(writeTemp('survival.csv', survivalCsv()));
    const diag = column(summary, 'diagdate');
    expect(diag.inferredType).toBe('number');
    expect(diag.date).toMatchObject({ form: { unit: 'decimal-year' }, status: 'recognised' });
    expect(diag.date?.range.from.slice(0, 4)).toBe('1985');
    expect(flagIdentifying(diag)).toMatchObject({ identifying: true, kind: 'date', suggested: 'generalise' });

    const dt = column(summary, 'dtdiag');
    expect(dt.inferredType).toBe('integer');
    expect(dt.date).toMatchObject({ form: { unit: 'days', epoch: '1960-01-01' }, status: 'recognised' });
    expect(flagIdentifying(dt)).toMatchObject({ identifying: true, kind: 'date' });

    // No date in the name: day counts far from zero, and years with fractions, are only offered.
    expect(column(summary, 'visit').inferredType).toBe('integer');
    expect(column(summary, 'visit').date).toMatchObject({ form: { unit: 'days' }, status: 'candidate' });
    expect(column(summary, 'onset').date).toMatchObject({ form: { unit: 'decimal-year' }, status: 'candidate' });
    expect(flagIdentifying(column(summary, 'visit'))).toMatchObject({ identifying: false, reason: expect.stringContaining('date?') });

    expect(column(summary, 'yob').date).toMatchObject({ form: { unit: 'year' }, status: 'recognised' });
    expect(flagIdentifying(column(summary, 'yob'))).toMatchObject({ identifying: true, kind: 'date-of-birth' });
    // Follow-up times are intervals; small lab values are measurements.
    for (const name of ['futime', 'fu_days', 'labvalue', 'pid']) expect({ name, date: column(summary, name).date }).toEqual({ name, date: undefined });
  });

  it('reads the forms as calendar dates', () => {
    expect(isoOfDays(formToDays(1998.2710472, { unit: 'decimal-year' }))).toBe('1998-04-09');
    expect(isoOfDays(formToDays(0, { unit: 'days', epoch: '1960-01-01' }))).toBe('1960-01-01');
    expect(isoOfDays(formToDays(45000, { unit: 'days', epoch: '1899-12-30' }))).toBe('2023-03-15');
    expect(isoOfDays(formToDays(-1, { unit: 'days', epoch: '1970-01-01' }))).toBe('1969-12-31');
  });

  it('never calls the survival tables’ follow-up times (or anything else in them) dates', async () => {
    for (const file of ['pbc.csv', 'colon.csv', 'PimaIndiansDiabetes2.csv']) {
      const { summary } = await readAll(`${DATA}/${file}`);
      expect({ file, dates: summary.profiles.filter((p) => p.date).map((p) => p.name) }).toEqual({ file, dates: [] });
    }
    const { summary } = await readAll(`${DATA}/pbc.csv`);
    expect(column(summary, 'time')).toMatchObject({ inferredType: 'integer' });
    expect(flagIdentifying(column(summary, 'time')).identifying).toBe(false);
  });

  it('a steward’s choice: confirmed in a checked form, or rejected', () => {
    const n = { min: 9132, max: 16000, mean: 12000, std: 100, integral: true };
    expect(chooseDate('visit', n, undefined, { unit: 'days', epoch: '1970-01-01' })).toMatchObject({ status: 'confirmed', range: { from: '1995-01-02' } });
    expect(() => chooseDate('visit', n, undefined, { unit: 'decimal-year' })).toThrow(/not dates in that form/);
    expect(() => chooseDate('visit', { ...n, integral: false }, undefined, { unit: 'days', epoch: '1960-01-01' })).toThrow(/fractions/);
    expect(() => chooseDate('sex', undefined, undefined, { unit: 'year' })).toThrow(/not numbers/);
    const offered = chooseDate('visit', n, undefined, { unit: 'days', epoch: '1960-01-01' });
    expect(chooseDate('visit', n, offered, null)).toMatchObject({ status: 'rejected', form: { unit: 'days' } });
  });
});
