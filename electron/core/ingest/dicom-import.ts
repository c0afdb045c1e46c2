// One DICOM file into the store: parsed, its first frame decoded (so a file Airlock cannot display is
// refused now, not at training time), then stored with its place in patient → study → series → instance,
// all in one transaction so a refused or cancelled file leaves nothing behind.
import { createHash } from 'node:crypto';
import { AirlockError } from '../errors';
import { parseDicom, type ParsedDicom } from '../imaging/dicom';
import { imageNotes } from '../imaging/notes';
import { patientIdentity, type PatientIdentity } from '../imaging/patient-identity';
import { checkFrame, frameLayoutNote } from '../imaging/pixels';
import type { Db } from '../store/database';
import { statement } from '../store/statements';
import type { SourceCodec } from '../store/sources-seal';
import type { DicomNote, FileResult } from '../../shared/ingest-schemas';
import { findFileByHash, insertSourceFile, nextRowId } from './files-repo';

export interface DicomHoldout {
  fraction: number;
  seed: string;
}

// Per-patient and stable as more patients arrive: a patient's side depends only on the seed and their key.
export function patientInHoldout(patientKey: string, h: DicomHoldout): boolean {
  const digest = createHash('sha256').update(`${h.seed}|${patientKey}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < h.fraction;
}

// Position along the slice normal (row × column direction cosines), the robust sort key for a volume.
export function slicePosition(p: ParsedDicom): number | null {
  const ipp = p.imagePositionPatient;
  const iop = p.imageOrientationPatient;
  if (!ipp || ipp.length !== 3) return null;
  if (!iop || iop.length !== 6) return ipp[2] ?? null;
  const [r0, r1, r2, c0, c1, c2] = iop as [number, number, number, number, number, number];
  const n = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0] as const;
  return (ipp[0] ?? 0) * n[0] + (ipp[1] ?? 0) * n[1] + (ipp[2] ?? 0) * n[2];
}

type DicomTable = 'dicom_patients' | 'dicom_studies' | 'dicom_series' | 'dicom_instances';
const UID_COLUMN: Record<DicomTable, string> = { dicom_patients: 'patient_key', dicom_studies: 'study_uid', dicom_series: 'series_uid', dicom_instances: 'sop_uid' };

/** The row of a UNIQUE identity (patient key, UID), found by its lookup (a keyed HMAC once sealing). */
export function findIdentity(db: Db, codec: SourceCodec, table: DicomTable, value: string): number | null {
  const col = UID_COLUMN[table];
  const row = statement(db, `SELECT id FROM ${table} WHERE ${col} = ?`).get(codec.lookup(col, value)) as { id: number } | undefined;
  return row?.id ?? null;
}

/**
 * Inserts a row with a UNIQUE identity and sealed fields: its id is chosen first (the seals are bound to it), the
 * identity goes in as its lookup with the value sealed beside it, and each of `sealed` is sealed in its column.
 */
function insertIdentified(db: Db, codec: SourceCodec, table: DicomTable, identity: string, sealed: Record<string, string | null | undefined>, plain: Record<string, unknown>): number {
  const id = nextRowId(db, table);
  const col = UID_COLUMN[table];
  const values: Record<string, unknown> = { id, [col]: codec.lookup(col, identity), [`${col}_sealed`]: codec.sealing ? codec.putText({ table, column: col, rowId: id }, identity) : null, ...plain };
  for (const [k, v] of Object.entries(sealed)) values[k] = codec.putMaybe({ table, column: k, rowId: id }, v);
  const names = Object.keys(values);
  statement(db, `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...names.map((n) => values[n]));
  return id;
}

/** A DICOM file read, hashed, parsed and decode-checked: everything but the store (which is synchronous). */
export interface PreparedDicom {
  name: string;
  bytes: Uint8Array;
  sha: string;
  parsed: ParsedDicom;
  notes: DicomNote[];
  identity: PatientIdentity;
}

/** The checks that need no store; throws the file's refusal. */
export async function prepareDicom(name: string, bytes: Uint8Array, sha = sha256Of(bytes)): Promise<PreparedDicom> {
  const parsed = parseDicom(bytes);
  if (!parsed.hasPixelData) {
    throw new AirlockError('DICOM_NO_PIXELS', `This DICOM file has no pixel data (SOP class ${parsed.sopClassUid ?? 'unknown'}); Airlock imports images only.`);
  }
  await checkFrame(bytes, parsed, 0);
  // Locating every frame now (not only the first) refuses a file whose later frames cannot be found.
  const notes = imageNotes(parsed, frameLayoutNote(bytes, parsed));
  if (!parsed.sopInstanceUid || !parsed.seriesInstanceUid || !parsed.studyInstanceUid) {
    throw new AirlockError('DICOM_MALFORMED', 'This DICOM file lacks a Study, Series or SOP Instance UID, so it cannot be placed in a series.');
  }
  const identity = patientIdentity(parsed);
  if (identity.note) notes.unshift(identity.note);
  return { name, bytes, sha, parsed, notes, identity };
}

/**
 * Stores a prepared file with its place in patient → study → series → instance, in one transaction (a savepoint
 * when the caller batches several files in one, so a refused file leaves nothing and the others stay).
 */
