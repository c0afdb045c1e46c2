// Opens the one encrypted SQLite file: AEGIS-256 or ChaCha20-Poly1305 (per-page tag) keyed with the raw random key,
// an exclusive OS lock, WAL with synchronous=FULL, foreign keys, and an integrity check before any write.
import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, existsSync, openSync } from 'node:fs';
import { AirlockError, WorkspaceBusyError, WorkspaceCorruptError } from '../errors';
import { applyPrivatePragmas } from './file-modes';
import { walDamage } from './wal-check';

export type Db = Database.Database;
export const DB_FILE = 'airlock.db';
// New workspaces use AEGIS-256 (an AES-round AEAD, per-page tag): about twice as fast as ChaCha20-Poly1305 here on
// DICOM-sized writes (bench: ingest). Workspaces made before keep ChaCha20; the key-slot file records which.
export type DbCipher = 'chacha20' | 'aegis-256';
export const NEW_WORKSPACE_CIPHER: DbCipher = 'aegis-256';
const CIPHER_LABELS: Record<DbCipher, string> = {
  chacha20: 'SQLite3MultipleCiphers chacha20 (ChaCha20-Poly1305, per-page MAC, raw 256-bit key)',
  'aegis-256': 'SQLite3MultipleCiphers aegis (AEGIS-256, per-page tag, raw 256-bit key)',
};
const NEW_PAGE_SIZE = 65536;
const WAL_CHECKPOINT_BYTES = 4 * 1024 * 1024;
export const cipherLabel = (c: DbCipher): string => CIPHER_LABELS[c];

/** The cipher a key-slot file's label names; labels written before AEGIS are all ChaCha20. */
export function cipherOfLabel(label: string): DbCipher {
  return label === CIPHER_LABELS['aegis-256'] ? 'aegis-256' : 'chacha20';
}

function sqliteCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
}

function isBusy(err: unknown): boolean {
  return sqliteCode(err).startsWith('SQLITE_BUSY') || sqliteCode(err).startsWith('SQLITE_LOCKED');
}

function isDamage(err: unknown): boolean {
  const code = sqliteCode(err);
  return code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_IOERR');
}

export interface OpenOptions {
  create: boolean;
  /** The page cipher: what the key-slot file names for an existing store; AEGIS-256 when not given. */
  cipher?: DbCipher;
}

export function openEncrypted(path: string, key: Buffer, options: OpenOptions): Db {
  if (key.length !== 32) throw new AirlockError('INTERNAL', 'Database keys are 256 bits.');
  if (options.create) {
    // Create the file ourselves with 0600; SQLite gives its -wal and -shm files the same mode.
    const fd = openSync(path, 'wx', 0o600);
    closeSync(fd);
  } else if (!existsSync(path)) {
    throw new AirlockError('WORKSPACE_NOT_FOUND', `There is no workspace database (${DB_FILE}) in this folder.`);
  } else {
    // Before SQLite replays the log and silently drops whatever follows a damaged frame.
    const damage = walDamage(path);
    if (damage) {
      const where = damage.badFrame === 0 ? 'in its header' : `at frame ${damage.badFrame}`;
      const lost = damage.laterCommits < 0 ? 'every commit in it' : `${damage.laterCommits} commit${damage.laterCommits === 1 ? '' : 's'}`;
      throw new WorkspaceCorruptError(`its write-ahead log (${DB_FILE}-wal) is damaged ${where}, and ${lost} would be lost if it were opened`);
    }
  }
  const db = new Database(path, { fileMustExist: true, timeout: 200 });
  try {
    if ((options.cipher ?? NEW_WORKSPACE_CIPHER) === 'aegis-256') {
      db.pragma("cipher = 'aegis'");
      db.pragma("algorithm = 'aegis-256'");
    } else db.pragma("cipher = 'chacha20'");
    // x'…' is SQLite3MultipleCiphers' raw-key form: the bytes are the page key, with no second KDF.
    db.pragma(`key = "x'${key.toString('hex')}'"`);
    // New stores get 64 KiB pages: a DICOM file spans 8 pages instead of 128, and writing one costs a third (bench:
    // ingest). Set before the first write; an existing store keeps the page size it was made with.
    if (options.create) db.pragma(`page_size = ${NEW_PAGE_SIZE}`);
    applyPrivatePragmas(db);
    // An exclusive lock held for the connection's life: a second process or window gets SQLITE_BUSY.
    db.pragma('locking_mode = EXCLUSIVE');
    if (!options.create) checkIntegrity(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Fold the log back into the file every ~4 MiB whatever the page size: one long pause per 64 MiB would stall the app.
    db.pragma(`wal_autocheckpoint = ${Math.max(16, Math.ceil(WAL_CHECKPOINT_BYTES / Number(db.pragma('page_size', { simple: true }))))}`);
    db.pragma('foreign_keys = ON');
    // Take the write lock now rather than on the first write, so "busy" shows at open time.
    db.exec('BEGIN IMMEDIATE; COMMIT;');
    return db;
  } catch (err) {
    db.close();
    if (err instanceof AirlockError) throw err;
    if (isBusy(err)) throw new WorkspaceBusyError();
    if (isDamage(err)) throw new WorkspaceCorruptError(String(sqliteCode(err)), err);
    throw err;
  }
}

function checkIntegrity(db: Db): void {
  let rows: { integrity_check: string }[];
  try {
    rows = db.pragma('integrity_check') as { integrity_check: string }[];
  } catch (err) {
    if (isBusy(err)) throw new WorkspaceBusyError();
    if (isDamage(err)) throw new WorkspaceCorruptError(`the file cannot be decrypted or read: ${sqliteCode(err)}`, err);
    throw err;
  }
  const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  if (problems.length > 0) throw new WorkspaceCorruptError(`integrity check: ${problems.slice(0, 3).join('; ')}`);
}
