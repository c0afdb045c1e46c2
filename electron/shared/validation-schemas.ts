// What crosses IPC about validation: a validation's status and, when done, the report document (aggregates
// only, small cells suppressed) that the UI, the CLI and the HTML/PDF report all show.
import { z } from 'zod';
import { RELEASE_TIERS } from './criteria';

// Base64 only (no data: prefix), so the report builds the one URL form it allows itself.
export const sampleGridSchema = z.object({
  caption: z.string(),
  items: z.array(z.object({ label: z.string(), pngBase64: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/) })),
});
export type SampleGridView = z.infer<typeof sampleGridSchema>;

export const reportDocumentSchema = z.object({
  title: z.string(),
  subtitle: z.string(),
  generatedAt: z.string(),
  facts: z.array(z.object({ label: z.string(), value: z.string() })),
  verdict: z.object({ pass: z.boolean(), headline: z.string(), failed: z.array(z.string()) }),
  criteria: z.array(
    z.object({
      id: z.string(),
      sentence: z.string(),
      measured: z.string(),
      threshold: z.string(),
      status: z.enum(['pass', 'fail', 'not-applicable']),
      straddles: z.boolean(),
      note: z.string().optional(),
    }),
  ),
  sections: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      intro: z.string(),
      metrics: z
        .array(z.object({ name: z.string(), definition: z.string(), value: z.string(), interval: z.string().optional(), range: z.string(), goal: z.enum(['higher is better', 'lower is better']) }))
        .optional(),
      tables: z.array(z.object({ caption: z.string(), columns: z.array(z.string()), rows: z.array(z.array(z.string())) })).optional(),
      charts: z.array(z.object({ caption: z.string(), svg: z.string() })).optional(),
      /** Image validations only: grids of synthetic images (never a real one), PNG as base64. */
      grids: z.array(sampleGridSchema).optional(),
      notes: z.array(z.string()).optional(),
    }),
  ),
  suppressionNote: z.string(),
  /** Absent for a table validation (its documents stay as they were); 'images' for an image validation. */
  kind: z.literal('images').optional(),
});
export type ReportDocumentView = z.infer<typeof reportDocumentSchema>;

export const VALIDATION_STATUSES = ['running', 'cancelled', 'failed', 'done'] as const;

export const validationSchema = z.object({
  id: z.number().int(),
  datasetId: z.number().int(),
  datasetVersion: z.number().int(),
  runId: z.number().int(),
  datasetSha256: z.string(),
  specId: z.number().int(),
  specVersion: z.number().int(),
  specHash: z.string(),
  tier: z.enum(RELEASE_TIERS),
  validatorVersion: z.string(),
  seed: z.string(),
  status: z.enum(VALIDATION_STATUSES),
  /** The stage running now, and its progress within [0, 1]. */
  stage: z.string().nullable(),
  progress: z.number().nullable(),
  stages: z.array(z.object({ id: z.string(), label: z.string(), state: z.enum(['pending', 'running', 'done']) })),
  actor: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  verdict: z.enum(['pass', 'fail']).nullable(),
  resultSha256: z.string().nullable(),
});
export type ValidationView = z.infer<typeof validationSchema>;

/** Row-level findings: shown only inside the app, never written into a report. */
export const findingsSchema = z.object({
  identical: z.array(z.object({ syntheticRow: z.number().int(), trainingRow: z.number().int() })),
  singledOut: z.array(z.object({ predicate: z.string(), trainingRow: z.number().int() })),
});
export type FindingsView = z.infer<typeof findingsSchema>;

/** One worst memorisation pair as the in-app panel shows it: real beside synthetic, same window and size. */
export const memorisationPairSchema = z.object({
  rank: z.number().int(),
  /** Index of the synthetic image in the dataset (from 0). */
  syntheticIndex: z.number().int(),
  /** Where the real frame comes from: training frames (a possible copy) or holdout frames (the control). */
  against: z.enum(['training', 'holdout']),
  seriesId: z.number().int(),
  fileId: z.number().int(),
  frame: z.number().int(),
  classLabel: z.string().nullable(),
  ncc: z.number(),
  ssim: z.number().nullable(),
  aboveThreshold: z.boolean(),
  /** Null when the real frame is withheld (a session without the sources key). */
  realPng: z.string().nullable(),
  syntheticPng: z.string(),
});
export const memorisationPairsSchema = z.object({
  validationId: z.number().int(),
  threshold: z.number().nullable(),
  total: z.number().int(),
  pairs: z.array(memorisationPairSchema),
  /** The real frames are withheld: only a data steward holding the sources key may see them. */
  realWithheld: z.boolean(),
  /** The sentence the panel shows when they are. */
  withheldNote: z.string().nullable(),
});
export type MemorisationPairsView = z.infer<typeof memorisationPairsSchema>;
