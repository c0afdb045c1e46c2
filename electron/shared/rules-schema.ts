// Logical rules between columns that every synthetic row must keep (SDV calls them constraints): written in the
// spec, suggested from the real training rows when a spec is drafted, honoured by every generator, and checked on
// every synthetic row. Shared so the renderer's editor validates with the same rules.
import { z } from 'zod';

const column = z.string().min(1, 'Name a column.').max(200);
// A bound on a numeric column is a number; on a date or datetime column an ISO date (time optional).
const bound = z.union([z.number().finite(), z.string().max(40).regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/, 'A date bound is written YYYY-MM-DD.')]);
// Restricts a rule to rows where a flag column holds one of these cells (e.g. status = "2" for "died").
const when = z.object({ column, values: z.array(z.string().max(200)).min(1, 'Give at least one value.').max(50) });

export const ruleSchema = z.discriminatedUnion('kind', [
  // low ≤ high (or <) for two numeric or date columns, on rows where both are present (and `when` holds).
  z.object({ kind: z.literal('inequality'), low: column, high: column, strict: z.boolean().default(false), when: when.optional() }),
  // The tuple of these columns' cells (missing included) must be one seen in the real training rows.
  z.object({ kind: z.literal('combinations'), columns: z.array(column).min(2, 'A combination rule joins at least two columns.').max(6) }),
  // `column` may hold a value only when `when` holds; with `required`, it must hold one exactly then (e.g. cause of
  // death present if and only if died = 1).
  z.object({ kind: z.literal('presence'), column, when, required: z.boolean().default(false) }),
  // These columns are missing together or present together.
  z.object({ kind: z.literal('missing-together'), columns: z.array(column).min(2).max(20) }),
  // A fixed range for one numeric or date column (either bound optional, inclusive).
  z.object({ kind: z.literal('range'), column, min: bound.optional(), max: bound.optional() }),
  // Present values are > 0 (strict) or ≥ 0.
  z.object({ kind: z.literal('positive'), column, strict: z.boolean().default(false) }),
  // Present values are whole numbers.
  z.object({ kind: z.literal('integer'), column }),
  // Present values are multiples of `step` (e.g. 0.5 for a score, 5 for a rounded blood pressure).
  z.object({ kind: z.literal('rounded'), column, step: z.number().positive().finite() }),
]);
export type Rule = z.infer<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;
export type RuleKind = Rule['kind'];

export const rulesSchema = z.array(ruleSchema).max(200, 'At most 200 rules.').default([]);

/** A suggested rule, with the share of real training rows it was checked on and held for (always 1 when suggested). */
export const ruleSuggestionSchema = z.object({
  rule: ruleSchema,
  /** Training rows the rule applies to (e.g. both columns present), out of `rows`. */
  support: z.number().int().min(0),
  rows: z.number().int().min(0),
  /** One sentence a steward reads, e.g. "In all 412 rows where both are present, “time” ≤ “futime”." */
  why: z.string(),
});
export type RuleSuggestion = z.infer<typeof ruleSuggestionSchema>;

/** What a run records per rule: how many synthetic rows broke it, before and after enforcement. */
export const ruleCheckSchema = z.object({
  rule: ruleSchema,
  /** The rule in words, e.g. "“time” ≤ “futime” where “status” is 1 or 2". */
  text: z.string(),
  /** How the generator honoured it: reparametrised by construction, or by rejecting rows that broke it. */
  method: z.enum(['construction', 'rejection', 'clip']),
  /** Rows checked (the synthetic table) and how many of them break the rule: 0 for a run that succeeded. */
  rows: z.number().int().min(0),
  violations: z.number().int().min(0),
  /** Rows the generator drew and discarded for this rule before the table was complete. */
  rejected: z.number().int().min(0),
  /** The same rule on the real training rows: how many of them break it (a rule the real data breaks is a mistake). */
  realRows: z.number().int().min(0),
  realViolations: z.number().int().min(0),
});
export type RuleCheck = z.infer<typeof ruleCheckSchema>;
