// The reference implementations for the metric tests: Debian's scipy and sklearn, run once per call with the
// data as JSON on stdin and the answer as JSON on stdout.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = process.env.AIRLOCK_TEST_PYTHON ?? '/usr/bin/python3';

/** True when Debian's Python has scipy and sklearn; in CI their absence is a failure, not a skip. */
export function hasSciPy(): boolean {
  if (!existsSync(PYTHON)) return false;
  const r = spawnSync(PYTHON, ['-c', 'import scipy, sklearn, numpy'], { encoding: 'utf8' });
  const ok = r.status === 0;
  if (!ok && process.env.CI) throw new Error(`Debian's scipy/sklearn are required in CI (${PYTHON}): ${r.stderr}`);
  if (!ok) console.warn(`\n*** scipy/sklearn not found under ${PYTHON}: the reference comparisons are SKIPPED ***\n`);
  return ok;
}

/** Runs `script` (which reads `data` from json.load(sys.stdin) and prints one JSON value) and returns that value. */
export function python<T>(script: string, data: unknown): T {
  const r = spawnSync(PYTHON, ['-c', `import sys, json, warnings\nwarnings.simplefilter('ignore')\ndata = json.load(sys.stdin)\n${script}`], {
    input: JSON.stringify(data, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
