// Number formatting for reports and the CLI: the same text everywhere a number is shown.
import type { JudgedCriterion } from '../gate';
import type { MetricInfo, Interval } from '../types';
import type { ReportDocument } from './html';

export const num = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : String(Number(v.toPrecision(digits))));
export const pct = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : `${(v * 100).toFixed(digits)}%`);
export const interval = (i: Interval | null | undefined): string | undefined => (i && Number.isFinite(i.low) && Number.isFinite(i.high) ? `95% CI ${num(i.low)} – ${num(i.high)}` : undefined);

const bound = (v: number): string => (v === Infinity ? '∞' : v === -Infinity ? '−∞' : num(v));

export type MetricRow = { name: string; definition: string; value: string; interval?: string; range: string; goal: 'higher is better' | 'lower is better' };

/** One row of a metrics table: the metric's definition, range and direction beside its value. */
export function metricRow(info: MetricInfo, value: number | null | undefined, iv?: Interval | null, label?: string): MetricRow {
  const row: MetricRow = { name: label ?? info.name, definition: info.definition, value: num(value), range: `${bound(info.min)} to ${bound(info.max)}`, goal: info.goal === 'maximize' ? 'higher is better' : 'lower is better' };
  const text = interval(iv);
  if (text) row.interval = text;
  return row;
}

/** One row of the report's criteria table, for table and image criteria alike. */
export function criterionRow(c: JudgedCriterion<string, string>): ReportDocument['criteria'][number] {
  const measured = c.value === null ? (c.status === 'not-applicable' ? '—' : 'not computable') : `${num(c.value)}${c.interval ? ` (${interval(c.interval) ?? 'interval not computable'})` : ''}`;
  return {
    id: c.id,
    sentence: c.changed ? `${c.sentence} (changed from the tier default ${num(c.tierDefault)})` : c.sentence,
    measured,
    threshold: `${c.bound === 'max' ? '≤' : '≥'} ${num(c.threshold)}`,
    status: c.status,
    straddles: c.straddles,
    note: c.detail,
  };
}
