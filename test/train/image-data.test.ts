import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { loadImageData } from '../../electron/core/train/image-data';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { codecOf } from '../sources-sealed/opened';

const MR = join(process.cwd(), 'resources/sample/mr-brain');
const CT = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm';

async function setup(holdoutFraction: number) {
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path: tempDir(), ...ADMIN });
  await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
  const db = svc.current?.ws.db;
  if (!db) throw new Error('no session');
  db.prepare("INSERT INTO settings (key, value) VALUES ('dicomHoldout', ?)").run(JSON.stringify({ fraction: holdoutFraction, seed: 'test' }));
  const job = await svc.call('ingest:start', { paths: [MR, CT] });
  await svc.current?.imports.wait(job.id);
  const studies = (await svc.call('sources:list', {})).studies;
  const series = (m: string) => studies.flatMap((s) => s.series).find((s) => s.modality === m)?.id ?? -1;
  return { svc, db, mr: series('MR'), ct: series('CT') };
}

describe('image training data', () => {
  it('windows, resamples and scales every frame of the chosen series, with labels from an attribute', async () => {
    const { svc, db, mr, ct } = await setup(0);
    const data = await loadImageData(db, codecOf(svc), { seriesIds: [mr, ct], size: 32, window: null, labelBy: 'modality' });
    expect(data).toMatchObject({ count: 21, size: 32, classes: ['CT', 'MR'], heldOutFrames: 0 });
    expect(data.images.length).toBe(21 * 32 * 32);
    expect(Math.min(...data.images)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...data.images)).toBeLessThanOrEqual(1);
    expect([...(data.labels ?? [])].filter((l) => l === 1)).toHaveLength(20);
    const middle = data.images.subarray(10 * 1024, 11 * 1024);
    expect(new Set(middle).size).toBeGreaterThan(50);
    const narrow = await loadImageData(db, codecOf(svc), { seriesIds: [ct], size: 64, window: { center: 40, width: 80 }, labelBy: null });
    const wide = await loadImageData(db, codecOf(svc), { seriesIds: [ct], size: 64, window: { center: 40, width: 2000 }, labelBy: null });
    expect(narrow.count).toBe(1);
    expect(narrow.labels).toBeNull();
    expect(narrow.images).not.toEqual(wide.images);
    svc.end();
  });

  it('takes class labels from a clinical table column joined on the patient ID, and refuses ambiguous ones', async () => {
    const { svc, db, mr, ct } = await setup(0);
    const dir = tempDir();
    writeFileSync(join(dir, 'labels.csv'), 'patient_id,cohort\n123565,brain-study\n1CT1,chest-study\n');
    writeFileSync(join(dir, 'conflict.csv'), 'patient_id,cohort\n123565,a\n123565,b\n1CT1,c\n');
    const job = await svc.call('ingest:start', { paths: [dir] });
    await svc.current?.imports.wait(job.id);
    const tables = (await svc.call('sources:list', {})).tables;
    const id = (name: string) => tables.find((t) => t.name === name)?.id ?? -1;
    const data = await loadImageData(db, codecOf(svc), { seriesIds: [mr, ct], size: 32, window: null, labelBy: { kind: 'column', tableId: id('labels.csv'), patientColumn: 'patient_id', labelColumn: 'cohort' } });
    expect(data.classes).toEqual(['brain-study', 'chest-study']);
    expect([...(data.labels ?? [])].filter((l) => l === 0)).toHaveLength(20);
    expect([...(data.labels ?? [])].filter((l) => l === 1)).toHaveLength(1);
    await expect(loadImageData(db, codecOf(svc), { seriesIds: [mr], size: 32, window: null, labelBy: { kind: 'column', tableId: id('conflict.csv'), patientColumn: 'patient_id', labelColumn: 'cohort' } })).rejects.toMatchObject({ message: expect.stringContaining('two labels') });
    svc.end();
  });

  it('never trains on holdout patients, says so when nothing is left, and lets the steward redraw the split', async () => {
    const { svc, db, mr } = await setup(1);
    await expect(loadImageData(db, codecOf(svc), { seriesIds: [mr], size: 32, window: null, labelBy: null })).rejects.toMatchObject({ message: expect.stringContaining('holdout patient') });
    expect(await svc.call('sources:setDicomHoldout', { fraction: 0, seed: 'redraw' })).toEqual({ fraction: 0, seed: 'redraw', patients: 2, heldOut: 0 });
    expect((await loadImageData(db, codecOf(svc), { seriesIds: [mr], size: 32, window: null, labelBy: null })).count).toBe(20);
    expect((await svc.call('audit:list', { action: 'dicom.holdout_changed' }))[0]?.details).toMatchObject({ to: { fraction: 0, seed: 'redraw' }, heldOut: 0 });
    await expect(svc.call('sources:setDicomHoldout', { fraction: 0.9, seed: 'x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    svc.end();
  });
});
