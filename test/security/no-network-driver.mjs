// The headless pipeline for test/security/no-network.test.ts: the CLI's own `main(argv)` called once per command,
// in one process (one start-up instead of thirteen), with each command's password variables and output kept apart.
import { writeFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../../electron/cli/index.ts');
const { ws, csv, specFile, bundle, results } = JSON.parse(process.argv[2]);
const steps = [];
const PASSWORD_VARIABLES = ['AIRLOCK_PASSWORD', 'AIRLOCK_NEW_PASSWORD', 'AIRLOCK_SIGN_PASSWORD'];

async function run(step, args, env = {}) {
  for (const name of PASSWORD_VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  process.exitCode = undefined;
  let out = '';
  let err = '';
  const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  process.stdout.write = (chunk) => ((out += String(chunk)), true);
  process.stderr.write = (chunk) => ((err += String(chunk)), true);
  const t0 = Date.now();
  let code;
  try {
    code = await main(args);
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
  steps.push({ step, code, out, err, ms: Date.now() - t0 });
  return { code, out };
}

const admin = { AIRLOCK_PASSWORD: 'admin password 123' };
const sam = { AIRLOCK_PASSWORD: 'steward password 1' };
const rita = { AIRLOCK_PASSWORD: 'reviewer password 1' };
const as = (user) => ['-w', ws, '-u', user];
try {
  await run('init', [...as('ada'), 'init', '--name', 'Ada Admin'], admin);
  await run('add steward', [...as('ada'), 'users', 'add', 'sam', '--name', 'Sam Steward', '--roles', 'steward'], { ...admin, AIRLOCK_NEW_PASSWORD: 'sam temporary pw' });
  await run('add reviewer', [...as('ada'), 'users', 'add', 'rita', '--name', 'Rita Reviewer', '--roles', 'reviewer'], { ...admin, AIRLOCK_NEW_PASSWORD: 'rita temporary pw' });
  // Each user's first command replaces the admin-set password with their own.
  await run('ingest', [...as('sam'), 'ingest', csv], { AIRLOCK_PASSWORD: 'sam temporary pw', AIRLOCK_NEW_PASSWORD: sam.AIRLOCK_PASSWORD });
  const draft = await run('spec draft', [...as('sam'), 'spec', 'draft', '--table', '1'], sam);
  writeFileSync(specFile, JSON.stringify({ ...JSON.parse(draft.out), name: 'PBC offline', rows: 100, generator: { kind: 'copula' } }));
  await run('spec create', [...as('sam'), 'spec', 'create', specFile], sam);
  await run('train', [...as('sam'), 'train', '1'], sam);
  await run('validate', [...as('sam'), 'validate', '1'], sam);
  await run('request', [...as('sam'), 'request', '1', '--section', 'Contact=Ward 4 data office'], sam);
  const inbox = await run('inbox', [...as('rita'), '--json', 'approvals'], { AIRLOCK_PASSWORD: 'rita temporary pw', AIRLOCK_NEW_PASSWORD: rita.AIRLOCK_PASSWORD });
  const verdict = JSON.parse(inbox.out)[0]?.verdict;
  const exception = verdict === 'fail' ? ['--exception', 'Accepted offline for the no-network test.'] : [];
  await run('approve', [...as('rita'), 'approve', '1', '--comment', 'Reviewed offline.', ...exception], { ...rita, AIRLOCK_SIGN_PASSWORD: rita.AIRLOCK_PASSWORD });
  await run('export', [...as('sam'), 'export', '1', '--to', bundle, '--zip', '--no-pdf'], sam);
  await run('verify', ['verify', `${bundle}.zip`]);
} finally {
  writeFileSync(results, JSON.stringify(steps));
}
