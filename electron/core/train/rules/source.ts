// The spec's rules against its source table, when the spec is saved: every rule reads columns the synthetic table
// has, of a kind the rule makes sense for, and holds in every real training row (a rule the real data breaks would
// make every generator fail, or force an impossible table).
import type { Rule } from '../../../shared/rules-schema';
import { describeRule, ruleColumns } from '../../../shared/rules-text';
import type { Spec } from '../../../shared/spec-schema';
import { AirlockError } from '../../errors';
import type { ColumnType } from '../../ingest/table/types';
import type { Db } from '../../store/database';
import { trainingRows } from '../runs-repo';
import type { SourceCodec } from '../../store/sources-seal';
import { boundOf, isDateLike, isNumeric, isOrdered, type RuleColumn } from './cells';
import { checkRealRows } from './check';

interface SourceColumn {
  name: string;
  type: ColumnType;
  index: number;
}

const q = (name: string): string => `“${name}”`;
const refuse = (rule: Rule, why: string): AirlockError => new AirlockError('INVALID_ARGUMENT', `The rule ${describeRule(rule)} ${why}`);

function kindOf(t: ColumnType): string {
  return isNumeric(t) ? 'numeric' : isDateLike(t) ? 'a date' : `a ${t} column`;
}

function checkKinds(rule: Rule, type: (name: string) => ColumnType): void {
  switch (rule.kind) {
    case 'inequality': {
      const [a, b] = [type(rule.low), type(rule.high)];
      if (!((isNumeric(a) && isNumeric(b)) || (isDateLike(a) && isDateLike(b))))
        throw refuse(rule, `compares ${q(rule.low)} (${kindOf(a)}) with ${q(rule.high)} (${kindOf(b)}): an inequality needs two numeric columns or two date columns.`);
      return;
    }
    case 'range': {
      const t = type(rule.column);
      if (!isOrdered(t)) throw refuse(rule, `needs a numeric or date column; ${q(rule.column)} is ${kindOf(t)}.`);
      if (rule.min === undefined && rule.max === undefined) throw refuse(rule, 'has no bound: give a minimum, a maximum or both.');
      for (const b of [rule.min, rule.max]) {
        if (b !== undefined && Number.isNaN(boundOf(b, t))) throw refuse(rule, isNumeric(t) ? `has a bound that is not a number, but ${q(rule.column)} is numeric.` : `has a bound that is not a date (YYYY-MM-DD), but ${q(rule.column)} holds dates.`);
      }
      if (boundOf(rule.min, t) > boundOf(rule.max, t)) throw refuse(rule, 'has its minimum above its maximum.');
      return;
    }
    case 'positive':
    case 'integer':
    case 'rounded': {
      const t = type(rule.column);
      if (!isNumeric(t)) throw refuse(rule, `needs a numeric column; ${q(rule.column)} is ${kindOf(t)}.`);
      return;
    }
    default:
      return;
  }
}

/** Refuses a rule that names a missing, dropped or unsuitable column, or that the real training rows break. */
export function checkSpecRules(db: Db, codec: SourceCodec, spec: Spec, table: { id: number; name: string; columns: SourceColumn[] }): void {
  if (spec.rules.length === 0) return;
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const dropped = new Set(spec.columns.filter((c) => c.treatment === 'drop').map((c) => c.name));
  for (const rule of spec.rules) {
    const names = ruleColumns(rule);
    for (const name of names) {
      if (!byName.has(name)) throw refuse(rule, `names ${q(name)}, which the table “${table.name}” does not have.`);
      if (dropped.has(name)) throw refuse(rule, `reads ${q(name)}, which this spec drops: synthesise the column, or drop the rule.`);
    }
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined) throw refuse(rule, `names ${q(twice)} twice; a rule joins different columns.`);
    checkKinds(rule, (name) => (byName.get(name) as SourceColumn).type);
  }
  const columns: RuleColumn[] = [];
  for (const c of table.columns) columns[c.index] = { name: c.name, type: c.type };
  const dense = Array.from(columns, (c, i) => c ?? { name: `\u0000column ${i}`, type: 'text' as const });
  const counts = checkRealRows(spec.rules, dense, trainingRows(db, codec, table.id));
  spec.rules.forEach((rule, i) => {
    const c = counts[i];
    if (c && c.violations > 0)
      throw refuse(rule, `is broken by ${c.violations} of the ${c.rows} real training rows it applies to, so no synthetic table could keep it; correct the rule, or drop it.`);
  });
}
