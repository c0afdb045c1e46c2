// How the files of one patient are told apart from another's, for the per-patient holdout. De-identified and
// test exports often carry a placeholder ("ANONYMOUS", "0", an empty name) instead of an identity; grouping by it
// would make every such file one "patient" and put all of them on one side of the split. A placeholder is not
// an identity: the next reliable key is used, down to the study (one patient per study), and the choice is said.
import type { DicomNote, PatientBasis } from '../../shared/ingest-schemas';
import type { ParsedDicom } from './dicom';

export interface PatientIdentity {
  /** The grouping key stored with the patient (PatientID, 'name|birth date' or 'study:UID'). */
  key: string;
  basis: Exclude<PatientBasis, 'placeholder'>;
  note: DicomNote | null;
}

// Compared after upper-casing and removing spaces, carets and punctuation.
const PLACEHOLDERS = new Set([
  '', 'ANONYMOUS', 'ANONYMIZED', 'ANONYMISED', 'ANON', 'ANONYMOUSPATIENT', 'DEIDENTIFIED', 'REMOVED', 'REDACTED', 'UNKNOWN',
  'UNKNOWNPATIENT', 'NONE', 'NULL', 'NA', 'NAN', 'NOID', 'NONAME', 'NOPATIENTID', 'PATIENT', 'PATIENTID', 'PATIENTNAME', 'EMPTY', 'TEST',
]);

/** True when a PatientID or PatientName value stands for "no identity" rather than naming someone. */
export function isPlaceholder(value: string | null): boolean {
  if (value === null) return true;
  const bare = value.toUpperCase().replace(/[\s^.,_\-/\\*#?()[\]]+/g, '');
  // Zeros, and runs of X or 9, are fill values; "1", "2" … are kept (small test sets number their patients).
  return PLACEHOLDERS.has(bare) || /^(0+|X{2,}|9{3,})$/.test(bare);
}

function quoted(value: string | null): string {
  return value === null ? 'absent' : value.trim() === '' ? 'empty' : `“${value.trim()}”`;
}

export function patientIdentity(p: ParsedDicom): PatientIdentity {
  if (!isPlaceholder(p.patientId)) return { key: (p.patientId ?? '').trim(), basis: 'patient-id', note: null };
  const id = `PatientID (0010,0020) is ${quoted(p.patientId)}`;
  if (!isPlaceholder(p.patientName)) {
    const birth = p.patientBirthDate && !/^0+$/.test(p.patientBirthDate) ? p.patientBirthDate : '';
    return {
      key: `${(p.patientName ?? '').trim()}|${birth}`,
      basis: 'name-birth-date',
      note: { code: 'patient-identity', text: `${id}, so this patient is told apart by name${birth ? ' and birth date' : ' (there is no birth date)'}.` },
    };
  }
  return {
    key: `study:${p.studyInstanceUid ?? ''}`,
    basis: 'study',
    note: {
      code: 'patient-identity',
      text: `No patient identity: ${id} and PatientName (0010,0010) is ${quoted(p.patientName)}. Each study of such files counts as one patient of its own for the holdout split, so two studies of one person may land on both sides.`,
    },
  };
}
