// Release tiers and the acceptance criteria a synthetic table is validated against. Each tier brings its own
// defaults (external sharing strictest on privacy), each written as a sentence a reviewer can read; a spec may
// change any of them, and a changed default is shown as changed. Shared so the editor and the gate agree.
import { z } from 'zod';
import { columnNameSchema } from './limits';

export const RELEASE_TIERS = ['internal-prototyping', 'model-development', 'external-sharing'] as const;
export type ReleaseTier = (typeof RELEASE_TIERS)[number];
export const TIER_LABELS: Record<ReleaseTier, string> = {
  'internal-prototyping': 'Internal prototyping',
  'model-development': 'Model development',
  'external-sharing': 'External sharing',
};

export type CriterionFamily = 'fidelity' | 'utility' | 'privacy';

export interface CriterionDef {
  id: string;
  family: CriterionFamily;
  label: string;
  /** 'max': the measured value must be at most the threshold; 'min': at least. */
  bound: 'max' | 'min';
  /** The criterion in words, with {t} for the threshold. */
  sentence: string;
  defaults: Record<ReleaseTier, number>;
  /** Allowed thresholds. */
  range: [number, number];
  /** When it applies (the gate says "not applicable" otherwise). */
  when?: 'target' | 'stratify' | 'linkability' | 'inference';
}

export const CRITERIA = [
  { id: 'fidelity.qualityMin', family: 'fidelity', label: 'Overall quality, min', bound: 'min', range: [0, 1], defaults: { 'internal-prototyping': 0.7, 'model-development': 0.8, 'external-sharing': 0.8 }, sentence: 'The overall quality score (the mean of the column-shape and column-pair scores, as SDMetrics computes it) is at least {t}.' },
  { id: 'fidelity.ksMax', family: 'fidelity', label: 'KS statistic, max', bound: 'max', range: [0, 1], defaults: { 'internal-prototyping': 0.2, 'model-development': 0.1, 'external-sharing': 0.1 }, sentence: 'For every numeric or date column, the real and synthetic cumulative distributions differ by at most {t} (two-sample KS statistic).' },
  { id: 'fidelity.categoricalTvMax', family: 'fidelity', label: 'Category TV distance, max', bound: 'max', range: [0, 1], defaults: { 'internal-prototyping': 0.2, 'model-development': 0.1, 'external-sharing': 0.1 }, sentence: 'For every categorical column, at most {t} of the probability mass sits in the wrong categories (total variation distance).' },
  { id: 'fidelity.missingDiffMax', family: 'fidelity', label: 'Missing share difference, max', bound: 'max', range: [0, 1], defaults: { 'internal-prototyping': 0.1, 'model-development': 0.05, 'external-sharing': 0.05 }, sentence: 'For every column, the share of missing values differs from the real share by at most {t}.' },
    // The mean, not the worst pair: over many pairs the largest change is mostly sampling noise (the report names it).
  { id: 'fidelity.correlationDiffMax', family: 'fidelity', label: 'Mean correlation change, max', bound: 'max', range: [0, 2], defaults: { 'internal-prototyping': 0.15, 'model-development': 0.1, 'external-sharing': 0.1 }, sentence: 'Relationships survive, not just single columns: over the pairs of numeric columns, correlations change by at most {t} on average.' },
  { id: 'fidelity.detectionMin', family: 'fidelity', label: 'Detection score, min', bound: 'min', range: [0, 1], defaults: { 'internal-prototyping': 0.1, 'model-development': 0.2, 'external-sharing': 0.2 }, sentence: 'A classifier trained to tell synthetic from real rows does poorly: the detection score 1 − (2·max(AUC, 0.5) − 1) is at least {t} (1 = indistinguishable).' },
  { id: 'fidelity.subgroupMin', family: 'fidelity', label: 'Worst subgroup quality, min', bound: 'min', range: [0, 1], when: 'stratify', defaults: { 'internal-prototyping': 0.6, 'model-development': 0.7, 'external-sharing': 0.7 }, sentence: 'Inside every declared subgroup with enough real rows, the column-shape score is at least {t}.' },
  { id: 'utility.scoreRatioMin', family: 'utility', label: 'TSTR / TRTR, min', bound: 'min', range: [0, 2], when: 'target', defaults: { 'internal-prototyping': 0.7, 'model-development': 0.8, 'external-sharing': 0.8 }, sentence: 'A model trained on synthetic rows scores at least {t} of what the same model trained on real rows scores, both tested on the real holdout.' },
  { id: 'privacy.identicalExcessMax', family: 'privacy', label: 'Identical copies (excess share), max', bound: 'max', range: [0, 1], defaults: { 'internal-prototyping': 0.01, 'model-development': 0.001, 'external-sharing': 0 }, sentence: 'The share of synthetic rows identical to a training row exceeds the share of unseen holdout rows identical to one by at most {t}.' },
  { id: 'privacy.dcrShareMax', family: 'privacy', label: 'DCR share, max', bound: 'max', range: [0.5, 1], defaults: { 'internal-prototyping': 0.7, 'model-development': 0.6, 'external-sharing': 0.55 }, sentence: 'At most {t} of synthetic rows lie closer to a training row than to a holdout row (50% is what data never trained on shows).' },
  { id: 'privacy.dcrRatioMin', family: 'privacy', label: 'DCR ratio, min', bound: 'min', range: [0, 10], defaults: { 'internal-prototyping': 0.5, 'model-development': 0.8, 'external-sharing': 0.9 }, sentence: 'The closest synthetic rows are no nearer the training rows than unseen patients are: the 5th percentile of synthetic-to-training distances is at least {t} times that of holdout-to-training distances.' },
  { id: 'privacy.nndrRatioMin', family: 'privacy', label: 'NNDR ratio, min', bound: 'min', range: [0, 10], defaults: { 'internal-prototyping': 0.5, 'model-development': 0.8, 'external-sharing': 0.9 }, sentence: 'Synthetic rows sit between several real patients rather than on one, no less than unseen patients do: the 5th percentile of their nearest-neighbour distance ratio is at least {t} times that of holdout rows.' },
  { id: 'privacy.membershipAucMax', family: 'privacy', label: 'Membership-inference AUC, max', bound: 'max', range: [0.5, 1], defaults: { 'internal-prototyping': 0.65, 'model-development': 0.6, 'external-sharing': 0.55 }, sentence: 'An attacker telling training patients from unseen ones by their distance to the synthetic rows does little better than guessing: AUC at most {t} (0.5 is guessing).' },
  { id: 'privacy.singlingOutMax', family: 'privacy', label: 'Singling-out risk, max', bound: 'max', range: [0, 1], defaults: { 'internal-prototyping': 0.2, 'model-development': 0.1, 'external-sharing': 0.05 }, sentence: 'The singling-out risk (Anonymeter: predicates from the synthetic data that isolate one training patient, beyond what they do for unseen patients) is at most {t}.' },
  { id: 'privacy.linkabilityMax', family: 'privacy', label: 'Linkability risk, max', bound: 'max', range: [0, 1], when: 'linkability', defaults: { 'internal-prototyping': 0.2, 'model-development': 0.1, 'external-sharing': 0.05 }, sentence: 'The linkability risk (Anonymeter: linking two halves of a patient’s quasi-identifiers through the synthetic data) is at most {t}.' },
  { id: 'privacy.inferenceMax', family: 'privacy', label: 'Inference risk, max', bound: 'max', range: [0, 1], when: 'inference', defaults: { 'internal-prototyping': 0.3, 'model-development': 0.2, 'external-sharing': 0.1 }, sentence: 'For every sensitive column, the inference risk (Anonymeter: guessing it from the quasi-identifiers through the synthetic data) is at most {t}.' },
] as const satisfies readonly CriterionDef[];

