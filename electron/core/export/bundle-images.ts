// The images of an image dataset for a bundle: the stored synthetic DICOM files as they are, and the same pixels
// as PNG (written by the synthetic PNG writer, which carries the synthetic statement and nothing from a source).
import dicomParser from 'dicom-parser';
import type { Db } from '../store/database';
import type { RunRow } from '../train/runs-repo';
import { dicomPixelBytes } from './bundle/images';
import { writeSyntheticPng } from './png-writer';
import type { SyntheticImage } from './synthetic';

function toImage(dicom: Uint8Array): SyntheticImage {
  const data = dicomParser.parseDicom(dicom);
  const width = data.uint16('x00280011') ?? 0;
  const height = data.uint16('x00280010') ?? 0;
  const bytes = dicomPixelBytes(dicom);
  const copy = bytes.slice();
  const pixels = data.uint16('x00280100') === 16 ? new Uint16Array(copy.buffer, copy.byteOffset, copy.byteLength / 2) : copy;
  return { width, height, pixels };
}

export async function bundleImages(db: Db, datasetId: number, run: RunRow): Promise<{ dicom: Uint8Array[]; png: Uint8Array[] }> {
  const dicom = (db.prepare('SELECT dicom FROM dataset_images WHERE dataset_id = ? ORDER BY idx').all(datasetId) as { dicom: Buffer }[]).map((r) => new Uint8Array(r.dicom));
  const png = await writeSyntheticPng(dicom.map(toImage), { runId: run.id, generator: run.generator, specHash: run.spec_hash });
  return { dicom, png };
}
