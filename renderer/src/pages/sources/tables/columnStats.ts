// Compact statistics for a column, chosen by the type in use. The stats arrive as an open record
// (the profile grows over time), so every field is checked before it is shown.
import type { ColumnType, ColumnView } from '../../../../../electron/shared/ingest-schemas';
import { formatCount, formatNumber } from '../sourcesFormat';

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export interface TopValue {
  value: string;
  count: number;
}

function numeric(stats: Rec): { min: number; max: number; mean: number; std: number | null } | null {
  const n = stats.numeric;
  if (!isRecord(n)) return null;
  const min = num(n.min);
  const max = num(n.max);
  const mean = num(n.mean);
  return min === null || max === null || mean === null ? null : { min, max, mean, std: num(n.std) };
}

function dates(stats: Rec): { min: string; max: string } | null {
  const d = stats.dates;
  if (!isRecord(d)) return null;
  const min = str(d.min);
  const max = str(d.max);
  return min && max ? { min, max } : null;
}

export function topValues(stats: Rec): TopValue[] {
  const top = stats.top;
  if (!Array.isArray(top)) return [];
  return top.flatMap((t: unknown) => {
    if (!isRecord(t)) return [];
    const value = str(t.value);
    const count = num(t.count);
    return value !== null && count !== null ? [{ value, count }] : [];
  });
}

function lengthRange(stats: Rec): string | null {
  const l = stats.length;
  if (!isRecord(l)) return null;
  const min = num(l.min);
  const max = num(l.max);
  if (min === null || max === null) return null;
  return min === max ? `${formatCount(min)} characters each` : `${formatCount(min)}–${formatCount(max)} characters`;
}

const range = (a: string, b: string): string => (a === b ? a : `${a} – ${b}`);
const dayOf = (iso: string, withTime: boolean): string => (withTime ? iso.replace('T', ' ').slice(0, 16) : iso.slice(0, 10));

export interface StatsSummary {
  kind: 'numeric' | 'top' | 'dates' | 'length' | 'none';
  text: string;
  // A second, quieter line (mean ± sd under a numeric range).
  detail?: string;
  top?: TopValue[];
  more?: number;
}

const NUMERIC: ColumnType[] = ['integer', 'number'];
const CATEGORIES: ColumnType[] = ['categorical', 'boolean'];

export function summariseStats(column: ColumnView): StatsSummary {
  const { stats, type } = column;
  const n = numeric(stats);
  const d = dates(stats);
  const top = topValues(stats);
  if (NUMERIC.includes(type) && n) return numericSummary(n);
  if (CATEGORIES.includes(type) && top.length > 0) return { kind: 'top', text: '', top: top.slice(0, 3), more: Math.max(0, column.distinct - 3) };
  if ((type === 'date' || type === 'datetime') && d) return { kind: 'dates', text: range(dayOf(d.min, type === 'datetime'), dayOf(d.max, type === 'datetime')) };
  // A type the profile was not gathered for (an override): fall back to whatever the values support.
  if (n && type !== 'identifier' && type !== 'text') return numericSummary(n);
  const l = lengthRange(stats);
  return l ? { kind: 'length', text: l } : { kind: 'none', text: '—' };
}

function numericSummary(n: { min: number; max: number; mean: number; std: number | null }): StatsSummary {
  const spread = n.std === null ? '' : ` ± ${formatNumber(n.std)}`;
  return { kind: 'numeric', text: range(formatNumber(n.min), formatNumber(n.max)), detail: `mean ${formatNumber(n.mean)}${spread}` };
}
