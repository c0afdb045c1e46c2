// A small real workspace with a validated dataset that can be requested, signed and exported again and again:
// ada administers, sam imports/trains/requests/exports, rita approves, remy rejects (ending a request so the next
// may start), tmp is the throwaway reviewer whose disable/enable rotates the database key. Tiny sizes: ~10 s.
import { join } from 'node:path';
import { AirlockService } from '../../electron/core/api/service';
import { ADMIN, FAST_KDF } from '../helpers';
import { loginOwn } from '../own-password';
import { PASSWORDS, TINY_TVAE, visitsCsv } from './crash-people';

export { approval, PASSWORDS } from './crash-people';

export interface Exportable {
  path: string;
  datasetId: number;
  verdict: 'pass' | 'fail';
}

/** The workspace in `path`, everyone's password made their own but tmp's, and dataset D validated; all logged out. */
export async function exportableWorkspace(path: string, scratch: string): Promise<Exportable> {
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path, ...ADMIN });
  await svc.call('users:add', { username: 'sam', displayName: 'Sam Steward', roles: ['steward'], password: PASSWORDS.sam });
  await svc.call('users:add', { username: 'rita', displayName: 'Rita Reviewer', roles: ['reviewer'], password: PASSWORDS.rita });
  await svc.call('users:add', { username: 'remy', displayName: 'Remy Reviewer', roles: ['reviewer'], password: PASSWORDS.remy });
  await svc.call('users:add', { username: 'tmp', displayName: 'Tim Throwaway', roles: ['reviewer'], password: PASSWORDS.tmp });
  for (const who of ['rita', 'remy', 'sam'] as const) await loginOwn(svc, path, who, PASSWORDS[who]);
  const file = join(scratch, 'fixture.csv');
  visitsCsv(file, 0, 240);
  const job = await svc.call('ingest:start', { paths: [file], holdout: { fraction: 0.2, seed: 'fixture', groupColumn: null } });
  await svc.current!.imports.wait(job.id);
  const table = (await svc.call('sources:list', {})).tables.at(-1);
  if (!table) throw new Error('the fixture table was not imported');
  const draft = await svc.call('specs:draft', { tableId: table.id });
  const spec = await svc.call('specs:save', { specId: null, spec: { ...draft, name: 'exportable', generator: TINY_TVAE, rows: 60 } });
  const started = await svc.call('runs:start', { specId: spec.specId });
  const run = await svc.current!.runs.wait(started.id);
  const datasetId = run.datasets[0]?.id;
  if (run.status !== 'done' || datasetId === undefined) throw new Error(`the fixture run ended ${run.status}`);
  const v = await svc.call('validations:start', { datasetId });
  const done = await svc.current!.validations.wait(v.id);
  if (done.status !== 'done') throw new Error(`the fixture validation ended ${done.status}: ${done.errorMessage ?? ''}`);
  svc.end('logout');
  await svc.settled();
  return { path, datasetId, verdict: done.verdict === 'pass' ? 'pass' : 'fail' };
}
