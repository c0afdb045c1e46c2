// Migration 14: source values are sealed under the sources key; UNIQUE identities (patient key, study, series and
// SOP UIDs) keep a keyed lookup in their column and their value sealed in a new one. Other sealed values stay in
// their columns (a sealed BLOB where plaintext text was); existing rows are sealed at the first steward sign-in.
import type { Migration } from '../migrations';

export const migration014: Migration = {
  version: 14,
  name: 'sealed source identities',
  up: (db) => {
    db.exec(`
      ALTER TABLE dicom_patients ADD COLUMN patient_key_sealed BLOB;
      ALTER TABLE dicom_studies ADD COLUMN study_uid_sealed BLOB;
      ALTER TABLE dicom_series ADD COLUMN series_uid_sealed BLOB;
      ALTER TABLE dicom_instances ADD COLUMN sop_uid_sealed BLOB;
    `);
  },
};
