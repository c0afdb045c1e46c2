// One side of the ingest benchmark, in its own process so its peak memory is its own: creates a
// workspace, imports the folder as a steward, and prints JSON with time and peak RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AirlockService } from '../electron/core/api/service';
import { peakRssMb } from './peak-rss';

const folder = process.argv[2] ?? '';
const root = mkdtempSync(join(tmpdir(), 'airlock-bench-'));
const svc = new AirlockService({ kdf: { N: 1024, r: 8, p: 1 } });
await svc.call('workspace:create', { path: join(root, 'ws'), username: 'bench', displayName: 'Bench', password: 'bench password 1' });
await svc.call('users:setRoles', { username: 'bench', roles: ['admin', 'steward'] });
const t0 = performance.now();
const job = await svc.call('ingest:start', { paths: [folder] });
const done = await svc.current?.imports.wait(job.id);
const seconds = (performance.now() - t0) / 1000;
svc.end();
await svc.settled();
rmSync(root, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ files: done?.counts.imported ?? 0, refused: done?.counts.refused ?? -1, bytes: done?.bytesTotal ?? 0, seconds, peakRssMb: peakRssMb() })}\n`);
