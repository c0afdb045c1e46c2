// The rule checker, inequalities by construction, value moves and rejection with a budget, as pure functions over
// rows of cells (the run tests in rules-runs.test.ts exercise them with real generators).
import { describe, expect, it } from 'vitest';
import type { RuleColumn } from '../../electron/core/train/rules/cells';
import { checkRealRows } from '../../electron/core/train/rules/check';
import { chooseConstructions, rebuildHighs, withGaps } from '../../electron/core/train/rules/construct';
import { drawKeepingRules } from '../../electron/core/train/rules/enforce';
import { finisher, modelledInput, planRules, ruleChecks, type ModelInput } from '../../electron/core/train/rules/plan';
import { ruleSchema, type Rule, type RuleInput } from '../../electron/shared/rules-schema';

const rules = (...xs: RuleInput[]): Rule[] => xs.map((x) => ruleSchema.parse(x));
type Row = (string | null)[];

describe('the rule checker', () => {
  const columns: RuleColumn[] = [
    { name: 'time', type: 'integer' },
    { name: 'futime', type: 'integer' },
    { name: 'status', type: 'integer' },
    { name: 'cause', type: 'categorical' },
    { name: 'born', type: 'date' },
    { name: 'seen', type: 'datetime' },
    { name: 'score', type: 'number' },
  ];
  const rows: Row[] = [
    ['10', '20', '2', 'liver', '1950-03-01', '2001-01-01T10:00:00', '0.3'],
    ['30', '20', '0', null, '1960-01-01', '1959-12-31T23:59:00', '0.7'],
    [null, '20', '2', null, '1970-05-05', '1970-05-05T00:00:00', '-0.1'],
    ['20', '20', '2.0', 'other', null, '2000-01-01T00:00:00', '0.25'],
  ];

  it('counts, per rule, the rows it applies to and the rows that break it', () => {
    const counts = checkRealRows(
      rules(
        { kind: 'inequality', low: 'time', high: 'futime' },
        { kind: 'inequality', low: 'time', high: 'futime', when: { column: 'status', values: ['2'] } },
        { kind: 'inequality', low: 'time', high: 'futime', strict: true },
        { kind: 'presence', column: 'cause', when: { column: 'status', values: ['2'] }, required: true },
        { kind: 'presence', column: 'cause', when: { column: 'status', values: ['2'] } },
        { kind: 'missing-together', columns: ['time', 'cause'] },
        { kind: 'inequality', low: 'born', high: 'seen' },
        { kind: 'range', column: 'born', min: '1955-01-01' },
        { kind: 'positive', column: 'score' },
        { kind: 'rounded', column: 'score', step: 0.1 },
        { kind: 'combinations', columns: ['status', 'cause'] },
      ),
      columns,
      rows,
    );
    expect(counts).toEqual([
      { rows: 3, violations: 1 }, // 30 > 20
      { rows: 2, violations: 0 }, // only the dead ("2.0" is 2); the censored row is not covered
      { rows: 3, violations: 2 },
      { rows: 4, violations: 1 }, // row 3 died with no cause
      { rows: 4, violations: 0 },
      { rows: 4, violations: 1 }, // row 2: time present, cause missing
      { rows: 3, violations: 1 }, // a date against a datetime, in the same units: 1960-01-01 is after 1959-12-31 23:59
      { rows: 3, violations: 1 },
      { rows: 4, violations: 1 },
      { rows: 4, violations: 1 }, // 0.3 and 0.7 are multiples of 0.1 despite binary floating point; 0.25 is not
      { rows: 4, violations: 0 }, // the rows define the combinations
    ]);
  });
});

