// Numbered, append-only migrations; all pending ones run in one transaction at start-up.
// Never edit a shipped migration: add the next number instead.
import { WorkspaceTooNewError } from '../errors';
import type { Db } from './database';

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
