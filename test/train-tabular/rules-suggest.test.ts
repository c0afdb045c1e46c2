import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { checkRealRows } from '../../electron/core/train/rules/check';
import { suggestRulesFromRows } from '../../electron/core/train/rules/suggest';
import { trainingRows } from '../../electron/core/train/runs-repo';
import { describeRule } from '../../electron/shared/rules-text';
import type { Rule } from '../../electron/shared/rules-schema';
import { ruleColumns } from '../../electron/shared/rules-text';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { DATA } from './helpers';
import { codecOf } from '../sources-sealed/opened';

// A small deterministic generator, so the survival table is the same on every run.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A survival table with the shape of real ones: dates in order, an event time kept only for deaths, a cause only for deaths. */
function survivalCsv(dir: string, n = 600): string {
  const r = rng(7);
  const lines = ['patient_id,birth_date,diag_date,sex,status,event_time,followup,cause,arm,site,lab_a,lab_b,dose,systolic'];
  const arms: [string, string[]][] = [['A', ['liver']], ['B', ['lung', 'colon']], ['C', ['colon']]];
  for (let i = 0; i < n; i++) {
    const birth = Date.UTC(1930, 0, 1) + Math.floor(r() * 40 * 365) * 86_400_000;
    const diag = birth + Math.floor((40 + r() * 40) * 365) * 86_400_000;
    const died = r() < 0.45;
    const followup = 30 + Math.floor(r() * 3000);
    // Deaths happen within follow-up; for the living, the column holds a planned visit that may fall after it.
    const event = died ? Math.floor(r() * followup) : Math.floor(r() * 4000);
    const [arm, sites] = arms[Math.floor(r() * 3)] as [string, string[]];
    const site = sites[Math.floor(r() * sites.length)] as string;
    const labs = r() < 0.15 ? ['', ''] : [(50 + r() * 100).toFixed(1), (1 + r() * 9).toFixed(2)];
    const dose = (-Math.log(1 - r()) * 20).toFixed(2);
    const systolic = 5 * (16 + Math.floor(r() * 30));
    lines.push([`P${String(i).padStart(5, '0')}`, day(birth), day(diag), r() < 0.5 ? 'F' : 'M', died ? 'died' : 'alive', event, followup, died ? ['cardiac', 'cancer', 'other'][Math.floor(r() * 3)] : '', arm, site, ...labs, dose, systolic].join(','));
  }
  const path = join(dir, 'survival.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function imported(path: string) {
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path: tempDir(), ...ADMIN });
  await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
  const job = await svc.call('ingest:start', { paths: [path] });
  await svc.current?.imports.wait(job.id);
  const [table] = (await svc.call('sources:list', {})).tables;
  const db = svc.current?.ws.db;
  if (!table || !db) throw new Error('no table');
  const detail = await svc.call('tables:get', { tableId: table.id, previewRows: 0 });
  const suggestions = await svc.call('specs:suggestRules', { tableId: table.id });
  const rows = trainingRows(db, codecOf(svc), table.id);
  return { svc, table, detail, suggestions, rows };
}

type Imported = Awaited<ReturnType<typeof imported>>;

// Every suggestion must hold in every training row, counted by the run's own rule checker.
function expectAllHold({ detail, suggestions, rows }: Imported): void {
  const counts = checkRealRows(suggestions.map((s) => s.rule), detail.columns.map((c) => ({ name: c.name, type: c.type })), rows);
  suggestions.forEach((s, i) => expect({ rule: describeRule(s.rule), violations: counts[i]?.violations }).toEqual({ rule: describeRule(s.rule), violations: 0 }));
  for (const s of suggestions) {
    expect(s.rows).toBe(rows.length);
    expect(s.support).toBeGreaterThan(0);
    expect(s.support).toBeLessThanOrEqual(rows.length);
    expect(s.why.length).toBeGreaterThan(20);
  }
}

const find = <S extends { rule: Rule }>(suggestions: S[], want: (r: Rule) => boolean): S | undefined => suggestions.find((s) => want(s.rule));

