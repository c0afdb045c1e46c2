// Range, positive, integer and rounded rules applied to the value itself: a present value that breaks one is moved
// to the nearest value that keeps it, written in the real column's format. Values that keep the rule are untouched.
import type { Rule } from '../../../shared/rules-schema';
import type { ColumnType } from '../../ingest/table/types';
import { formatNumber, type NumericFormat } from '../tabular/format';
import { boundOf, numberOf } from './cells';
import { valueTest } from './check';

export type ValueRule = Extract<Rule, { kind: 'range' | 'positive' | 'integer' | 'rounded' }>;

export const isValueRule = (r: Rule): r is ValueRule => r.kind === 'range' || r.kind === 'positive' || r.kind === 'integer' || r.kind === 'rounded';

export interface ValueFix {
  rule: number;
  at: number;
  type: ColumnType;
  format: NumericFormat;
}

// The smallest step the column writes: what "greater than 0" moves a zero or negative value up to.
function smallestStep(f: NumericFormat): number {
  return f.integer || f.type !== 'number' ? 1 : 10 ** -f.decimals;
}

function nearestKeeping(rule: ValueRule, x: number, type: ColumnType, f: NumericFormat): number {
  switch (rule.kind) {
    case 'range': {
      const min = boundOf(rule.min, type);
      const max = boundOf(rule.max, type);
      return Math.min(Number.isNaN(max) ? Infinity : max, Math.max(Number.isNaN(min) ? -Infinity : min, x));
    }
    case 'positive':
      return rule.strict ? Math.max(smallestStep(f), x) : Math.max(0, x);
    case 'integer':
      return Math.round(x);
    case 'rounded':
      return Math.round(x / rule.step) * rule.step;
  }
}

/** A function that moves every present value breaking a value rule (in place), compiled once per table. */
export function valueFixer(rules: Rule[], fixes: ValueFix[]): (row: (string | null)[]) => void {
  const compiled = fixes.flatMap((fix) => {
    const rule = rules[fix.rule];
    return rule && isValueRule(rule) ? [{ fix, rule, keeps: valueTest(rule, { name: '', type: fix.type }) }] : [];
  });
  return (row) => {
    for (const { fix, rule, keeps } of compiled) {
      const x = numberOf(row[fix.at], fix.type);
      if (Number.isNaN(x) || keeps(x)) continue;
      row[fix.at] = formatNumber(nearestKeeping(rule, x, fix.type, fix.format), fix.format);
    }
  };
}
