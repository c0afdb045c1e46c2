// Migration 10: class and per-class attributes of each synthetic image, and notes on runs.
// dataset_images refuses UPDATE, so both columns are written when an image is inserted; images made before
// this migration have neither (NULL: no class, attributes only in their DICOM). A run's notes are sentences the
// run view shows (e.g. "class “B” mixes MR and CT; its images carry MR"), a JSON array of strings.
import type { Migration } from '../migrations';

export const migration010: Migration = {
  version: 10,
  name: 'class and per-class attributes of each synthetic image; notes on runs',
  up: (db) => {
    db.exec(`
      ALTER TABLE dataset_images ADD COLUMN class_label TEXT;
      ALTER TABLE dataset_images ADD COLUMN attributes TEXT;
      ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
    `);
  },
};
