import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEncrypted, type Db } from '../../electron/core/store/database';
import { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion, type Migration } from '../../electron/core/store/migrations';
import { tempDir } from '../helpers';

function freshDb(): Db {
  return openEncrypted(join(tempDir(), 'm.db'), randomBytes(32), { create: true });
}
function tables(db: Db): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table','trigger') ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

describe('migrations', () => {
  it('are numbered 1..n with no gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('1 creates workspace_meta, users and user_roles with role and status checks', () => {
    const db = freshDb();
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(expect.arrayContaining(['users', 'user_roles', 'workspace_meta']));
    db.prepare("INSERT INTO users (username, display_name, status, created_at, password_changed_at) VALUES ('a','A','active','t','t')").run();
    expect(() => db.prepare("INSERT INTO user_roles (user_id, role) VALUES (1, 'superuser')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO user_roles (user_id, role) VALUES (99, 'admin')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO users (username, display_name, status, created_at, password_changed_at) VALUES ('A','B','active','t','t')").run()).toThrow(/UNIQUE/);
    db.close();
  });

  it('2 creates the audit log whose triggers refuse UPDATE and DELETE', () => {
    const db = freshDb();
    migrate(db, MIGRATIONS.slice(0, 2));
    expect(schemaVersion(db)).toBe(2);
    db.prepare("INSERT INTO audit_log (seq, ts, actor, action, subject, details, prev_hash, hash) VALUES (1,'t','a','x',NULL,'{}','0','h')").run();
    expect(() => db.prepare("UPDATE audit_log SET actor = 'b'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
  });

  it('3 creates settings with a 15-minute idle timeout', () => {
    const db = freshDb();
    expect(migrate(db, MIGRATIONS.slice(0, 3))).toEqual([1, 2, 3]);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'idleTimeoutMinutes'").get()).toEqual({ value: '15' });
    expect(migrate(db, MIGRATIONS.slice(0, 3))).toEqual([]);
    db.close();
  });

  it('4 creates the source tables: files unique by hash, rows tied to their table, DICOM hierarchy', () => {
    const db = freshDb();
    expect(migrate(db, MIGRATIONS.slice(0, 4))).toEqual([1, 2, 3, 4]);
    expect(tables(db)).toEqual(expect.arrayContaining(['imports', 'source_files', 'tables_', 'table_columns', 'table_rows', 'dicom_patients', 'dicom_studies', 'dicom_series', 'dicom_instances']));
    db.prepare("INSERT INTO imports (actor, started_at, status) VALUES ('a', 't', 'running')").run();
    const file = "INSERT INTO source_files (import_id, sha256, kind, name, bytes, imported_at) VALUES (1, 'abc', 'table', 'x.csv', 1, 't')";
    db.prepare(file).run();
    expect(() => db.prepare(file).run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO table_rows (table_id, row_idx, cells) VALUES (42, 0, '[]')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO imports (actor, started_at, status) VALUES ('a', 't', 'exploded')").run()).toThrow(/CHECK/);
    db.close();
  });

  it('5 creates spec versions that cannot be rewritten and stay frozen', () => {
    const db = freshDb();
    expect(migrate(db, MIGRATIONS.slice(0, 5))).toEqual([1, 2, 3, 4, 5]);
    db.prepare("INSERT INTO imports (actor, started_at, status) VALUES ('a', 't', 'done')").run();
    db.prepare("INSERT INTO source_files (import_id, sha256, kind, name, bytes, imported_at) VALUES (1, 'abc', 'table', 'x.csv', 1, 't')").run();
    db.prepare("INSERT INTO tables_ (file_id, name, status, encoding, delimiter) VALUES (1, 'x.csv', 'ready', 'utf-8', ',')").run();
    db.prepare("INSERT INTO specs (name, table_id, created_at, created_by) VALUES ('s', 1, 't', 'a')").run();
    db.prepare("INSERT INTO spec_versions (spec_id, version, content, hash, created_at, created_by) VALUES (1, 1, '{}', 'h', 't', 'a')").run();
    expect(() => db.prepare("INSERT INTO spec_versions (spec_id, version, content, hash, created_at, created_by) VALUES (1, 1, '{}', 'h2', 't', 'a')").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE spec_versions SET content = '{\"x\":1}'").run()).toThrow(/immutable/);
    db.prepare('UPDATE spec_versions SET frozen = 1').run();
    expect(() => db.prepare('UPDATE spec_versions SET frozen = 0').run()).toThrow(/stays frozen/);
    db.close();
  });

  it('6 creates runs tied to a spec version, with checkpoints, models and dataset rows', () => {
    const db = freshDb();
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(tables(db)).toEqual(expect.arrayContaining(['runs', 'run_checkpoints', 'run_models', 'datasets', 'dataset_rows', 'dataset_images']));
    const run = "INSERT INTO runs (spec_id, spec_version, spec_hash, source_sha256, generator, seed, status, actor, hyperparameters, started_at) VALUES (1, 1, 'h', 's', 'copula', 1, 'running', 'a', '{}', 't')";
    expect(() => db.prepare(run).run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO dataset_rows (dataset_id, row_idx, cells) VALUES (9, 0, '[]')").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('7 stores validation results that can never be edited or deleted', () => {
    const db = freshDb();
    migrate(db);
    db.prepare("INSERT INTO specs (id, name, kind, table_id, created_at, created_by) VALUES (1, 's', 'image', NULL, 't', 'a')").run();
    db.prepare("INSERT INTO spec_versions (spec_id, version, content, hash, created_at, created_by) VALUES (1, 1, '{}', 'h', 't', 'a')").run();
    db.prepare("INSERT INTO runs (spec_id, spec_version, spec_hash, source_sha256, generator, seed, status, actor, hyperparameters, started_at) VALUES (1, 1, 'h', 's', 'copula', 1, 'done', 'a', '{}', 't')").run();
    db.prepare("INSERT INTO datasets (run_id, version, kind, header, row_count, sha256, created_at, created_by) VALUES (1, 1, 'table', '[]', 0, 'd', 't', 'a')").run();
    const insert = "INSERT INTO validations (dataset_id, dataset_sha256, spec_id, spec_version, spec_hash, validator_version, seed, status, actor, started_at) VALUES (?, 'd', 1, 1, 'h', '1', 's', 'running', 'a', 't')";
    expect(() => db.prepare(insert).run(9)).toThrow(/FOREIGN KEY/);
    db.prepare(insert).run(1);
    db.prepare("INSERT INTO validation_results (validation_id, verdict, result, result_sha256, document, created_at) VALUES (1, 'pass', '{}', 'r', '{}', 't')").run();
    expect(() => db.prepare("UPDATE validation_results SET verdict = 'fail'").run()).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM validation_results').run()).toThrow(/immutable/);
    expect(() => db.prepare("UPDATE validations SET spec_hash = 'x'").run()).toThrow(/cannot change/);
    db.prepare("UPDATE validations SET status = 'done'").run();
    expect(() => db.prepare("UPDATE validations SET status = 'failed'").run()).toThrow(/cannot change/);
    db.close();
  });

  it('8 keeps signing keys, requests, signatures, revocations, retirements and exports append-only', () => {
    const db = freshDb();
    migrate(db);
    db.prepare("INSERT INTO specs (id, name, kind, table_id, created_at, created_by) VALUES (1, 's', 'image', NULL, 't', 'a')").run();
    db.prepare("INSERT INTO spec_versions (spec_id, version, content, hash, created_at, created_by) VALUES (1, 1, '{}', 'h', 't', 'a')").run();
    db.prepare("INSERT INTO runs (spec_id, spec_version, spec_hash, source_sha256, generator, seed, status, actor, hyperparameters, started_at) VALUES (1, 1, 'h', 's', 'copula', 1, 'done', 'a', '{}', 't')").run();
    db.prepare("INSERT INTO datasets (run_id, version, kind, header, row_count, sha256, created_at, created_by) VALUES (1, 1, 'table', '[]', 0, 'd', 't', 'a')").run();
    db.prepare("INSERT INTO validations (dataset_id, dataset_sha256, spec_id, spec_version, spec_hash, validator_version, seed, status, actor, started_at) VALUES (1, 'd', 1, 1, 'h', '1', 's', 'done', 'a', 't')").run();
    const key = "INSERT INTO signing_keys (username, public_key, fingerprint, wrapped, created_at) VALUES ('rita', ?, ?, '{}', 't')";
    db.prepare(key).run('pk1', 'f1');
    // One current key per user: a second needs the first retired.
    expect(() => db.prepare(key).run('pk2', 'f2')).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE signing_keys SET public_key = 'x'").run()).toThrow(/cannot change/);
    db.prepare("UPDATE signing_keys SET wrapped = '{\"re\":1}'").run();
    db.prepare("UPDATE signing_keys SET retired_at = 't2', retired_reason = 'password reset'").run();
    expect(() => db.prepare("UPDATE signing_keys SET wrapped = '{}'").run()).toThrow(/retired/);
    expect(() => db.prepare('DELETE FROM signing_keys').run()).toThrow(/kept/);
    db.prepare(key).run('pk2', 'f2');
    db.prepare("INSERT INTO approval_requests (dataset_id, validation_id, dataset_sha256, spec_id, spec_version, spec_hash, result_sha256, card, card_sha256, tier, requested_by, requested_at) VALUES (1, 1, 'd', 1, 1, 'h', 'r', '{}', 'c', 'model-development', 'sam', 't')").run();
    const sig = "INSERT INTO approval_signatures (request_id, signer, key_id, decision, payload, signature, signed_at) VALUES (1, ?, 2, 'approved', '{}', 's', 't')";
    db.prepare(sig).run('rita');
    expect(() => db.prepare(sig).run('RITA')).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO approval_signatures (request_id, signer, key_id, decision, payload, signature, signed_at) VALUES (1, 'remy', 2, 'maybe', '{}', 's', 't')").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO approval_revocations (signature_id, revoked_by, key_id, payload, signature, reason, revoked_at) VALUES (1, 'rita', 2, '{}', 's', 'why', 't')").run();
    db.prepare("INSERT INTO dataset_retirements (dataset_id, retired_by, reason, retired_at) VALUES (1, 'sam', 'why', 't')").run();
    db.prepare("INSERT INTO exports (bundle_id, dataset_id, request_id, manifest_sha256, path, exported_by, exported_at) VALUES ('b', 1, 1, 'm', '/x', 'sam', 't')").run();
    for (const table of ['approval_requests', 'approval_signatures', 'approval_revocations', 'dataset_retirements', 'exports']) {
      expect(() => db.prepare(`UPDATE ${table} SET rowid = rowid`).run(), table).toThrow(/cannot change/);
      expect(() => db.prepare(`DELETE FROM ${table}`).run(), table).toThrow(/cannot be deleted/);
    }
    expect(() => db.prepare("UPDATE datasets SET sha256 = 'x'").run()).toThrow(/cannot change/);
    db.prepare("INSERT INTO dataset_rows (dataset_id, row_idx, cells) VALUES (1, 0, '[\"a\"]')").run();
    expect(() => db.prepare("UPDATE dataset_rows SET cells = '[]'").run()).toThrow(/cannot change/);
    db.close();
  });

  it('refuse a database newer than the app and leave it untouched', () => {
    const db = freshDb();
    migrate(db);
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(expect.objectContaining({ code: 'WORKSPACE_TOO_NEW' }));
    expect(schemaVersion(db)).toBe(99);
    db.close();
  });

  it('run in one transaction: a failing migration leaves no trace of the earlier ones', () => {
    const db = freshDb();
    const broken: Migration[] = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', up: (d) => d.exec('CREATE TABLE oops (x); SELECT * FROM no_such_table;') }];
    expect(() => migrate(db, broken)).toThrow(/no_such_table/);
    expect(schemaVersion(db)).toBe(0);
    expect(tables(db)).toEqual([]);
    db.close();
  });
});
