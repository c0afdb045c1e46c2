// Turns stored string cells into the typed column arrays the tabular generators train on, with the facts each
// generator needs to write cells back in the source's form (range, precision, categories, missingness).
import { InvalidArgumentError } from '../../errors';
import { coerceValue, ValueTypeError } from '../../ingest/table/values';
import type { ColumnType } from '../../ingest/table/types';
import { DAY_MS, decimalsCap, LEVELS_MAX, type NumericFormat, type NumericType } from './format';

/** 'condition': a column whose value the user may fix when sampling; it is modelled like any other. */
export type ColumnRole = 'synthesise' | 'condition';

export interface SchemaColumn {
  name: string;
  type: ColumnType;
  role: ColumnRole;
}

/** The columns a generator models, in output order. Columns left out (identifiers, free text) are dropped. */
export interface TableSchema {
  columns: SchemaColumn[];
}

interface ColumnBase {
  name: string;
  type: ColumnType;
  role: ColumnRole;
  /** Share of rows with no value. */
  missingRate: number;
}

/** Integer, number, date (days since epoch) or datetime (ms since epoch) values; NaN marks a missing cell. */
export interface ContinuousColumn extends ColumnBase {
  kind: 'continuous';
  type: NumericType;
  values: Float64Array;
  format: NumericFormat;
}

/** Categorical or boolean cells, kept verbatim; null marks a missing cell. */
export interface DiscreteColumn extends ColumnBase {
  kind: 'discrete';
  values: (string | null)[];
  /** Non-missing categories, most frequent first (ties in code-unit order), with their counts. */
  categories: string[];
  counts: number[];
}

export type PreparedColumn = ContinuousColumn | DiscreteColumn;

const REFUSED: Partial<Record<ColumnType, string>> = { identifier: 'an identifier', text: 'free text' };

function isoDays(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

// The wall-clock reading as if it were UTC: the profiler ignores time zones, so the generators do too.
function isoMillis(iso: string): { ms: number; fractionDigits: number } {
  const m = /T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/.exec(iso);
  const [hh, mm, ss, frac] = m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ''] : [0, 0, 0, ''];
  const ms = Math.round(Number(`0.${frac || '0'}`) * 1000);
  return { ms: isoDays(iso) * DAY_MS + ((hh * 60 + mm) * 60 + ss) * 1000 + ms, fractionDigits: Math.min(3, frac.length) };
}

/** Decimal places written in a number's text ("2.50" → 2, "1.5e-3" → 4), and whether it ends in a padding zero. */
function decimalsOf(text: string): { decimals: number; padded: boolean } {
  const t = text.trim();
  const [mantissa = '', exponent] = t.split(/[eE]/);
  const frac = mantissa.includes('.') ? (mantissa.split('.')[1] ?? '') : '';
  const decimals = Math.max(0, frac.length - (exponent === undefined ? 0 : Number(exponent)));
  return { decimals, padded: exponent === undefined && frac.length > 0 && frac.endsWith('0') };
}

function typed(raw: string, type: ColumnType, name: string, row?: number): ReturnType<typeof coerceValue> {
  try {
    return coerceValue(raw, type);
  } catch (err) {
    if (err instanceof ValueTypeError) throw new InvalidArgumentError(`Column “${name}”${row === undefined ? '' : `, row ${row + 1}`}: ${err.message}`);
    throw err;
  }
}

/** A numeric, date or datetime cell as the number the generators model (days or ms since epoch for dates). */
export function cellToNumber(raw: string, type: NumericType, name: string, row?: number): number {
  const v = typed(raw, type, name, row);
  if (type === 'date') return isoDays(v as string);
  if (type === 'datetime') return isoMillis(v as string).ms;
  return v as number;
}

