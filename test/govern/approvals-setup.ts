// One real workspace for the sign-off tests: sam writes the spec, rex trains and validates, tess requests, rita and
// remy review, ada administers. Everyone's password is PW; the scrypt cost is the tests' cheap one.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AirlockService } from '../../electron/core/api/service';
import type { Role } from '../../electron/shared/contract';
import { ADMIN, FAST_KDF } from '../helpers';
import { loginOwn } from '../own-password';

export const PW = 'correct horse battery';
const DATA = join(process.cwd(), '../shared/data');

export const PEOPLE: { username: string; displayName: string; roles: Role[] }[] = [
  { username: 'sam', displayName: 'Sam Steward', roles: ['steward', 'reviewer'] },
  { username: 'rex', displayName: 'Rex Trainer', roles: ['steward', 'reviewer'] },
  { username: 'tess', displayName: 'Tess Requester', roles: ['steward', 'reviewer'] },
  { username: 'rita', displayName: 'Rita Reviewer', roles: ['reviewer'] },
  { username: 'remy', displayName: 'Remy Reviewer', roles: ['reviewer'] },
];

export async function signOffWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-signoff-'));
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path: dir, ...ADMIN });
  for (const p of PEOPLE) await svc.call('users:add', { ...p, password: PW });
  const as = async (username: string) => {
    await loginOwn(svc, dir, username, PW);
    return svc;
  };
  await as('sam');
  const job = await svc.call('ingest:start', { paths: [join(DATA, 'pbc.csv')] });
  await svc.current!.imports.wait(job.id);
  const [table] = (await svc.call('sources:list', {})).tables;
  if (!table) throw new Error('no table');
  const draft = await svc.call('specs:draft', { tableId: table.id });
  const spec = await svc.call('specs:save', { specId: null, spec: { ...draft, name: 'PBC synthetic', rows: 200 } });
  await as('rex');
  const started = await svc.call('runs:start', { specId: spec.specId });
  const run = await svc.current!.runs.wait(started.id);
  if (run.status !== 'done') throw new Error(`run ${run.status}`);
  const validate = async (datasetId: number) => {
    const v = await svc.call('validations:start', { datasetId });
    const done = await svc.current!.validations.wait(v.id);
    if (done.status !== 'done') throw new Error(`validation ${done.status}: ${done.errorMessage ?? ''}`);
    return done;
  };
  return { dir, svc, as, run, spec, table, validate };
}
