// What an image validation reads from the store: the synthetic images of a dataset version, and the real frames
// of the spec's series split into training and holdout patients exactly as when the generator trained (a split
// redrawn later must not turn training patients into "unseen" controls), windowed and resampled as training did,
// each real frame with its provenance (series, file, frame) for the in-app findings.
import type { ImageSpec } from '../../../shared/image-spec-schema';
import { AirlockError } from '../../errors';
import { parseDicom } from '../../imaging/dicom';
import { decodeFrame } from '../../imaging/pixels';
import { patientInHoldout, type DicomHoldout } from '../../ingest/dicom-import';
import type { Db } from '../../store/database';
import type { SourceCodec } from '../../store/sources-seal';
import { identityOf } from '../../ingest/sources-repo';
import { loadImageData, type FrameProvenance, type ImageData } from '../../train/image-data';
import { getDatasetRow, getRunRow, type DatasetRow, type RunRow } from '../../train/runs-repo';
import { getImageSpecVersion, type ImageSpecVersion } from '../../train/specs';
import type { ImageFrames } from './types';

/** What can be checked at once, before any frame is decoded. */
export interface ImageInputsHead {
  dataset: DatasetRow;
  run: RunRow;
  specVersion: ImageSpecVersion;
  spec: ImageSpec;
  /** How the split was found, for the report. */
  split: string;
  /** The split in force when the run trained, when it was redrawn since (else the stored one applies). */
  heldOut: ((patientKey: string) => boolean) | undefined;
}

export interface ImageInputs {
  train: ImageFrames;
  holdout: ImageFrames;
  synthetic: ImageFrames;
  trainProvenance: FrameProvenance[];
  holdoutProvenance: FrameProvenance[];
}

// The DICOM split when the run started: the `from` of the first redraw after it, if any.
function holdoutAtRun(db: Db, runId: number): { heldOut: ((key: string) => boolean) | undefined; note: string } {
  const started = db.prepare("SELECT seq FROM audit_log WHERE action = 'run.started' AND subject = ?").get(`run #${runId}`) as { seq: number } | undefined;
  const change = db.prepare("SELECT details FROM audit_log WHERE action = 'dicom.holdout_changed' AND seq > ? ORDER BY seq LIMIT 1").get(started?.seq ?? 0) as { details: string } | undefined;
  if (!change) return { heldOut: undefined, note: 'The holdout patients are the ones held out when the run trained (the split is unchanged since).' };
  const from = (JSON.parse(change.details) as { from: DicomHoldout }).from;
  return {
    heldOut: (key) => patientInHoldout(key, from),
    note: `The DICOM holdout was redrawn after this run trained; validation uses the split the run trained against (seed ${from.seed}, ${Math.round(from.fraction * 100)}% of patients).`,
  };
}

export function imageInputsHead(db: Db, codec: SourceCodec, datasetId: number): ImageInputsHead {
  const dataset = getDatasetRow(db, datasetId);
  if (dataset.kind !== 'images') throw new AirlockError('INVALID_ARGUMENT', `Dataset #${datasetId} is a synthetic table; image validation applies to synthetic images only.`);
  const run = getRunRow(db, dataset.run_id);
  const specVersion = getImageSpecVersion(db, run.spec_id, run.spec_version);
  const spec = specVersion.spec;
  const { heldOut, note } = holdoutAtRun(db, run.id);
  const patients = spec.source.seriesIds.flatMap(
    (id) =>
      db
        .prepare('SELECT DISTINCT p.id, p.patient_key, p.patient_key_sealed, p.holdout FROM dicom_series se JOIN dicom_studies st ON st.id = se.study_id JOIN dicom_patients p ON p.id = st.patient_id WHERE se.id = ?')
        .all(id) as { id: number; patient_key: string; patient_key_sealed: unknown; holdout: number }[],
  ).map((p) => ({ holdout: p.holdout, patient_key: identityOf(codec, 'dicom_patients', 'patient_key', p.id, p.patient_key, p.patient_key_sealed) }));
  if (!patients.some((p) => (heldOut ? heldOut(p.patient_key) : p.holdout === 1))) {
    throw new AirlockError(
      'INVALID_ARGUMENT',
      `No patient of the series spec “${spec.name}” learned from is held out, so there are no real images the generator never saw to judge it against. Add series of more patients (or redraw the DICOM holdout), train again, and validate the new dataset.`,
    );
  }
  return { dataset, run, specVersion, spec, split: note, heldOut };
}

