import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { parseDicom } from '../../electron/core/imaging/dicom';
import { decodeFrame } from '../../electron/core/imaging/pixels';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';

const MR = join(process.cwd(), 'resources/sample/mr-brain');
const haveDciodvfy = spawnSync('which', ['dciodvfy']).status === 0;

async function imageSetup() {
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path: tempDir(), ...ADMIN });
  await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
  svc.current?.ws.db.prepare("INSERT INTO settings (key, value) VALUES ('dicomHoldout', ?)").run(JSON.stringify({ fraction: 0, seed: 'test' }));
  const job = await svc.call('ingest:start', { paths: [MR] });
  await svc.current?.imports.wait(job.id);
  const seriesId = (await svc.call('sources:list', {})).studies[0]?.series[0]?.id ?? -1;
  return { svc, seriesId };
}

const cvaeSpec = (seriesId: number, epochs: number) => ({
  name: 'MR brain CVAE (test)',
  source: { kind: 'dicom' as const, seriesIds: [seriesId] },
  image: { size: 32 as const, window: null, labelBy: null },
  generator: { kind: 'cvae' as const, epochs, batchSize: 4, latentDim: 8, filters: 8, learningRate: 1e-3, checkpointEvery: 1 },
  images: 3,
  seed: 5,
  intendedUse: 'Testing cancel and resume.',
  prohibitedUses: [],
});

describe('image runs (DCGAN on the MR series, synthetic DICOM out)', () => {
  it('cancels a CVAE run promptly and resumes it from its checkpoint to the same images as an uninterrupted run', async () => {
    const { svc, seriesId } = await imageSetup();
    const saved = await svc.call('imagespecs:save', { specId: null, spec: cvaeSpec(seriesId, 6) });
    const straight = await svc.call('runs:start', { specId: saved.specId });
    const reference = await svc.current?.runs.wait(straight.id);
    expect(reference?.status).toBe('done');
    const run = await svc.call('runs:start', { specId: saved.specId });
    await expect.poll(async () => (await svc.call('runs:get', { runId: run.id })).epochsDone, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(2);
    const t0 = Date.now();
    const cancelled = await svc.call('runs:cancel', { runId: run.id });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(cancelled).toMatchObject({ status: 'cancelled', canResume: true });
    await svc.call('runs:resume', { runId: run.id });
    const resumed = await svc.current?.runs.wait(run.id);
    expect(resumed?.status).toBe('done');
    expect(resumed?.datasets[0]?.sha256).toBe(reference?.datasets[0]?.sha256);
    svc.end();
  });

  it('trains a tiny DCGAN, streams sample grids, and stores synthetic DICOM that dciodvfy accepts, pixels intact', async () => {
    if (!haveDciodvfy && process.env.CI) throw new Error('dciodvfy (dicom3tools) is required in CI');
    const svc = new AirlockService({ kdf: FAST_KDF });
    await svc.call('workspace:create', { path: tempDir(), ...ADMIN });
    await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
    const db = svc.current?.ws.db;
    if (!db) throw new Error('no session');
    // The sample has one patient; with no holdout it can be trained on.
    db.prepare("INSERT INTO settings (key, value) VALUES ('dicomHoldout', ?)").run(JSON.stringify({ fraction: 0, seed: 'test' }));
    const job = await svc.call('ingest:start', { paths: [MR] });
    await svc.current?.imports.wait(job.id);
    const seriesId = (await svc.call('sources:list', {})).studies[0]?.series[0]?.id ?? -1;
    const saved = await svc.call('imagespecs:save', {
      specId: null,
      spec: {
        name: 'MR brain DCGAN (test)',
        source: { kind: 'dicom', seriesIds: [seriesId] },
        image: { size: 32, window: null, labelBy: null },
        generator: { kind: 'dcgan', epochs: 2, batchSize: 8, ngf: 8, ndf: 8, latentDim: 16, learningRate: 2e-4, checkpointEvery: 1 },
        images: 4,
        seed: 3,
        intendedUse: 'Testing the image pipeline.',
        prohibitedUses: [],
      },
    });
    const run = await svc.call('runs:start', { specId: saved.specId });
    let grid: string | null = null;
    await expect
      .poll(async () => {
        const r = await svc.call('runs:get', { runId: run.id });
        grid ??= r.previewGrid;
        return r.status;
      }, { timeout: 60_000, interval: 100 })
      .toBe('done');
    expect(grid).toMatch(/^data:image\/png;base64,/);
    const done = await svc.call('runs:get', { runId: run.id });
    expect(done).toMatchObject({ generator: 'dcgan', epochsDone: 2, error: null });
    expect(done.backend?.name).toBe('wasm');
    const dataset = done.datasets[0];
    expect(dataset?.rows).toBe(4);
    const rows = db.prepare('SELECT idx, dicom FROM dataset_images WHERE dataset_id = ? ORDER BY idx').all(dataset?.id ?? -1) as { idx: number; dicom: Buffer }[];
    expect(rows).toHaveLength(4);
    const hash = createHash('sha256');
    for (const r of rows) {
      const parsed = parseDicom(r.dicom);
      expect(parsed).toMatchObject({ rows: 32, columns: 32, burnedInAnnotation: 'NO', modality: 'MR' });
      // 256 px at the source's spacing, resampled to 32 px: eight times coarser.
      const source = parseDicom(readFileSync(join(MR, 'brain_001.dcm')));
      expect(parsed.pixelSpacing?.[0]).toBeCloseTo((source.pixelSpacing?.[0] ?? 0) * 8, 4);
      expect(parsed.patientName).not.toContain('123565');
      const frame = await decodeFrame(r.dicom, parsed, 0);
      hash.update(Uint8Array.from(frame.stored));
    }
    expect(hash.digest('hex')).toBe(dataset?.sha256);
    if (haveDciodvfy) {
      const file = join(tempDir(), 'synthetic.dcm');
      writeFileSync(file, rows[0]?.dicom ?? Buffer.alloc(0));
      const out = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
      const text = `${out.stdout}${out.stderr}`;
      expect(text.split('\n').filter((l) => l.startsWith('Error')), text).toEqual([]);
    }
    const rendered = await svc.call('datasets:image', { datasetId: dataset?.id ?? -1, index: 0, window: { kind: 'file' } });
    expect(rendered).toMatchObject({ width: 32, height: 32 });
    svc.end();
  });
});
