// Migration 12: how each DICOM patient was told apart, and the import notes of each image.
import type { Migration } from '../migrations';

// Fixed SQL literals (not input): the common placeholders of de-identified exports.
const PLACEHOLDERS = ['ANONYMOUS', 'ANONYMIZED', 'ANONYMISED', 'ANON', 'UNKNOWN', 'NONE', 'NULL', 'N/A', '0', 'REMOVED', 'REDACTED'].map((v) => `'${v}'`).join(', ');

export const migration012: Migration = {
  version: 12,
  name: 'how DICOM patients were told apart, and import notes per image',
  up: (db) => {
    // Patients imported before were keyed by PatientID, else "name|birth date" — possibly a shared placeholder,
    // which cannot be told from a real identity afterwards, so those are marked as such rather than guessed at.
    db.exec(`
      ALTER TABLE dicom_patients ADD COLUMN identified_by TEXT NOT NULL DEFAULT 'placeholder'
        CHECK (identified_by IN ('patient-id', 'name-birth-date', 'study', 'placeholder'));
      ALTER TABLE dicom_instances ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
      UPDATE dicom_patients SET identified_by = 'patient-id'
        WHERE patient_id IS NOT NULL AND trim(patient_id) <> '' AND upper(trim(patient_id)) NOT IN (${PLACEHOLDERS});
      UPDATE dicom_patients SET identified_by = 'name-birth-date'
        WHERE (patient_id IS NULL OR trim(patient_id) = '') AND patient_name IS NOT NULL AND trim(patient_name) <> ''
          AND upper(trim(patient_name, ' ^')) NOT IN (${PLACEHOLDERS});
    `);
  },
};
