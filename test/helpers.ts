// Shared test fixtures: real temp-dir workspaces with a cheap (but real) scrypt cost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { KdfParams } from '../electron/core/store/keyslots';

// N=2^10 keeps tests fast; the default (2^17) is exercised once in keyslots.test.ts.
export const FAST_KDF: KdfParams = { N: 1024, r: 8, p: 1 };
export const ADMIN = { username: 'ada', displayName: 'Ada Admin', password: 'correct horse battery' };

const dirs: string[] = [];
export function tempDir(prefix = 'airlock-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// A controllable clock for idle timeouts and lockouts.
export function fakeClock(start = Date.parse('2026-11-22T09:00:00Z')) {
  let t = start;
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
  };
}
