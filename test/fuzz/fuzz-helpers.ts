// Shared by the fuzz tests: how many cases (2,000 in CI, 100,000 under `npm run stress`), the seed (printed, so a
// failure can be replayed with AIRLOCK_FUZZ_SEED), and the one outcome every input must have.
import { expect } from 'vitest';
import { ERROR_CODES } from '../../electron/shared/errors';
import { AirlockError } from '../../electron/core/errors';

const STRESS = process.env.AIRLOCK_STRESS === '1';
/** Cases for a property, out of a total budget shared across the fuzz files. */
export function runs(shareOfTotal: number): number {
  const total = Number(process.env.AIRLOCK_FUZZ_RUNS ?? (STRESS ? 100_000 : 2_000));
  return Math.max(1, Math.round(total * shareOfTotal));
}
export const SEED = Number(process.env.AIRLOCK_FUZZ_SEED ?? Date.now() % 2_147_483_647);
/** Per input: a hang shows as a case far beyond what any real file takes. */
export const TIME_BOUND_MS = 5_000;

const CODES = new Set<string>(ERROR_CODES);

/** The input was accepted, or refused with a coded AirlockError whose message is a sentence; nothing else. */
export function expectCodedOrOk(outcome: { ok: true } | { ok: false; error: unknown }, what: string): void {
  if (outcome.ok) return;
  const e = outcome.error;
  if (!(e instanceof AirlockError) || !CODES.has(e.code)) {
    throw new Error(`${what}: not a coded error but ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e)}`);
  }
  expect(e.message.length, `${what}: ${e.code} has no message`).toBeGreaterThan(10);
  expect(e.message, `${what}: a stack trace or parser internals in the message`).not.toMatch(/\n\s+at |\[object Object\]|undefined/);
}

export async function outcomeOf(fn: () => unknown): Promise<{ ok: true } | { ok: false; error: unknown }> {
  try {
    await fn();
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}