describe('inequalities by construction', () => {
  const columns: RuleColumn[] = [
    { name: 'a', type: 'number' },
    { name: 'b', type: 'number' },
    { name: 'c', type: 'integer' },
    { name: 'd', type: 'date' },
    { name: 't', type: 'datetime' },
  ];
  const rows: Row[] = [
    ['1.25', '2.5', '3', '2020-01-01', '2020-01-02T00:00:00'],
    ['0.5', '0.75', '1', '2020-02-01', '2020-02-01T10:00:00'],
  ];

  it('builds in a chain in order, and leaves cycles, mixed units and condition columns to rejection', () => {
    const chain = rules({ kind: 'inequality', low: 'b', high: 'c' }, { kind: 'inequality', low: 'a', high: 'b' }, { kind: 'inequality', low: 'c', high: 'a' }, { kind: 'inequality', low: 'd', high: 't' });
    const built = chooseConstructions(chain, columns, new Set(), rows);
    // b ≤ c reads b, so a ≤ b (which rebuilds b) comes first; c ≤ a would close a cycle; a date and a datetime differ in units.
    expect(built.map((c) => c.rule)).toEqual([1, 0]);
    expect(built.map((c) => c.gap)).toEqual([5, 6]);
    // With b and c given as conditions, only c ≤ a is left to build in (and no longer closes a cycle).
    expect(chooseConstructions(chain, columns, new Set(['b', 'c']), rows).map((c) => c.rule)).toEqual([2]);
    const model = withGaps(rows[0] as Row, built);
    expect(model.slice(5)).toEqual(['1.25', '0.5']);
    // A sampled row: b and c out of order, the gaps rebuild them from a.
    const sampled: Row = ['2', '0.1', '1', '2020-01-01', '2020-01-01T00:00:00', '0.5', '0'];
    rebuildHighs(sampled, built);
    expect(sampled.slice(0, 3)).toEqual(['2', '2.5', '3']); // b = 2 + 0.5; c = b + 0 → 2.5, rounded to c's whole numbers and clipped to its range
  });
});

describe('values moved and rows rejected', () => {
  const input = (n: number): ModelInput => ({
    header: ['group', 'x', 'y', 'flag'],
    schema: { columns: [{ name: 'group', type: 'categorical', role: 'condition' }, { name: 'x', type: 'number', role: 'synthesise' }, { name: 'y', type: 'number', role: 'synthesise' }, { name: 'flag', type: 'categorical', role: 'synthesise' }] },
    rows: Array.from({ length: n }, (_, i) => [i % 4 === 0 ? 'rare' : 'common', String(i % 10), String((i % 10) + 1), i % 4 === 0 ? 'yes' : null]),
  });

  it('moves a value that breaks a value rule to the nearest that keeps it, leaving the others as written', () => {
    const plan = planRules(rules({ kind: 'range', column: 'x', min: 0, max: 8 }, { kind: 'rounded', column: 'y', step: 2 }), input(40));
    if (!plan) throw new Error('no plan');
    const finish = finisher(plan);
    expect(finish(['common', '9', '4', null])).toEqual(['common', '8', '4', null]);
    expect(finish(['common', '-3.5', '5.2', 'yes'])).toEqual(['common', '0', '6', 'yes']);
    expect(plan.methods).toEqual(['clip', 'clip']);
  });

  it('refills rejected slots with rows of the same condition values, deterministically, and fails on an exhausted budget', async () => {
    const plan = planRules(rules({ kind: 'inequality', low: 'x', high: 'y', strict: true }, { kind: 'presence', column: 'flag', when: { column: 'group', values: ['rare'] } }), input(40));
    if (!plan) throw new Error('no plan');
    expect(plan.methods).toEqual(['construction', 'rejection']);
    expect(modelledInput(plan, input(40)).header).toEqual(['group', 'x', 'y', 'flag', 'y − x (gap)']);
    // A stand-in generator: every third row flags a common one (breaking the presence rule), every fifth is rare.
    const draw = (k: number, round: number): Row[] =>
      Array.from({ length: k }, (_, i) => {
        const j = i + round * 1000;
        return [j % 5 === 0 ? 'rare' : 'common', '3', '1', j % 3 === 0 ? 'yes' : null, '1'];
      });
    const a = await drawKeepingRules(plan, 100, draw);
    const b = await drawKeepingRules(plan, 100, draw);
    expect(a.cells).toEqual(b.cells);
    expect(a.cells.filter((r) => r[0] === 'rare')).toHaveLength(20); // the condition's share of round 0, kept
    const checks = ruleChecks(plan, a.cells, a.stats?.rejected ?? []);
    expect(checks.map((c) => [c.violations, c.rejected > 0, c.realViolations])).toEqual([
      [0, false, 0],
      [0, true, 0],
    ]);
    expect(a.cells.every((r) => Number(r[2]) > Number(r[1]))).toBe(true); // y rebuilt as x + gap
    // Nothing the generator draws keeps the rule: the budget (50 × the 30 rows asked for) runs out.
    const never = (k: number): Row[] => Array.from({ length: k }, () => ['common', '1', '2', 'yes', '1']);
    await expect(drawKeepingRules(plan, 30, never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'Only 0.0% of the generated rows the rule applies to kept “flag” has a value only when “group” is rare (every real training row keeps it); after 1500 rows drawn, 0 of the 30 asked for keep all the rules. The generator has not learnt this rule — train longer, or drop the rule.',
    });
  });
});
