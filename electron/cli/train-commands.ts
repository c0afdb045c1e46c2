// `airlock train SPEC`, `airlock runs`, `airlock sample RUN --rows N`.
import type { Command } from 'commander';
import type { AirlockService } from '../core/api/service';
import { AirlockError } from '../core/errors';
import { threadsPhrase, type RunView } from '../shared/train-schemas';
import { ruleCheckLines } from '../shared/rules-text';
import { notRunningMessage, recordInterruption, requestCancel, type CancelledElsewhere } from '../core/train/run-control';
import { optionalWhole, print, readPassword, userName, wholeNumber, withSession, withSessionUsing, workspaceDir, type GlobalOptions } from './context';
import { table } from './format';

type Globals = () => GlobalOptions;

function lossText(run: RunView): string {
  const last = run.losses.at(-1);
  return last ? Object.entries(last.losses).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ') : '';
}

/** "wasm (tfjs 4.22.0, 2 threads)": the threads are said when more than the default one, or fewer than asked. */
export function backendText(b: NonNullable<RunView['backend']>): string {
  const threads = threadsPhrase(b);
  return `${b.name} (tfjs ${b.tfjsVersion ?? '?'}${threads ? `, ${threads}` : ''})`;
}

export function runSummary(run: RunView): string {
  const lines = [
    `Run #${run.id}: ${run.status} — ${run.generator} on spec “${run.specName}” v${run.specVersion}, seed ${run.seed}`,
    `  backend: ${run.backend ? backendText(run.backend) : run.generator === 'copula' ? 'plain JavaScript (no tensors)' : 'none: the run stopped before one was chosen'}`,
    `  spec sha256 ${run.specHash}`,
    `  source sha256 ${run.sourceSha256}`,
  ];
  if (run.losses.length > 0) lines.push(`  epochs ${run.epochsDone}/${run.epochs}; last losses: ${lossText(run)}`);
  for (const d of run.datasets) lines.push(`  dataset #${d.id} v${d.version}: ${d.rows} rows, sha256 ${d.sha256}`);
  if (run.ruleChecks.length > 0) lines.push('  rules (share of synthetic rows breaking each):', ...ruleCheckLines(run.ruleChecks).map((l) => `    ${l}`));
  for (const c of run.datasets.at(-1)?.classes ?? []) lines.push(`  ${c.label === null ? 'images' : `class “${c.label}”`}: ${c.images} images, modality ${c.modality}${c.bodyPart ? `, body part ${c.bodyPart}` : ''}`);
  for (const n of run.notes) lines.push(`  note: ${n}`);
  if (run.error) lines.push(`  error: ${run.error.message} [${run.error.code}]`);
  return lines.join('\n');
}

// Where the run is, with the time left: the engine's estimate, or one from the epochs done so far (none before the first).
export function progressLine(run: RunView, now: Date, startedMs: number): string {
  const elapsed = Math.max(0, (now.getTime() - startedMs) / 1000);
  const perEpoch = run.epochsDone > 0 ? elapsed / run.epochsDone : null;
  const own = perEpoch !== null && run.epochs > run.epochsDone ? Math.round(perEpoch * (run.epochs - run.epochsDone)) : null;
  const left = typeof run.etaSeconds === 'number' ? Math.round(run.etaSeconds) : own;
  const eta = left === null ? '' : `, about ${left < 90 ? `${left} s` : `${Math.round(left / 60)} min`} left`;
  return `${run.stage ?? run.status}: epoch ${run.epochsDone}/${run.epochs}, ${Math.round(elapsed)} s${eta}${run.losses.length > 0 ? `; ${lossText(run)}` : ''}`;
}

// On a terminal one line rewritten each second; otherwise (a log, a pipe) a new line every five seconds.
function progressReporter(json: boolean): ((run: RunView) => void) | undefined {
  if (json) return undefined;
  const tty = process.stderr.isTTY === true;
  const startedMs = Date.now();
  let last = 0;
  return (r) => {
    const now = new Date();
    if (!tty && now.getTime() - last < 5000) return;
    last = now.getTime();
    process.stderr.write(tty ? `\r${progressLine(r, now, startedMs)}   ` : `${progressLine(r, now, startedMs)}\n`);
  };
}

