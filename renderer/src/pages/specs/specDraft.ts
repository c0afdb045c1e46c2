// The editor's model: a draft that has the spec's shape but may break its rules, checked with the shared schema.
import { z } from 'zod';
import { CRITERIA, RELEASE_TIERS } from '../../../../electron/shared/criteria';
import { GENERALISE_TO, specSchema, TREATMENTS, type Spec } from '../../../../electron/shared/spec-schema';
import { rulesSchema } from '../../../../electron/shared/rules-schema';
import { ACCEPTANCE_DEFAULTS, EVALUATION_DEFAULTS, GENERATOR_FIELDS, generatorDefaults, type GeneratorKind } from './specFields';

export interface SpecIssue {
  path: string;
  message: string;
}

// The zod messages without a schema-given text read like a type checker; these read like the rest of the app.
const friendly: z.core.$ZodErrorMap = (issue) => {
  const n = (v: unknown) => (typeof v === 'bigint' ? v.toString() : String(v));
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'number') return 'Enter a number.';
      if (issue.expected === 'int') return 'Enter a whole number.';
      return undefined;
    case 'too_small':
      if (issue.origin === 'number') return issue.inclusive === false ? `Must be more than ${n(issue.minimum)}.` : `At least ${n(issue.minimum)}.`;
      if (issue.origin === 'string') return 'This cannot be empty.';
      if (issue.origin === 'array') return `Give at least ${n(issue.minimum)}.`;
      return undefined;
    case 'too_big':
      if (issue.origin === 'number') return `At most ${n(issue.maximum)}.`;
      if (issue.origin === 'string') return `At most ${n(issue.maximum)} characters.`;
      if (issue.origin === 'array') return `At most ${n(issue.maximum)}.`;
      return undefined;
    case 'invalid_format':
      return issue.path?.join('.') === 'source.sha256' ? 'The source hash is not a SHA-256 digest.' : undefined;
    default:
      return undefined;
  }
};

export function validateSpec(draft: Spec): { spec: Spec | null; issues: SpecIssue[] } {
  const result = specSchema.safeParse(draft, { error: friendly });
  if (result.success) return { spec: result.data, issues: [] };
  return { spec: null, issues: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: criterionMessage(i.path.map(String), i.message) })) };
}

// The shared schema names the criterion in its message; beside the field (and after its label) that repeats it.
function criterionMessage(path: string[], message: string): string {
  if (path[0] !== 'criteria') return message;
  const label = CRITERIA.find((c) => c.id === path.slice(1).join('.'))?.label;
  if (!label || !message.startsWith(`${label}: `)) return message;
  const rest = message.slice(label.length + 2);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

// Numbers that are missing or not numbers become NaN, so the form shows an empty field with "Enter a number".
const numOr = (fallback: number) => z.unknown().transform((v) => (v === undefined ? fallback : typeof v === 'number' ? v : Number.NaN));
const num = z.unknown().transform((v) => (typeof v === 'number' ? v : Number.NaN));
const F = ACCEPTANCE_DEFAULTS.fidelity;
const U = ACCEPTANCE_DEFAULTS.utility;
const P = ACCEPTANCE_DEFAULTS.privacy;
const names = z.array(z.string()).default([]);

// The containers the form needs; leaves may still break the spec's rules (the strict schema reports those).
const shapeSchema = z.object({
  name: z.string(),
  source: z.object({ kind: z.literal('table'), tableId: z.number(), sha256: z.string() }),
  columns: z.array(z.object({ name: z.string(), treatment: z.enum(TREATMENTS), to: z.enum(GENERALISE_TO).optional() })),
  generator: z.object({ kind: z.enum(['copula', 'tvae', 'ctgan']) }).catchall(z.unknown()),
  rows: num,
  seed: num,
  acceptance: z
    .object({
      fidelity: z.object({ ksMax: numOr(F.ksMax), categoricalTvMax: numOr(F.categoricalTvMax), correlationDiffMax: numOr(F.correlationDiffMax) }).default(F),
      utility: z.object({ target: z.string().nullable().default(U.target), minScoreRatio: numOr(U.minScoreRatio) }).default(U),
      privacy: z
        .object({ exactCopiesMax: numOr(P.exactCopiesMax), dcrRatioMin: numOr(P.dcrRatioMin), nndrMin: numOr(P.nndrMin), membershipAucMax: numOr(P.membershipAucMax) })
        .default(P),
    })
    .default(ACCEPTANCE_DEFAULTS),
  tier: z.enum(RELEASE_TIERS).default('model-development'),
  evaluation: z
    .object({
      stratifyBy: names,
      quasiIdentifiers: names,
      sensitive: names,
      correlation: z.enum(['pearson', 'spearman']).default('pearson'),
      smallCellMin: numOr(EVALUATION_DEFAULTS.smallCellMin),
    })
    .default(EVALUATION_DEFAULTS),
  // Overrides of the tier's defaults; a value that is not a number stays in the draft as NaN ("Enter a number").
  criteria: z.record(z.string(), num).default({}),
  intendedUse: z.string(),
  prohibitedUses: z.array(z.string()).default([]),
  // Rules keep their shape here too: a JSON edit must not drop them (a half-written one is a JSON error).
  rules: rulesSchema,
  // Kept as written: the strict schema checks it (the patient column and the largest shift for shifted dates).
  dateShift: z.object({ patientColumn: z.string().optional(), maxDays: num.default(365) }).optional(),
});

// Only the hyperparameters of the chosen generator survive, missing ones at their defaults.
function normaliseGenerator(raw: { kind: GeneratorKind } & Record<string, unknown>): Spec['generator'] {
  const defaults = generatorDefaults(raw.kind) as unknown as Record<string, unknown>;
  if (raw.kind === 'copula') return { kind: 'copula' };
  const out: Record<string, unknown> = { kind: raw.kind };
  for (const f of GENERATOR_FIELDS[raw.kind]) {
    const v = raw[f.key] ?? defaults[f.key];
    out[f.key] = f.list ? (Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? x : Number.NaN)) : []) : typeof v === 'number' ? v : Number.NaN;
  }
  return out as Spec['generator'];
}

export type JsonResult = { ok: true; draft: Spec } | { ok: false; error: string };

export function draftFromJson(text: string): JsonResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : 'This is not valid JSON.' };
  }
  const shape = shapeSchema.safeParse(raw);
  if (!shape.success) {
    const first = shape.error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    return { ok: false, error: `${where}${first?.message ?? 'This is not a spec.'}` };
  }
  return { ok: true, draft: { ...shape.data, generator: normaliseGenerator(shape.data.generator) } };
}

export const specJson = (spec: Spec): string => JSON.stringify(spec, null, 2);

// Key order differs between the server's canonical form and edited JSON; compare content, not text.
export function sameContent(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function randomSeed(): number {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  return (buf[0] ?? 0) % 2 ** 31;
}