describe('suggested rules', () => {
  it('finds the survival rules in a survival-shaped table, and only rules its training rows keep', async () => {
    const got = await imported(survivalCsv(tempDir()));
    const { suggestions, table, rows } = got;
    expect(rows.length).toBe(600 - table.holdout.rows);
    expectAllHold(got);
    const text = suggestions.map((s) => describeRule(s.rule));
    expect(text).toContain('“birth_date” ≤ “diag_date”');
    // Event time ≤ follow-up only for deaths: the unconditional form is broken by the living, so it is not offered.
    expect(text).toContain('“event_time” ≤ “followup” where “status” is died');
    expect(text).not.toContain('“event_time” ≤ “followup”');
    expect(text).toContain('“cause” has a value exactly when “status” is died');
    expect(text).toContain('“lab_a”, “lab_b” are missing together or present together');
    expect(find(suggestions, (r) => r.kind === 'combinations' && r.columns.includes('arm') && r.columns.includes('site'))).toBeDefined();
    expect(text).toContain('“dose” greater than 0');
    expect(text).toContain('“systolic” a multiple of 5');
    // Independent columns make no combination rule, and the identifier is never read.
    expect(find(suggestions, (r) => r.kind === 'combinations' && r.columns.includes('sex'))).toBeUndefined();
    expect(suggestions.flatMap((s) => ruleColumns(s.rule))).not.toContain('patient_id');
    const cond = find(suggestions, (r) => r.kind === 'inequality' && r.when !== undefined);
    expect(cond?.support).toBe(rows.filter((r) => r[4] === 'died').length);
    // The strongest kinds come first.
    expect(suggestions[0]?.rule.kind).toBe('presence');
    got.svc.end();
  });

  it('finds the trial-only columns of the PBC table missing together, and nothing its training rows break', async () => {
    const got = await imported(join(DATA, 'pbc.csv'));
    expectAllHold(got);
    const { suggestions } = got;
    const together = find(suggestions, (r) => r.kind === 'missing-together');
    expect(together?.rule.kind === 'missing-together' && together.rule.columns).toEqual(expect.arrayContaining(['trt', 'ascites', 'hepato', 'spiders']));
    // Labs measured only in the trial: present only where the trial arm is.
    expect(suggestions.map((s) => describeRule(s.rule))).toEqual(expect.arrayContaining(['“copper” has a value only when “trt” is 1 or 2', '“time” greater than 0']));
    // No inequality between unrelated labs passes for a structural rule; those whose ranges barely meet are marked weak.
    for (const s of suggestions.filter((x) => x.rule.kind === 'inequality')) expect(s.why).toMatch(/weak rule/);
    expect(suggestions.length).toBeLessThanOrEqual(30);
    got.svc.end();
  });

  it('suggests for the colon table (two rows per patient) only what its rows keep', async () => {
    const got = await imported(join(DATA, 'colon.csv'));
    expectAllHold(got);
    expect(got.suggestions.map((s) => describeRule(s.rule))).toContain('“time” greater than 0');
    // “study” is the same in every row: no rule is made from a constant.
    expect(got.suggestions.flatMap((s) => ruleColumns(s.rule))).not.toContain('study');
    got.svc.end();
  });

  it('copes with 10,000 rows × 40 columns', () => {
    const r = rng(3);
    const n = 10_000;
    const columns = Array.from({ length: 40 }, (_, i) => ({ name: `c${i}`, type: i % 4 === 3 ? ('categorical' as const) : i % 4 === 2 ? ('integer' as const) : ('number' as const), index: i }));
    const rows = Array.from({ length: n }, () => {
      const base = r() * 100;
      return columns.map((c, i) => (r() < 0.05 ? null : c.type === 'categorical' ? `k${Math.floor(r() * 5)}` : c.type === 'integer' ? String(Math.floor(r() * 50) + (i === 2 ? 0 : 1000)) : (base + i + r() * 10).toFixed(3)));
    });
    const t0 = performance.now();
    const got = suggestRulesFromRows(rows, columns);
    console.log(`suggestRulesFromRows on ${n} × ${columns.length}: ${(performance.now() - t0).toFixed(0)} ms, ${got.length} suggestions`);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThanOrEqual(30);
  });
});
