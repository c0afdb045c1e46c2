// What crosses IPC about validation: a validation's status and, when done, the report document (aggregates
// only, small cells suppressed) that the UI, the CLI and the HTML/PDF report all show.
import { z } from 'zod';
import { RELEASE_TIERS } from './criteria';

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
      notes: z.array(z.string()).optional(),
    }),
  ),
  suppressionNote: z.string(),
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
