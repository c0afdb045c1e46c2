// Reading cells the way the generators do (numbers and dates as in tabular/schema.ts cellToNumber), for rules:
// a missing or unreadable cell is NaN, so a rule over it does not apply rather than failing the whole table.
import type { ColumnType } from '../../ingest/table/types';
import { DAY_MS, type NumericType } from '../tabular/format';
import { cellToNumber } from '../tabular/schema';

/** A column a rule reads: its name and (possibly overridden) type, in the table's column order. */
export interface RuleColumn {
  name: string;
  type: ColumnType;
}

export const isNumeric = (t: ColumnType): t is 'integer' | 'number' => t === 'integer' || t === 'number';
export const isDateLike = (t: ColumnType): t is 'date' | 'datetime' => t === 'date' || t === 'datetime';
export const isOrdered = (t: ColumnType): t is NumericType => isNumeric(t) || isDateLike(t);

/** The cell as the number a generator models (days for dates, ms for datetimes); NaN when missing or unreadable. */
export function numberOf(cell: string | null | undefined, type: ColumnType): number {
  if (cell === null || cell === undefined || !isOrdered(type)) return Number.NaN;
  try {
    return cellToNumber(cell, type, '');
  } catch {
    return Number.NaN;
  }
}

/** A value comparable across a date and a datetime column (both in ms); numbers as they are. */
export function comparableOf(cell: string | null | undefined, type: ColumnType): number {
  const x = numberOf(cell, type);
  return type === 'date' ? x * DAY_MS : x;
}

/** A rule's bound (a number, or an ISO date for date columns) in the column's own units; NaN if it does not fit. */
export function boundOf(bound: number | string | undefined, type: ColumnType): number {
  if (bound === undefined) return Number.NaN;
  if (typeof bound === 'number') return isNumeric(type) ? bound : Number.NaN;
  return isDateLike(type) ? numberOf(bound, type) : Number.NaN;
}

/** Whether a row's flag cell is one of the given values (numerically for numeric flags, so "1" matches "1.0"). */
export function flagHolds(cell: string | null | undefined, type: ColumnType, values: string[]): boolean {
  if (cell === null || cell === undefined) return false;
  if (isNumeric(type)) {
    const x = numberOf(cell, type);
    return values.some((v) => v.trim() === cell.trim() || (Number.isFinite(x) && Number(v) === x && v.trim() !== ''));
  }
  return values.some((v) => v === cell || v.trim() === cell.trim());
}
