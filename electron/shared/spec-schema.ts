// A generation spec: what to synthesise from which source, with which generator, and the acceptance
// criteria the result must meet. Shared so the renderer's editor validates with the same rules.
import { z } from 'zod';
import { columnNameSchema } from './limits';
import { rulesSchema } from './rules-schema';
import { criteriaOverridesSchema, evaluationSchema, RELEASE_TIERS, type CriterionId } from './criteria';

// generalise and shift apply to date columns only (checked against the source on save); both are synthesised.
export const TREATMENTS = ['synthesise', 'drop', 'condition', 'generalise', 'shift'] as const;
export const GENERALISE_TO = ['year', 'month'] as const;
const SYNTHESISED: readonly string[] = ['synthesise', 'generalise', 'shift'];

// `to` only with generalise, so a spec written before date treatments parses (and hashes) as it did.
export const columnSpecSchema = z
  .object({ name: columnNameSchema, treatment: z.enum(TREATMENTS), to: z.enum(GENERALISE_TO).optional() })
  .refine((c) => (c.treatment === 'generalise') === (c.to !== undefined), { message: 'Generalise a date to the year or to the month (“to”), and give “to” only with generalise.', path: ['to'] });

// Shifting moves all dates of one patient by the same secret offset; absent, the holdout's group column names the
// patient (each row is its own patient when there is none).
export const dateShiftSchema = z.object({
  patientColumn: columnNameSchema.optional(),
  maxDays: z.number().int('Whole days.').min(1, 'Shift by at least a day.').max(3650, 'Shift by at most ten years.').default(365),
});

const seed = z.number().int('The seed is a whole number.').min(0).max(2 ** 31 - 1);
const epochs = z.number().int().min(1, 'At least one epoch.').max(10_000);
const batchSize = z.number().int().min(10).max(10_000);
const lr = z.number().positive().max(1);

export const generatorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('copula') }),
  z.object({
    kind: z.literal('tvae'),
    epochs: epochs.default(300),
    batchSize: batchSize.default(500),
    embeddingDim: z.number().int().min(2).max(1024).default(128),
    hiddenDims: z.array(z.number().int().min(2).max(2048)).min(1).max(4).default([128, 128]),
    learningRate: lr.default(1e-3),
    l2scale: z.number().min(0).max(1).default(1e-5),
    lossFactor: z.number().positive().max(100).default(2),
    checkpointEvery: z.number().int().min(1).default(10),
  }),
  z.object({
    kind: z.literal('ctgan'),
    epochs: epochs.default(300),
    batchSize: batchSize.default(500),
    embeddingDim: z.number().int().min(2).max(1024).default(128),
    generatorDims: z.array(z.number().int().min(2).max(2048)).min(1).max(4).default([256, 256]),
    discriminatorDims: z.array(z.number().int().min(2).max(2048)).min(1).max(4).default([256, 256]),
    generatorLr: lr.default(2e-4),
    discriminatorLr: lr.default(2e-4),
    discriminatorSteps: z.number().int().min(1).max(10).default(1),
    pac: z.number().int().min(1).max(20).default(10),
    checkpointEvery: z.number().int().min(1).default(10),
  }).refine((g) => g.batchSize % g.pac === 0, { message: 'CTGAN packs rows in groups of “pac”: make the batch size a multiple of it.', path: ['batchSize'] }),
]);
export type GeneratorConfig = z.infer<typeof generatorSchema>;

// Defaults a reviewer can read: each threshold says what "acceptable" means for this dataset.
export const acceptanceSchema = z.object({
  fidelity: z
    .object({
      ksMax: z.number().min(0).max(1).default(0.1),
      categoricalTvMax: z.number().min(0).max(1).default(0.1),
      correlationDiffMax: z.number().min(0).max(2).default(0.15),
    })
    .default({ ksMax: 0.1, categoricalTvMax: 0.1, correlationDiffMax: 0.15 }),
  utility: z
    .object({
      target: columnNameSchema.nullable().default(null),
      minScoreRatio: z.number().min(0).max(2).default(0.8),
    })
    .default({ target: null, minScoreRatio: 0.8 }),
  privacy: z
    .object({
      exactCopiesMax: z.number().int().min(0).default(0),
      dcrRatioMin: z.number().min(0).max(10).default(1),
      nndrMin: z.number().min(0).max(1).default(0.5),
      membershipAucMax: z.number().min(0.5).max(1).default(0.6),
    })
    .default({ exactCopiesMax: 0, dcrRatioMin: 1, nndrMin: 0.5, membershipAucMax: 0.6 }),
});
export type Acceptance = z.infer<typeof acceptanceSchema>;

