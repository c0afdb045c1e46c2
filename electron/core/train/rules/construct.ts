// Inequalities by construction, as SDV does: for low ≤ high between two numeric (or two date) columns the generator
// also learns the gap high − low, which is ≥ 0 in every real row, and high is rebuilt as low + gap after sampling.
// The gap is an extra column (present only where the rule applies, so a `when` flag needs no other treatment);
// high itself is still modelled, and keeps its sampled value on rows the rule does not cover.
import type { Rule } from '../../../shared/rules-schema';
import type { ColumnType } from '../../ingest/table/types';
import { formatNumber, type NumericFormat } from '../tabular/format';
import { prepareColumns, type SchemaColumn } from '../tabular/schema';
import { flagHolds, isDateLike, isNumeric, numberOf, type RuleColumn } from './cells';

type Inequality = Extract<Rule, { kind: 'inequality' }>;
type Rows = readonly (readonly (string | null)[])[];

export interface Construction {
  /** The rule's index in the spec. */
  rule: number;
  /** Positions of low, high (in the output row) and the gap (after the output columns, in the model's row). */
  low: number;
  high: number;
  gap: number;
  lowType: ColumnType;
  highType: ColumnType;
  gapType: 'integer' | 'number';
  gapName: string;
  /** Decimals the gap is written with (the finer of the two columns). */
  decimals: number;
  when: { at: number; type: ColumnType; values: string[] } | null;
  /** The real high column's format, so a rebuilt value reads like the source's. */
  highFormat: NumericFormat;
}

// Two numbers, or two dates of the same kind: their difference is a plain number of the same units.
function sameUnits(a: ColumnType, b: ColumnType): boolean {
  return (isNumeric(a) && isNumeric(b)) || (isDateLike(a) && a === b);
}

/** The real column's format (range, precision), for writing a value like the source does; null when it has no values. */
export function realFormat(rows: Rows, columns: RuleColumn[], at: number): NumericFormat | null {
  const col = columns[at] as RuleColumn;
  const schema = { columns: [{ name: col.name, type: col.type, role: 'synthesise' as const }] };
  try {
    const [prepared] = prepareColumns(rows.map((r) => [r[at] ?? null]), [col.name], schema);
    return prepared?.kind === 'continuous' ? prepared.format : null;
  } catch {
    return null; // no values at all: nothing to learn a gap from
  }
}

function gapText(gap: number, c: Pick<Construction, 'gapType' | 'decimals'>): string {
  if (c.gapType === 'integer') return String(Math.round(gap) + 0);
  const text = gap.toFixed(c.decimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function gapOf(row: readonly (string | null)[], c: Construction): string | null {
  if (c.when && !flagHolds(row[c.when.at], c.when.type, c.when.values)) return null;
  const l = numberOf(row[c.low], c.lowType);
  const h = numberOf(row[c.high], c.highType);
  return Number.isNaN(l) || Number.isNaN(h) ? null : gapText(h - l, c);
}

/**
 * The inequalities that can be built in, in the order to rebuild them (a chain a ≤ b ≤ c rebuilds b before c).
 * Left to rejection: mixed units, a high that is a condition column (its value is given) or already rebuilt by
 * another rule, cycles, and rules no real row exercises.
 */
export function chooseConstructions(rules: Rule[], columns: RuleColumn[], conditions: ReadonlySet<string>, rows: Rows): Construction[] {
  const at = new Map(columns.map((c, i) => [c.name, i]));
  const taken = new Map<string, Inequality>();
  const chosen: Construction[] = [];
  rules.forEach((rule, index) => {
    if (rule.kind !== 'inequality') return;
    const low = at.get(rule.low);
    const high = at.get(rule.high);
    if (low === undefined || high === undefined || low === high) return;
    const lowType = (columns[low] as RuleColumn).type;
    const highType = (columns[high] as RuleColumn).type;
    if (!sameUnits(lowType, highType) || conditions.has(rule.high) || taken.has(rule.high) || rule.when?.column === rule.high) return;
    // Rebuilding high from low must not, through other rebuilt columns, depend on high itself.
    for (let x: string | undefined = rule.low; x !== undefined; x = taken.get(x)?.low) if (x === rule.high) return;
    const highFormat = realFormat(rows, columns, high);
    const lowFormat = realFormat(rows, columns, low);
    if (!highFormat || !lowFormat) return;
    const whenAt = rule.when ? at.get(rule.when.column) : undefined;
    const when = rule.when && whenAt !== undefined ? { at: whenAt, type: (columns[whenAt] as RuleColumn).type, values: rule.when.values } : null;
    const gapType = lowType === 'number' || highType === 'number' ? 'number' : 'integer';
    const c: Construction = { rule: index, low, high, gap: -1, lowType, highType, gapType, gapName: '', decimals: Math.max(lowFormat.decimals, highFormat.decimals), when, highFormat };
    if (!rows.some((r) => gapOf(r, c) !== null)) return;
    taken.set(rule.high, rule);
    chosen.push(c);
  });
  // Rebuild a column before any construction that reads it as its low.
  const ordered: Construction[] = [];
  const pending = [...chosen];
  while (pending.length > 0) {
    const next = pending.findIndex((c) => !pending.some((o) => o !== c && o.high === c.low));
    ordered.push(...pending.splice(next < 0 ? 0 : next, 1));
  }
  const names = new Set(columns.map((c) => c.name));
  return ordered.map((c, k) => {
    let gapName = `${(columns[c.high] as RuleColumn).name} − ${(columns[c.low] as RuleColumn).name} (gap)`;
    while (names.has(gapName)) gapName += '′';
    names.add(gapName);
    return { ...c, gap: columns.length + k, gapName };
  });
}

/** The model's columns: the output columns, then one gap per construction. */
export function gapColumns(constructions: Construction[]): SchemaColumn[] {
  return constructions.map((c) => ({ name: c.gapName, type: c.gapType, role: 'synthesise' }));
}

/** A real row as the model sees it: the gaps appended (missing where the rule does not apply). */
export function withGaps(row: readonly (string | null)[], constructions: Construction[]): (string | null)[] {
  return [...row, ...constructions.map((c) => gapOf(row, c))];
}

/** Rebuilds each high as low + gap (in place, in construction order) on rows the rule covers. */
export function rebuildHighs(row: (string | null)[], constructions: Construction[]): void {
  for (const c of constructions) {
    if (row[c.high] === null || (c.when && !flagHolds(row[c.when.at], c.when.type, c.when.values))) continue;
    const l = numberOf(row[c.low], c.lowType);
    const g = numberOf(row[c.gap], c.gapType);
    if (Number.isNaN(l) || Number.isNaN(g)) continue;
    row[c.high] = formatNumber(l + Math.max(0, g), c.highFormat);
  }
}