export type CriterionId = (typeof CRITERIA)[number]['id'];
export const CRITERION_IDS = CRITERIA.map((c) => c.id) as [CriterionId, ...CriterionId[]];
export const criterionIdSchema = z.enum(CRITERION_IDS);

export function criterionDef(id: CriterionId): CriterionDef {
  return CRITERIA.find((c) => c.id === id)!;
}

/** Overrides of tier defaults, by criterion id; anything absent takes the tier's default. */
export const criteriaOverridesSchema = z
  .record(z.string(), z.number())
  .default({})
  .superRefine((o, ctx) => {
    for (const [id, v] of Object.entries(o)) {
      const def = CRITERIA.find((c) => c.id === id);
      if (!def) ctx.addIssue({ code: 'custom', path: [id], message: `“${id}” is not an acceptance criterion.` });
      else if (!(v >= def.range[0] && v <= def.range[1])) ctx.addIssue({ code: 'custom', path: [id], message: `${def.label}: choose a value from ${def.range[0]} to ${def.range[1]}.` });
    }
  });

/** What validation needs to know beyond the criteria: subgroups, attack columns, report suppression. */
export const evaluationSchema = z
  .object({
    stratifyBy: z.array(columnNameSchema).max(5).default([]),
    quasiIdentifiers: z.array(columnNameSchema).max(100).default([]),
    sensitive: z.array(columnNameSchema).max(100).default([]),
    correlation: z.enum(['pearson', 'spearman']).default('pearson'),
    smallCellMin: z.number().int().min(1, 'Suppress cells under at least 1 row.').max(1000).default(10),
  })
  .default({ stratifyBy: [], quasiIdentifiers: [], sensitive: [], correlation: 'pearson', smallCellMin: 10 });
export type Evaluation = z.infer<typeof evaluationSchema>;

export interface ResolvedCriterion {
  id: CriterionId;
  family: CriterionFamily;
  label: string;
  bound: 'max' | 'min';
  threshold: number;
  tierDefault: number;
  changed: boolean;
  sentence: string;
}

const fmt = (n: number): string => String(Number(n.toPrecision(6)));

/** The criteria in force for a tier and a spec's overrides, each with its sentence and whether it was changed. */
export function resolveCriteria(tier: ReleaseTier, overrides: Record<string, number>): ResolvedCriterion[] {
  return CRITERIA.map((c) => {
    const tierDefault = c.defaults[tier];
    const threshold = overrides[c.id] ?? tierDefault;
    return { id: c.id, family: c.family, label: c.label, bound: c.bound, threshold, tierDefault, changed: threshold !== tierDefault, sentence: c.sentence.replace('{t}', fmt(threshold)) };
  });
}
