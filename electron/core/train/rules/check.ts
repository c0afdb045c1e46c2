// The rule checker: a pure function over rows of cells. Each rule compiles once into a verdict per row (does not
// apply, holds, broken), so the same code counts breaks in the real training rows, in every batch a generator
// draws, and in the finished synthetic table.
import type { Rule } from '../../../shared/rules-schema';
import { ruleColumns } from '../../../shared/rules-text';
import { AirlockError } from '../../errors';
import { boundOf, comparableOf, flagHolds, numberOf, type RuleColumn } from './cells';

export const NOT_APPLICABLE = 0;
export const HOLDS = 1;
export const BROKEN = 2;
export type Verdict = typeof NOT_APPLICABLE | typeof HOLDS | typeof BROKEN;

export type RowCheck = (row: readonly (string | null)[]) => Verdict;

/** Per rule: the rows it applies to and how many of them break it. */
export interface RuleCount {
  rows: number;
  violations: number;
}

/** The tuple of cells a combinations rule compares, as one key (missing cells included). */
export const comboKey = (row: readonly (string | null)[], at: number[]): string => JSON.stringify(at.map((i) => row[i] ?? null));

function indexer(columns: RuleColumn[]): (name: string) => { at: number; col: RuleColumn } {
  const at = new Map(columns.map((c, i) => [c.name, i]));
  return (name) => {
    const i = at.get(name);
    if (i === undefined) throw new AirlockError('INVALID_ARGUMENT', `A rule names the column “${name}”, which the synthetic table does not have.`);
    return { at: i, col: columns[i] as RuleColumn };
  };
}

/**
 * One rule as a row check over cells laid out as `columns`. `allowed` holds the real tuples of a combinations rule
 * (see comboKey); it is required for that kind only.
 */
export function compileRule(rule: Rule, columns: RuleColumn[], allowed?: ReadonlySet<string>): RowCheck {
  const find = indexer(columns);
  for (const name of ruleColumns(rule)) find(name);
  const flag = (w: { column: string; values: string[] } | undefined): ((row: readonly (string | null)[]) => boolean) => {
    if (!w) return () => true;
    const { at, col } = find(w.column);
    return (row) => flagHolds(row[at], col.type, w.values);
  };
  switch (rule.kind) {
    case 'inequality': {
      const lo = find(rule.low);
      const hi = find(rule.high);
      const when = flag(rule.when);
      return (row) => {
        if (!when(row)) return NOT_APPLICABLE;
        const a = comparableOf(row[lo.at], lo.col.type);
        const b = comparableOf(row[hi.at], hi.col.type);
        if (Number.isNaN(a) || Number.isNaN(b)) return NOT_APPLICABLE;
        return (rule.strict ? a < b : a <= b) ? HOLDS : BROKEN;
      };
    }
    case 'combinations': {
      if (!allowed) throw new AirlockError('INTERNAL', 'A combinations rule was checked without the real combinations.');
      const at = rule.columns.map((c) => find(c).at);
      return (row) => (allowed.has(comboKey(row, at)) ? HOLDS : BROKEN);
    }
    case 'presence': {
      const { at } = find(rule.column);
      const when = flag(rule.when);
      return (row) => {
        const present = row[at] !== null && row[at] !== undefined;
        const holds = when(row);
        if (present && !holds) return BROKEN;
        return rule.required && holds && !present ? BROKEN : HOLDS;
      };
    }
    case 'missing-together': {
      const at = rule.columns.map((c) => find(c).at);
      return (row) => {
        const missing = at.filter((i) => row[i] === null || row[i] === undefined).length;
        return missing === 0 || missing === at.length ? HOLDS : BROKEN;
      };
    }
    default: {
      const { at, col } = find(rule.column);
      const ok = valueTest(rule, col);
      return (row) => {
        const x = numberOf(row[at], col.type);
        if (Number.isNaN(x)) return NOT_APPLICABLE;
        return ok(x) ? HOLDS : BROKEN;
      };
    }
  }
}

type ValueRule = Extract<Rule, { kind: 'range' | 'positive' | 'integer' | 'rounded' }>;

/** Whether a present value (in the column's units) keeps a value rule. */
export function valueTest(rule: ValueRule, col: RuleColumn): (x: number) => boolean {
  switch (rule.kind) {
    case 'range': {
      const min = boundOf(rule.min, col.type);
      const max = boundOf(rule.max, col.type);
      return (x) => !(x < min) && !(x > max);
    }
    case 'positive':
      return rule.strict ? (x) => x > 0 : (x) => x >= 0;
    case 'integer':
      return (x) => Number.isInteger(x);
    case 'rounded':
      // Decimal steps (0.1) are not exact in binary: a multiple is within a relative hair of a whole number of steps.
      return (x) => {
        const q = x / rule.step;
        return Math.abs(q - Math.round(q)) <= 1e-9 * Math.max(1, Math.abs(q));
      };
  }
}

/** The real combinations of a combinations rule's columns, from the training rows. */
export function realCombinations(rule: Extract<Rule, { kind: 'combinations' }>, columns: RuleColumn[], rows: readonly (readonly (string | null)[])[]): Set<string> {
  const find = indexer(columns);
  const at = rule.columns.map((c) => find(c).at);
  return new Set(rows.map((r) => comboKey(r, at)));
}

/** Every rule compiled over `columns`; combinations rules take their allowed tuples from `combos` (by rule index). */
export function compileRules(rules: Rule[], columns: RuleColumn[], combos: ReadonlyMap<number, ReadonlySet<string>>): RowCheck[] {
  return rules.map((r, i) => compileRule(r, columns, combos.get(i)));
}

/** Per rule, the rows it applies to and how many break it. */
export function countBreaks(checks: RowCheck[], rows: readonly (readonly (string | null)[])[]): RuleCount[] {
  const counts = checks.map(() => ({ rows: 0, violations: 0 }));
  for (const row of rows) {
    checks.forEach((check, i) => {
      const v = check(row);
      const c = counts[i] as RuleCount;
      if (v !== NOT_APPLICABLE) c.rows += 1;
      if (v === BROKEN) c.violations += 1;
    });
  }
  return counts;
}

/**
 * Counts on the real training rows, which define the combinations: the one call a spec check or a suggestion
 * needs (a combinations rule always holds on the rows it was read from).
 */
export function checkRealRows(rules: Rule[], columns: RuleColumn[], rows: readonly (readonly (string | null)[])[]): RuleCount[] {
  const combos = new Map<number, Set<string>>();
  rules.forEach((r, i) => {
    if (r.kind === 'combinations') combos.set(i, realCombinations(r, columns, rows));
  });
  return countBreaks(compileRules(rules, columns, combos), rows);
}