// Ctrl-C (or a termination signal) while training: the run is recorded as interrupted at the epoch it reached, the
// session ends, and the process exits at once (128 + the signal), leaving the run for `airlock runs resume`.
function interruptOnSignal(svc: AirlockService, runId: number): () => void {
  const stop = (signal: 'SIGINT' | 'SIGTERM') => {
    const s = svc.current;
    if (s) {
      const how = signal === 'SIGINT' ? 'stopped with Ctrl-C' : 'stopped by a termination signal';
      const reached = s.runs.view(runId).epochsDone;
      const { resumesFrom } = recordInterruption(s.ws, runId, s.user.username, reached, how);
      svc.end('logout');
      const next = resumesFrom === null ? 'it has no checkpoint yet, so train its spec again' : `\`airlock runs resume ${runId}\` continues it from epoch ${resumesFrom}`;
      process.stderr.write(`\nRun #${runId} interrupted at epoch ${reached}; ${next}.\n`);
    }
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const onInt = () => stop('SIGINT');
  const onTerm = () => stop('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}

async function waitWithTicks(svc: AirlockService, runId: number, onTick?: (run: RunView) => void): Promise<RunView> {
  const session = svc.current;
  if (!session) throw new AirlockError('UNAUTHENTICATED', 'The session ended during training.');
  const timer = onTick ? setInterval(() => onTick(session.runs.view(runId)), 1000) : null;
  const release = interruptOnSignal(svc, runId);
  try {
    return await session.runs.wait(runId);
  } finally {
    release();
    if (timer) clearInterval(timer);
  }
}

// Cancels a run wherever it trains: nothing else has the workspace open (then nothing runs it), or the process
// holding the lock is asked through run-control with the password, which that process checks itself.
async function cancelAnywhere(g: GlobalOptions, runId: number): Promise<CancelledElsewhere> {
  const username = userName(g);
  const pass = await readPassword('AIRLOCK_PASSWORD', `Password for ${username}:`);
  try {
    const run = await withSessionUsing(g, pass, (svc) => svc.call('runs:get', { runId }));
    throw new AirlockError('CONFLICT', notRunningMessage(run));
  } catch (err) {
    if (!(err instanceof AirlockError && err.code === 'WORKSPACE_BUSY')) throw err;
  }
  return requestCancel(workspaceDir(g), username, pass, runId);
}

export async function trainAndWait(svc: AirlockService, specId: number, version: number | undefined, onTick?: (run: RunView) => void): Promise<RunView> {
  const run = await svc.call('runs:start', { specId, version });
  return waitWithTicks(svc, run.id, onTick);
}

export function addTrainCommands(program: Command, globals: Globals): void {
  program
    .command('train <specId>')
    .option('--version <n>', 'the spec version (default: the latest)')
    .description('train a spec version and store the synthetic table; exit 5 if the run failed')
    .action(async (specId: string, o: { version?: string }) => {
      const g = globals();
      const run = await withSession(g, (svc) => trainAndWait(svc, wholeNumber('The spec', specId), optionalWhole('--version', o.version), progressReporter(g.json === true)));
      if (process.stderr.isTTY && !g.json) process.stderr.write('\n');
      print(g, run, () => runSummary(run));
      if (run.status !== 'done') process.exitCode = 5;
    });
  const runs = program.command('runs').description('training runs: list (the default), show, cancel, resume');
  runs
    .command('list', { isDefault: true })
    .description('list training runs')
    .action(async () => {
      const g = globals();
      const list = await withSession(g, (svc) => svc.call('runs:list', {}));
      print(g, list, () => {
        const t = table({ head: ['#', 'spec', 'generator', 'status', 'backend', 'rows', 'started'] });
        for (const r of list) t.push([r.id, `${r.specName} v${r.specVersion}`, r.generator, r.status, r.backend?.name ?? '—', r.datasets.at(-1)?.rows ?? '', r.startedAt]);
        return t.toString();
      });
    });
  runs
    .command('show <runId>')
    .description('one run: status, backend, hashes, losses, its dataset versions')
    .action(async (runId: string) => {
      const g = globals();
      const run = await withSession(g, (svc) => svc.call('runs:get', { runId: wholeNumber('The run', runId) }));
      print(g, run, () => runSummary(run));
    });
  runs
    .command('cancel <runId>')
    .description('cancel a run, also one training in another airlock command or the desktop app; `runs resume` continues it')
    .action(async (runId: string) => {
      const g = globals();
      const done = await cancelAnywhere(g, wholeNumber('The run', runId));
      print(g, done, () =>
        done.status === 'cancelled'
          ? `Run #${done.runId} cancelled at epoch ${done.epochsDone} by ${done.by} (it was training in process ${done.pid}); \`airlock runs resume ${done.runId}\` continues it.`
          : `Run #${done.runId} had already stopped (${done.status}) when the request arrived.`,
      );
    });
  runs
    .command('resume <runId>')
    .description('resume a cancelled or interrupted run from its last checkpoint, and wait for it; exit 5 if it fails')
    .action(async (runId: string) => {
      const g = globals();
      const run = await withSession(g, async (svc) => {
        const started = await svc.call('runs:resume', { runId: wholeNumber('The run', runId) });
        return waitWithTicks(svc, started.id, progressReporter(g.json === true));
      });
      if (process.stderr.isTTY && !g.json) process.stderr.write('\n');
      print(g, run, () => runSummary(run));
      if (run.status !== 'done') process.exitCode = 5;
    });
  program
    .command('datasets')
    .description('synthetic datasets in the store')
    .command('show <datasetId>')
    .option('--rows <n>', 'how many rows to show (at most 1000)', '20')
    .option('--offset <n>', 'from which row (0 is the first)', '0')
    .description('read a synthetic table inside the workstation, a page at a time (taking it out is the export gate’s job)')
    .action(async (datasetId: string, o: { rows: string; offset: string }) => {
      const g = globals();
      const d = await withSession(g, (svc) => svc.call('datasets:preview', { datasetId: wholeNumber('The dataset', datasetId), limit: wholeNumber('--rows', o.rows), offset: wholeNumber('--offset', o.offset) }));
      print(g, d, () => {
        const first = Number(o.offset);
        const t = table({ head: ['row', ...d.header] });
        d.preview.forEach((r, i) => t.push([String(first + i + 1), ...r.map((c) => c ?? '')]));
        return `Dataset #${d.id} v${d.version} of run #${d.runId}: rows ${d.preview.length === 0 ? 'none' : `${first + 1}–${first + d.preview.length}`} of ${d.rows}, sha256 ${d.sha256}\n${t.toString()}`;
      });
    });
  program
    .command('sample <runId>')
    .requiredOption('--rows <n>', 'how many rows')
    .description('sample a new dataset version from a finished run (kept in the store)')
    .action(async (runId: string, o: { rows: string }) => {
      const g = globals();
      const d = await withSession(g, (svc) => svc.call('runs:sample', { runId: wholeNumber('The run', runId), rows: wholeNumber('--rows', o.rows) }));
      print(g, d, () => `Dataset #${d.id} v${d.version} of run #${d.runId}: ${d.rows} rows, sha256 ${d.sha256}.`);
    });
}
