// The gate: acceptance criteria in force (tier defaults and the spec's changes) against what was measured,
// one pass/fail per criterion, and the verdict. PASS only if every applicable criterion passes; a criterion
// whose 95% interval straddles its threshold is reported as such, judged on the measured value.
import type { CriterionId, ResolvedCriterion } from '../../shared/criteria';
import type { Interval } from './types';

export type Measurement =
  | { applicable: true; value: number; interval?: Interval; detail: string }
  | { applicable: false; reason: string };

export interface CriterionResult {
  id: CriterionId;
  family: ResolvedCriterion['family'];
  label: string;
  sentence: string;
  bound: 'max' | 'min';
  threshold: number;
  tierDefault: number;
  changed: boolean;
  status: 'pass' | 'fail' | 'not-applicable';
  value: number | null;
  interval: Interval | null;
  straddles: boolean;
  /** What was measured, in words (e.g. which column is worst), or why it does not apply. */
  detail: string;
}

export interface Verdict {
  pass: boolean;
  criteria: CriterionResult[];
  /** One sentence per failed criterion. */
  failed: string[];
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(3))));

/** What a criterion in force carries into its judgement (table and image criteria alike). */
interface CriterionInForce<Id extends string, F extends string> {
  id: Id;
  family: F;
  label: string;
  sentence: string;
  bound: 'max' | 'min';
  threshold: number;
  tierDefault: number;
  changed: boolean;
}

export type JudgedCriterion<Id extends string, F extends string> = CriterionInForce<Id, F> & Omit<CriterionResult, keyof CriterionInForce<CriterionId, string>>;

/** The gate's rules over any criteria: the table gate and the image gate both judge through this. */
export function judgeCriteria<Id extends string, F extends string>(
  criteria: readonly CriterionInForce<Id, F>[],
  measured: Partial<Record<Id, Measurement>>,
): { pass: boolean; criteria: JudgedCriterion<Id, F>[]; failed: string[] } {
  const results = criteria.map((c): JudgedCriterion<Id, F> => {
    const m = measured[c.id] ?? { applicable: false, reason: 'Not measured for this dataset.' };
    const base = { id: c.id, family: c.family, label: c.label, sentence: c.sentence, bound: c.bound, threshold: c.threshold, tierDefault: c.tierDefault, changed: c.changed };
    if (!m.applicable) return { ...base, status: 'not-applicable', value: null, interval: null, straddles: false, detail: m.reason };
    // A value that cannot be computed (NaN) never passes.
    const ok = Number.isFinite(m.value) && (c.bound === 'max' ? m.value <= c.threshold : m.value >= c.threshold);
    const iv = m.interval && Number.isFinite(m.interval.low) && Number.isFinite(m.interval.high) ? m.interval : null;
    const straddles = iv !== null && iv.low < c.threshold && iv.high > c.threshold;
    return { ...base, status: ok ? 'pass' : 'fail', value: Number.isFinite(m.value) ? m.value : null, interval: iv, straddles, detail: m.detail };
  });
  const failed = results
    .filter((r) => r.status === 'fail')
    .map((r) => `${r.label}: measured ${r.value === null ? 'not computable' : fmt(r.value)}, ${r.bound === 'max' ? 'allowed at most' : 'required at least'} ${fmt(r.threshold)}. ${r.detail}`.trim());
  return { pass: failed.length === 0 && results.some((r) => r.status !== 'not-applicable'), criteria: results, failed };
}

export function judge(criteria: ResolvedCriterion[], measured: Partial<Record<CriterionId, Measurement>>): Verdict {
  return judgeCriteria(criteria, measured);
}
