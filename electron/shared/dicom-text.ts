// Sentences about DICOM patients and their holdout split, shared by the UI and the CLI so both say the same.
import type { PatientBasis, StudySummaryView } from './ingest-schemas';

export const PATIENT_BASIS_LABELS: Record<PatientBasis, string> = {
  'patient-id': 'by Patient ID',
  'name-birth-date': 'by name and birth date (no Patient ID)',
  study: 'by study (no patient identity in the files)',
  placeholder: 'by a placeholder identity (imported before Airlock told patients apart; may be several people)',
};

export interface DicomSplitSummary {
  patients: number;
  heldOut: number;
  /** A warning when the split leaves nothing (or everything) for validation; null when it is fine. */
  warning: string | null;
}

export function dicomSplitSummary(studies: StudySummaryView[]): DicomSplitSummary {
  const patients = new Map<string, boolean>();
  for (const s of studies) patients.set(s.patient.key, s.patient.holdout);
  const heldOut = [...patients.values()].filter(Boolean).length;
  const n = patients.size;
  let warning: string | null = null;
  if (n > 0 && heldOut === 0) {
    warning = `No patient is held out: the per-patient split drew none of the ${n === 1 ? 'one patient' : `${n} patients`}, so image generators have no real images they never saw to be validated against. Import more patients, or redraw the split with a larger share.`;
  } else if (n > 0 && heldOut === n) {
    warning = `Every patient (${n}) is held out, so there is nothing to train image generators on. Redraw the split with a smaller share.`;
  }
  return { patients: n, heldOut, warning };
}
