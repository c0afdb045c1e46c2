// Number, size and path formatting for the Sources screen.
import type { HoldoutSpec } from '../../../../electron/shared/ingest-schemas';

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 4 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

export const formatCount = (n: number): string => integer.format(n);
// Statistics read best at a few significant digits; whole numbers stay whole.
export const formatNumber = (n: number): string => (Number.isInteger(n) && Math.abs(n) < 1e9 ? integer.format(n) : compact.format(n));
export const formatPercent = (fraction: number): string => percent.format(fraction);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

// Paths may come from Windows or POSIX workstations; either separator ends the folder part.
export function basename(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return cut >= 0 ? trimmed.slice(cut + 1) : trimmed;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;

export function holdoutDetails(h: Pick<HoldoutSpec, 'seed' | 'groupColumn'>): string {
  return h.groupColumn ? `seed ${h.seed}, grouped by ${h.groupColumn}` : `seed ${h.seed}`;
}

// The holdout form edits a percentage; the API takes a fraction.
export const HOLDOUT_MAX_PERCENT = 50;
export function checkHoldout(percentValue: number | string, seed: string): { percent?: string; seed?: string } {
  const errors: { percent?: string; seed?: string } = {};
  if (typeof percentValue !== 'number' || Number.isNaN(percentValue)) errors.percent = 'Enter the share to hold out, from 0 to 50%.';
  else if (percentValue < 0 || percentValue > HOLDOUT_MAX_PERCENT) errors.percent = 'Hold out between 0% and 50% of the data.';
  if (!seed.trim()) errors.seed = 'Enter a seed: the same seed always draws the same split.';
  else if (seed.trim().length > 64) errors.seed = 'Seeds have at most 64 characters.';
  return errors;
}

export function toFraction(percentValue: number): number {
  return Math.round(percentValue * 100) / 10000;
}
