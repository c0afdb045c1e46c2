// `airlock train SPEC`, `airlock runs`, `airlock sample RUN --rows N`.
import type { Command } from 'commander';
import type { AirlockService } from '../core/api/service';
import { AirlockError } from '../core/errors';
import type { RunView } from '../shared/train-schemas';
import { optionalWhole, print, wholeNumber, withSession, type GlobalOptions } from './context';
import { table } from './format';

type Globals = () => GlobalOptions;

function lossText(run: RunView): string {
  const last = run.losses.at(-1);
  return last ? Object.entries(last.losses).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ') : '';
}

export function runSummary(run: RunView): string {
  const lines = [
    `Run #${run.id}: ${run.status} — ${run.generator} on spec “${run.specName}” v${run.specVersion}, seed ${run.seed}`,
    `  backend: ${run.backend ? `${run.backend.name} (tfjs ${run.backend.tfjsVersion ?? '?'})` : 'plain JavaScript (no tensors)'}`,
    `  spec sha256 ${run.specHash}`,
    `  source sha256 ${run.sourceSha256}`,
  ];
  if (run.losses.length > 0) lines.push(`  epochs ${run.epochsDone}/${run.epochs}; last losses: ${lossText(run)}`);
  for (const d of run.datasets) lines.push(`  dataset #${d.id} v${d.version}: ${d.rows} rows, sha256 ${d.sha256}`);
  if (run.error) lines.push(`  error: ${run.error.message} [${run.error.code}]`);
  return lines.join('\n');
}

export async function trainAndWait(svc: AirlockService, specId: number, version: number | undefined, onTick?: (run: RunView) => void): Promise<RunView> {
  const run = await svc.call('runs:start', { specId, version });
  const session = svc.current;
  if (!session) throw new AirlockError('UNAUTHENTICATED', 'The session ended during training.');
  const timer = onTick ? setInterval(() => onTick(session.runs.view(run.id)), 1000) : null;
  try {
    return await session.runs.wait(run.id);
  } finally {
    if (timer) clearInterval(timer);
  }
}

export function addTrainCommands(program: Command, globals: Globals): void {
  program
    .command('train <specId>')
    .option('--version <n>', 'the spec version (default: the latest)')
    .description('train a spec version and store the synthetic table; exit 5 if the run failed')
    .action(async (specId: string, o: { version?: string }) => {
      const g = globals();
      const tty = process.stderr.isTTY && !g.json;
      const run = await withSession(g, (svc) =>
        trainAndWait(svc, wholeNumber('The spec', specId), optionalWhole('--version', o.version), tty ? (r) => process.stderr.write(`\r${r.stage ?? r.status} ${r.epochsDone}/${r.epochs} ${lossText(r)}   `) : undefined),
      );
      if (tty) process.stderr.write('\n');
      print(g, run, () => runSummary(run));
      if (run.status !== 'done') process.exitCode = 5;
    });
  program.command('runs').description('list training runs').action(async () => {
    const g = globals();
    const runs = await withSession(g, (svc) => svc.call('runs:list', {}));
    print(g, runs, () => {
      const t = table({ head: ['#', 'spec', 'generator', 'status', 'backend', 'rows', 'started'] });
      for (const r of runs) t.push([r.id, `${r.specName} v${r.specVersion}`, r.generator, r.status, r.backend?.name ?? '—', r.datasets.at(-1)?.rows ?? '', r.startedAt]);
      return t.toString();
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
