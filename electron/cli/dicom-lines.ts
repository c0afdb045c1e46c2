// What `airlock sources` says about DICOM patients: how each was told apart, and whether the split holds any out.
import { dicomSplitSummary, PATIENT_BASIS_LABELS } from '../shared/dicom-text';
import type { StudySummaryView } from '../shared/ingest-schemas';

type Patient = StudySummaryView['patient'];

/** The patient column: the stored key, and how the patient was told apart unless by Patient ID. */
export function patientCell(p: Patient): string {
  if (p.identifiedBy === 'patient-id') return p.key;
  const label = p.identifiedBy === 'study' ? 'no patient identity' : p.identifiedBy === 'name-birth-date' ? p.key.replace(/\|$/, '').replace('|', ', born ') : p.key;
  return `${label} (${p.identifiedBy === 'study' ? 'one patient per study' : p.identifiedBy === 'name-birth-date' ? 'by name and birth date' : 'placeholder identity'})`;
}

/** Lines under the series table: the split, its warning, and how patients without an ID were told apart. */
export function dicomSplitLines(studies: StudySummaryView[]): string[] {
  if (studies.length === 0) return [];
  const split = dicomSplitSummary(studies);
  const lines = [`DICOM holdout: ${split.heldOut} of ${split.patients} patient${split.patients === 1 ? '' : 's'} held out for validation.`];
  if (split.warning) lines.push(`Warning: ${split.warning}`);
  const bases = new Map<Patient['identifiedBy'], number>();
  for (const key of new Set(studies.map((s) => `${s.patient.identifiedBy}\u0000${s.patient.key}`))) {
    const basis = key.split('\u0000')[0] as Patient['identifiedBy'];
    bases.set(basis, (bases.get(basis) ?? 0) + 1);
  }
  for (const [basis, n] of bases) if (basis !== 'patient-id') lines.push(`${n} patient${n === 1 ? '' : 's'} told apart ${PATIENT_BASIS_LABELS[basis]}.`);
  return lines;
}
