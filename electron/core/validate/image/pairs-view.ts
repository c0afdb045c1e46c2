// The in-app memorisation pairs panel: the worst pairs an image validation stored with its result, drawn as
// PNG data URLs (the real frame windowed and resampled exactly as the generator saw it, beside the synthetic
// image at the same size). Built in memory for the steward or reviewer who asks, audited, never written out.
import { loadSharp } from '../../imaging/sharp';
import type { MemorisationPairsView } from '../../../shared/validation-schemas';
import { AirlockError } from '../../errors';
import { appendAudit } from '../../govern/audit';
import { parseDicom } from '../../imaging/dicom';
import { decodeFrame } from '../../imaging/pixels';
import { defaultWindow, windowToGrey, type Window } from '../../imaging/render';
import { readFileContent } from '../../ingest/files-repo';
import type { Db } from '../../store/database';
import type { SourceCodec } from '../../store/sources-seal';
import { lumaBt601 } from '../../train/image/colour';
import { getDatasetRow } from '../../train/runs-repo';
import { getImageSpecVersion } from '../../train/specs';
import { getResultRow, getValidationRow } from '../validations-repo';
import { storedPairs, type StoredPair } from './pairs-findings';
import { greyPngBytes, syntheticGrey } from './samples';

async function greyPng(grey: Uint8Array, width: number, height: number): Promise<string> {
  return `data:image/png;base64,${Buffer.from(await greyPngBytes(grey, width, height)).toString('base64')}`;
}

/** A real frame as training saw it: windowed (or luma for colour), then resampled to size × size with lanczos3. */
async function realFrameGrey(db: Db, codec: SourceCodec, fileId: number, frameIndex: number, size: number, window: Window | null): Promise<Uint8Array> {
  const bytes = readFileContent(db, codec, fileId);
  if (!bytes) throw new AirlockError('NOT_FOUND', `The source file of a memorisation pair (file #${fileId}) is no longer in the store.`);
  const parsed = parseDicom(bytes);
  const frame = await decodeFrame(bytes, parsed, frameIndex);
  const grey = frame.modality === null ? lumaBt601(frame) : windowToGrey(frame, window ?? defaultWindow(parsed, frame));
  const sharp = await loadSharp();
  const out = await sharp(grey, { raw: { width: frame.width, height: frame.height, channels: 1 } })
    .resize(size, size, { fit: 'fill', kernel: 'lanczos3' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

async function pairView(db: Db, codec: SourceCodec | null, datasetId: number, size: number, window: Window | null, p: StoredPair, rank: number, threshold: number | null): Promise<MemorisationPairsView['pairs'][number]> {
  const real = codec ? await realFrameGrey(db, codec, p.fileId, p.frame, size, window) : null;
  const synthetic = await syntheticGrey(db, datasetId, p.syntheticIndex);
  const label = db.prepare('SELECT class_label FROM dataset_images WHERE dataset_id = ? AND idx = ?').get(datasetId, p.syntheticIndex) as { class_label: string | null } | undefined;
  return {
    rank,
    syntheticIndex: p.syntheticIndex,
    against: p.against,
    seriesId: p.seriesId,
    fileId: p.fileId,
    frame: p.frame,
    classLabel: label?.class_label ?? null,
    ncc: p.ncc,
    ssim: p.ssim,
    aboveThreshold: threshold !== null && p.ncc >= threshold,
    realPng: real ? await greyPng(real, size, size) : null,
    syntheticPng: await greyPng(synthetic.grey, synthetic.width, synthetic.height),
  };
}

export const REAL_WITHHELD_NOTE = 'Only a data steward can see the real frames: they are source data, sealed under the sources key this session does not hold. The scores and the synthetic images are shown.';

/**
 * The worst `limit` pairs of a finished image validation, drawn for the panel; the viewing is audited. With a codec
 * that cannot open source values (a reviewer), the real side is withheld and the pairs keep their scores.
 */
export async function memorisationPairs(db: Db, codec: SourceCodec, actor: string, validationId: number, limit: number, now: Date): Promise<MemorisationPairsView> {
  const v = getValidationRow(db, validationId);
  const dataset = getDatasetRow(db, v.dataset_id);
  if (dataset.kind !== 'images') throw new AirlockError('INVALID_ARGUMENT', `Validation #${validationId} judged a table, which has no memorisation pairs; its row-level findings are shown with its report.`);
  const result = getResultRow(db, validationId);
  if (!result) throw new AirlockError('CONFLICT', `Validation #${validationId} has no result yet: it is ${v.status}.`);
  const stored = storedPairs(JSON.parse(result.result) as unknown);
  const spec = getImageSpecVersion(db, v.spec_id, v.spec_version).spec;
  const shown = stored.pairs.slice(0, limit);
  const pairs = [];
  let withheld = false;
  try {
    codec.requireKey();
  } catch (err) {
    if (!(err instanceof AirlockError) || err.code !== 'SOURCES_LOCKED') throw err;
    withheld = true;
  }
  for (const [i, p] of shown.entries()) pairs.push(await pairView(db, withheld ? null : codec, v.dataset_id, spec.image.size, spec.image.window, p, i + 1, stored.threshold));
  db.transaction(() => appendAudit(db, { actor, action: 'validation.pairs_viewed', subject: `validation #${validationId}`, details: { datasetId: v.dataset_id, shown: pairs.length, of: stored.pairs.length, realWithheld: withheld } }, now))();
  return { validationId, threshold: stored.threshold, total: stored.pairs.length, pairs, realWithheld: withheld, withheldNote: withheld ? REAL_WITHHELD_NOTE : null };
}
