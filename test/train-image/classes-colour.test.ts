// Colour series in image specs: refused when the spec is saved, naming the series; converted to the ITU-R BT.601
// luma on request (checked against numpy); and an image run that fails before training still names its backend.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runSummary } from '../../electron/cli/train-commands';
import { AirlockService } from '../../electron/core/api/service';
import { imageSpecSchema } from '../../electron/shared/image-spec-schema';
import { loadImageData } from '../../electron/core/train/image-data';
import { PYTHON } from '../imaging/pydicom';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { codecOf } from '../sources-sealed/opened';

const MR = join(process.cwd(), 'resources/sample/mr-brain');
const RGB = '/usr/lib/python3/dist-packages/pydicom/data/test_files/SC_rgb_rle.dcm';

async function setup(holdout: number) {
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path: tempDir(), ...ADMIN });
  await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
  const db = svc.current?.ws.db;
  if (!db) throw new Error('no session');
  db.prepare("INSERT INTO settings (key, value) VALUES ('dicomHoldout', ?)").run(JSON.stringify({ fraction: holdout, seed: 'test' }));
  const job = await svc.call('ingest:start', { paths: [MR, RGB] });
  await svc.current?.imports.wait(job.id);
  const series = (await svc.call('sources:list', {})).studies.flatMap((s) => s.series);
  return { svc, db, mr: series.find((s) => s.modality === 'MR')?.id ?? -1, rgb: series.find((s) => s.modality === 'OT')?.id ?? -1 };
}

const spec = (seriesIds: number[], colour?: 'refuse' | 'greyscale') => ({
  name: 'Colour test',
  source: { kind: 'dicom' as const, seriesIds },
  image: { size: 32 as const, window: null, labelBy: null, ...(colour ? { colour } : {}) },
  generator: { kind: 'cvae' as const, epochs: 1, batchSize: 4, latentDim: 4, filters: 4, learningRate: 1e-3, checkpointEvery: 1 },
  images: 2,
  seed: 4,
  intendedUse: 'Testing colour series.',
  prohibitedUses: [],
});

// numpy's BT.601 luma of the file's RGB pixels, rounded half up like Math.round.
function numpyLuma(path: string): { width: number; height: number; luma: Buffer } {
  const script = String.raw`
import sys, pydicom, numpy as np
a = pydicom.dcmread(sys.argv[1]).pixel_array.astype(np.float64)
y = np.floor(0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2] + 0.5).clip(0, 255).astype(np.uint8)
sys.stdout.write('%d %d ' % (y.shape[1], y.shape[0]) + y.tobytes().hex())
`;
  const r = spawnSync(PYTHON, ['-c', script, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const [w, h, hex] = r.stdout.split(' ');
  return { width: Number(w), height: Number(h), luma: Buffer.from(hex ?? '', 'hex') };
}

describe('colour series in image specs', () => {
  it('refuses a colour series when the spec is saved, naming it, and stores nothing', async () => {
    const { svc, db, mr, rgb } = await setup(0);
    await expect(svc.call('imagespecs:save', { specId: null, spec: spec([mr, rgb]) })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining(`Series #${rgb} is colour (RGB)`) as string,
    });
    await expect(svc.call('imagespecs:save', { specId: null, spec: spec([rgb], 'refuse') })).rejects.toMatchObject({ message: expect.stringContaining('Convert colour to greyscale') as string });
    expect(db.prepare('SELECT count(*) AS n FROM spec_versions').get()).toEqual({ n: 0 });
    // An old spec (no colour field) parses without one, so its content and hash are what they were.
    const old = spec([mr]);
    const parsed = imageSpecSchema.parse(old);
    expect('colour' in parsed.image).toBe(false);
    const saved = await svc.call('imagespecs:save', { specId: null, spec: old });
    expect(saved.hash).toBe(createHash('sha256').update(canonicalize(parsed) ?? '').digest('hex'));
    svc.end();
  });

  it('converts colour to the BT.601 luma on request (as numpy computes it), and records it with the run', async () => {
    const { svc, db, rgb } = await setup(0);
    const data = await loadImageData(db, codecOf(svc), { seriesIds: [rgb], size: 32, window: null, labelBy: null, colour: 'greyscale' });
    expect(data).toMatchObject({ count: 1, greyscaleFrames: 1 });
    const ref = numpyLuma(RGB);
    const resized = await sharp(ref.luma, { raw: { width: ref.width, height: ref.height, channels: 1 } }).resize(32, 32, { fit: 'fill', kernel: 'lanczos3' }).extractChannel(0).raw().toBuffer();
    expect(resized.length).toBe(32 * 32);
    expect([...data.images]).toEqual([...resized].map((v) => Math.fround(v / 127.5 - 1)));
    await expect(loadImageData(db, codecOf(svc), { seriesIds: [rgb], size: 32, window: null, labelBy: null })).rejects.toMatchObject({ message: expect.stringContaining('is colour (RGB)') as string });

    const saved = await svc.call('imagespecs:save', { specId: null, spec: spec([rgb], 'greyscale') });
    const started = await svc.call('runs:start', { specId: saved.specId });
    const run = await svc.current?.runs.wait(started.id);
    expect(run?.status).toBe('done');
    expect(run?.notes).toContain('1 colour frame was converted to greyscale with the ITU-R BT.601 luma (Y = 0.299 R + 0.587 G + 0.114 B), as the spec asks.');
    expect(run?.datasets[0]?.classes).toEqual([{ label: null, modality: 'OT', bodyPart: null, images: 2, note: null }]);
    svc.end();
  }, 60_000);

  it('an image run that fails before training still names the backend it would have used', async () => {
    const { svc, mr } = await setup(1); // every patient held out: nothing to train on
    const saved = await svc.call('imagespecs:save', { specId: null, spec: spec([mr]) });
    const started = await svc.call('runs:start', { specId: saved.specId });
    const run = await svc.current?.runs.wait(started.id);
    expect(run?.status).toBe('failed');
    expect(run?.error?.message).toContain('holdout');
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(run?.backend?.name);
    const shown = await svc.call('runs:get', { runId: started.id });
    expect(runSummary(shown)).toContain(`backend: ${shown.backend?.name ?? '?'} (tfjs`);
    svc.end();
  }, 60_000);
});
