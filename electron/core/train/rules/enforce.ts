// Rejection with a budget: draw rows, finish them (values moved, highs rebuilt), keep the ones that break no rule,
// and draw again until the table is full. When the budget runs out the generator has not learnt a rule, and the
// run says which one, with the share of drawn rows that kept it.
import { describeRule } from '../../../shared/rules-text';
import { AirlockError } from '../../errors';
import { BROKEN, comboKey, NOT_APPLICABLE } from './check';
import { finisher, planChecks, type RulePlan } from './plan';

type Cells = (string | null)[][];

/** Rows drawn in all per requested row before the run gives up. */
export const RULE_BUDGET_FACTOR = 50;

export interface RuleStats {
  drawn: number;
  /** Per rule: drawn rows discarded because they broke it (a row breaking two rules counts for both). */
  rejected: number[];
}

/** A batch of k model rows; round 0 must be the draw a run without rules makes, so such runs are unchanged. */
export type Draw = (k: number, round: number) => Promise<Cells> | Cells;

function percent(share: number): string {
  if (share > 0 && share < 0.001) return 'under 0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

/**
 * n rows that keep every rule of the plan (no plan: one draw of n, as before). Round 0's rows fix the slots: a slot
 * whose row breaks a rule is refilled by a later row with the same condition values, so rejection never shifts the
 * distribution of the condition columns (nor the order of rows).
 */
export async function drawKeepingRules(plan: RulePlan | null, n: number, draw: Draw, onStage?: (stage: string) => void): Promise<{ cells: Cells; stats: RuleStats | null }> {
  if (!plan) return { cells: await draw(n, 0), stats: null };
  const checks = planChecks(plan);
  const finish = finisher(plan);
  const keyOf = (row: readonly (string | null)[]): string => comboKey(row, plan.conditions);
  const budget = Math.max(RULE_BUDGET_FACTOR * n, 1000);
  const rejected = checks.map(() => 0);
  const applied = checks.map(() => 0);
  const out = new Array<(string | null)[]>(n);
  const open = new Map<string, number[]>();
  let filled = 0;
  let drawn = 0;
  const keeps = (row: (string | null)[]): boolean => {
    let ok = true;
    checks.forEach((check, i) => {
      const v = check(row);
      if (v !== NOT_APPLICABLE) applied[i] = (applied[i] ?? 0) + 1;
      if (v === BROKEN) {
        rejected[i] = (rejected[i] ?? 0) + 1;
        ok = false;
      }
    });
    return ok;
  };
  for (let round = 0; filled < n; round++) {
    const rate = drawn === 0 ? 1 : Math.max(filled / drawn, 1 / RULE_BUDGET_FACTOR);
    const k = Math.min(budget - drawn, round === 0 ? n : Math.ceil(((n - filled) / rate) * 1.2) + 16);
    if (k <= 0) throw budgetError(plan, drawn, applied, rejected, filled, n);
    if (round > 0) onStage?.(`sampling: ${filled} of ${n} rows keep the rules; drawing ${k} more`);
    const batch = await draw(k, round);
    for (let j = 0; j < batch.length && filled < n; j++) {
      const row = finish(batch[j] ?? []);
      const key = keyOf(row);
      // After round 0 only a row for a slot still open can fill it; the others go unchecked (but use up the budget).
      const slots = round === 0 ? null : open.get(key);
      drawn += 1;
      if (round > 0 && (!slots || slots.length === 0)) continue;
      if (!keeps(row)) {
        if (round === 0) open.set(key, open.get(key) ?? []).get(key)?.push(j);
        continue;
      }
      out[round === 0 ? j : (slots?.shift() as number)] = row;
      filled += 1;
    }
  }
  return { cells: out, stats: { drawn, rejected } };
}

function budgetError(plan: RulePlan, drawn: number, applied: number[], rejected: number[], kept: number, n: number): AirlockError {
  // Name the rule the generator kept least often among the rows it applied to.
  let worst = 0;
  let worstKept = Infinity;
  plan.rules.forEach((_, i) => {
    const a = applied[i] ?? 0;
    const share = a === 0 ? 1 : (a - (rejected[i] ?? 0)) / a;
    if (share < worstKept) [worst, worstKept] = [i, share];
  });
  const rule = plan.rules[worst];
  const text = rule ? describeRule(rule) : 'the rules';
  return new AirlockError(
    'INVALID_ARGUMENT',
    `Only ${percent(worstKept)} of the generated rows the rule applies to kept ${text} (every real training row keeps it); after ${drawn} rows drawn, ${kept} of the ${n} asked for keep all the rules. The generator has not learnt this rule — train longer, or drop the rule.`,
  );
}
