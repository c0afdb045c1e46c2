// Schemas for training runs and the synthetic datasets they produce.
import { z } from 'zod';
import { ruleCheckSchema } from './rules-schema';

export const backendSchema = z.object({
  name: z.string(),
  tfjsVersion: z.string().nullable(),
  backendVersion: z.string().nullable(),
  /** Threads the backend computes on (WASM; AIRLOCK_TRAIN_THREADS), and why fewer than asked, if so. */
  threads: z.number().int().positive().nullable(),
  threadsNote: z.string().nullable(),
  fallbacks: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type BackendView = z.infer<typeof backendSchema>;

/**
 * "2 threads", or "1 thread: why" when fewer than asked; null for the default one thread, which goes unsaid.
 * One phrase for the CLI and the UI's backend line.
 */
export function threadsPhrase(b: Pick<BackendView, 'threads' | 'threadsNote'>): string | null {
  const n = b.threads ?? 1;
  if (n <= 1 && !b.threadsNote) return null;
  return `${n} ${n === 1 ? 'thread' : 'threads'}${b.threadsNote ? `: ${b.threadsNote}` : ''}`;
}

// One class of a synthetic image dataset (label null: an unlabelled run) and the attributes its images carry.
export const imageClassSchema = z.object({
  label: z.string().nullable(),
  modality: z.string(),
  bodyPart: z.string().nullable(),
  images: z.number().int(),
  note: z.string().nullable(),
});
export type ImageClassView = z.infer<typeof imageClassSchema>;

export const datasetSummarySchema = z.object({
  id: z.number().int(),
  runId: z.number().int(),
  version: z.number().int(),
  rows: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** Per spec rule, how many of this version's rows break it (absent for images and tables sampled before rules). */
  ruleChecks: z.array(ruleCheckSchema).optional(),
  // Image datasets: their classes, and each image's index into them (absent for tables and older datasets).
  classes: z.array(imageClassSchema).optional(),
  imageClasses: z.array(z.number().int()).optional(),
});
export type DatasetSummaryView = z.infer<typeof datasetSummarySchema>;

export const runSchema = z.object({
  id: z.number().int(),
  specId: z.number().int(),
  specVersion: z.number().int(),
  specName: z.string(),
  specHash: z.string(),
  sourceSha256: z.string(),
  generator: z.string(),
  seed: z.number().int(),
  status: z.enum(['running', 'cancelled', 'failed', 'done']),
  actor: z.string(),
  backend: backendSchema.nullable(),
  hyperparameters: z.record(z.string(), z.unknown()),
  epochsDone: z.number().int(),
  epochs: z.number().int(),
  stage: z.string().nullable(),
  losses: z.array(z.object({ epoch: z.number().int(), losses: z.record(z.string(), z.number()) })),
  etaSeconds: z.number().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  canResume: z.boolean(),
  previewGrid: z.string().nullable(),
  /** Per spec rule, how the table the run produced keeps it (empty without rules, or before it finished). */
  ruleChecks: z.array(ruleCheckSchema),
  datasets: z.array(datasetSummarySchema),
  // Sentences about how the run went (mixed modalities, greyscale conversion, …).
  notes: z.array(z.string()).default([]),
});
export type RunView = z.infer<typeof runSchema>;

export const datasetPreviewSchema = datasetSummarySchema.extend({
  header: z.array(z.string()),
  preview: z.array(z.array(z.string().nullable())),
});
export type DatasetPreviewView = z.infer<typeof datasetPreviewSchema>;
