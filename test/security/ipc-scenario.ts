// One real working day over IPC, every state-changing channel called once for real (through dispatch, as the
// window calls it), with the audit log's head noted around each call so the test can tell who wrote what.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AirlockService } from '../../electron/core/api/service';
import type { Channel, Envelope, Role } from '../../electron/shared/contract';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { headSeq, PEOPLE, PW } from './ipc-world';

const PBC = join(process.cwd(), 'resources/sample/tables/pbc.csv');
const MR = join(process.cwd(), 'resources/sample/mr-brain');

export interface Step {
  channel: Channel;
  actor: string;
  // Audit sequence numbers: entries in (before, after] were written during the step; after is null while logged out.
  before: number;
  after: number | null;
  result: Envelope<unknown>;
}

// Big enough that an import cancelled at once is still running when the cancel arrives.
function bigCsv(): string {
  const file = join(tempDir('airlock-ipc-'), 'big.csv');
  const lines = ['id,age,weight'];
  for (let i = 0; i < 60_000; i++) lines.push(`${i},${20 + (i % 60)},${(50 + (i % 40)).toFixed(1)}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export async function workingDay(): Promise<{ steps: Step[]; svc: AirlockService; path: string }> {
  const path = join(tempDir('airlock-ipc-'), 'ws');
  const reports = tempDir('airlock-ipc-');
  const svc = new AirlockService({
    kdf: FAST_KDF,
    // Saving a report is the desktop's dialog; here it is a real file in a temp folder.
    saveReport: (report) => {
      const file = join(reports, report.fileName);
      writeFileSync(file, report.content, { mode: 0o600 });
      return Promise.resolve(file);
    },
  });
  const steps: Step[] = [];
  let last = 0;
  let actor: string = ADMIN.username;
  // `settle` waits for work the call started (an import writes its audit events when it ends) before the log is read.
  const call = async <T = unknown>(channel: Channel, args: unknown, settle?: (value: T) => Promise<unknown>): Promise<T> => {
    const before = headSeq(svc) ?? last;
    const result = await svc.dispatch(channel, args);
    if (result.ok && settle) await settle(result.value as T);
    const after = headSeq(svc);
    if (after !== null) last = after;
    steps.push({ channel, actor, before, after, result });
    if (!result.ok) throw new Error(`${channel} as ${actor}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
  const login = async (role: Role, temporary = false) => {
    await call('session:logout', {});
    actor = PEOPLE[role].username;
    await call('session:login', { path, username: actor, password: temporary ? `${PW} (temporary)` : PEOPLE[role].password });
    if (temporary) await call('session:changePassword', { currentPassword: `${PW} (temporary)`, newPassword: PEOPLE[role].password });
  };

  // The admin sets the workspace up and manages people.
  await call('workspace:create', { path, ...ADMIN });
  await call('settings:update', { idleTimeoutMinutes: 30 });
  await call('settings:setAuditAnchor', { folder: tempDir() });
  for (const role of ['steward', 'reviewer'] as const) await call('users:add', { ...PEOPLE[role], password: `${PW} (temporary)`, roles: [role] });
  await call('users:add', { username: 'vic', displayName: 'Vic Visitor', roles: ['reviewer'], password: 'vic temporary password' });
  await call('users:setRoles', { username: 'vic', roles: ['reviewer', 'steward'] });
  await call('users:resetPassword', { username: 'vic', password: 'vic second password' });
  await call('users:disable', { username: 'vic' });
  await call('users:enable', { username: 'vic', password: 'vic third password' });
  await call('approvals:setPolicy', { tier: 'internal-prototyping', requiredApprovals: 2 });

  // The steward imports, shapes the table, writes specs, trains, samples and validates.
  await login('steward', true);
  await call<{ id: number }>('ingest:start', { paths: [PBC, MR] }, (job) => svc.current!.imports.wait(job.id));
  // Started outside the record (its events come when it is cancelled), so only the cancel is judged.
  const big = await svc.call('ingest:start', { paths: [bigCsv()] });
  await call('ingest:cancel', { jobId: big.id });
  const sources = await call<{ tables: { id: number; name: string }[]; studies: { series: { id: number }[] }[] }>('sources:list', {});
  const table = sources.tables.find((t) => t.name.includes('pbc')) ?? sources.tables[0];
  const seriesId = sources.studies[0]?.series[0]?.id;
  if (!table || seriesId === undefined) throw new Error('the import made no table or series');
  const columns = (await call<{ columns: { index: number; name: string }[] }>('tables:get', { tableId: table.id })).columns;
  const col = (name: string) => columns.find((c) => c.name === name)?.index ?? -1;
  await call('tables:setType', { tableId: table.id, column: col('stage'), type: 'categorical' });
  await call('tables:setDate', { tableId: table.id, column: col('time'), form: { unit: 'days', epoch: '1970-01-01' } });
  await call('tables:setDate', { tableId: table.id, column: col('time'), form: null });
  await call('tables:setHoldout', { tableId: table.id, holdout: { fraction: 0.2, seed: 'ipc table', groupColumn: null } });
  await call('sources:setDicomHoldout', { fraction: 0, seed: 'ipc table' });
  await call('imagespecs:save', {
    specId: null,
    spec: { name: 'MR (never trained)', source: { kind: 'dicom', seriesIds: [seriesId] }, image: { size: 32, window: null, labelBy: null }, generator: { kind: 'cvae', epochs: 1, batchSize: 4, latentDim: 8, filters: 8, learningRate: 1e-3, checkpointEvery: 1 }, images: 2, seed: 1, intendedUse: 'The IPC table test.', prohibitedUses: [] },
  });
  const draft = await call<Record<string, unknown>>('specs:draft', { tableId: table.id });
  const spec = await call<{ specId: number }>('specs:save', { specId: null, spec: { ...draft, name: 'PBC for the IPC test', rows: 200 } });
  const run = await call<{ id: number }>('runs:start', { specId: spec.specId }, (r) => svc.current!.runs.wait(r.id));
  const trained = await svc.current!.runs.wait(run.id);
  if (trained.status !== 'done') throw new Error(`run ${trained.status}: ${trained.error?.message ?? ''}`);
  const other = await call<{ id: number }>('runs:start', { specId: spec.specId });
  await call('runs:cancel', { runId: other.id });
  const sampled = await call<{ id: number }>('runs:sample', { runId: run.id, rows: 100 });
  const datasetId = trained.datasets[0]!.id;
  const validation = await call<{ id: number }>('validations:start', { datasetId }, (v) => svc.current!.validations.wait(v.id));
  const validated = await svc.current!.validations.wait(validation.id);
  if (validated.status !== 'done') throw new Error(`validation ${validated.status}: ${validated.errorMessage ?? ''}`);
  const second = await call<{ id: number }>('validations:start', { datasetId: sampled.id });
  await call('validations:cancel', { validationId: second.id });
  await call('validations:save', { validationId: validation.id, format: 'json' });
  const request = await call<{ id: number; verdict: string }>('approvals:request', { datasetId, sections: [{ title: 'Contact', body: 'Ward 4 data office.' }] });

  // The reviewer signs; the steward exports; the reviewer revokes; the admin retires the other version.
  await login('reviewer', true);
  const exception = request.verdict === 'fail' ? { exception: 'Accepted for the IPC test only.' } : {};
  const signed = await call<{ signatures: { id: number; username: string }[] }>('approvals:sign', { requestId: request.id, meaning: 'Approved for model development', comment: 'Checked the card and the report.', password: PEOPLE.reviewer.password, ...exception });
  await login('steward');
  await call('export:run', { datasetId, destination: join(tempDir('airlock-ipc-'), 'bundle'), password: PEOPLE.steward.password });
  await login('reviewer');
  const signature = signed.signatures.find((s) => s.username === PEOPLE.reviewer.username);
  await call('approvals:revoke', { signatureId: signature?.id ?? -1, reason: 'Revoked by the IPC table test.', password: PEOPLE.reviewer.password });
  await login('admin');
  await call('datasets:retire', { datasetId: sampled.id, reason: 'Superseded; retired by the IPC table test.' });
  return { steps, svc, path };
}
