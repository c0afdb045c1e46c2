// Image training data: every frame of the chosen series, windowed (the spec's window or the file's own),
// resampled with sharp to the spec's square size, and scaled to [−1, 1]. Frames of holdout patients never
// reach a generator; an optional label comes from a DICOM attribute of the series. Colour frames are refused, or
// turned into their ITU-R BT.601 luma when the spec asks for greyscale.
import { loadSharp } from '../imaging/sharp';
import { AirlockError } from '../errors';
import { parseDicom } from '../imaging/dicom';
import { decodeFrame } from '../imaging/pixels';
import { defaultWindow, windowToGrey, type Window } from '../imaging/render';
import { readFileContent } from '../ingest/files-repo';
import type { Db } from '../store/database';
import type { SourceCodec } from '../store/sources-seal';
import { getTable, identityOf, tableRows } from '../ingest/sources-repo';
import type { ImageSpec } from '../../shared/image-spec-schema';
import { lumaBt601 } from './image/colour';

export interface ImageDataSpec {
  seriesIds: number[];
  size: 32 | 64 | 128;
  window: Window | null;
  // Class labels: a series attribute, or a table column joined on PatientID, or none.
  labelBy: ImageSpec['image']['labelBy'];
  colour?: ImageSpec['image']['colour'];
}

/** Training frames of one series in one class (label −1 when the run is unlabelled). */
export interface FrameSource {
  seriesId: number;
  label: number;
  frames: number;
}

/** Where a frame comes from: one frame of one stored DICOM file of one series. */
export interface FrameProvenance {
  seriesId: number;
  fileId: number;
  frame: number;
}

export interface ImageData {
  images: Float32Array;
  count: number;
  size: number;
  labels: Int32Array | null;
  classes: string[];
  heldOutFrames: number;
  sources: FrameSource[];
  // One per frame, in order (validation names the real frame of a memorisation pair by it).
  provenance: FrameProvenance[];
  // Colour frames turned into greyscale (spec colour: 'greyscale').
  greyscaleFrames: number;
  // Sentences for the run's notes.
  notes: string[];
}

interface FrameRow {
  series_id: number;
  pid: number;
  patient_key: string;
  patient_id: string | null;
  instance_id: number;
  file_id: number;
  frames: number;
  holdout: number;
  modality: string | null;
  description: string | null;
  body_part: string | null;
}

// PatientID → label from a table column; a patient whose rows disagree on the label is refused.
function columnLabels(db: Db, codec: SourceCodec, by: { tableId: number; patientColumn: string; labelColumn: string }): Map<string, string> {
  const table = getTable(db, codec, by.tableId, 0);
  const p = table.columns.find((c) => c.name === by.patientColumn);
  const l = table.columns.find((c) => c.name === by.labelColumn);
  if (!p || !l) throw new AirlockError('INVALID_ARGUMENT', `Table “${table.name}” has no column “${!p ? by.patientColumn : by.labelColumn}”.`);
  const labels = new Map<string, string>();
  const rows = tableRows(db, codec, by.tableId).map((r) => ({ row: r.row, pid: r.cells[p.index] ?? null, label: r.cells[l.index] ?? null }));
  for (const r of rows) {
    if (r.pid === null || r.label === null) continue;
    const pid = String(r.pid);
    const label = String(r.label);
    const seen = labels.get(pid);
    // Said by row, not by patient id: a run's error is stored where reviewers read it, and an id is a source value.
    if (seen !== undefined && seen !== label) throw new AirlockError('INVALID_ARGUMENT', `The patient of row ${r.row + 1} of “${table.name}” has two labels in “${by.labelColumn}” (${seen} and ${label}); choose a column with one value per patient.`);
    labels.set(pid, label);
  }
  return labels;
}

/**
 * The frames of training patients (what a generator trains on), or with `side` 'holdout' those of held-out
 * patients (validation's control; never a generator's). `heldOut` replaces the stored split, for a validation
 * that must use the split in force when the run trained.
 */
