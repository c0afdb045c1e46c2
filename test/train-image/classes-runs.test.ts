// Image runs with classes: a tiny conditional CVAE on an MR series and a CT series labelled from a clinical table.
// Each synthetic image records its class, its DICOM carries its class's modality (read back with pydicom), the
// dataset hash covers the classes (a changed class is drift, in the store and in a bundle, for both verifiers).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { runSummary } from '../../electron/cli/train-commands';
import { AirlockService } from '../../electron/core/api/service';
import { bundleImages } from '../../electron/core/export/bundle-images';
import { dicomPixelBytes, imagesSha256 } from '../../electron/core/export/bundle/images';
import { verifyBundle } from '../../electron/core/export/bundle/verify';
import { writeBundle, type BundleInput } from '../../electron/core/export/bundle/write';
import { currentDatasetHash } from '../../electron/core/govern/gate';
import { sha256Hex } from '../../electron/core/govern/signature';
import { classAttributes } from '../../electron/core/train/image/attributes';
import { loadImageData } from '../../electron/core/train/image-data';
import { getRunRow } from '../../electron/core/train/runs-repo';
import { imagesBuilt, pythonVerify, RITA, signApproval } from '../export/bundle-fixtures';
import { PYTHON } from '../imaging/pydicom';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { codecOf } from '../sources-sealed/opened';

const MR = join(process.cwd(), 'resources/sample/mr-brain');
const CT = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm';

async function setup(labels: string) {
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path: tempDir(), ...ADMIN });
  await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
  const db = svc.current?.ws.db;
  if (!db) throw new Error('no session');
  db.prepare("INSERT INTO settings (key, value) VALUES ('dicomHoldout', ?)").run(JSON.stringify({ fraction: 0, seed: 'test' }));
  const dir = tempDir();
  writeFileSync(join(dir, 'labels.csv'), labels);
  const job = await svc.call('ingest:start', { paths: [MR, CT, dir] });
  await svc.current?.imports.wait(job.id);
  const sources = await svc.call('sources:list', {});
  const series = (m: string) => sources.studies.flatMap((s) => s.series).find((s) => s.modality === m)?.id ?? -1;
  return { svc, db, mr: series('MR'), ct: series('CT'), tableId: sources.tables[0]?.id ?? -1 };
}

const spec = (seriesIds: number[], tableId: number) => ({
  name: 'Brain and chest (test)',
  source: { kind: 'dicom' as const, seriesIds },
  image: { size: 32 as const, window: null, labelBy: { kind: 'column' as const, tableId, patientColumn: 'patient_id', labelColumn: 'cohort' } },
  generator: { kind: 'cvae' as const, epochs: 1, batchSize: 8, latentDim: 4, filters: 4, learningRate: 1e-3, checkpointEvery: 1 },
  images: 4,
  seed: 9,
  intendedUse: 'Testing classes of synthetic images.',
  prohibitedUses: [],
});

interface Read {
  Modality: string;
  SeriesDescription: string;
  ImageComments: string;
  SeriesNumber: number;
  InstanceNumber: number;
  StudyInstanceUID: string;
  BodyPartExamined: string | null;
}

function pydicomRead(paths: string[]): Read[] {
  const script = String.raw`
import sys, json, pydicom
out = []
for p in json.load(sys.stdin):
    d = pydicom.dcmread(p)
    out.append({'Modality': d.Modality, 'SeriesDescription': d.SeriesDescription, 'ImageComments': d.ImageComments, 'SeriesNumber': int(d.SeriesNumber),
                'InstanceNumber': int(d.InstanceNumber), 'StudyInstanceUID': d.StudyInstanceUID, 'BodyPartExamined': d.get('BodyPartExamined')})
print(json.dumps(out))
`;
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(paths), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Read[];
}

// An approved image bundle around these files: the fixture's documents, re-anchored on their hash and re-signed.
async function bundleOf(dicom: Uint8Array[], png: Uint8Array[], sha: string): Promise<BundleInput> {
  const built = await imagesBuilt();
  const card = JSON.parse(built.input.cardContent) as { identity: Record<string, unknown> };
  card.identity = { ...card.identity, datasetSha256: sha, rows: dicom.length };
  const cardContent = canonicalize(card) ?? '';
  const anchors = { ...built.anchors, datasetSha256: sha, cardSha256: sha256Hex(cardContent) };
  const approvals = { ...built.input.approvals, request: { ...built.input.approvals.request, ...anchors }, approvals: [signApproval(RITA, anchors)] };
  return { ...built.input, dataset: { ...built.input.dataset, sha256: sha, rows: dicom.length }, cardContent, approvals, images: { dicom, png } };
}

