// Migration 13: each audit entry may carry its signer's key fingerprint and an Ed25519 signature over its hash.
// Older entries stay unsigned (verify holds signatures to account only from the first signed entry on).
import type { Migration } from '../migrations';

export const migration013: Migration = {
  version: 13,
  name: 'signed audit entries',
  up: (db) => {
    db.exec(`
      ALTER TABLE audit_log ADD COLUMN signer TEXT CHECK (signer IS NULL OR length(signer) = 64);
      ALTER TABLE audit_log ADD COLUMN signature TEXT CHECK (signature IS NULL OR signer IS NOT NULL);
    `);
  },
};