function framesOf(data: ImageData, classes: string[]): ImageFrames {
  const labels = data.labels ? Int32Array.from(data.labels, (k) => classes.indexOf(data.classes[k] ?? '')) : null;
  return { count: data.count, size: data.size, data: data.images, labels, classes: data.labels ? classes : [] };
}

/** The synthetic images as the generator made them: stored 8-bit grey values back on [−1, 1], with their classes. */
async function syntheticFrames(db: Db, datasetId: number, size: number, classes: string[] | null): Promise<ImageFrames> {
  const rows = db.prepare('SELECT idx, dicom, class_label FROM dataset_images WHERE dataset_id = ? ORDER BY idx').all(datasetId) as { idx: number; dicom: Buffer; class_label: string | null }[];
  const px = size * size;
  const data = new Float32Array(rows.length * px);
  const labels = classes ? new Int32Array(rows.length) : null;
  for (const [k, r] of rows.entries()) {
    const bytes = new Uint8Array(r.dicom);
    const frame = await decodeFrame(bytes, parseDicom(bytes), 0);
    if (!frame.modality || frame.width !== size || frame.height !== size) {
      throw new AirlockError('CONFLICT', `Synthetic image ${r.idx + 1} of dataset #${datasetId} is not a ${size} × ${size} greyscale image as its spec says; it cannot be compared with the real frames.`);
    }
    for (let i = 0; i < px; i++) data[k * px + i] = (frame.modality[i] ?? 0) / 127.5 - 1;
    if (labels && classes) labels[k] = classes.indexOf(r.class_label ?? '');
  }
  return { count: rows.length, size, data, labels, classes: classes ?? [] };
}

/**
 * Decodes the three sides (seconds for thousands of frames: sharp resampling, as training did it); `stop` is
 * called between sides and throws to end the work early (a cancel).
 */
export async function loadImageInputs(db: Db, codec: SourceCodec, head: ImageInputsHead, stop: () => void = () => undefined): Promise<ImageInputs> {
  const spec = head.spec;
  const dataSpec = { seriesIds: spec.source.seriesIds, size: spec.image.size, window: spec.image.window, labelBy: spec.image.labelBy, colour: spec.image.colour };
  const train = await loadImageData(db, codec, dataSpec, 'training', head.heldOut);
  stop();
  const holdout = await loadImageData(db, codec, dataSpec, 'holdout', head.heldOut);
  stop();
  if (holdout.count === 0) throw new AirlockError('INVALID_ARGUMENT', `The held-out patients of spec “${spec.name}” have no frames in its series, so there is nothing unseen to judge the images against.`);
  const synthLabels = (db.prepare('SELECT DISTINCT class_label FROM dataset_images WHERE dataset_id = ? AND class_label IS NOT NULL').all(head.dataset.id) as { class_label: string }[]).map((r) => r.class_label);
  // One class list for the three sides (training's classes first known): metrics compare classes by name.
  const classes = spec.image.labelBy ? [...new Set([...train.classes, ...holdout.classes, ...synthLabels])].sort() : null;
  const synthetic = await syntheticFrames(db, head.dataset.id, spec.image.size, classes);
  stop();
  return {
    train: framesOf(train, classes ?? []),
    holdout: framesOf(holdout, classes ?? []),
    synthetic,
    trainProvenance: train.provenance,
    holdoutProvenance: holdout.provenance,
  };
}
