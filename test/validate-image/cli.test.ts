// `airlock validate` on an image dataset, through the built CLI (needs `npm run build`): the verdict and the
// failed criteria in words, exit 6 for a failed verdict, the validations list, and the JSON report of an image
// validation, which holds aggregates and synthetic samples but no memorisation pair.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, tempDir } from '../helpers';
import { imageWorkspace, type ImageWorkspace } from './gate-fixtures';

const BIN = join(process.cwd(), 'bin/airlock.mjs');
let w: ImageWorkspace;

function airlock(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, '-w', w.path, '-u', ADMIN.username, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', AIRLOCK_PASSWORD: ADMIN.password }, input: '' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  w = await imageWorkspace();
  w.svc.end();
  await w.svc.settled();
}, 120_000);

describe('airlock validate on images', () => {
  it('validates an image dataset, explains the failed verdict, lists it and writes its JSON report', () => {
    const file = join(tempDir(), 'report.json');
    const v = airlock(['validate', String(w.dcganDataset), '--json-report', file]);
    expect(v.err).toContain('validating: ');
    expect(v.code).toBe(6);
    expect(v.out).toContain(`Validation #1 of dataset #${w.dcganDataset} (v1): done`);
    expect(v.out).toMatch(/FAIL — \d+ of \d+ applicable criteria failed/);
    expect(v.out).toContain('✗ Fréchet distance ratio, max: measured');
    expect(v.out).toContain(`report written to ${file}`);
    const list = airlock(['--json', 'validations', '--dataset', String(w.dcganDataset)]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out)).toEqual([expect.objectContaining({ id: 1, status: 'done', verdict: 'fail', tier: 'model-development', stages: expect.arrayContaining([expect.objectContaining({ id: 'memorisation', state: 'done' })]) })]);
    const report = JSON.parse(readFileSync(file, 'utf8')) as { report: { kind: string; sections: { id: string }[] } };
    expect(report.report.kind).toBe('images');
    expect(report.report.sections.map((s) => s.id)).toEqual(expect.arrayContaining(['samples', 'intensity', 'features', 'diversity', 'spectrum', 'memorisation']));
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('fileId');
    expect(text).not.toContain('syntheticIndex');
  }, 120_000);
});
