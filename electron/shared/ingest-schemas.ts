// Schemas for sources: import jobs, clinical tables, the DICOM hierarchy and previews.
import { z } from 'zod';
import { columnNameSchema } from './limits';
import { ERROR_CODES } from './errors';
import { dateHintSchema } from './date-schema';

export const COLUMN_TYPES = ['integer', 'number', 'boolean', 'categorical', 'date', 'datetime', 'identifier', 'text'] as const;
export const columnTypeSchema = z.enum(COLUMN_TYPES);
export type ColumnType = z.infer<typeof columnTypeSchema>;

export const fileResultSchema = z.object({
  path: z.string(),
  kind: z.enum(['table', 'dicom', 'unknown']),
  status: z.enum(['imported', 'duplicate', 'refused']),
  code: z.enum(ERROR_CODES).nullable(),
  message: z.string(),
  bytes: z.number(),
});
export type FileResult = z.infer<typeof fileResultSchema>;

export const importJobSchema = z.object({
  id: z.number().int(),
  status: z.enum(['running', 'done', 'cancelled', 'failed']),
  filesTotal: z.number().int(),
  filesDone: z.number().int(),
  bytesTotal: z.number(),
  bytesDone: z.number(),
  current: z.string().nullable(),
  counts: z.object({ imported: z.number().int(), duplicates: z.number().int(), refused: z.number().int() }),
  results: z.array(fileResultSchema),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportJobView = z.infer<typeof importJobSchema>;

export const holdoutSchema = z.object({
  fraction: z.number().min(0, 'The holdout is at least 0%.').max(0.5, 'Hold out at most 50% of the data.'),
  seed: z.string().min(1).max(64),
  groupColumn: columnNameSchema.nullable(),
});
export type HoldoutSpec = z.infer<typeof holdoutSchema>;

export const phiSchema = z.object({
  identifying: z.boolean(),
  kind: z.string().nullable(),
  reason: z.string(),
  suggested: z.enum(['drop', 'generalise', 'keep']),
});

export const columnViewSchema = z.object({
  index: z.number().int(),
  name: z.string(),
  inferredType: columnTypeSchema,
  type: columnTypeSchema,
  missing: z.number().int(),
  distinct: z.number().int(),
  distinctCapped: z.boolean(),
  stats: z.record(z.string(), z.unknown()),
  phi: phiSchema,
  // Numbers that read as dates (decimal years, day counts); status "candidate" is shown as "date?" to confirm.
  date: dateHintSchema.optional(),
});
export type ColumnView = z.infer<typeof columnViewSchema>;

export const holdoutLeakSchema = z.object({
  column: z.string(),
  /** Values (patients) with rows on both sides, of all the column's values. */
  values: z.number().int(),
  of: z.number().int(),
  rows: z.number().int(),
  holdoutRows: z.number().int(),
  message: z.string(),
});
export type HoldoutLeak = z.infer<typeof holdoutLeakSchema>;

export const tableSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  sha256: z.string(),
  encoding: z.string(),
  delimiter: z.string(),
  rowCount: z.number().int(),
  columnCount: z.number().int(),
  holdout: holdoutSchema.extend({
    rows: z.number().int(),
    groups: z.number().int(),
    holdoutGroups: z.number().int(),
    /** What the split is grouped by and why (or why rows are independent); null when there is nothing to say. */
    note: z.string().nullable(),
    /** Identifier-like columns with values on both sides of the split. */
    leaks: z.array(holdoutLeakSchema),
  }),
  identifyingColumns: z.number().int(),
  importedAt: z.string(),
});
export type TableSummaryView = z.infer<typeof tableSummarySchema>;

export const tableDetailSchema = tableSummarySchema.extend({
  columns: z.array(columnViewSchema),
  preview: z.array(z.object({ row: z.number().int(), holdout: z.boolean(), cells: z.array(z.string().nullable()) })),
});
export type TableDetailView = z.infer<typeof tableDetailSchema>;

// What the steward should know about an imported image (how its patient was told apart, burned-in text,
// empty values, a repaired offset table, an inferred transfer syntax), shown in the import result and viewer.
export const DICOM_NOTE_CODES = ['patient-identity', 'burned-in', 'burned-in-unknown', 'empty-value', 'offset-table', 'no-part10-header', 'attribute'] as const;
export const dicomNoteSchema = z.object({ code: z.enum(DICOM_NOTE_CODES), text: z.string() });
export type DicomNote = z.infer<typeof dicomNoteSchema>;
// How a DICOM patient was told apart from the others ('placeholder': grouped by a placeholder before this was recorded).
export const PATIENT_BASES = ['patient-id', 'name-birth-date', 'study', 'placeholder'] as const;
export type PatientBasis = (typeof PATIENT_BASES)[number];

export const seriesSummarySchema = z.object({
  id: z.number().int(),
  seriesUid: z.string(),
  number: z.number().nullable(),
  modality: z.string().nullable(),
  description: z.string().nullable(),
  bodyPart: z.string().nullable(),
  instances: z.number().int(),
  frames: z.number().int(),
  burnedIn: z.boolean(),
  /** Some images are of a modality where burned-in text is common and do not say whether they have any. */
  burnedInUnknown: z.boolean(),
});
export const studySummarySchema = z.object({
  id: z.number().int(),
  studyUid: z.string(),
  date: z.string().nullable(),
  description: z.string().nullable(),
  patient: z.object({ key: z.string(), patientId: z.string().nullable(), name: z.string().nullable(), holdout: z.boolean(), identifiedBy: z.enum(PATIENT_BASES) }),
  series: z.array(seriesSummarySchema),
});
export type StudySummaryView = z.infer<typeof studySummarySchema>;
export type SeriesSummaryView = z.infer<typeof seriesSummarySchema>;

export const instanceSchema = z.object({
  id: z.number().int(),
  instanceNumber: z.number().nullable(),
  slicePosition: z.number().nullable(),
  frames: z.number().int(),
  rows: z.number().int(),
  columns: z.number().int(),
  transferSyntax: z.string(),
  burnedIn: z.string().nullable(),
  notes: z.array(dicomNoteSchema),
});
export type InstanceView = z.infer<typeof instanceSchema>;

export const dicomTagSchema = z.object({
  tag: z.string(),
  keyword: z.string().nullable(),
  vr: z.string(),
  value: z.string(),
  identifying: z.boolean(),
  annexE: z.string().nullable(),
});
export type DicomTagView = z.infer<typeof dicomTagSchema>;

export const PRESET_NAMES = ['softTissue', 'lung', 'liver', 'bone', 'brain'] as const;
export const windowRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file') }),
  z.object({ kind: z.literal('preset'), name: z.enum(PRESET_NAMES) }),
  z.object({ kind: z.literal('custom'), center: z.number(), width: z.number().positive('Window width is positive.') }),
]);
export type WindowRequest = z.infer<typeof windowRequestSchema>;

export const renderResultSchema = z.object({
  dataUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  center: z.number().nullable(),
  windowWidth: z.number().nullable(),
  min: z.number(),
  max: z.number(),
  frames: z.number().int(),
});
export type RenderResult = z.infer<typeof renderResultSchema>;
