// A workspace for image validation tests: the bundled MR volume split into two patients (slices 1–10 as
// imported, slices 11–20 rewritten by pydicom as another patient, held out by the DICOM split), an image spec at
// 32 × 32, a short real DCGAN run, and "generators" whose datasets are made from the training frames.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AirlockService } from '../../electron/core/api/service';
import { writeSyntheticDicom } from '../../electron/core/export/dicom-writer';
import { patientInHoldout } from '../../electron/core/ingest/dicom-import';
import type { Db } from '../../electron/core/store/database';
import { loadImageData } from '../../electron/core/train/image-data';
import { Rng } from '../../electron/core/train/engine/rng';
import { insertImageDataset } from '../../electron/core/train/runs-repo';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { PYTHON } from '../imaging/pydicom';
import { codecOf } from '../sources-sealed/opened';

const MR = join(process.cwd(), 'resources/sample/mr-brain');
export const SIZE = 32;

// The bundled MR volume as two patients: slices 1–10 as imported (training, in dir/a), 11–20 rewritten by pydicom
// as patient HOLD-2 in its own study and series (dir/b), so the per-patient split can hold them out.
export function splitMrVolume(dir: string): [string, string] {
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  mkdirSync(a);
  mkdirSync(b);
  const files = readdirSync(MR).filter((f) => f.endsWith('.dcm')).sort();
  files.slice(0, 10).forEach((f) => copyFileSync(join(MR, f), join(a, f)));
  const script = String.raw`
import sys, pydicom
from pydicom.uid import generate_uid
src, out = sys.argv[1], sys.argv[2]
study, series = generate_uid(), generate_uid()
for name in sys.argv[3:]:
    d = pydicom.dcmread(src + '/' + name)
    d.PatientID = 'HOLD-2'; d.PatientName = 'Second^Patient'
    d.StudyInstanceUID = study; d.SeriesInstanceUID = series
    d.SOPInstanceUID = generate_uid(); d.file_meta.MediaStorageSOPInstanceUID = d.SOPInstanceUID
    d.save_as(out + '/' + name)
`;
  const r = spawnSync(PYTHON, ['-c', script, MR, b, ...files.slice(10)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return [a, b];
}

function splitVolume(): string {
  const dir = tempDir();
  splitMrVolume(dir);
  return dir;
}

export interface ImageWorkspace {
  /** The workspace folder (the admin ADMIN, also steward). */
  path: string;
  svc: AirlockService;
  db: Db;
  specId: number;
  runId: number;
  seriesIds: number[];
  /** The real DCGAN run's dataset. */
  dcganDataset: number;
  train: Float32Array;
  trainCount: number;
}

export const imageSpec = (seriesIds: number[], extra: Record<string, unknown> = {}) => ({
  name: 'Brain MR (image validation test)',
  source: { kind: 'dicom' as const, seriesIds },
  image: { size: SIZE, window: null, labelBy: null },
  generator: { kind: 'dcgan' as const, epochs: 2, batchSize: 4, ngf: 8, ndf: 8, latentDim: 8, learningRate: 2e-4, checkpointEvery: 2 },
  images: 12,
  seed: 5,
  intendedUse: 'Testing image validation.',
  prohibitedUses: [],
  ...extra,
});

export async function imageWorkspace(specExtra: Record<string, unknown> = {}): Promise<ImageWorkspace> {
  const svc = new AirlockService({ kdf: FAST_KDF });
  const path = tempDir();
  await svc.call('workspace:create', { path, ...ADMIN });
  await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
  const db = svc.current?.ws.db;
  if (!db) throw new Error('no session');
  const dir = splitVolume();
  const job = await svc.call('ingest:start', { paths: [join(dir, 'a'), join(dir, 'b')] });
  await svc.current?.imports.wait(job.id);
  // A seed whose per-patient draw holds out the second patient only.
  const keys = (await svc.call('sources:list', {})).studies.map((s) => ({ patient_key: s.patient.key, patient_id: s.patient.patientId }));
  const first = keys.find((k) => k.patient_id !== 'HOLD-2')?.patient_key ?? '';
  const second = keys.find((k) => k.patient_id === 'HOLD-2')?.patient_key ?? '';
  const seed = Array.from({ length: 200 }, (_, i) => `split-${i}`).find((s) => !patientInHoldout(first, { fraction: 0.5, seed: s }) && patientInHoldout(second, { fraction: 0.5, seed: s }));
  if (!seed) throw new Error('no seed splits the two patients');
  await svc.call('sources:setDicomHoldout', { fraction: 0.5, seed });
  const sources = await svc.call('sources:list', {});
  const seriesIds = sources.studies.flatMap((s) => s.series).map((s) => s.id);
  const saved = await svc.call('imagespecs:save', { specId: null, spec: imageSpec(seriesIds, specExtra) });
  const started = await svc.call('runs:start', { specId: saved.specId });
  const run = await svc.current?.runs.wait(started.id);
  const dcganDataset = run?.datasets[0]?.id;
  if (!run || run.status !== 'done' || dcganDataset === undefined) throw new Error(`the DCGAN run did not finish: ${run?.error?.message ?? 'no run'}`);
  const data = await loadImageData(db, codecOf(svc), { seriesIds, size: SIZE, window: null, labelBy: null });
  return { path, svc, db, specId: saved.specId, runId: run.id, seriesIds, dcganDataset, train: data.images, trainCount: data.count };
}

/** A dataset of the run whose images are `frames` ([−1, 1], SIZE × SIZE each), written as the generator writes them. */
export function fakeDataset(w: ImageWorkspace, frames: Float32Array): number {
  const px = SIZE * SIZE;
  const pictures = Array.from({ length: frames.length / px }, (_, i) => {
    const pixels = new Uint8Array(px);
    for (let j = 0; j < px; j++) pixels[j] = Math.max(0, Math.min(255, Math.round(((frames[i * px + j] ?? -1) + 1) * 127.5)));
    return { width: SIZE, height: SIZE, pixels };
  });
  const files = writeSyntheticDicom(pictures, { runId: w.runId, generator: 'test', specHash: '0'.repeat(64) });
  return insertImageDataset(w.db, w.runId, SIZE, pictures.map((p) => p.pixels), files, 'ada', new Date()).id;
}

/** Every training frame transformed: `map(y, x)` gives the source pixel of the target pixel (y, x). */
export function transformed(w: ImageWorkspace, map: (y: number, x: number) => [number, number]): Float32Array {
  const px = SIZE * SIZE;
  const out = new Float32Array(w.train.length);
  const clamp = (v: number) => Math.max(0, Math.min(SIZE - 1, v));
  for (let f = 0; f < w.trainCount; f++) {
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const [sy, sx] = map(y, x);
        out[f * px + y * SIZE + x] = w.train[f * px + clamp(sy) * SIZE + clamp(sx)] as number;
      }
    }
  }
  return out;
}

export function noised(w: ImageWorkspace, sigma: number, seed: number): Float32Array {
  const z = Rng.fromSeed(seed).normal(w.train.length);
  return Float32Array.from(w.train, (v, i) => Math.max(-1, Math.min(1, v + sigma * (z[i] as number))));
}

export function uniformNoise(count: number, seed: number): Float32Array {
  const rng = Rng.fromSeed(seed);
  const u = rng.normal(count * SIZE * SIZE);
  return Float32Array.from(u, (v) => Math.max(-1, Math.min(1, v * 0.5)));
}
