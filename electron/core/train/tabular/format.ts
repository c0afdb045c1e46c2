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
  /**
   * Most decimal places seen, as many as the text carries up to what a double holds (MAX_SIGNIFICANT digits in all);
   * datetimes: fractional-second digits, at most 3.
   */
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
/** Significant digits a double keeps exactly from decimal text (DBL_DIG): more would print binary noise. */
export const MAX_SIGNIFICANT = 15;
/** @deprecated Decimals are no longer capped at a fixed count; see decimalsCap. Kept for older importers. */
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

/** Most decimals worth keeping for values up to |maxAbs|: MAX_SIGNIFICANT digits in all, never fewer than 0. */
export function decimalsCap(maxAbs: number): number {
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return MAX_SIGNIFICANT - 1;
  return Math.max(0, Math.min(100, MAX_SIGNIFICANT - 1 - Math.floor(Math.log10(maxAbs))));
}

/**
 * x folded back into [min, max] by reflection at the bounds (repeatedly, for far-out values). Clipping would pile
 * every overshoot onto the exact real extreme, often the most identifying value of a column; reflection needs no
 * random draw, so the same input always gives the same cell.
 */
export function reflectInto(x: number, min: number, max: number): number {
  if (!Number.isFinite(x)) return x === Infinity ? max : min;
  if (x >= min && x <= max) return x;
  const width = max - min;
  if (!(width > 0)) return min;
  const t = (((x - min) % (2 * width)) + 2 * width) % (2 * width);
  return min + (t <= width ? t : 2 * width - t);
}

// One grid step of the column's precision.
const stepOf = (f: NumericFormat): number => (f.integer ? 1 : 10 ** -f.decimals);

/** x rounded to the column's precision, kept inside [min, max]: a rounding that leaves the range moves one step in. */
function roundInside(x: number, f: NumericFormat): number {
  const round = (v: number): number => (f.integer ? Math.round(v) : Number(v.toFixed(f.decimals)));
  let v = round(x);
  if (v < f.min) v = round(v + stepOf(f));
  if (v > f.max) v = round(v - stepOf(f));
  // A grid coarser than the range itself (cannot happen for a range learnt from the same text) falls back to a bound.
  return Math.min(f.max, Math.max(f.min, v));
}

/**
 * The value a cell will hold. Level columns (few distinct values) snap to the nearest level, extremes included,
 * since there the extreme is a genuine common value (a 0/1 flag). Other columns are folded into the real range by
 * reflection rather than clipped (see reflectInto), then rounded to the column's precision inside the range.
 */
export function conformNumber(x: number, f: NumericFormat): number {
  if (f.levels) return nearestLevel(f.levels, Math.min(f.max, Math.max(f.min, x))) + 0;
  const v = reflectInto(x, f.min, f.max);
  if (f.type !== 'number' && !f.integer) return v + 0;
  return roundInside(v, f) + 0; // −0 + 0 is +0, so no cell reads "-0"
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