export async function loadImageData(db: Db, codec: SourceCodec, spec: ImageDataSpec, side: 'training' | 'holdout' = 'training', heldOut?: (patientKey: string) => boolean): Promise<ImageData> {
  const rows: FrameRow[] = [];
  const stmt = db.prepare(
    `SELECT se.id AS series_id, p.id AS pid, p.patient_key, p.patient_key_sealed, p.patient_id, i.id AS instance_id, i.file_id, i.frames, p.holdout, se.modality, se.description, se.body_part
     FROM dicom_instances i JOIN dicom_series se ON se.id = i.series_id JOIN dicom_studies st ON st.id = se.study_id
     JOIN dicom_patients p ON p.id = st.patient_id WHERE se.id = ? ORDER BY i.slice_position, i.instance_number, i.id`,
  );
  for (const id of spec.seriesIds) {
    // Patient keys, ids and descriptions opened: the split is drawn from the real key, labels join on the real id.
    const found = (stmt.all(id) as (Omit<FrameRow, 'patient_id' | 'description'> & { patient_key_sealed: unknown; patient_id: unknown; description: unknown })[]).map(
      ({ patient_key_sealed, ...r }): FrameRow => ({
        ...r,
        patient_key: identityOf(codec, 'dicom_patients', 'patient_key', r.pid, r.patient_key, patient_key_sealed),
        patient_id: codec.getMaybe({ table: 'dicom_patients', column: 'patient_id', rowId: r.pid }, r.patient_id),
        description: codec.getMaybe({ table: 'dicom_series', column: 'description', rowId: r.series_id }, r.description),
      }),
    );
    if (found.length === 0) throw new AirlockError('NOT_FOUND', `There is no series #${id} with images in this workspace.`);
    rows.push(...found);
  }
  const isHeld = (r: FrameRow): boolean => (heldOut ? heldOut(r.patient_key) : r.holdout === 1);
  const training = rows.filter((r) => isHeld(r) === (side === 'holdout'));
  const heldOutFrames = rows.filter(isHeld).reduce((n, r) => n + r.frames, 0);
  if (training.length === 0 && side === 'training') {
    throw new AirlockError('INVALID_ARGUMENT', 'Every chosen series belongs to a holdout patient, so there is nothing to train on. Add series from other patients.');
  }
  const byColumn = typeof spec.labelBy === 'object' && spec.labelBy !== null ? columnLabels(db, codec, spec.labelBy) : null;
  const labelOf = (r: FrameRow): string => {
    if (byColumn) {
      const label = byColumn.get(r.patient_id ?? '');
      if (label === undefined) throw new AirlockError('INVALID_ARGUMENT', `A patient of series #${r.series_id} has no row in the label table, so their images have no label.`);
      return label;
    }
    return (spec.labelBy === 'modality' ? r.modality : spec.labelBy === 'description' ? r.description : spec.labelBy === 'bodyPart' ? r.body_part : null) ?? 'unknown';
  };
  const classes = spec.labelBy ? [...new Set(training.map(labelOf))].sort() : [];
  const total = training.reduce((n, r) => n + r.frames, 0);
  const px = spec.size * spec.size;
  const images = new Float32Array(total * px);
  const labels = spec.labelBy ? new Int32Array(total) : null;
  const sources = new Map<string, FrameSource>();
  const provenance: FrameProvenance[] = [];
  let greyscaleFrames = 0;
  let k = 0;
  for (const r of training) {
    const bytes = readFileContent(db, codec, r.file_id);
    if (!bytes) throw new AirlockError('NOT_FOUND', 'A stored image file is missing.');
    const parsed = parseDicom(bytes);
    for (let f = 0; f < r.frames; f++) {
      const frame = await decodeFrame(bytes, parsed, f);
      if (frame.modality === null && spec.colour !== 'greyscale') {
        throw new AirlockError('INVALID_ARGUMENT', `Series #${r.series_id} is colour (${frame.photometric}); image generators train on greyscale images. Choose “convert colour to greyscale” in the spec, or leave the series out.`);
      }
      if (frame.modality === null) greyscaleFrames += 1;
      const grey = frame.modality === null ? lumaBt601(frame) : windowToGrey(frame, spec.window ?? defaultWindow(parsed, frame));
      // 'fill' keeps every pixel of the field of view; anatomy is not cropped away for a square output.
      const resized = await (await loadSharp())(grey, { raw: { width: frame.width, height: frame.height, channels: 1 } })
        .resize(spec.size, spec.size, { fit: 'fill', kernel: 'lanczos3' })
        // sharp (0.35) widens one-channel raw input to sRGB on resize; keep one channel, or k·px + i reads RGB triples.
        .extractChannel(0)
        .raw()
        .toBuffer();
      for (let i = 0; i < px; i++) images[k * px + i] = (resized[i] ?? 0) / 127.5 - 1;
      if (labels) labels[k] = classes.indexOf(labelOf(r));
      provenance.push({ seriesId: r.series_id, fileId: r.file_id, frame: f });
      k += 1;
    }
    const label = spec.labelBy ? classes.indexOf(labelOf(r)) : -1;
    const key = `${r.series_id}:${label}`;
    const source = sources.get(key) ?? { seriesId: r.series_id, label, frames: 0 };
    source.frames += r.frames;
    sources.set(key, source);
  }
  const notes = greyscaleFrames > 0 ? [`${greyscaleFrames} colour frame${greyscaleFrames === 1 ? ' was' : 's were'} converted to greyscale with the ITU-R BT.601 luma (Y = 0.299 R + 0.587 G + 0.114 B), as the spec asks.`] : [];
  // Per-patient split (H5): with few patients it may hold none of these series' patients out; the run says so.
  if (heldOutFrames === 0) notes.push('No patient of the chosen series is held out: the per-patient split drew none of them, so this run has no real images of unseen patients to be validated against. Import more patients, or redraw the DICOM split.');
  return { images, count: total, size: spec.size, labels, classes, heldOutFrames, sources: [...sources.values()], provenance, greyscaleFrames, notes };
}
