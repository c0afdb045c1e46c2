// One DICOM file into the store: parsed, its first frame decoded (so a file Airlock cannot display is
// refused now, not at training time), then stored with its place in patient → study → series → instance,
// all in one transaction so a refused or cancelled file leaves nothing behind.
import { createHash } from 'node:crypto';
import { AirlockError } from '../errors';
import { parseDicom, type ParsedDicom } from '../imaging/dicom';
import { imageNotes } from '../imaging/notes';
import { patientIdentity, type PatientIdentity } from '../imaging/patient-identity';
import { decodeFrame, frameLayoutNote } from '../imaging/pixels';
import type { Db } from '../store/database';
import type { DicomNote, FileResult } from '../../shared/ingest-schemas';
import { findFileByHash, insertSourceFile } from './files-repo';

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

function upsert(db: Db, select: string, insert: string, key: unknown, values: unknown[]): number {
  const row = db.prepare(select).get(key) as { id: number } | undefined;
  return row ? row.id : Number(db.prepare(insert).run(...values).lastInsertRowid);
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
  await decodeFrame(bytes, parsed, 0);
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
export function storeDicom(db: Db, importId: number, p: PreparedDicom, holdout: DicomHoldout, now: Date): FileResult {
  const { name, bytes, sha, parsed, identity } = p;
  const notes = [...p.notes];
  const base = { path: name, kind: 'dicom' as const, bytes: bytes.length };
  const dup = duplicateOf(db, name, bytes.length, sha);
  if (dup) return dup;
  const clash = db.prepare('SELECT id FROM dicom_instances WHERE sop_uid = ?').get(parsed.sopInstanceUid);
  if (clash) {
    throw new AirlockError('CONFLICT', `An instance with SOP Instance UID ${parsed.sopInstanceUid ?? ''} is already in the store with different content.`);
  }
  db.transaction(() => {
    const fileId = insertSourceFile(db, { importId, sha256: sha, kind: 'dicom', name, bytes: bytes.length, content: bytes }, now);
    const studyId = placeStudy(db, parsed, identity, holdout, notes);
    const seriesId = upsert(
      db,
      'SELECT id FROM dicom_series WHERE series_uid = ?',
      'INSERT INTO dicom_series (study_id, series_uid, number, modality, description, body_part) VALUES (?, ?, ?, ?, ?, ?)',
      parsed.seriesInstanceUid,
      [studyId, parsed.seriesInstanceUid, parsed.seriesNumber, parsed.modality, parsed.seriesDescription, parsed.bodyPartExamined],
    );
    const { tags, ...fields } = parsed;
    db.prepare(
      `INSERT INTO dicom_instances (series_id, file_id, sop_uid, instance_number, slice_position, frames, rows_, columns_, transfer_syntax, burned_in, metadata, notes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(seriesId, fileId, parsed.sopInstanceUid, parsed.instanceNumber, slicePosition(parsed), parsed.numberOfFrames, parsed.rows, parsed.columns, parsed.transferSyntaxName, parsed.burnedInAnnotation, JSON.stringify({ fields, tags }), JSON.stringify(notes));
  })();
  const where = [parsed.modality, parsed.seriesDescription].filter(Boolean).join(' ');
  const said = notes.map((n) => ` Note: ${n.text}`).join('');
  return { ...base, status: 'imported', code: null, message: `Imported ${parsed.numberOfFrames > 1 ? `${parsed.numberOfFrames} frames` : 'image'} ${parsed.rows}×${parsed.columns}${where ? ` (${where})` : ''}, ${parsed.transferSyntaxName}.${said}` };
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file already stored is said to be so before it is parsed (a broken duplicate is still a duplicate). */
export function duplicateOf(db: Db, name: string, bytes: number, sha: string): FileResult | null {
  const existing = findFileByHash(db, sha);
  return existing ? { path: name, kind: 'dicom', bytes, status: 'duplicate', code: null, message: `Already in the store (imported ${existing.importedAt} as ${existing.name}).` } : null;
}

export async function importDicomBytes(db: Db, importId: number, name: string, bytes: Uint8Array, holdout: DicomHoldout, now: Date): Promise<FileResult> {
  const sha = sha256Of(bytes);
  return duplicateOf(db, name, bytes.length, sha) ?? storeDicom(db, importId, await prepareDicom(name, bytes, sha), holdout, now);
}

// The study row for this file, creating it (and its patient) on first sight. A study already in the store keeps
// its patient: files of one study are never split between patients, whatever identity a later file carries.
function placeStudy(db: Db, parsed: ParsedDicom, identity: PatientIdentity, holdout: DicomHoldout, notes: DicomNote[]): number {
  const study = db
    .prepare('SELECT s.id, p.patient_key FROM dicom_studies s JOIN dicom_patients p ON p.id = s.patient_id WHERE s.study_uid = ?')
    .get(parsed.studyInstanceUid) as { id: number; patient_key: string } | undefined;
  if (study) {
    if (study.patient_key !== identity.key) {
      const at = notes.findIndex((n) => n.code === 'patient-identity');
      if (at >= 0) notes.splice(at, 1);
      notes.unshift({ code: 'patient-identity', text: identity.basis === 'study' ? 'This file carries no patient identity; it is kept with the patient its study was first imported under.' : 'This file names another patient than the one its study was first imported under; it is kept with its study.' });
    }
    return study.id;
  }
  const patientId = upsert(
    db,
    'SELECT id FROM dicom_patients WHERE patient_key = ?',
    'INSERT INTO dicom_patients (patient_key, patient_id, patient_name, birth_date, holdout, identified_by) VALUES (?, ?, ?, ?, ?, ?)',
    identity.key,
    [identity.key, parsed.patientId, parsed.patientName, parsed.patientBirthDate, patientInHoldout(identity.key, holdout) ? 1 : 0, identity.basis],
  );
  return Number(db.prepare('INSERT INTO dicom_studies (patient_id, study_uid, study_date, description) VALUES (?, ?, ?, ?)').run(patientId, parsed.studyInstanceUid, parsed.studyDate, parsed.studyDescription).lastInsertRowid);
}
