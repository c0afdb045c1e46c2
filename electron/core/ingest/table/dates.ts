// Numbers that are dates: decimal years (1998.2710472), whole years, and day counts since an epoch. A column is read
// as dates when its name and its range both say so; when only one does, it is offered as "date?" for the steward.
import { InvalidArgumentError } from '../../errors';
import { DATE_EPOCHS, dateFormText, type DateEpoch, type DateForm, type DateHint } from '../../../shared/date-schema';
import { compactName, nameWords } from './names';
import type { NumericStats } from './types';

export const DAY_MS = 86_400_000;
const YEAR_MIN = 1850;
const YEAR_MAX = 2100;
// Day counts of dates sit far from zero compared with their spread; intervals and measurements start near zero.
const DAYS_FAR_FROM_ZERO = 3650;
const DAYS_SPREAD_MIN = 30;

// Follow-up times, ages and durations are intervals, not dates: these words rule a column out whatever else it says.
const INTERVAL_WORDS = new Set(['time', 'futime', 'fu', 'duration', 'interval', 'days', 'years', 'months', 'weeks', 'since', 'until', 'elapsed', 'los', 'stay', 'length', 'age', 'delay', 'lag', 'follow', 'followup', 'surv', 'survival', 'period', 'wait', 'gap', 'diff', 'delta', 'tte', 'ttd', 'etime', 'stime']);
const DATE_WORDS = new Set(['date', 'dt', 'dte', 'dob', 'dod', 'doa', 'dos', 'dop', 'dor']);
const YEAR_WORDS = new Set(['year', 'yr', 'yob', 'yod', 'yyyy']);
const NOT_DATE_COMPACT = /update|validat|candidat|mandat|accommodat/;

type NameHint = 'date' | 'year' | 'day' | 'interval' | null;

/** What the column name says: a date, a year, a (weak) day, an interval (never a date), or nothing. */
export function dateNameHint(name: string): NameHint {
  const words = nameWords(name);
  const compact = compactName(name);
  if (words.some((w) => INTERVAL_WORDS.has(w)) || /time$|^time|duration|followup/.test(compact)) return 'interval';
  if (words.some((w) => YEAR_WORDS.has(w)) || (/year$|^year|yearof/.test(compact) && !compact.includes('years'))) return 'year';
  if (words.some((w) => DATE_WORDS.has(w)) || ((compact.includes('date') || /^dt[a-z]{2}|^dob|dob$/.test(compact)) && !NOT_DATE_COMPACT.test(compact))) return 'date';
  if (words.includes('day')) return 'day';
  return null;
}

// setUTCFullYear, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999.
const civilDays = (y: number, m: number, d: number): number => new Date(0).setUTCFullYear(y, m - 1, d) / DAY_MS;
const yearLength = (y: number): number => civilDays(y + 1, 1, 1) - civilDays(y, 1, 1);
const EPOCH_DAYS: Record<DateEpoch, number> = { '1960-01-01': civilDays(1960, 1, 1), '1970-01-01': 0, '1899-12-30': civilDays(1899, 12, 30) };

/** Days since 1970-01-01 (fractional for decimal years: the fraction of that calendar year). */
export function formToDays(x: number, form: DateForm): number {
  if (form.unit === 'days') return EPOCH_DAYS[form.epoch] + x;
  const y = Math.floor(x);
  return civilDays(y, 1, 1) + (form.unit === 'decimal-year' ? (x - y) * yearLength(y) : 0);
}

/** The calendar date (YYYY-MM-DD) of a day count since 1970-01-01, the fraction of a day dropped. */
export function isoOfDays(days: number): string {
  return new Date(Math.floor(days) * DAY_MS).toISOString().slice(0, 10);
}

const yearOf = (days: number): number => new Date(Math.floor(days) * DAY_MS).getUTCFullYear();

// Epochs in order of preference: the first under which every value is a date no later than next year, else the first
// under which every value falls in the plausible years at all.
function epochFor(min: number, max: number): DateEpoch | null {
  const latest = new Date().getUTCFullYear() + 1;
  const fits = (e: DateEpoch, top: number) => yearOf(EPOCH_DAYS[e] + min) >= YEAR_MIN && yearOf(EPOCH_DAYS[e] + max) <= top;
  return DATE_EPOCHS.find((e) => fits(e, latest)) ?? DATE_EPOCHS.find((e) => fits(e, YEAR_MAX)) ?? null;
}

