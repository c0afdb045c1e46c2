// Synthetic images as PNG, exactly the 8-bit grey values their DICOM stores (the generator's [−1, 1] output
// scaled to 0–255), for the report's sample grid and the in-app pairs panel. Never a real image.
import { loadSharp } from '../../imaging/sharp';
import { AirlockError } from '../../errors';
import { parseDicom } from '../../imaging/dicom';
import { decodeFrame } from '../../imaging/pixels';
import type { Db } from '../../store/database';
import { datasetImage } from '../../train/runs-repo';
import type { ImageSample } from './document';

/** One-channel grey pixels as PNG bytes. */
export async function greyPngBytes(grey: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const sharp = await loadSharp();
  return new Uint8Array(await sharp(grey, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toBuffer());
}

/** A synthetic image's stored grey values. */
export async function syntheticGrey(db: Db, datasetId: number, index: number): Promise<{ grey: Uint8Array; width: number; height: number }> {
  const bytes = new Uint8Array(datasetImage(db, datasetId, index));
  const parsed = parseDicom(bytes);
  const frame = await decodeFrame(bytes, parsed, 0);
  if (!frame.modality) throw new AirlockError('INVALID_ARGUMENT', `Synthetic image ${index + 1} of dataset #${datasetId} is not greyscale.`);
  const grey = new Uint8Array(frame.modality.length);
  for (let i = 0; i < grey.length; i++) grey[i] = Math.max(0, Math.min(255, Math.round(frame.modality[i] ?? 0)));
  return { grey, width: frame.width, height: frame.height };
}

/** The first `perClass` synthetic images of each class (all classes when unlabelled), as the report's samples. */
export async function loadSyntheticSamples(db: Db, datasetId: number, perClass: number): Promise<ImageSample[]> {
  const rows = db.prepare('SELECT idx, class_label FROM dataset_images WHERE dataset_id = ? ORDER BY idx').all(datasetId) as { idx: number; class_label: string | null }[];
  const taken = new Map<string | null, number>();
  const out: ImageSample[] = [];
  for (const r of rows) {
    const n = taken.get(r.class_label) ?? 0;
    if (n >= perClass) continue;
    taken.set(r.class_label, n + 1);
    const { grey, width, height } = await syntheticGrey(db, datasetId, r.idx);
    out.push({ classLabel: r.class_label, png: await greyPngBytes(grey, width, height) });
  }
  return out;
}
