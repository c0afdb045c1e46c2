// Migration 11: rule checks recorded per run (the table it produced) and per dataset version (every later sample).
import type { Migration } from '../migrations';

export const migration011: Migration = {
  version: 11,
  name: 'rule checks recorded per run and per dataset version',
  up: (db) => {
    db.exec(`
      ALTER TABLE runs ADD COLUMN rule_checks TEXT NOT NULL DEFAULT '[]';
      -- A dataset version's checks are written with it and never change, like its rows.
      CREATE TABLE dataset_rule_checks (
        dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id),
        checks TEXT NOT NULL
      );
      CREATE TRIGGER dataset_rule_checks_no_update BEFORE UPDATE ON dataset_rule_checks BEGIN SELECT RAISE(ABORT, 'a dataset version cannot change; sample a new version'); END;
      CREATE TRIGGER dataset_rule_checks_no_delete BEFORE DELETE ON dataset_rule_checks BEGIN SELECT RAISE(ABORT, 'a dataset version cannot change; sample a new version'); END;
    `);
  },
};
