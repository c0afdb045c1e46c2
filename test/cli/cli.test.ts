import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colourWanted } from '../../electron/cli/format';
import { progressLine } from '../../electron/cli/train-commands';
import type { RunView } from '../../electron/shared/train-schemas';
import { AirlockService } from '../../electron/core/api/service';
import { unlockWorkspace } from '../../electron/core/store/workspace';
import { datasetRows } from '../../electron/core/train/runs-repo';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { loginOwn } from '../own-password';

const BIN = join(process.cwd(), 'bin/airlock.mjs');

function airlock(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, input: '' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// A page of a synthetic table read straight from the store, to compare with what the CLI printed.
async function datasetPage(ws: string, offset: number) {
  const { workspace } = await unlockWorkspace(ws, 'sam', 'steward password 1', { kdf: FAST_KDF });
  try {
    return datasetRows(workspace.db, 1, 1, offset);
  } finally {
    workspace.close();
  }
}

describe('the airlock CLI', () => {
  it('creates a workspace, manages users and verifies the audit chain, exiting 3 when it is broken', async () => {
    const ws = join(tempDir(), 'ws');
    const admin = { AIRLOCK_PASSWORD: 'admin password 123' };
    expect(airlock(['--workspace', ws, '--user', 'ada', 'init', '--name', 'Ada Admin'], admin)).toMatchObject({ code: 0, out: expect.stringContaining('ada is its admin') });
    expect(airlock(['-w', ws, '-u', 'ada', 'users', 'add', 'rita', '--name', 'Rita R', '--roles', 'reviewer'], { ...admin, AIRLOCK_NEW_PASSWORD: 'rita password 123' })).toMatchObject({ code: 0 });
    const list = airlock(['-w', ws, '-u', 'ada', '--json', 'users', 'list'], admin);
    expect(JSON.parse(list.out)).toEqual(expect.arrayContaining([expect.objectContaining({ username: 'rita', roles: ['reviewer'] })]));
    // The admin chose rita's password, so her first command must set her own.
    expect(airlock(['-w', ws, '-u', 'rita', 'users', 'list'], { AIRLOCK_PASSWORD: 'rita password 123' })).toMatchObject({ code: 1, err: expect.stringContaining('[PASSWORD_CHANGE_REQUIRED]') });
    expect(airlock(['-w', ws, '-u', 'rita', 'users', 'list'], { AIRLOCK_PASSWORD: 'rita password 123', AIRLOCK_NEW_PASSWORD: 'rita own password 456' })).toMatchObject({ code: 1, err: expect.stringContaining('[FORBIDDEN]') });
    expect(airlock(['-w', ws, '-u', 'rita', 'audit', 'verify'], { AIRLOCK_PASSWORD: 'rita own password 456' })).toMatchObject({ code: 0, out: expect.stringContaining('Audit chain intact') });

    // Tamper with entry #2 behind the triggers' back, then verify from the CLI.
    const { workspace } = await unlockWorkspace(ws, 'ada', admin.AIRLOCK_PASSWORD);
    workspace.db.exec('DROP TRIGGER audit_log_no_update');
    workspace.db.prepare("UPDATE audit_log SET subject = 'mallory' WHERE seq = 2").run();
    workspace.close();
    expect(airlock(['-w', ws, '-u', 'ada', 'audit', 'verify'], admin)).toMatchObject({ code: 3, out: expect.stringContaining('BROKEN at entry #2') });
  });

  it('lists audit entries newest first, as its help says, and shows the series ids image specs name', () => {
    const ws = join(tempDir(), 'ws');
    const env = { AIRLOCK_PASSWORD: 'admin password 123' };
    expect(airlock(['-w', ws, '-u', 'ada', 'init', '--name', 'Ada'], env).code).toBe(0);
    expect(airlock(['-w', ws, '-u', 'ada', 'users', 'set-roles', 'ada', 'admin,steward'], env).code).toBe(0);
    expect(airlock(['-w', ws, '-u', 'ada', 'audit', 'list', '--help']).out).toContain('newest entries first');
    const seqs = [...airlock(['-w', ws, '-u', 'ada', 'audit', 'list', '--limit', '3'], env).out.matchAll(/^│ (\d+)\s+│/gm)].map((m) => Number(m[1]));
    expect(seqs).toHaveLength(3);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const mr = join(process.cwd(), 'resources/sample/mr-brain');
    expect(airlock(['-w', ws, '-u', 'ada', 'ingest', mr], env).code).toBe(0);
    const listed = JSON.parse(airlock(['-w', ws, '-u', 'ada', '--json', 'sources'], env).out) as { studies: { series: { id: number }[] }[] };
    const seriesId = listed.studies[0]?.series[0]?.id;
    expect(seriesId).toBeGreaterThan(0);
    const text = airlock(['-w', ws, '-u', 'ada', 'sources'], env).out;
    expect(text).toMatch(/│ id\s+│ patient/);
    expect(text).toMatch(new RegExp(`│ ${seriesId}\\s+│`));
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
    expect(r.out).toMatch(/rita signed “Approved for model development” on request #1/);
    expect(r.out).toMatch(/verified the bundle offline: all hashes and signatures hold/);
    expect(readdirSync(out).sort()).toEqual([
      expect.stringMatching(/^bundle-dataset-\d+$/),
      expect.stringMatching(/^bundle-dataset-\d+\.zip$/),
      expect.stringMatching(/^card-request-\d+\.html$/),
      expect.stringMatching(/^validation-\d+\.html$/),
      expect.stringMatching(/^workspace-\d{8}-\d{6}$/),
    ]);
    const bundle = join(out, readdirSync(out).find((f) => /^bundle-dataset-\d+$/.test(f))!);
    expect(airlock(['verify', bundle])).toMatchObject({ code: 0, out: expect.stringContaining('✓ verified') });
    writeFileSync(join(bundle, 'data', 'synthetic.csv'), 'tampered\r\n');
    expect(airlock(['verify', bundle])).toMatchObject({ code: 1, out: expect.stringContaining('✗ data/synthetic.csv:') });
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
  it('signs off and exports from the command line (request, approve with the password again, export, verify), and serves scripts', async () => {
    // The slow setup in-process; the workspace's cheap scrypt cost is stored in its slots, so the CLI calls are quick.
    const ws = join(tempDir(), 'ws');
    const sam = { AIRLOCK_PASSWORD: 'steward password 1' };
    const rita = { AIRLOCK_PASSWORD: 'reviewer password 1' };
    const svc = new AirlockService({ kdf: FAST_KDF });
    await svc.call('workspace:create', { path: ws, ...ADMIN });
    await svc.call('users:add', { username: 'sam', displayName: 'Sam Steward', roles: ['steward'], password: sam.AIRLOCK_PASSWORD });
    await svc.call('users:add', { username: 'rita', displayName: 'Rita Reviewer', roles: ['reviewer'], password: rita.AIRLOCK_PASSWORD });
    await loginOwn(svc, ws, 'sam', sam.AIRLOCK_PASSWORD);
    const job = await svc.call('ingest:start', { paths: [join(process.cwd(), '../shared/data/pbc.csv')] });
    await svc.current!.imports.wait(job.id);
    const draft = await svc.call('specs:draft', { tableId: 1 });
    const spec = await svc.call('specs:save', { specId: null, spec: { ...draft, name: 'PBC', rows: 200 } });
    const trained = await svc.current!.runs.wait((await svc.call('runs:start', { specId: spec.specId })).id);
    await svc.current!.validations.wait((await svc.call('validations:start', { datasetId: trained.datasets[0]!.id })).id);
    await loginOwn(svc, ws, 'rita', rita.AIRLOCK_PASSWORD); // her admin-set password made her own before the CLI part
    svc.end();
    await svc.settled();
    const out = tempDir();
    expect(airlock(['-w', ws, '-u', 'sam', 'request', '1', '--section', 'Contact=Ward 4 data office'], sam)).toMatchObject({ code: 0, out: expect.stringMatching(/Request #1: dataset #1 .* pending \(0 of 1 approvals\)/) });
    const [inbox] = JSON.parse(airlock(['-w', ws, '-u', 'rita', '--json', 'approvals'], rita).out) as { verdict: string; canSign: boolean }[];
    expect(inbox?.canSign).toBe(true);
    const verdict = inbox!.verdict;
    const exception = verdict === 'fail' ? ['--exception', 'Accepted for a pilot only.'] : [];
    expect(airlock(['-w', ws, '-u', 'rita', 'approve', '1', '--comment', 'Reviewed.', ...exception], { ...rita, AIRLOCK_SIGN_PASSWORD: 'wrong password!!' })).toMatchObject({ code: 1, err: expect.stringContaining('[INVALID_CREDENTIALS]') });
    expect(airlock(['-w', ws, '-u', 'rita', 'approve', '1', '--comment', 'Reviewed.', ...exception], { ...rita, AIRLOCK_SIGN_PASSWORD: rita.AIRLOCK_PASSWORD })).toMatchObject({ code: 0, out: expect.stringMatching(/Approved for model development — Rita Reviewer \(rita\), \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/) });
    const bundle = join(out, 'bundle');
    const exported = airlock(['-w', ws, '-u', 'sam', 'export', '1', '--to', bundle, '--zip', '--no-pdf'], sam);
    expect(exported).toMatchObject({ code: 0, out: expect.stringContaining(`Check it anywhere with: airlock verify ${bundle}.zip`) });
    expect(airlock(['verify', `${bundle}.zip`])).toMatchObject({ code: 0, out: expect.stringContaining('signed by Rita Reviewer (rita)') });
    expect(airlock(['-w', ws, '-u', 'sam', 'export', '1', '--to', bundle, '--no-pdf'], sam)).toMatchObject({ code: 1, err: expect.stringContaining('[EXPORT_REFUSED]') });

    // For scripts: a command's own --version is not the program's; numbers are asked for in words; no colour in a pipe.
    expect(airlock(['-w', ws, '-u', 'sam', 'train', '1', '--version', '9'], sam)).toMatchObject({ code: 1, err: expect.stringContaining('[NOT_FOUND]') });
    expect(airlock(['-w', ws, '-u', 'sam', 'sample', '1', '--rows', 'abc'], sam)).toMatchObject({ code: 1, err: expect.stringContaining('--rows takes a whole number; “abc” is not one.') });
    const piped = airlock(['-w', ws, '-u', 'sam', 'runs'], { ...sam, NO_COLOR: '' });
    expect(piped.out).toContain('PBC v1');
    expect(piped.out).not.toContain('\u001b[');
    // What a headless workflow needs: the specs, one run, and a page of a synthetic table (read inside the workstation).
    expect(airlock(['-w', ws, '-u', 'sam', 'spec', 'list'], sam).out).toMatch(/│ 1 +│ table +│ PBC +│ v1 of 1 /);
    expect(airlock(['-w', ws, '-u', 'sam', 'runs', 'show', '1'], sam).out).toMatch(/^Run #1: done — copula on spec “PBC” v1/);
    const page = JSON.parse(airlock(['-w', ws, '-u', 'sam', '--json', 'datasets', 'show', '1', '--rows', '3', '--offset', '2'], sam).out) as { preview: unknown[]; rows: number };
    expect(page.preview).toHaveLength(3);
    expect(page.preview[0]).toEqual((await datasetPage(ws, 2))[0]);
  }, 180_000);

  it('reports training progress with the time left, from the epochs done so far', () => {
    const at = (epochsDone: number, losses: RunView['losses'] = []) => ({ stage: 'training', status: 'running', epochsDone, epochs: 10, losses }) as Partial<RunView> as RunView;
    expect(progressLine(at(0), new Date(3_000), 0)).toBe('training: epoch 0/10, 3 s');
    expect(progressLine(at(2), new Date(20_000), 0)).toBe('training: epoch 2/10, 20 s, about 80 s left');
    expect(progressLine(at(1, [{ epoch: 1, losses: { loss: 0.5 } }]), new Date(60_000), 0)).toBe('training: epoch 1/10, 60 s, about 9 min left; loss 0.5000');
    expect(progressLine({ ...at(2), etaSeconds: 30.4 }, new Date(20_000), 0)).toBe('training: epoch 2/10, 20 s, about 30 s left');
  });

  it('colours tables only on a terminal and never under NO_COLOR', () => {
    expect(colourWanted({ isTTY: true }, {})).toBe(true);
    expect(colourWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourWanted({ isTTY: false }, {})).toBe(false);
    expect(colourWanted({}, { NO_COLOR: '' })).toBe(false);
  });
});
