// Sampling with the spec's condition columns: their values are drawn from the real training rows (so the
// synthetic table keeps their real distribution), and every other column is drawn from the copula given them.
import type { Rng } from '../rng';
import { sampleCopula, type CopulaModel } from './copula';

export interface ConditionSource {
  names: string[];
  // The condition columns' values in each training row (stored with the model, inside the encrypted store).
  rows: (string | null)[][];
}

export function sampleConditioned(model: CopulaModel, n: number, rng: Rng, source: ConditionSource | null): (string | null)[][] {
  if (!source || source.names.length === 0 || source.rows.length === 0) return sampleCopula(model, n, rng);
  // Group the drawn condition tuples so rows sharing one are sampled in one call.
  const groups = new Map<string, { values: (string | null)[]; slots: number[] }>();
  for (let i = 0; i < n; i++) {
    const values = source.rows[rng.int(source.rows.length)] ?? [];
    const key = JSON.stringify(values);
    const group = groups.get(key) ?? { values, slots: [] };
    group.slots.push(i);
    groups.set(key, group);
  }
  const out: (string | null)[][] = new Array<(string | null)[]>(n);
  for (const { values, slots } of groups.values()) {
    const conditions = Object.fromEntries(source.names.map((name, j) => [name, values[j] ?? null]));
    sampleCopula(model, slots.length, rng, conditions).forEach((row, k) => (out[slots[k] as number] = row));
  }
  return out;
}

export function conditionSource(header: string[], rows: (string | null)[][], names: string[]): ConditionSource | null {
  if (names.length === 0) return null;
  const idx = names.map((n) => header.indexOf(n));
  return { names, rows: rows.map((r) => idx.map((i) => r[i] ?? null)) };
}
