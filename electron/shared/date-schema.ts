// Dates written as numbers (decimal years, whole years, day counts since an epoch): how a column is read as dates,
// and whether that reading was recognised, is only offered ("date?"), or was confirmed or rejected by the steward.
import { z } from 'zod';

/** Day zero of the day-count conventions met in clinical exports: SAS and R survival data, Unix/R dates, Excel. */
export const DATE_EPOCHS = ['1960-01-01', '1970-01-01', '1899-12-30'] as const;
export type DateEpoch = (typeof DATE_EPOCHS)[number];

export const dateFormSchema = z.discriminatedUnion('unit', [
  z.object({ unit: z.literal('decimal-year') }),
  z.object({ unit: z.literal('year') }),
  z.object({ unit: z.literal('days'), epoch: z.enum(DATE_EPOCHS) }),
]);
export type DateForm = z.infer<typeof dateFormSchema>;

export const DATE_STATUSES = ['recognised', 'candidate', 'confirmed', 'rejected'] as const;

export const dateHintSchema = z.object({
  form: dateFormSchema,
  /** candidate = "date?": only the name or only the range says date, so the steward confirms or rejects it. */
  status: z.enum(DATE_STATUSES),
  why: z.string(),
  /** The column's smallest and largest value read as calendar dates (YYYY-MM-DD). */
  range: z.object({ from: z.string(), to: z.string() }),
});
export type DateHint = z.infer<typeof dateHintSchema>;

export function dateFormText(form: DateForm): string {
  if (form.unit === 'decimal-year') return 'decimal years';
  if (form.unit === 'year') return 'whole years';
  return `days since ${form.epoch}`;
}

/** A column the date treatments apply to: ISO dates, or numbers read as dates (recognised or confirmed). */
export function isDateColumn(c: { type: string; date?: DateHint | undefined }): boolean {
  if (c.type === 'date' || c.type === 'datetime') return true;
  // Numbers read as dates only while the column is still numbers (a type override to a category ends the reading).
  return (c.type === 'integer' || c.type === 'number') && (c.date?.status === 'recognised' || c.date?.status === 'confirmed');
}
