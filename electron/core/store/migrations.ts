// Numbered, append-only migrations; all pending ones run in one transaction at start-up.
// Never edit a shipped migration: add the next number instead.
import { WorkspaceTooNewError } from '../errors';
import type { Db } from './database';
import { LATER_MIGRATIONS } from './migrations/index';

export interface Migration {
  version: number;
  name: string;
  up: (db: Db) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'workspace, users and roles',
    up: (db) => {
      db.exec(`
        CREATE TABLE workspace_meta (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          workspace_id TEXT NOT NULL,
          created_at TEXT NOT NULL,
          created_with_version TEXT NOT NULL
        );
        CREATE TABLE users (
          id INTEGER PRIMARY KEY,
          username TEXT NOT NULL UNIQUE COLLATE NOCASE,
          display_name TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
          created_at TEXT NOT NULL,
          created_by TEXT,
          password_changed_at TEXT NOT NULL,
          last_login_at TEXT
        );
        CREATE TABLE user_roles (
          user_id INTEGER NOT NULL REFERENCES users(id),
          role TEXT NOT NULL CHECK (role IN ('steward', 'reviewer', 'admin')),
          PRIMARY KEY (user_id, role)
        );
      `);
    },
  },
  {
    version: 2,
    name: 'append-only, hash-chained audit log',
    up: (db) => {
      db.exec(`
        CREATE TABLE audit_log (
          seq INTEGER PRIMARY KEY,
          ts TEXT NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          subject TEXT,
          details TEXT NOT NULL,
          prev_hash TEXT NOT NULL,
          hash TEXT NOT NULL UNIQUE
        );
        CREATE INDEX audit_log_action ON audit_log(action);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      `);
    },
  },
  {
    version: 3,
    name: 'workspace settings',
    up: (db) => {
      db.exec(`
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO settings (key, value) VALUES ('idleTimeoutMinutes', '15');
      `);
    },
  },
  {
    version: 4,
    name: 'sources: imported files, clinical tables, DICOM hierarchy',
    up: (db) => {
      db.exec(`
        CREATE TABLE imports (
          id INTEGER PRIMARY KEY,
          actor TEXT NOT NULL,
          started_at TEXT NOT NULL,
          finished_at TEXT,
          status TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'failed')),
          summary TEXT NOT NULL DEFAULT '{}'
        );
        -- Every imported file once, by content hash: the same bytes imported again are recognised.
        CREATE TABLE source_files (
          id INTEGER PRIMARY KEY,
          import_id INTEGER NOT NULL REFERENCES imports(id),
          sha256 TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('table', 'dicom')),
          name TEXT NOT NULL,
          bytes INTEGER NOT NULL,
          imported_at TEXT NOT NULL,
          content BLOB
        );
        CREATE TABLE tables_ (
          id INTEGER PRIMARY KEY,
          file_id INTEGER NOT NULL UNIQUE REFERENCES source_files(id),
          name TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('importing', 'ready')),
          encoding TEXT NOT NULL,
          delimiter TEXT NOT NULL,
          row_count INTEGER NOT NULL DEFAULT 0,
          holdout TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE table_columns (
          table_id INTEGER NOT NULL REFERENCES tables_(id),
          idx INTEGER NOT NULL,
          name TEXT NOT NULL,
          inferred_type TEXT NOT NULL,
          type TEXT NOT NULL,
          profile TEXT NOT NULL,
          phi TEXT NOT NULL,
          PRIMARY KEY (table_id, idx)
        );
        CREATE TABLE table_rows (
          table_id INTEGER NOT NULL REFERENCES tables_(id),
          row_idx INTEGER NOT NULL,
          holdout INTEGER NOT NULL DEFAULT 0 CHECK (holdout IN (0, 1)),
          cells TEXT NOT NULL,
          PRIMARY KEY (table_id, row_idx)
        ) WITHOUT ROWID;
        CREATE TABLE dicom_patients (
          id INTEGER PRIMARY KEY,
          patient_key TEXT NOT NULL UNIQUE,
          patient_id TEXT,
          patient_name TEXT,
          birth_date TEXT,
          holdout INTEGER NOT NULL CHECK (holdout IN (0, 1))
        );
        CREATE TABLE dicom_studies (
          id INTEGER PRIMARY KEY,
          patient_id INTEGER NOT NULL REFERENCES dicom_patients(id),
          study_uid TEXT NOT NULL UNIQUE,
          study_date TEXT,
          description TEXT
        );
        CREATE TABLE dicom_series (
          id INTEGER PRIMARY KEY,
          study_id INTEGER NOT NULL REFERENCES dicom_studies(id),
          series_uid TEXT NOT NULL UNIQUE,
          number INTEGER,
          modality TEXT,
          description TEXT,
          body_part TEXT
        );
        CREATE TABLE dicom_instances (
          id INTEGER PRIMARY KEY,
          series_id INTEGER NOT NULL REFERENCES dicom_series(id),
          file_id INTEGER NOT NULL UNIQUE REFERENCES source_files(id),
          sop_uid TEXT NOT NULL UNIQUE,
          instance_number INTEGER,
          slice_position REAL,
          frames INTEGER NOT NULL,
          rows_ INTEGER NOT NULL,
          columns_ INTEGER NOT NULL,
          transfer_syntax TEXT NOT NULL,
          burned_in TEXT,
          metadata TEXT NOT NULL
        );
        CREATE INDEX dicom_instances_series ON dicom_instances(series_id);
      `);
    },
  },
  {
    version: 5,
    name: 'generation specs and their versions',
    up: (db) => {
      db.exec(`
        CREATE TABLE specs (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          kind TEXT NOT NULL DEFAULT 'table' CHECK (kind IN ('table', 'image')),
          -- The source table of a table spec; image specs name their series inside the spec document.
          table_id INTEGER REFERENCES tables_(id),
          created_at TEXT NOT NULL,
          created_by TEXT NOT NULL
        );
        -- Every save is a new version; a version a run has used is frozen and can never change.
        CREATE TABLE spec_versions (
          id INTEGER PRIMARY KEY,
          spec_id INTEGER NOT NULL REFERENCES specs(id),
          version INTEGER NOT NULL,
          content TEXT NOT NULL,
          hash TEXT NOT NULL,
          frozen INTEGER NOT NULL DEFAULT 0 CHECK (frozen IN (0, 1)),
          created_at TEXT NOT NULL,
          created_by TEXT NOT NULL,
          UNIQUE (spec_id, version)
        );
        CREATE TRIGGER spec_versions_immutable BEFORE UPDATE OF content, hash, spec_id, version ON spec_versions
          BEGIN SELECT RAISE(ABORT, 'spec versions are immutable; save a new version'); END;
        CREATE TRIGGER spec_versions_frozen_stay BEFORE UPDATE OF frozen ON spec_versions WHEN OLD.frozen = 1
          BEGIN SELECT RAISE(ABORT, 'a frozen spec version stays frozen'); END;
      `);
    },
  },
  {
    version: 6,
    name: 'training runs, checkpoints, fitted models and synthetic datasets',
    up: (db) => {
      db.exec(`
        CREATE TABLE runs (
          id INTEGER PRIMARY KEY,
          spec_id INTEGER NOT NULL REFERENCES specs(id),
          spec_version INTEGER NOT NULL,
          spec_hash TEXT NOT NULL,
          source_sha256 TEXT NOT NULL,
          generator TEXT NOT NULL,
          seed INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('running', 'cancelled', 'failed', 'done')),
          actor TEXT NOT NULL,
          backend TEXT NOT NULL DEFAULT '{}',
          hyperparameters TEXT NOT NULL,
          epochs_done INTEGER NOT NULL DEFAULT 0,
          losses TEXT NOT NULL DEFAULT '[]',
          error_code TEXT,
          error_message TEXT,
          started_at TEXT NOT NULL,
          finished_at TEXT,
          FOREIGN KEY (spec_id, spec_version) REFERENCES spec_versions(spec_id, version)
        );
        -- Checkpoints and fitted models sit in the encrypted store like everything else.
        CREATE TABLE run_checkpoints (
          run_id INTEGER NOT NULL REFERENCES runs(id),
          epoch INTEGER NOT NULL,
          content BLOB NOT NULL,
          created_at TEXT NOT NULL,
          PRIMARY KEY (run_id, epoch)
        );
        CREATE TABLE run_models (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id),
          content BLOB NOT NULL
        );
        CREATE TABLE datasets (
          id INTEGER PRIMARY KEY,
          run_id INTEGER NOT NULL REFERENCES runs(id),
          version INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('table', 'images')),
          header TEXT NOT NULL,
          row_count INTEGER NOT NULL,
          sha256 TEXT NOT NULL,
          created_at TEXT NOT NULL,
          created_by TEXT NOT NULL,
          UNIQUE (run_id, version)
        );
        -- Synthetic images, one Part 10 Secondary Capture file each (never a source's attributes).
        CREATE TABLE dataset_images (
          dataset_id INTEGER NOT NULL REFERENCES datasets(id),
          idx INTEGER NOT NULL,
          dicom BLOB NOT NULL,
          PRIMARY KEY (dataset_id, idx)
        );
        CREATE TABLE dataset_rows (
          dataset_id INTEGER NOT NULL REFERENCES datasets(id),
          row_idx INTEGER NOT NULL,
          cells TEXT NOT NULL,
          PRIMARY KEY (dataset_id, row_idx)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 7,
    name: 'validations of synthetic datasets and their immutable, hashed results',
    up: (db) => {
      db.exec(`
        CREATE TABLE validations (
          id INTEGER PRIMARY KEY,
          dataset_id INTEGER NOT NULL REFERENCES datasets(id),
          dataset_sha256 TEXT NOT NULL,
          spec_id INTEGER NOT NULL,
          spec_version INTEGER NOT NULL,
          spec_hash TEXT NOT NULL,
          validator_version TEXT NOT NULL,
          seed TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('running', 'cancelled', 'failed', 'done')),
          actor TEXT NOT NULL,
          error_code TEXT,
          error_message TEXT,
          started_at TEXT NOT NULL,
          finished_at TEXT,
          FOREIGN KEY (spec_id, spec_version) REFERENCES spec_versions(spec_id, version)
        );
        -- A result is written once and never changed: validating again makes a new result.
        CREATE TABLE validation_results (
          validation_id INTEGER PRIMARY KEY REFERENCES validations(id),
          verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail')),
          result TEXT NOT NULL,
          result_sha256 TEXT NOT NULL,
          document TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE INDEX validations_by_dataset ON validations(dataset_id);
        CREATE TRIGGER validation_results_no_update BEFORE UPDATE ON validation_results
          BEGIN SELECT RAISE(ABORT, 'validation results are immutable; validate again for a new result'); END;
        CREATE TRIGGER validation_results_no_delete BEFORE DELETE ON validation_results
          BEGIN SELECT RAISE(ABORT, 'validation results are immutable; validate again for a new result'); END;
        -- A finished validation keeps its inputs: only a running one may change status.
        CREATE TRIGGER validations_inputs_fixed BEFORE UPDATE OF dataset_id, dataset_sha256, spec_id, spec_version, spec_hash, validator_version, seed, actor, started_at ON validations
          BEGIN SELECT RAISE(ABORT, 'a validation’s inputs cannot change'); END;
        CREATE TRIGGER validations_finished_stay BEFORE UPDATE OF status ON validations WHEN OLD.status <> 'running'
          BEGIN SELECT RAISE(ABORT, 'a finished validation cannot change'); END;
      `);
    },
  },
  {
    version: 8,
    name: 'signing keys, approval requests, signatures, revocations, retirements and exports',
    up: (db) => {
      const immutable = (table: string, what: string) => `
        CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${what} cannot change'); END;
        CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${what} cannot be deleted'); END;`;
      db.exec(`
        -- One Ed25519 key pair per user at a time; the private key wrapped under a key derived from the password.
        CREATE TABLE signing_keys (
          id INTEGER PRIMARY KEY,
          username TEXT NOT NULL COLLATE NOCASE,
          public_key TEXT NOT NULL,
          fingerprint TEXT NOT NULL UNIQUE,
          wrapped TEXT NOT NULL,
          created_at TEXT NOT NULL,
          retired_at TEXT,
          retired_reason TEXT
        );
        CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys(username) WHERE retired_at IS NULL;
        CREATE TRIGGER signing_keys_public_fixed BEFORE UPDATE OF username, public_key, fingerprint, created_at ON signing_keys
          BEGIN SELECT RAISE(ABORT, 'a public signing key cannot change'); END;
        CREATE TRIGGER signing_keys_retired_stay BEFORE UPDATE ON signing_keys WHEN OLD.retired_at IS NOT NULL
          BEGIN SELECT RAISE(ABORT, 'a retired signing key cannot change'); END;
        CREATE TRIGGER signing_keys_no_delete BEFORE DELETE ON signing_keys
          BEGIN SELECT RAISE(ABORT, 'signing keys are kept so old signatures stay verifiable'); END;
        -- A request freezes the dataset, spec, validation result and card by their hashes.
        CREATE TABLE approval_requests (
          id INTEGER PRIMARY KEY,
          dataset_id INTEGER NOT NULL REFERENCES datasets(id),
          validation_id INTEGER NOT NULL REFERENCES validations(id),
          dataset_sha256 TEXT NOT NULL,
          spec_id INTEGER NOT NULL,
          spec_version INTEGER NOT NULL,
          spec_hash TEXT NOT NULL,
          result_sha256 TEXT NOT NULL,
          card TEXT NOT NULL,
          card_sha256 TEXT NOT NULL,
          tier TEXT NOT NULL,
          requested_by TEXT NOT NULL,
          requested_at TEXT NOT NULL,
          FOREIGN KEY (spec_id, spec_version) REFERENCES spec_versions(spec_id, version)
        );
        CREATE INDEX approval_requests_by_dataset ON approval_requests(dataset_id);
        CREATE TABLE approval_signatures (
          id INTEGER PRIMARY KEY,
          request_id INTEGER NOT NULL REFERENCES approval_requests(id),
          signer TEXT NOT NULL COLLATE NOCASE,
          key_id INTEGER NOT NULL REFERENCES signing_keys(id),
          decision TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
          payload TEXT NOT NULL,
          signature TEXT NOT NULL,
          signed_at TEXT NOT NULL,
          UNIQUE (request_id, signer)
        );
        CREATE TABLE approval_revocations (
          signature_id INTEGER PRIMARY KEY REFERENCES approval_signatures(id),
          revoked_by TEXT NOT NULL,
          key_id INTEGER NOT NULL REFERENCES signing_keys(id),
          payload TEXT NOT NULL,
          signature TEXT NOT NULL,
          reason TEXT NOT NULL,
          revoked_at TEXT NOT NULL
        );
        CREATE TABLE dataset_retirements (
          dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id),
          retired_by TEXT NOT NULL,
          reason TEXT NOT NULL,
          retired_at TEXT NOT NULL
        );
        CREATE TABLE exports (
          id INTEGER PRIMARY KEY,
          bundle_id TEXT NOT NULL UNIQUE,
          dataset_id INTEGER NOT NULL REFERENCES datasets(id),
          request_id INTEGER NOT NULL REFERENCES approval_requests(id),
          manifest_sha256 TEXT NOT NULL,
          path TEXT NOT NULL,
          exported_by TEXT NOT NULL,
          exported_at TEXT NOT NULL
        );
        -- The synthetic output a request froze cannot be rewritten underneath it.
        CREATE TRIGGER datasets_no_update BEFORE UPDATE ON datasets BEGIN SELECT RAISE(ABORT, 'a dataset version cannot change; sample a new version'); END;
        CREATE TRIGGER dataset_rows_no_update BEFORE UPDATE ON dataset_rows BEGIN SELECT RAISE(ABORT, 'a dataset version cannot change; sample a new version'); END;
        CREATE TRIGGER dataset_images_no_update BEFORE UPDATE ON dataset_images BEGIN SELECT RAISE(ABORT, 'a dataset version cannot change; sample a new version'); END;
        ${immutable('approval_requests', 'an approval request')}
        ${immutable('approval_signatures', 'a signature')}
        ${immutable('approval_revocations', 'a revocation')}
        ${immutable('dataset_retirements', 'a retirement')}
        ${immutable('exports', 'an export record')}
      `);
    },
  },
  ...LATER_MIGRATIONS,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

// Returns the versions applied. Refuses a database written by a newer app before touching anything.
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = schemaVersion(db);
  const latest = migrations.length;
  if (current > latest) throw new WorkspaceTooNewError(current, latest);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return [];
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      // PRAGMA takes no bound parameters; the value is a number from our own table.
      db.pragma(`user_version = ${Number(m.version)}`);
    }
  })();
  return pending.map((m) => m.version);
}
