// Driven by crash-stress.test.ts: logs in and does real work in a loop — table imports, a DICOM import, spec saves
// and TVAE runs with a checkpoint every epoch, a rekey (ada disables or re-enables tmp), and between each of those a
// step of dataset D's sign-off: a request (sam), an approval (rita), an export (sam; acknowledged only once the bundle
// verifies), a rejection that ends the request (remy). It prints "BEGIN <kind>" before each step and "ACK <what>" only after it
// committed. The parent SIGKILLs it at random moments and then checks the workspace.
import { join } from 'node:path';
import { AirlockService } from '../../electron/core/api/service';
import { verifyBundle } from '../../electron/core/export/bundle/verify';
import { approval, LOOP, PASSWORDS, TINY_TVAE, visitsCsv, type Who } from './crash-people';

const [path, scratch, dataset, verdictArg] = process.argv.slice(2) as [string, string, string, string];
const datasetId = Number(dataset);
const verdict = verdictArg === 'pass' ? 'pass' : 'fail';
const MR = join(process.cwd(), 'resources/sample/mr-brain/brain_001.dcm');
// The tests' fast scrypt cost (test/helpers.ts registers vitest hooks, so it cannot be imported here).
const FAST_KDF = { N: 1024, r: 8, p: 1 };
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const ack = (what: string): void => say(`ACK ${what}`);

const svc = new AirlockService({ kdf: FAST_KDF });
let current: Who | null = null;

async function become(who: Who): Promise<AirlockService> {
  if (current === who) return svc;
  if (current) {
    svc.end('logout');
    await svc.settled();
  }
  current = null;
  await svc.call('session:login', { path, username: who, password: PASSWORDS[who] });
  current = who;
  return svc;
}

// D's newest request as sam sees it (null when there is none yet).
async function latestRequest() {
  const list = await (await become('sam')).call('approvals:list', {});
  return list.filter((r) => r.datasetId === datasetId).sort((a, b) => b.id - a.id)[0] ?? null;
}

async function step(i: number, kind: (typeof LOOP)[number]): Promise<void> {
  if (kind === 'table') {
    const file = join(scratch, `visits-${i}.csv`);
    visitsCsv(file, i);
    const s = await become('sam');
    say(`BEGIN ${kind}`);
    const job = await s.call('ingest:start', { paths: [file], holdout: { fraction: 0.2, seed: `s${i}`, groupColumn: null } });
    const done = await s.current!.imports.wait(job.id);
    if (done.counts.imported !== 1) throw new Error(`import ${i}: ${JSON.stringify(done.results)}`);
    ack(`table visits-${i}.csv 300`);
  } else if (kind === 'dicom') {
    const s = await become('sam');
    say(`BEGIN ${kind}`);
    const job = await s.call('ingest:start', { paths: [MR] });
    await s.current!.imports.wait(job.id);
    ack('dicom');
  } else if (kind === 'run') {
    const s = await become('sam');
    const table = (await s.call('sources:list', {})).tables.at(-1);
    if (!table) return;
    say(`BEGIN ${kind}`);
    const draft = await s.call('specs:draft', { tableId: table.id });
    const saved = await s.call('specs:save', { specId: null, spec: { ...draft, name: `crash ${i}`, generator: { ...TINY_TVAE, epochs: 3 }, rows: 100 } });
    ack(`spec ${saved.specId}`);
    const run = await s.call('runs:start', { specId: saved.specId });
    const done = await s.current!.runs.wait(run.id);
    if (done.status === 'done') ack(`run ${run.id} ${done.datasets[0]?.id ?? -1}`);
  } else if (kind === 'rekey') {
    const s = await become('ada');
    const tmp = (await s.call('users:list', {})).find((u) => u.username === 'tmp');
    say(`BEGIN ${kind}`);
    if (tmp?.status === 'active') {
      await s.call('users:disable', { username: 'tmp' });
      ack('rekey disabled');
    } else {
      await s.call('users:enable', { username: 'tmp', password: PASSWORDS.tmp });
      ack('rekey active');
    }
  } else await signOff(i);
}

// Takes D's sign-off one step further: a request when none is open, rita's approval of a pending one, an export of an
// approved one not yet exported, then remy's rejection, which ends it so the next round can start.
async function signOff(i: number): Promise<void> {
  const latest = await latestRequest();
  const status = latest?.status ?? 'none';
  if (!latest || status === 'rejected') {
    say('BEGIN request');
    const req = await svc.call('approvals:request', { datasetId, sections: [{ title: 'Purpose', body: `Crash test, step ${i}.` }] });
    ack(`request ${req.id}`);
  } else if (status === 'pending') {
    const s = await become('rita');
    say('BEGIN sign');
    const detail = await s.call('approvals:sign', approval(verdict, latest.id, PASSWORDS.rita));
    const mine = detail.signatures.find((x) => x.username === 'rita');
    ack(`sign ${latest.id} ${mine?.id ?? -1}`);
  } else if (status === 'approved' && !(await exported(latest.id))) {
    const dest = join(scratch, `export-${i}`);
    say(`BEGIN export ${dest}`);
    const written = await svc.call('export:run', { datasetId, destination: dest, zip: i % 2 === 0, password: PASSWORDS.sam });
    for (const p of [written.dir, ...(written.zipPath ? [written.zipPath] : [])]) {
      const v = verifyBundle(p);
      if (!v.ok) throw new Error(`the export to ${p} returned but does not verify: ${v.failures.map((f) => f.message).join('; ')}`);
    }
    ack(`export ${dest} ${written.bundleId} ${written.zipPath ? 'zip' : 'folder'}`);
  } else if (status === 'approved') {
    const s = await become('remy');
    say('BEGIN reject');
    await s.call('approvals:sign', { requestId: latest.id, meaning: 'Rejected', comment: 'Ends this round of the crash test.', password: PASSWORDS.remy });
    ack(`reject ${latest.id}`);
  }
}

// Whether the store recorded an export under this request (the audit trail says so).
async function exported(requestId: number): Promise<boolean> {
  const events = await (await become('sam')).call('audit:list', { action: 'dataset.exported', limit: 20 });
  return events.some((e) => e.details.requestId === requestId);
}

// The parent starts each child while the one before it still lives: modules load meanwhile, and the child touches
// the workspace only once told "go <first step>".
function go(): Promise<number> {
  return new Promise((resolve) => {
    let text = '';
    process.stdin.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /^go (\d+)\n/.exec(text);
      if (m) resolve(Number(m[1]));
    });
  });
}

async function main(): Promise<void> {
  say('READY');
  const start = await go();
  await become('sam');
  ack('login');
  for (let i = start; ; i++) await step(i, LOOP[i % LOOP.length] ?? 'table');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