export function storeDicom(db: Db, codec: SourceCodec, importId: number, p: PreparedDicom, holdout: DicomHoldout, now: Date): FileResult {
  const { name, bytes, sha, parsed, identity } = p;
  const notes = [...p.notes];
  const base = { path: name, kind: 'dicom' as const, bytes: bytes.length };
  const dup = duplicateOf(db, codec, name, bytes.length, sha);
  if (dup) return dup;
  if (findIdentity(db, codec, 'dicom_instances', parsed.sopInstanceUid ?? '') !== null) {
    throw new AirlockError('CONFLICT', `An instance with SOP Instance UID ${parsed.sopInstanceUid ?? ''} is already in the store with different content.`);
  }
  db.transaction(() => {
    const fileId = insertSourceFile(db, codec, { importId, sha256: sha, kind: 'dicom', name, bytes: bytes.length, content: bytes }, now);
    const studyId = placeStudy(db, codec, parsed, identity, holdout, notes);
    const seriesUid = parsed.seriesInstanceUid ?? '';
    const seriesId =
      findIdentity(db, codec, 'dicom_series', seriesUid) ??
      insertIdentified(db, codec, 'dicom_series', seriesUid, { description: parsed.seriesDescription }, { study_id: studyId, number: parsed.seriesNumber, modality: parsed.modality, body_part: parsed.bodyPartExamined });
    const { tags, ...fields } = parsed;
    insertIdentified(db, codec, 'dicom_instances', parsed.sopInstanceUid ?? '', { metadata: JSON.stringify({ fields, tags }) }, {
      series_id: seriesId,
      file_id: fileId,
      instance_number: parsed.instanceNumber,
      slice_position: slicePosition(parsed),
      frames: parsed.numberOfFrames,
      rows_: parsed.rows,
      columns_: parsed.columns,
      transfer_syntax: parsed.transferSyntaxName,
      burned_in: parsed.burnedInAnnotation,
      notes: JSON.stringify(notes),
    });
  })();
  const where = [parsed.modality, parsed.seriesDescription].filter(Boolean).join(' ');
  const said = notes.map((n) => ` Note: ${n.text}`).join('');
  return { ...base, status: 'imported', code: null, message: `Imported ${parsed.numberOfFrames > 1 ? `${parsed.numberOfFrames} frames` : 'image'} ${parsed.rows}×${parsed.columns}${where ? ` (${where})` : ''}, ${parsed.transferSyntaxName}.${said}` };
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file already stored is said to be so before it is parsed (a broken duplicate is still a duplicate). */
export function duplicateOf(db: Db, codec: SourceCodec, name: string, bytes: number, sha: string): FileResult | null {
  const existing = findFileByHash(db, codec, sha);
  return existing ? { path: name, kind: 'dicom', bytes, status: 'duplicate', code: null, message: `Already in the store (imported ${existing.importedAt} as ${existing.name}).` } : null;
}

export async function importDicomBytes(db: Db, codec: SourceCodec, importId: number, name: string, bytes: Uint8Array, holdout: DicomHoldout, now: Date): Promise<FileResult> {
  codec.requireKey();
  const sha = sha256Of(bytes);
  return duplicateOf(db, codec, name, bytes.length, sha) ?? storeDicom(db, codec, importId, await prepareDicom(name, bytes, sha), holdout, now);
}

// The study row for this file, creating it (and its patient) on first sight. A study already in the store keeps
// its patient: files of one study are never split between patients, whatever identity a later file carries.
function placeStudy(db: Db, codec: SourceCodec, parsed: ParsedDicom, identity: PatientIdentity, holdout: DicomHoldout, notes: DicomNote[]): number {
  const study = statement(db, 'SELECT s.id, p.patient_key FROM dicom_studies s JOIN dicom_patients p ON p.id = s.patient_id WHERE s.study_uid = ?')
    .get(codec.lookup('study_uid', parsed.studyInstanceUid ?? '')) as { id: number; patient_key: string } | undefined;
  if (study) {
    // Lookups compare as the values do: the same key gives the same HMAC.
    if (study.patient_key !== codec.lookup('patient_key', identity.key)) {
      const at = notes.findIndex((n) => n.code === 'patient-identity');
      if (at >= 0) notes.splice(at, 1);
      notes.unshift({ code: 'patient-identity', text: identity.basis === 'study' ? 'This file carries no patient identity; it is kept with the patient its study was first imported under.' : 'This file names another patient than the one its study was first imported under; it is kept with its study.' });
    }
    return study.id;
  }
  const patientId =
    findIdentity(db, codec, 'dicom_patients', identity.key) ??
    insertIdentified(db, codec, 'dicom_patients', identity.key, { patient_id: parsed.patientId, patient_name: parsed.patientName, birth_date: parsed.patientBirthDate }, {
      holdout: patientInHoldout(identity.key, holdout) ? 1 : 0,
      identified_by: identity.basis,
    });
  return insertIdentified(db, codec, 'dicom_studies', parsed.studyInstanceUid ?? '', { study_date: parsed.studyDate, description: parsed.studyDescription }, { patient_id: patientId });
}
