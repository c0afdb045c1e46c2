// A survival-shaped table of our own (like pbc.csv): follow-up and relapse times, a status flag, a cause of death
// present only for the dead, dates of birth before diagnosis, lab values missing together, and a treatment arm
// whose site 3 exists only in arm B. Built from a fixed seed, so every test sees the same rows.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleInput } from '../../electron/shared/rules-schema';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const HEADER = ['id', 'sex', 'age', 'birth', 'diagnosis', 'futime', 'status', 'cause', 'relapse', 'chol', 'trig', 'arm', 'site', 'bili', 'stage', 'dose'];

export function survivalRows(n = 400, seed = 7): string[][] {
  const r = mulberry32(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return Array.from({ length: n }, (_, i) => {
    const age = 30 + r() * 50;
    const diagnosis = Date.UTC(2000, 0, 1) + Math.floor(r() * 3650) * 86_400_000;
    const birth = diagnosis - Math.round(age * 365.25) * 86_400_000;
    const futime = 50 + Math.floor(r() ** 1.5 * 4400);
    const u = r();
    const status = u < 0.55 ? 0 : u < 0.65 ? 1 : 2;
    // Relapses of censored patients come from a registry and may fall after their follow-up; the others' do not.
    const relapse = r() < 0.6 ? String(status === 0 ? Math.floor(r() * 5000) : Math.max(1, Math.round(futime * (0.05 + 0.95 * r())))) : '';
    const labs = r() < 0.2;
    const arm = r() < 0.5 ? 'A' : 'B';
    const site = arm === 'A' ? pick(['1', '2']) : pick(['1', '2', '3']);
    return [
      String(i + 1),
      r() < 0.6 ? 'f' : 'm',
      age.toFixed(1),
      day(birth),
      day(diagnosis),
      String(futime),
      String(status),
      status === 2 ? pick(['liver', 'cardiac', 'other']) : '',
      relapse,
      labs ? '' : String(150 + Math.round(r() * 300)),
      labs ? '' : String(40 + Math.round(r() * 200)),
      arm,
      site,
      (0.3 + r() ** 2 * 20).toFixed(2),
      String(1 + Math.floor(r() * 4)),
      String(0.5 * (1 + Math.floor(r() * 10))),
    ];
  });
}

export function writeSurvivalCsv(dir: string, n = 400): string {
  const file = join(dir, 'survival.csv');
  writeFileSync(file, [HEADER.join(','), ...survivalRows(n).map((row) => row.join(','))].join('\n') + '\n');
  return file;
}

/** The rules the table keeps in every row. */
export const SURVIVAL_RULES: RuleInput[] = [
  { kind: 'inequality', low: 'birth', high: 'diagnosis' },
  { kind: 'inequality', low: 'relapse', high: 'futime', when: { column: 'status', values: ['1', '2'] } },
  { kind: 'presence', column: 'cause', when: { column: 'status', values: ['2'] }, required: true },
  { kind: 'missing-together', columns: ['chol', 'trig'] },
  { kind: 'combinations', columns: ['arm', 'site'] },
  { kind: 'range', column: 'age', min: 18, max: 90 },
  { kind: 'positive', column: 'bili', strict: true },
  { kind: 'integer', column: 'stage' },
  { kind: 'rounded', column: 'dose', step: 0.5 },
];
