// How a run honours its spec's rules, worked out once from the real training rows on the main side and sent to the
// generator worker (and stored with the model for later samples): which inequalities are built in, which values are
// moved, the real combinations, and the real rows' own counts.
import type { Rule, RuleCheck } from '../../../shared/rules-schema';
import { describeRule } from '../../../shared/rules-text';
import type { TableSchema } from '../tabular/schema';
import type { RuleColumn } from './cells';
import { compileRules, countBreaks, realCombinations, type RowCheck, type RuleCount } from './check';
import { chooseConstructions, gapColumns, realFormat, rebuildHighs, withGaps, type Construction } from './construct';
import { isValueRule, valueFixer, type ValueFix } from './values';

type Cells = (string | null)[][];
type Method = RuleCheck['method'];

/** Plain JSON: it crosses to the worker and is stored with the fitted model (it holds real combinations). */
export interface RulePlan {
  format: 'airlock.rule-plan';
  version: 1;
  rules: Rule[];
  /** The synthetic table's columns; the model's rows carry one gap per construction after them. */
  columns: RuleColumn[];
  constructions: Construction[];
  values: ValueFix[];
  /** Per combinations rule (by index), the tuples the real training rows hold. */
  combinations: [number, string[]][];
  methods: Method[];
  real: RuleCount[];
  /** Positions of the condition columns: rejection refills a slot with a row of the same condition values. */
  conditions: number[];
}

export interface ModelInput {
  header: string[];
  rows: Cells;
  schema: TableSchema;
}

/** The plan for a spec's rules over a run's input (the kept columns and the real training rows); null without rules. */
export function planRules(rules: Rule[], input: ModelInput): RulePlan | null {
  if (rules.length === 0) return null;
  const columns: RuleColumn[] = input.schema.columns.map((c) => ({ name: c.name, type: c.type }));
  const conditions = new Set(input.schema.columns.filter((c) => c.role === 'condition').map((c) => c.name));
  const constructions = chooseConstructions(rules, columns, conditions, input.rows);
  const built = new Set(constructions.map((c) => c.rule));
  const values: ValueFix[] = [];
  rules.forEach((rule, i) => {
    if (!isValueRule(rule)) return;
    const at = columns.findIndex((c) => c.name === rule.column);
    const format = at >= 0 ? realFormat(input.rows, columns, at) : null;
    if (format) values.push({ rule: i, at, type: (columns[at] as RuleColumn).type, format });
  });
  const fixed = new Set(values.map((v) => v.rule));
  const combinations: [number, string[]][] = [];
  rules.forEach((rule, i) => {
    if (rule.kind === 'combinations') combinations.push([i, [...realCombinations(rule, columns, input.rows)]]);
  });
  const plan: RulePlan = {
    format: 'airlock.rule-plan',
    version: 1,
    rules,
    columns,
    constructions,
    values,
    combinations,
    methods: rules.map((_, i): Method => (built.has(i) ? 'construction' : fixed.has(i) ? 'clip' : 'rejection')),
    real: [],
    conditions: input.schema.columns.flatMap((c, i) => (c.role === 'condition' ? [i] : [])),
  };
  plan.real = countBreaks(planChecks(plan), input.rows);
  return plan;
}

/** What the model trains on: the real rows with the gap columns appended. */
export function modelledInput(plan: RulePlan | null, input: ModelInput): ModelInput {
  if (!plan || plan.constructions.length === 0) return input;
  return {
    header: [...input.header, ...plan.constructions.map((c) => c.gapName)],
    rows: input.rows.map((r) => withGaps(r, plan.constructions)),
    schema: { columns: [...input.schema.columns, ...gapColumns(plan.constructions)] },
  };
}

/** The model's header (with gap columns), for matching condition columns in its rows. */
export function modelHeader(plan: RulePlan | null, header: string[]): string[] {
  return plan ? [...header, ...plan.constructions.map((c) => c.gapName)] : header;
}

export function planChecks(plan: RulePlan): RowCheck[] {
  return compileRules(plan.rules, plan.columns, new Map(plan.combinations.map(([i, keys]) => [i, new Set(keys)])));
}

/** Turns the model's rows into the synthetic table's: values moved, highs rebuilt, gap columns dropped. */
export function finisher(plan: RulePlan): (row: readonly (string | null)[]) => (string | null)[] {
  const fix = valueFixer(plan.rules, plan.values);
  const width = plan.columns.length;
  return (modelRow) => {
    const row = [...modelRow];
    fix(row);
    rebuildHighs(row, plan.constructions);
    fix(row);
    return row.slice(0, width);
  };
}

/** What a run records per rule, from the finished table and the rows discarded on the way. */
export function ruleChecks(plan: RulePlan | null, cells: Cells, rejected: number[]): RuleCheck[] {
  if (!plan) return [];
  const counts = countBreaks(planChecks(plan), cells);
  return plan.rules.map((rule, i) => ({
    rule,
    text: describeRule(rule),
    method: plan.methods[i] ?? 'rejection',
    rows: counts[i]?.rows ?? 0,
    violations: counts[i]?.violations ?? 0,
    rejected: rejected[i] ?? 0,
    realRows: plan.real[i]?.rows ?? 0,
    realViolations: plan.real[i]?.violations ?? 0,
  }));
}
