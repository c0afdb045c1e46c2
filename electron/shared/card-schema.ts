// The dataset card (a datasheet in Gebru et al.'s sections) of a validated synthetic dataset: generated from
// lineage and results, plus free-text sections a steward adds. Shared so the renderer can show cards; approvals
// are not part of the card (they sign its hash) and travel beside it as CardSignature.
import { z } from 'zod';
import { MAX_SECTION_BODY, MAX_SECTION_TITLE } from './limits';
import { RELEASE_TIERS } from './criteria';
import { COLUMN_TYPES } from './ingest-schemas';
import { TREATMENTS } from './spec-schema';

/** Titles of the generated parts, in the order the card shows them; no steward section may reuse one. */
export const GENERATED_SECTION_TITLES = {
  motivation: 'Motivation',
  composition: 'Composition',
  source: 'Collection and source',
  preprocessing: 'Preprocessing and generation',
  validation: 'Validation',
  limitations: 'Known limitations',
  uses: 'Uses and prohibited uses',
  distribution: 'Distribution',
  maintenance: 'Maintenance',
  lineage: 'Lineage',
} as const;

const generatedTitles = new Set(Object.values(GENERATED_SECTION_TITLES).map((t) => t.toLowerCase()));

export const stewardSectionSchema = z.object({
  title: z.string().trim().min(1, 'Give the section a title.').max(MAX_SECTION_TITLE, `Keep the title under ${MAX_SECTION_TITLE} characters.`),
  body: z
    .string()
    .min(1, 'Write the section’s text.')
    .max(MAX_SECTION_BODY, 'Keep the section under 20,000 characters.')
    .refine((b) => b.trim().length > 0, 'Write the section’s text.'),
});
export type StewardSection = z.infer<typeof stewardSectionSchema>;

export const stewardSectionsSchema = z
  .array(stewardSectionSchema)
  .max(20, 'A card takes at most 20 steward sections.')
  .superRefine((sections, ctx) => {
    const seen = new Set<string>();
    sections.forEach((s, i) => {
      const key = s.title.toLowerCase();
      if (generatedTitles.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'title'], message: `“${s.title}” is the title of a generated section; choose another title.` });
      else if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'title'], message: `the title “${s.title}” is used by an earlier section; each title appears once.` });
      seen.add(key);
    });
  });

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const utcIso = z.string().datetime({ offset: false });
const yearRange = z.object({ from: z.number().int(), to: z.number().int() }).nullable();
const text = z.array(z.string());

export const cardIdentitySchema = z.object({
  datasetId: z.number().int(),
  datasetVersion: z.number().int(),
  datasetKind: z.enum(['table', 'images']),
  datasetSha256: sha256,
  rows: z.number().int(),
  specId: z.number().int(),
  specVersion: z.number().int(),
  specHash: sha256,
  specName: z.string(),
  validationId: z.number().int(),
  resultSha256: sha256,
  verdict: z.enum(['pass', 'fail']),
  validatorVersion: z.string(),
  validationSeed: z.string(),
  tier: z.enum(RELEASE_TIERS),
  generatedAt: utcIso,
});

const motivationSchema = z.object({ purpose: z.string(), tier: z.enum(RELEASE_TIERS), tierLabel: z.string(), tierMeaning: z.string(), text });

const compositionSchema = z.object({
  kind: z.enum(['table', 'images']),
  records: z.number().int(),
  unit: z.enum(['rows', 'images']),
  recordMeaning: z.string(),
  columns: z.array(z.object({ name: z.string(), type: z.enum(COLUMN_TYPES).nullable(), treatment: z.enum(TREATMENTS) })),
  image: z.object({ size: z.number().int(), images: z.number().int() }).nullable(),
  text,
});

const sourceSchema = z.object({
  kind: z.enum(['table', 'dicom']),
  table: z
    .object({
      rows: z.number().int(),
      columns: z.number().int(),
      trainingRows: z.number().int(),
      holdoutRows: z.number().int(),
      holdoutGroupedBy: z.string().nullable(),
      identifyingColumns: z.number().int(),
      columnDetails: z.array(z.object({ name: z.string(), type: z.enum(COLUMN_TYPES), treatment: z.enum(TREATMENTS).nullable(), identifying: z.boolean(), years: yearRange })),
    })
    .nullable(),
  dicom: z
    .object({
      patients: z.number().int(),
      trainingPatients: z.number().int(),
      holdoutPatients: z.number().int(),
      studies: z.number().int(),
      series: z.number().int(),
      instances: z.number().int(),
      modalities: z.array(z.string()),
      studyYears: yearRange,
    })
    .nullable(),
  files: z.array(z.object({ sha256, bytes: z.number().int() })),
  text,
});

const preprocessingSchema = z.object({
  columns: z.array(z.object({ name: z.string(), treatment: z.enum(TREATMENTS) })),
  kept: z.number().int(),
  dropped: z.number().int(),
  requestedRecords: z.number().int(),
  generator: z.object({ kind: z.string(), seed: z.number().int(), hyperparameters: z.array(z.object({ name: z.string(), value: z.string() })) }),
  backend: z.object({ name: z.string(), tfjsVersion: z.string().nullable(), backendVersion: z.string().nullable(), skipped: z.array(z.string()) }).nullable(),
  training: z.object({ runId: z.number().int(), startedAt: z.string(), finishedAt: z.string().nullable(), durationSeconds: z.number().nullable(), epochs: z.number().int() }),
  text,
});

export const cardCriterionSchema = z.object({
  id: z.string(),
  sentence: z.string(),
  measured: z.string(),
  threshold: z.string(),
  status: z.enum(['pass', 'fail', 'not-applicable']),
  straddles: z.boolean(),
  note: z.string().nullable(),
});
export type CardCriterion = z.infer<typeof cardCriterionSchema>;

const validationSectionSchema = z.object({
  verdict: z.enum(['pass', 'fail']),
  headline: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  criteria: z.array(cardCriterionSchema),
  text,
});

export const datasetCardSchema = z.object({
  kind: z.literal('airlock-card/1'),
  identity: cardIdentitySchema,
  sections: z.object({
    motivation: motivationSchema,
    composition: compositionSchema,
    source: sourceSchema,
    preprocessing: preprocessingSchema,
    validation: validationSectionSchema,
    uses: z.object({ intended: text, prohibited: text, specIntendedUse: z.string(), specProhibitedUses: text }),
    distribution: z.object({ tier: z.enum(RELEASE_TIERS), tierLabel: z.string(), text }),
    maintenance: z.object({ contact: z.string(), text }),
  }),
  limitations: text,
  lineage: z.object({ specAuthors: z.array(z.string()), runStartedBy: z.array(z.string()), datasetCreatedBy: z.string(), requestedBy: z.string() }),
  stewardSections: stewardSectionsSchema,
});
export type DatasetCard = z.infer<typeof datasetCardSchema>;

export const cardSignatureSchema = z.object({
  username: z.string(),
  printedName: z.string(),
  meaning: z.string(),
  signedAt: utcIso,
  comment: z.string(),
  exception: z.string().nullable(),
  keyFingerprint: z.string(),
  revoked: z.object({ by: z.string(), printedName: z.string(), reason: z.string(), at: utcIso }).nullable(),
});
export type CardSignature = z.infer<typeof cardSignatureSchema>;
