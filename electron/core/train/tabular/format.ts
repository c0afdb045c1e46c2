// Turns a generated number back into a cell that reads like the source column's: every generator's output goes
// through here, so synthetic tables never show "3.0000001", an out-of-range value or a date as a day count.

export type NumericType = 'integer' | 'number' | 'date' | 'datetime';

/** What a numeric column's cells look like; learnt from the training data by prepareColumns. */
export interface NumericFormat {
  type: NumericType;
  /** Smallest and largest value seen (dates: days since 1970-01-01; datetimes: ms since 1970-01-01T00:00:00). */
  min: number;
  max: number;
  /** Every value seen was a whole number (of days or milliseconds for dates and datetimes). */
  integer: boolean;
  /** Most decimal places seen, at most 6 (datetimes: fractional-second digits, at most 3). */
  decimals: number;
  /** Some source cell kept trailing zeros ("3.50"), so outputs are padded to `decimals` too. */
  padded: boolean;
  /**
   * The distinct values, when there are few (≤ LEVELS_MAX): outputs snap to the nearest, so a 0/0.5/1 score column never
   * yields 0.3 from interpolating between levels.
   */
  levels: number[] | null;
  /** Datetimes only: the source's separator between date and time. */
  timeSeparator?: 'T' | ' ';
}

export const LEVELS_MAX = 20;
export const MAX_DECIMALS = 6;
export const DAY_MS = 86_400_000;

function nearestLevel(levels: number[], x: number): number {
  // Levels are sorted: binary search for the first ≥ x, then take the closer neighbour.
  let lo = 0;
  let hi = levels.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((levels[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  const above = levels[lo] as number;
  const below = lo > 0 ? (levels[lo - 1] as number) : above;
  return x - below <= above - x ? below : above;
}

/** The value a cell will hold: clipped to the source range, snapped to its levels, rounded to its precision. */
export function conformNumber(x: number, f: NumericFormat): number {
  let v = Math.min(f.max, Math.max(f.min, x));
  if (f.levels) return nearestLevel(f.levels, v);
  if (f.integer) v = Math.round(v);
  else if (f.type === 'number') v = Number(v.toFixed(f.decimals));
  return v + 0; // −0 + 0 is +0, so no cell reads "-0"
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Formats one generated number (null = missing) as a source-like cell. */
export function formatNumber(x: number | null, f: NumericFormat): string | null {
  if (x === null || Number.isNaN(x)) return null;
  const v = conformNumber(x, f);
  switch (f.type) {
    case 'date':
      return new Date(Math.round(v) * DAY_MS).toISOString().slice(0, 10);
    case 'datetime': {
      const t = new Date(Math.round(v));
      const clock = `${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}`;
      const frac = f.decimals > 0 ? `.${String(t.getUTCMilliseconds()).padStart(3, '0').slice(0, f.decimals)}` : '';
      return `${t.toISOString().slice(0, 10)}${f.timeSeparator ?? 'T'}${clock}${frac}`;
    }
    default: {
      if (f.integer) return String(Math.round(v) || 0); // `|| 0` turns −0 into 0
      const text = v.toFixed(f.decimals);
      const trimmed = f.padded || !text.includes('.') ? text : text.replace(/\.?0+$/, '');
      return trimmed === '-0' ? '0' : trimmed;
    }
  }
}