function hint(form: DateForm, status: 'recognised' | 'candidate', evidence: string, n: NumericStats): DateHint {
  const range = { from: isoOfDays(formToDays(n.min, form)), to: isoOfDays(formToDays(n.max, form)) };
  const read = `read as ${dateFormText(form)}, they run from ${range.from} to ${range.to}`;
  const why = status === 'recognised' ? `${evidence}; ${read}.` : `${evidence}, but nothing else says date; ${read}. Confirm it is a date, or say it is not.`;
  return { form, status, why, range };
}

/** How a numeric column reads as dates, if it does; undefined for every other column. */
export function recogniseDate(name: string, n: NumericStats | undefined): DateHint | undefined {
  const said = dateNameHint(name);
  if (!n || said === 'interval') return undefined;
  const named = `The name “${name}” says ${said === 'year' ? 'year' : 'date'}`;
  const inYears = n.min >= YEAR_MIN && n.max <= YEAR_MAX;
  if (inYears && !n.integral) {
    if (said === 'date' || said === 'year') return hint({ unit: 'decimal-year' }, 'recognised', `${named} and the values are years with fractions`, n);
    return said === null ? hint({ unit: 'decimal-year' }, 'candidate', `The values are years with fractions (${n.min}–${n.max})`, n) : undefined;
  }
  if (inYears) {
    if (said === 'date' || said === 'year') return hint({ unit: 'year' }, 'recognised', `${named} and the values are whole years`, n);
    return said === null ? hint({ unit: 'year' }, 'candidate', `The values are whole numbers from ${n.min} to ${n.max}, like years`, n) : undefined;
  }
  if (!n.integral || said === 'year') return undefined;
  const epoch = epochFor(n.min, n.max);
  if (epoch === null) return undefined;
  const form: DateForm = { unit: 'days', epoch };
  const farFromZero = Math.abs(n.min) >= DAYS_FAR_FROM_ZERO && n.max - n.min >= DAYS_SPREAD_MIN && Math.min(Math.abs(n.min), Math.abs(n.max)) > n.max - n.min;
  if (said === 'date' || (said === 'day' && farFromZero)) return hint(form, 'recognised', `${named} and the values are whole numbers that fit day counts`, n);
  if (said === 'day') return hint(form, 'candidate', `${named}`, n);
  if (farFromZero) return hint(form, 'candidate', `The values are whole numbers far from zero (${n.min}–${n.max}), as day counts of dates are`, n);
  return undefined;
}

/**
 * The column's date reading after the steward's choice: a form confirms it is dates (checked against the range),
 * null says it is not. Throws InvalidArgumentError when the values cannot be dates in that form.
 */
export function chooseDate(name: string, n: NumericStats | undefined, current: DateHint | undefined, form: DateForm | null): DateHint | undefined {
  if (form === null) return current ? { ...current, status: 'rejected', why: `The steward said “${name}” does not hold dates.` } : undefined;
  if (!n) throw new InvalidArgumentError(`Column “${name}” is not numbers: only numbers can be read as dates written as ${dateFormText(form)}.`);
  if (form.unit !== 'decimal-year' && !n.integral) throw new InvalidArgumentError(`Column “${name}” has fractions: ${dateFormText(form)} are whole numbers.`);
  const [lo, hi] = [formToDays(n.min, form), formToDays(n.max, form)];
  // Year numbers first: a day count in the millions has no calendar date to print.
  const [first, last] = [yearOf(lo), yearOf(hi)];
  if (!(first >= YEAR_MIN && last <= YEAR_MAX))
    throw new InvalidArgumentError(`Read as ${dateFormText(form)}, column “${name}” would not fall within the years ${YEAR_MIN}–${YEAR_MAX} (its values run from ${n.min} to ${n.max}): these are not dates in that form.`);
  const range = { from: isoOfDays(lo), to: isoOfDays(hi) };
  return { form, status: 'confirmed', why: `Confirmed by the steward: ${dateFormText(form)}, from ${range.from} to ${range.to}.`, range };
}
