// Driven by crash-stress.test.ts: logs in and does real work in a loop — table imports, a DICOM import, spec saves,
// TVAE runs with a checkpoint every epoch — printing "ACK <what> <id>" only after each step has committed.
// The parent SIGKILLs it at random moments and then checks the workspace.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AirlockService } from '../../electron/core/api/service';

const [path, scratch, start] = process.argv.slice(2) as [string, string, string];
const MR = join(process.cwd(), 'resources/sample/mr-brain/brain_001.dcm');
// The tests' fast scrypt cost (test/helpers.ts registers vitest hooks, so it cannot be imported here).
const FAST_KDF = { N: 1024, r: 8, p: 1 };
const ack = (what: string): void => void process.stdout.write(`ACK ${what}\n`);

async function main(): Promise<void> {
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('session:login', { path, username: 'sam', password: 'steward password 1' });
  ack('login');
  for (let i = Number(start); ; i++) {
    const step = i % 3;
    if (step === 0) {
      const file = join(scratch, `visits-${i}.csv`);
      const rows = Array.from({ length: 300 }, (_, r) => `${r},${(r * 7 + i) % 90},${r % 3 === 0 ? 'a' : r % 3 === 1 ? 'b' : 'c'},${(r * 0.37 + i).toFixed(2)}`);
      writeFileSync(file, `id,age,group,score\n${rows.join('\n')}\n`);
      const job = await svc.call('ingest:start', { paths: [file], holdout: { fraction: 0.2, seed: `s${i}`, groupColumn: null } });
      const done = await svc.current!.imports.wait(job.id);
      if (done.counts.imported !== 1) throw new Error(`import ${i}: ${JSON.stringify(done.results)}`);
      ack(`table visits-${i}.csv 300`);
    } else if (step === 1) {
      const job = await svc.call('ingest:start', { paths: [MR] });
      await svc.current!.imports.wait(job.id);
      ack('dicom');
    } else {
      const table = (await svc.call('sources:list', {})).tables.at(-1);
      if (!table) continue;
      const draft = await svc.call('specs:draft', { tableId: table.id });
      const generator = { kind: 'tvae' as const, epochs: 3, batchSize: 64, embeddingDim: 8, hiddenDims: [16, 16], learningRate: 1e-3, l2scale: 1e-5, lossFactor: 2, checkpointEvery: 1 };
      const saved = await svc.call('specs:save', { specId: null, spec: { ...draft, name: `crash ${i}`, generator, rows: 100 } });
      ack(`spec ${saved.specId}`);
      const run = await svc.call('runs:start', { specId: saved.specId });
      const done = await svc.current!.runs.wait(run.id);
      if (done.status === 'done') ack(`run ${run.id} ${done.datasets[0]?.id ?? -1}`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