export const specSchema = z.object({
  name: z.string().trim().min(1, 'Give the spec a name.').max(120),
  source: z.object({ kind: z.literal('table'), tableId: z.number().int(), sha256: z.string().length(64).regex(/^[0-9a-f]{64}$/) }),
  columns: z
    .array(columnSpecSchema)
    .min(1, 'List the source’s columns with a treatment each.')
    .refine((cols) => cols.some((c) => SYNTHESISED.includes(c.treatment)), 'Synthesise at least one column.')
    .refine((cols) => new Set(cols.map((c) => c.name)).size === cols.length, 'Each column appears once.'),
  generator: generatorSchema,
  rows: z.number().int().min(1, 'Generate at least one row.').max(10_000_000),
  seed,
  acceptance: acceptanceSchema.default({
    fidelity: { ksMax: 0.1, categoricalTvMax: 0.1, correlationDiffMax: 0.15 },
    utility: { target: null, minScoreRatio: 0.8 },
    privacy: { exactCopiesMax: 0, dcrRatioMin: 1, nndrMin: 0.5, membershipAucMax: 0.6 },
  }),
  // What the synthetic data is for: it brings the default acceptance criteria and the approval policy.
  tier: z.enum(RELEASE_TIERS).default('model-development'),
  evaluation: evaluationSchema,
  // Changes to the tier's default criteria, by criterion id (see criteria.ts); absent means the default.
  criteria: criteriaOverridesSchema,
  intendedUse: z.string().trim().min(1, 'Say what the synthetic data is for; it goes on the dataset card.').max(4000),
  prohibitedUses: z.array(z.string().trim().min(1).max(500)).default([]),
  // Only when a column's treatment is "shift".
  dateShift: dateShiftSchema.optional(),
  // Logical rules between columns every synthetic row keeps (see rules-schema.ts); checked against the source on save.
  rules: rulesSchema,
});
export type Spec = z.infer<typeof specSchema>;
export type SpecInput = z.input<typeof specSchema>;

export const specVersionSchema = z.object({
  specId: z.number().int(),
  version: z.number().int(),
  hash: z.string(),
  frozen: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  spec: specSchema,
});
export type SpecVersionView = z.infer<typeof specVersionSchema>;

export const specSummarySchema = z.object({
  specId: z.number().int(),
  name: z.string(),
  latestVersion: z.number().int(),
  versions: z.number().int(),
  tableId: z.number().int(),
  generator: z.string(),
  updatedAt: z.string(),
});
export type SpecSummaryView = z.infer<typeof specSummarySchema>;

// Specs written before release tiers kept their thresholds in `acceptance`; a value there that differs from the
// old default still counts, as a changed default, unless `criteria` sets that criterion itself. (The old absolute
// NNDR and worst-pair correlation thresholds have no counterpart: NNDR is now judged against the holdout's,
// correlations on their mean change.)
const LEGACY: { path: [keyof Acceptance, string]; id: CriterionId; old: number }[] = [
  { path: ['fidelity', 'ksMax'], id: 'fidelity.ksMax', old: 0.1 },
  { path: ['fidelity', 'categoricalTvMax'], id: 'fidelity.categoricalTvMax', old: 0.1 },
  { path: ['utility', 'minScoreRatio'], id: 'utility.scoreRatioMin', old: 0.8 },
  { path: ['privacy', 'dcrRatioMin'], id: 'privacy.dcrRatioMin', old: 1 },
  { path: ['privacy', 'membershipAucMax'], id: 'privacy.membershipAucMax', old: 0.6 },
];

export function criteriaOverrides(spec: Spec): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of LEGACY) {
    const v = (spec.acceptance[l.path[0]] as Record<string, unknown>)[l.path[1]];
    if (typeof v === 'number' && v !== l.old) out[l.id] = v;
  }
  return { ...out, ...spec.criteria };
}