describe('image runs with classes', () => {
  it('records each image’s class, writes its class’s modality into its DICOM, and hashes the classes', async () => {
    const { svc, db, mr, ct, tableId } = await setup('patient_id,cohort\n123565,brain-study\n1CT1,chest-study\n');
    const saved = await svc.call('imagespecs:save', { specId: null, spec: spec([mr, ct], tableId) });
    const started = await svc.call('runs:start', { specId: saved.specId });
    const run = await svc.current?.runs.wait(started.id);
    expect(run?.error).toBeNull();
    expect(run?.status).toBe('done');
    const dataset = run?.datasets[0];
    if (!run || !dataset) throw new Error('no dataset');

    // In the store: a class per image, drawn in turn; and the summary the UI and CLI show.
    const rows = db.prepare('SELECT idx, class_label, attributes, dicom FROM dataset_images WHERE dataset_id = ? ORDER BY idx').all(dataset.id) as { class_label: string; attributes: string; dicom: Buffer }[];
    expect(rows.map((r) => r.class_label)).toEqual(['brain-study', 'chest-study', 'brain-study', 'chest-study']);
    expect(rows.map((r) => (JSON.parse(r.attributes) as { modality: string }).modality)).toEqual(['MR', 'CT', 'MR', 'CT']);
    expect(dataset.classes).toEqual([
      { label: 'brain-study', modality: 'MR', bodyPart: null, images: 2, note: null },
      { label: 'chest-study', modality: 'CT', bodyPart: null, images: 2, note: null },
    ]);
    expect(dataset.imageClasses).toEqual([0, 1, 0, 1]);
    expect(run.notes.filter((n) => n.includes('modalit'))).toEqual([]); // each class has one modality
    const summary = runSummary(run);
    expect(summary).toContain('class “brain-study”: 2 images, modality MR');
    expect(summary).toContain('class “chest-study”: 2 images, modality CT');

    // What an export writes: the stored files, read back by pydicom.
    const out = await bundleImages(db, dataset.id, getRunRow(db, run.id));
    const dir = tempDir();
    const paths = out.dicom.map((d, i) => {
      const p = join(dir, `${String(i + 1).padStart(4, '0')}.dcm`);
      writeFileSync(p, d);
      return p;
    });
    const read = pydicomRead(paths);
    expect(read.map((r) => r.Modality)).toEqual(['MR', 'CT', 'MR', 'CT']);
    expect(read.map((r) => r.SeriesNumber)).toEqual([1, 2, 1, 2]);
    expect(read.map((r) => r.InstanceNumber)).toEqual([1, 2, 3, 4]);
    expect(new Set(read.map((r) => r.StudyInstanceUID)).size).toBe(1);
    expect(read[0]?.SeriesDescription).toMatch(/^SYNTHETIC run #\d+, class brain-study \(not a real patient\)/);
    expect(read[1]?.ImageComments).toMatch(/not a real patient\.\nClass: chest-study$/);
    if (spawnSync('which', ['dciodvfy']).status === 0) {
      for (const p of paths.slice(0, 2)) {
        const v = spawnSync('dciodvfy', [p], { encoding: 'utf8' });
        expect(`${v.stdout}${v.stderr}`.split('\n').filter((l) => l.startsWith('Error'))).toEqual([]);
      }
    }

    // The hash covers the classes: it is not the pixels' alone, and the store and the files agree on it.
    const pixelsOnly = createHash('sha256');
    for (const d of out.dicom) pixelsOnly.update(dicomPixelBytes(d));
    expect(dataset.sha256).not.toBe(pixelsOnly.digest('hex'));
    expect(imagesSha256(out.dicom)).toBe(dataset.sha256);
    expect(currentDatasetHash(db, dataset.id)).toBe(dataset.sha256);

    // A bundle of these images verifies in both verifiers; a class swapped in one file fails both.
    const dest = join(tempDir(), 'bundle');
    writeBundle(dest, await bundleOf(out.dicom, out.png, dataset.sha256));
    expect(verifyBundle(dest).failures).toEqual([]);
    expect(pythonVerify(dest)).toMatchObject({ status: 0 });
    const file = join(dest, 'data/images/0001.dcm');
    const bytes = readFileSync(file);
    const at = bytes.lastIndexOf('Class: brain-study');
    bytes.write('Class: chest-study', at, 'latin1');
    writeFileSync(file, bytes);
    expect(verifyBundle(dest).failures.map((f) => f.message)).toContain("data/images: the images' pixels do not hash to the approved dataset hash");
    expect(pythonVerify(dest).out).toContain("the images' pixels do not hash to the approved dataset hash");

    // In the store, a class changed beside an image (the no-UPDATE trigger dropped to force it) is drift.
    db.exec('DROP TRIGGER dataset_images_no_update');
    db.prepare("UPDATE dataset_images SET class_label = 'chest-study' WHERE dataset_id = ? AND idx = 0").run(dataset.id);
    expect(currentDatasetHash(db, dataset.id)).not.toBe(dataset.sha256);
    svc.end();
  }, 120_000);

  it('a class whose series disagree takes the most common modality, with a note; an unlabelled mix is OT', async () => {
    const { svc, db, mr, ct, tableId } = await setup('patient_id,cohort\n123565,head\n1CT1,head\n');
    const labelBy = { kind: 'column' as const, tableId, patientColumn: 'patient_id', labelColumn: 'cohort' };
    const data = await loadImageData(db, codecOf(svc), { seriesIds: [mr, ct], size: 32, window: null, labelBy });
    expect(data.classes).toEqual(['head']);
    const [head] = classAttributes(db, codecOf(svc), 32, data.classes, data.sources);
    expect(head).toMatchObject({ label: 'head', modality: 'MR', note: 'Class “head” mixes modalities (MR 20 frames, CT 1 frame); its synthetic images carry MR, the most common.' });
    const plain = await loadImageData(db, codecOf(svc), { seriesIds: [mr, ct], size: 32, window: null, labelBy: null });
    const [all] = classAttributes(db, codecOf(svc), 32, plain.classes, plain.sources);
    expect(all).toMatchObject({ label: null, modality: 'OT', note: expect.stringContaining('different modalities (MR 20 frames, CT 1 frame)') as string });
    // One modality: that one, no note, and the resampled spacing the series share (256 px → 32 px: 8× coarser).
    const mrOnly = await loadImageData(db, codecOf(svc), { seriesIds: [mr], size: 32, window: null, labelBy: null });
    const [brain] = classAttributes(db, codecOf(svc), 32, mrOnly.classes, mrOnly.sources);
    expect(brain).toMatchObject({ label: null, modality: 'MR', note: null });
    expect(brain?.pixelSpacing?.[0]).toBeGreaterThan(0);
    svc.end();
  }, 60_000);
});
