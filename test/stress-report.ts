// What a proof run tried and what held, one JSON line per trial, for the README's table (`npm run stress` writes
// stress-report.md from it). Only written when AIRLOCK_STRESS_REPORT names a file; CI runs write nothing.
import { appendFileSync } from 'node:fs';

export interface Trial {
  what: string;
  how: string;
  count: number;
  held: string;
}

export function recordTrial(trial: Trial): void {
  const path = process.env.AIRLOCK_STRESS_REPORT;
  // One short line per append: lines from parallel test files do not interleave.
  if (path) appendFileSync(path, `${JSON.stringify({ ...trial, at: new Date().toISOString() })}\n`);
}
