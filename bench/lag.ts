// Main-process event-loop lag while Airlock works: perf_hooks.monitorEventLoopDelay on this (the service's) thread
// while a TVAE training run goes through the real Runs/worker path, first alone, then with an import of the CT
// series running at the same time, through the same AirlockService calls the UI makes. Target: p99 < 50 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { AirlockService } from '../electron/core/api/service';
import type { BenchContext } from './context';
import { single } from './harness';
import { ctSeries } from './ingest';

const SLICES = Number(process.env.BENCH_SLICES ?? 300);
const ALONE_SECONDS = Number(process.env.BENCH_LAG_ALONE_SECONDS ?? 4);
const MIN_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 8);
const COLON = join(import.meta.dirname, '../../shared/data/colon.csv');

const RESOLUTION_MS = 5;

/** Lag in ms: the histogram holds whole timer intervals, so the timer's own period is taken off. */
function ms(h: IntervalHistogram, p: number | 'max'): number {
  return Math.max(0, (p === 'max' ? h.max : h.percentile(p)) / 1e6 - RESOLUTION_MS);
}

export async function benchLag(ctx: BenchContext): Promise<void> {
  const folder = ctSeries(SLICES);
  const root = mkdtempSync(join(tmpdir(), 'airlock-bench-lag-'));
  const svc = new AirlockService({ kdf: { N: 1024, r: 8, p: 1 } });
  try {
    await svc.call('workspace:create', { path: join(root, 'ws'), username: 'bench', displayName: 'Bench', password: 'bench password 1' });
    await svc.call('users:setRoles', { username: 'bench', roles: ['admin', 'steward'] });
    const imported = await svc.call('ingest:start', { paths: [COLON] });
    await svc.current?.imports.wait(imported.id);
    const [table] = (await svc.call('sources:list', {})).tables;
    if (!table) throw new Error('colon.csv did not import');
    const draft = await svc.call('specs:draft', { tableId: table.id });
    // Default TVAE (batch 500) with a checkpoint every epoch, so the main thread also writes checkpoints.
    const generator = { kind: 'tvae' as const, epochs: 10_000, batchSize: 500, embeddingDim: 128, hiddenDims: [128, 128], learningRate: 1e-3, l2scale: 1e-5, lossFactor: 2, checkpointEvery: 1 };
    const saved = await svc.call('specs:save', { specId: null, spec: { ...draft, name: 'lag bench', generator, rows: 100 } });

    const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    const run = await svc.call('runs:start', { specId: saved.specId });
    h.enable();
    await sleep(ALONE_SECONDS * 1000);
    h.disable();
    const alone = { p50: ms(h, 50), p99: ms(h, 99), max: ms(h, 'max') };
    h.reset();
    h.enable();
    const t0 = performance.now();
    const job = await svc.call('ingest:start', { paths: [folder] });
    const done = await svc.current?.imports.wait(job.id);
    const importSeconds = (performance.now() - t0) / 1000;
    const left = MIN_SECONDS * 1000 - (performance.now() - t0);
    if (left > 0) await sleep(left);
    h.disable();
    const both = { p50: ms(h, 50), p99: ms(h, 99), max: ms(h, 'max') };
    await svc.call('runs:cancel', { runId: run.id });
    const ended = await svc.current?.runs.wait(run.id);
    if (done?.counts.imported !== SLICES) throw new Error(`the import took ${done?.counts.imported ?? 0} of ${SLICES} slices`);
    const label = 'main thread (AirlockService)';
    for (const [phase, v] of [['training alone', alone], ['training + import', both]] as const) {
      for (const p of ['p50', 'p99', 'max'] as const) ctx.add(single('lag', `event-loop lag, ${phase}`, { key: p, label: p, unit: 'ms', better: 'lower' }, v[p], label, 1));
    }
    ctx.note(`Training: TVAE on colon.csv in its worker (${ended?.epochsDone ?? 0} epochs done, status ${ended?.status ?? '?'}); import of ${SLICES} slices took ${importSeconds.toFixed(1)} s during the second phase.`);
    ctx.note(`Target p99 < 50 ms while training and importing: ${both.p99 < 50 ? 'met' : 'NOT met'} (${both.p99.toFixed(1)} ms). Lag = timer interval − its ${RESOLUTION_MS} ms period.`);
  } finally {
    svc.end();
    await svc.settled();
    rmSync(root, { recursive: true, force: true });
  }
}
