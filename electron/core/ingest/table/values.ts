// Recognisers for single field values, and coercion of a stored string to its typed value.
import { InvalidArgumentError } from '../../errors';
import type { ColumnType } from './types';

// Decimal point, sign and exponent; no thousands separators ("1,234" means different things across locales).
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// A leading zero before another digit marks a code (007, 02134), not a quantity.
const LEADING_ZERO_RE = /^[+-]?0\d/;
const DIGITS_RE = /^[+-]?\d+$/;

export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (!NUMBER_RE.test(t) || LEADING_ZERO_RE.test(t)) return null;
  const n = Number(t);
  if (!Number.isFinite(n)) return null;
  // Whole numbers beyond 2^53 would lose digits as doubles, so they are codes, not numbers.
  if (DIGITS_RE.test(t) && !Number.isSafeInteger(n)) return null;
  return n;
}

// 0/1 are deliberately absent: they stay integers, which the UI can still offer as categorical.
const BOOLEAN_WORDS = new Map<string, boolean>([
  ['true', true], ['false', false], ['yes', true], ['no', false], ['y', true], ['n', false], ['t', true], ['f', false],
]);

export function parseBoolean(text: string): boolean | null {
  return BOOLEAN_WORDS.get(text.trim().toLowerCase()) ?? null;
}

export interface ParsedDate {
  /** YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS[.fff][zone] when a time was given. */
  iso: string;
  time: boolean;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;
// Day first: the common order on UK and European clinical exports; US month-first dates fail the calendar check or are misread, so they are not guessed.
const DMY_DATE = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})/;
const TIME_TAIL = /^(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function validDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

export function parseDate(text: string): ParsedDate | null {
  const t = text.trim();
  let y: number, m: number, d: number, rest: string;
  const iso = ISO_DATE.exec(t);
  const dmy = iso ? null : DMY_DATE.exec(t);
  if (iso) [y, m, d, rest] = [Number(iso[1]), Number(iso[2]), Number(iso[3]), t.slice(iso[0].length)];
  else if (dmy) [y, m, d, rest] = [Number(dmy[3]), Number(dmy[2]), Number(dmy[1]), t.slice(dmy[0].length)];
  else return null;
  if (!validDay(y, m, d)) return null;
  const tail = TIME_TAIL.exec(rest);
  if (!tail) return null;
  const day = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (tail[1] === undefined) return { iso: day, time: false };
  const [hh, mm, ss] = [Number(tail[1]), Number(tail[2]), Number(tail[3] ?? '0')];
  if (hh > 23 || mm > 59 || ss > 59) return null;
  const clock = `${tail[1].padStart(2, '0')}:${tail[2]}:${tail[3] ?? '00'}${tail[4] ?? ''}`;
  return { iso: `${day}T${clock}${tail[5] ?? ''}`, time: true };
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const PHONE_CHARS = /^\+?[\d\s().-]+$/;
const DECIMAL_RE = /^[+-]?\d*\.\d+$/;
// Full UK postcodes (SW1A 1AA) and US ZIP+4; a bare 5-digit ZIP is only counted for non-numeric columns by the profiler.
const UK_POSTCODE_RE = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/i;
const ZIP9_RE = /^\d{5}-\d{4}$/;
export const ZIP5_RE = /^\d{5}$/;

export function looksLikeEmail(text: string): boolean {
  return text.includes('@') && EMAIL_RE.test(text.trim());
}

export function looksLikePhone(text: string): boolean {
  const t = text.trim();
  if (t.length < 9 || t.length > 24 || !PHONE_CHARS.test(t) || DECIMAL_RE.test(t)) return false;
  const digits = t.replace(/\D/g, '').length;
  // A bare run of digits is a phone number only with a trunk 0 or a + prefix; otherwise it may be a record number.
  return digits >= 9 && digits <= 15 && (/^[+0(]/.test(t) || /[\s().-]/.test(t));
}

export function looksLikePostcode(text: string): boolean {
  const t = text.trim();
  return UK_POSTCODE_RE.test(t) || ZIP9_RE.test(t);
}

const EXPECTED: Record<ColumnType, string> = {
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true/false (or yes/no, y/n, t/f)',
  date: 'a date (YYYY-MM-DD or DD/MM/YYYY)',
  datetime: 'a date and time (YYYY-MM-DD HH:MM[:SS])',
  categorical: 'a category',
  identifier: 'an identifier',
  text: 'text',
};

/** A stored value that does not fit the column's type. */
export class ValueTypeError extends InvalidArgumentError {
  readonly value: string;
  readonly type: ColumnType;
  constructor(value: string, type: ColumnType) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    super(`"${shown}" is not ${EXPECTED[type]}.`);
    this.name = 'ValueTypeError';
    this.value = value;
    this.type = type;
  }
}

export type TypedValue = number | boolean | string | null;

export function coerceValue(raw: string | null, type: ColumnType): TypedValue {
  if (raw === null) return null;
  switch (type) {
    case 'integer': {
      const n = parseNumber(raw);
      if (n === null || !Number.isInteger(n)) throw new ValueTypeError(raw, type);
      return n;
    }
    case 'number': {
      const n = parseNumber(raw);
      if (n === null) throw new ValueTypeError(raw, type);
      return n;
    }
    case 'boolean': {
      const b = parseBoolean(raw);
      if (b === null) throw new ValueTypeError(raw, type);
      return b;
    }
    case 'date': {
      const d = parseDate(raw);
      if (d === null || d.time) throw new ValueTypeError(raw, type);
      return d.iso;
    }
    case 'datetime': {
      const d = parseDate(raw);
      if (d === null) throw new ValueTypeError(raw, type);
      return d.time ? d.iso : `${d.iso}T00:00:00`;
    }
    default:
      return raw;
  }
}

export interface OverrideCheck {
  ok: boolean;
  /** row: 0-based position in the values given; message: why the value does not fit. */
  firstBad?: { row: number; value: string; message: string };
}

/** Checks a column's stored values against a proposed type, stopping at the first that does not fit. */
export function validateOverride(values: Iterable<string | null>, type: ColumnType): OverrideCheck {
  let row = 0;
  for (const value of values) {
    try {
      coerceValue(value, type);
    } catch (err) {
      if (!(err instanceof ValueTypeError)) throw err;
      return { ok: false, firstBad: { row, value: err.value, message: err.message } };
    }
    row++;
  }
  return { ok: true };
}
