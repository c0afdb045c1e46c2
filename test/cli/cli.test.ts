import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unlockWorkspace } from '../../electron/core/store/workspace';
import { tempDir } from '../helpers';

const BIN = join(process.cwd(), 'bin/airlock.mjs');

function airlock(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, input: '' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the airlock CLI', () => {
  it('creates a workspace, manages users and verifies the audit chain, exiting 3 when it is broken', async () => {
    const ws = join(tempDir(), 'ws');
    const admin = { AIRLOCK_PASSWORD: 'admin password 123' };
    expect(airlock(['--workspace', ws, '--user', 'ada', 'init', '--name', 'Ada Admin'], admin)).toMatchObject({ code: 0, out: expect.stringContaining('ada is its admin') });
    expect(airlock(['-w', ws, '-u', 'ada', 'users', 'add', 'rita', '--name', 'Rita R', '--roles', 'reviewer'], { ...admin, AIRLOCK_NEW_PASSWORD: 'rita password 123' })).toMatchObject({ code: 0 });
    const list = airlock(['-w', ws, '-u', 'ada', '--json', 'users', 'list'], admin);
    expect(JSON.parse(list.out)).toEqual(expect.arrayContaining([expect.objectContaining({ username: 'rita', roles: ['reviewer'] })]));
    expect(airlock(['-w', ws, '-u', 'rita', 'users', 'list'], { AIRLOCK_PASSWORD: 'rita password 123' })).toMatchObject({ code: 1, err: expect.stringContaining('[FORBIDDEN]') });
    expect(airlock(['-w', ws, '-u', 'rita', 'audit', 'verify'], { AIRLOCK_PASSWORD: 'rita password 123' })).toMatchObject({ code: 0, out: expect.stringContaining('Audit chain intact') });

    // Tamper with entry #2 behind the triggers' back, then verify from the CLI.
    const { workspace } = await unlockWorkspace(ws, 'ada', admin.AIRLOCK_PASSWORD);
    workspace.db.exec('DROP TRIGGER audit_log_no_update');
    workspace.db.prepare("UPDATE audit_log SET subject = 'mallory' WHERE seq = 2").run();
    workspace.close();
    expect(airlock(['-w', ws, '-u', 'ada', 'audit', 'verify'], admin)).toMatchObject({ code: 3, out: expect.stringContaining('BROKEN at entry #2') });
  });

  it('says what is wrong: wrong password, missing workspace, no password source', () => {
    const ws = join(tempDir(), 'ws');
    expect(airlock(['-w', ws, '-u', 'ada', 'init', '--name', 'Ada'], { AIRLOCK_PASSWORD: 'admin password 123' }).code).toBe(0);
    expect(airlock(['-w', ws, '-u', 'ada', 'audit', 'verify'], { AIRLOCK_PASSWORD: 'not the password' })).toMatchObject({ code: 1, err: expect.stringContaining('[INVALID_CREDENTIALS]') });
    expect(airlock(['-w', join(ws, 'nope'), '-u', 'ada', 'audit', 'verify'], { AIRLOCK_PASSWORD: 'x' })).toMatchObject({ code: 1, err: expect.stringContaining('There is no Airlock workspace') });
    const noPass = airlock(['-w', ws, '-u', 'ada', 'audit', 'verify'], { AIRLOCK_PASSWORD: '' });
    expect(noPass).toMatchObject({ code: 1, err: expect.stringContaining('set AIRLOCK_PASSWORD') });
    expect(airlock(['frobnicate']).code).toBe(2);
  });

  it('ingests files, lists sources, and drafts, saves and shows a spec', () => {
    const ws = join(tempDir(), 'ws');
    const env = { AIRLOCK_PASSWORD: 'admin password 123' };
    expect(airlock(['-w', ws, '-u', 'ada', 'init', '--name', 'Ada'], env).code).toBe(0);
    expect(airlock(['-w', ws, '-u', 'ada', 'users', 'set-roles', 'ada', 'admin,steward'], env).code).toBe(0);
    const bad = join(tempDir(), 'bad.csv');
    writeFileSync(bad, 'a,b\n1\n');
    const ingest = airlock(['-w', ws, '-u', 'ada', 'ingest', join(process.cwd(), 'resources/sample/tables/pbc.csv'), bad], env);
    expect(ingest).toMatchObject({ code: 4, out: expect.stringMatching(/Imported 1, already present 0, refused 1/) });
    expect(ingest.out).toContain('TABLE_RAGGED');
    const sources = JSON.parse(airlock(['-w', ws, '-u', 'ada', '--json', 'sources'], env).out) as { tables: { id: number; rowCount: number }[] };
    expect(sources.tables).toEqual([expect.objectContaining({ rowCount: 418 })]);
    const draft = airlock(['-w', ws, '-u', 'ada', 'spec', 'draft', '--table', String(sources.tables[0]?.id)], env);
    const file = join(tempDir(), 'spec.json');
    writeFileSync(file, draft.out);
    expect(airlock(['-w', ws, '-u', 'ada', 'spec', 'create', file], env)).toMatchObject({ code: 0, out: expect.stringMatching(/Saved spec #1 .* version 1/) });
    expect(airlock(['-w', ws, '-u', 'ada', 'spec', 'show', '1'], env)).toMatchObject({ code: 0, out: expect.stringContaining('"kind": "copula"') });
    writeFileSync(file, '{"name": ""}');
    expect(airlock(['-w', ws, '-u', 'ada', 'spec', 'create', file], env)).toMatchObject({ code: 1, err: expect.stringContaining('[INVALID_ARGUMENT]') });
  });

  it('runs the demo into --out and ends with a summary', () => {
    const out = tempDir();
    const r = airlock(['demo', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Audit chain intact');
    expect(r.out).toMatch(/Summary[\s\S]*refused a wrong password for rita/);
    expect(r.out).toMatch(/validated dataset #\d+: PASS/);
    expect(readdirSync(out).sort()).toEqual([expect.stringMatching(/^validation-\d+\.html$/), expect.stringMatching(/^workspace-\d{8}-\d{6}$/)]);
  });

  it('validates a dataset: the verdict in words, --json for scripts, exit 6 on FAIL, and the report written only where asked', () => {
    const ws = join(tempDir(), 'ws');
    const env = { AIRLOCK_PASSWORD: 'admin password 123' };
    expect(airlock(['-w', ws, '-u', 'ada', 'init', '--name', 'Ada'], env).code).toBe(0);
    expect(airlock(['-w', ws, '-u', 'ada', 'users', 'set-roles', 'ada', 'admin,steward'], env).code).toBe(0);
    expect(airlock(['-w', ws, '-u', 'ada', 'ingest', join(process.cwd(), '../shared/data/PimaIndiansDiabetes2.csv')], env).code).toBe(0);
    const file = join(tempDir(), 'spec.json');
    const draft = JSON.parse(airlock(['-w', ws, '-u', 'ada', 'spec', 'draft', '--table', '1'], env).out) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...draft, rows: 400, acceptance: { utility: { target: 'diabetes', minScoreRatio: 0.8 } } }));
    expect(airlock(['-w', ws, '-u', 'ada', 'spec', 'create', file], env).code).toBe(0);
    expect(airlock(['-w', ws, '-u', 'ada', 'train', '1'], env).code).toBe(0);
    const report = join(tempDir(), 'report.html');
    const v = airlock(['-w', ws, '-u', 'ada', '--json', 'validate', '1', '--report', report], env);
    const json = JSON.parse(v.out) as { validation: { status: string; verdict: string; resultSha256: string }; report: { criteria: { id: string; status: string }[] } };
    expect(json.validation.status).toBe('done');
    expect(v.code).toBe(json.validation.verdict === 'pass' ? 0 : 6);
    expect(json.report.criteria.map((c) => c.id)).toContain('privacy.membershipAucMax');
    expect(v.err).toMatch(/validating: /);
    expect(readFileSync(report, 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    const text = airlock(['-w', ws, '-u', 'ada', 'report', '1'], env);
    expect(text).toMatchObject({ code: 0, out: expect.stringMatching(/(PASS|FAIL) — /) });
    expect(text.out).toContain(json.validation.resultSha256);
    expect(airlock(['-w', ws, '-u', 'ada', 'validations'], env).out).toContain(json.validation.resultSha256.slice(0, 16));
    expect(airlock(['-w', ws, '-u', 'ada', 'validate', 'abc'], env)).toMatchObject({ code: 1, err: expect.stringContaining('The dataset takes a whole number') });
    expect(airlock(['-w', ws, '-u', 'ada', 'validate', '99'], env)).toMatchObject({ code: 1, err: expect.stringContaining('[NOT_FOUND]') });
    expect(airlock(['-w', ws, '-u', 'ada', 'report', '1', '--html', join(tempDir(), 'no', 'such', 'r.html')], env)).toMatchObject({ code: 1, err: expect.stringMatching(/^airlock: Validation #1 is stored, but its report could not be written .*its folder does not exist.*\[FILE_UNWRITABLE\]\n$/) });
  }, 180_000);
});