function prepareContinuous(cells: (string | null)[], col: SchemaColumn & { type: NumericType }): ContinuousColumn {
  const values = new Float64Array(cells.length).fill(Number.NaN);
  let [min, max, count, decimals, padded, integer] = [Infinity, -Infinity, 0, 0, false, true];
  let timeSeparator: 'T' | ' ' | undefined;
  const distinct = new Set<number>();
  cells.forEach((raw, row) => {
    if (raw === null) return;
    const v = typed(raw, col.type, col.name, row);
    let x: number;
    if (col.type === 'date') x = isoDays(v as string);
    else if (col.type === 'datetime') {
      const t = isoMillis(v as string);
      x = t.ms;
      decimals = Math.max(decimals, t.fractionDigits);
      timeSeparator ??= raw.trim().charAt(10) === ' ' ? ' ' : 'T';
    } else {
      x = v as number;
      if (col.type === 'number') {
        const d = decimalsOf(raw);
        decimals = Math.max(decimals, d.decimals);
        padded ||= d.padded;
      }
    }
    values[row] = x;
    count++;
    min = Math.min(min, x);
    max = Math.max(max, x);
    integer &&= Number.isInteger(x);
    if (distinct.size <= LEVELS_MAX) distinct.add(x);
  });
  if (count === 0) throw new InvalidArgumentError(`Column “${col.name}” has no values; drop it or keep it out of synthesis.`);
  const levels = distinct.size <= LEVELS_MAX ? [...distinct].sort((a, b) => a - b) : null;
  // As many decimals as the text carries (11 stay 11), up to what a double holds at this column's magnitude.
  const cap = col.type === 'number' ? decimalsCap(Math.max(Math.abs(min), Math.abs(max))) : decimals;
  const format: NumericFormat = { type: col.type, min, max, integer, decimals: Math.min(decimals, cap), padded, levels };
  if (timeSeparator) format.timeSeparator = timeSeparator;
  return { kind: 'continuous', name: col.name, type: col.type, role: col.role, missingRate: (cells.length - count) / cells.length, values, format };
}

function prepareDiscrete(cells: (string | null)[], col: SchemaColumn): DiscreteColumn {
  const tally = new Map<string, number>();
  cells.forEach((raw, row) => {
    if (raw === null) return;
    if (col.type === 'boolean') typed(raw, col.type, col.name, row); // checked, but kept verbatim ("Yes" stays "Yes")
    tally.set(raw, (tally.get(raw) ?? 0) + 1);
  });
  const ranked = [...tally].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const missing = cells.reduce((n, c) => n + (c === null ? 1 : 0), 0);
  return {
    kind: 'discrete',
    name: col.name,
    type: col.type,
    role: col.role,
    missingRate: cells.length === 0 ? 0 : missing / cells.length,
    values: cells,
    categories: ranked.map(([c]) => c),
    counts: ranked.map(([, n]) => n),
  };
}

/**
 * Typed columns, in schema order, from rows of stored cells (null = missing). Throws InvalidArgumentError for a
 * schema column missing from the header, an identifier or free-text column, an all-missing numeric column, or a cell
 * that does not fit its column's type.
 */
export function prepareColumns(rows: (string | null)[][], header: string[], schema: TableSchema): PreparedColumn[] {
  if (rows.length === 0) throw new InvalidArgumentError('The table has no rows to learn from.');
  const seen = new Set<string>();
  return schema.columns.map((col) => {
    const refused = REFUSED[col.type];
    if (refused) throw new InvalidArgumentError(`Column “${col.name}” is ${refused}; drop it or keep it out of synthesis.`);
    if (seen.has(col.name)) throw new InvalidArgumentError(`Column “${col.name}” is listed twice in the schema.`);
    seen.add(col.name);
    const at = header.indexOf(col.name);
    if (at < 0) throw new InvalidArgumentError(`Column “${col.name}” is not in the table.`);
    const cells = rows.map((r) => r[at] ?? null);
    switch (col.type) {
      case 'integer':
      case 'number':
      case 'date':
      case 'datetime':
        return prepareContinuous(cells, { ...col, type: col.type });
      default:
        return prepareDiscrete(cells, col);
    }
  });
}
