// Arguments for a channel made from its zod schema (through its JSON Schema): one valid value, and the ways to get it
// wrong that the schema must refuse. Used by the IPC table test so new channels are covered without a list.
import { z } from 'zod';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', reused: 'inline', cycles: 'ref' }) as JsonSchema;
}

function typesOf(s: JsonSchema): string[] {
  if (s.type === undefined) return [];
  return Array.isArray(s.type) ? s.type : [s.type];
}

function stringFor(s: JsonSchema): string {
  const min = Math.max(s.minLength ?? 0, 2);
  if (s.format === 'date-time') return '2026-01-01T00:00:00.000Z';
  if (s.format === 'date') return '2026-01-01';
  if (s.pattern && /^\^\[0-9a-f\]\{(\d+)\}\$$/.test(s.pattern)) return 'a'.repeat(Number(/\{(\d+)\}/.exec(s.pattern)?.[1] ?? 2));
  const base = 'ab'.repeat(Math.ceil(min / 2)).slice(0, Math.max(min, 2));
  return s.maxLength !== undefined ? base.slice(0, Math.max(s.maxLength, 1)) : base;
}

function numberFor(s: JsonSchema, integer: boolean): number {
  let lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 0.001) : undefined);
  const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 0.001) : undefined);
  lo ??= hi !== undefined ? Math.min(1, hi) : 1;
  let v = Math.max(lo, 1);
  if (hi !== undefined && v > hi) v = lo;
  return integer ? Math.ceil(v) : v;
}

/** One value the JSON Schema accepts (required keys only; the first branch of a union). */
export function sampleOf(s: JsonSchema): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum && s.enum.length > 0) return s.enum[0];
  const branches = s.anyOf ?? s.oneOf;
  if (branches && branches.length > 0) {
    const nonNull = branches.find((b) => !typesOf(b).includes('null')) ?? branches[0];
    return nonNull ? sampleOf(nonNull) : null;
  }
  if (s.allOf && s.allOf.length > 0) return Object.assign({}, ...s.allOf.map((b) => sampleOf(b) as object));
  const [type] = typesOf(s).filter((t) => t !== 'null');
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = sampleOf(s.properties?.[key] ?? {});
      return out;
    }
    case 'array': {
      if (s.prefixItems) return s.prefixItems.map(sampleOf);
      return Array.from({ length: s.minItems ?? 0 }, () => sampleOf(s.items ?? {}));
    }
    case 'string':
      return stringFor(s);
    case 'integer':
      return numberFor(s, true);
    case 'number':
      return numberFor(s, false);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return typesOf(s).includes('null') ? null : {};
  }
}

// A value of the wrong JSON type for a property of schema `s`.
function wrongTyped(s: JsonSchema): unknown {
  const types = typesOf(s);
  if (s.const !== undefined || s.enum) return typeof (s.const ?? s.enum?.[0]) === 'number' ? 'not a number' : 12345;
  if (s.anyOf ?? s.oneOf) return Symbol.for('skip');
  if (types.includes('string')) return 12345;
  if (types.includes('integer') || types.includes('number')) return 'not a number';
  if (types.includes('boolean')) return 'yes';
  if (types.includes('array')) return 'not a list';
  if (types.includes('object')) return 'not an object';
  return Symbol.for('skip');
}

export interface Variant {
  what: string;
  value: unknown;
}

/** Ways to get a channel's arguments wrong that its schema has to refuse, built around a valid `base`. */
export function invalidVariants(s: JsonSchema, base: Record<string, unknown>): Variant[] {
  const out: Variant[] = [
    { what: 'a string instead of an object', value: 'not an object' },
    { what: 'a list instead of an object', value: [base] },
  ];
  for (const key of s.required ?? []) {
    const { [key]: _dropped, ...rest } = base;
    out.push({ what: `no “${key}”`, value: rest });
  }
  for (const [key, prop] of Object.entries(s.properties ?? {})) {
    const wrong = wrongTyped(prop);
    if (typeof wrong !== 'symbol') out.push({ what: `“${key}” of the wrong type`, value: { ...base, [key]: wrong } });
    const types = typesOf(prop);
    if (types.includes('string') && !prop.enum && prop.const === undefined) {
      // One mebibyte, or one character over the schema's own bound.
      const huge = 'x'.repeat(prop.maxLength !== undefined ? prop.maxLength + 1 : 1024 * 1024);
      out.push({ what: `a ${huge.length}-character “${key}”`, value: { ...base, [key]: huge } });
    }
    if (types.includes('integer')) out.push({ what: `a fractional “${key}”`, value: { ...base, [key]: 1.5 } });
    const item = prop.items;
    if (types.includes('array') && item && typesOf(item).includes('string') && !item.enum) {
      const huge = 'x'.repeat(item.maxLength !== undefined ? item.maxLength + 1 : 1024 * 1024);
      out.push({ what: `a ${huge.length}-character item in “${key}”`, value: { ...base, [key]: [huge] } });
    }
  }
  if (s.additionalProperties === false) out.push({ what: 'an unknown extra key', value: { ...base, injected: 'x'.repeat(1024 * 1024) } });
  return out;
}
