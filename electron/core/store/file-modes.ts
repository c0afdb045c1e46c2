// What the workspace looks like on disk to other accounts on the workstation: nothing. Folders 0700, files 0600,
// even when the folder existed before (mkdir's mode only applies to folders it creates), and SQLite's temporary
// tables and indices kept in memory rather than in unencrypted files under /tmp.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AirlockError } from '../errors';
import type { Db } from './database';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export interface ModeChange {
  path: string;
  from: number;
  to: number;
}

/** Settings every store connection needs besides its key: temporary b-trees (sorts, temp tables) never reach a file. */
export function applyPrivatePragmas(db: Db): void {
  db.pragma('temp_store = MEMORY');
}

function refuse(path: string, what: string, err?: unknown): never {
  throw new AirlockError('FILE_UNWRITABLE', `Airlock could not make ${path} private to your account (${what}). Check who owns the workspace folder.`, { cause: err });
}

function tighten(path: string, mode: number, changes: ModeChange[]): void {
  const st = lstatSync(path);
  const current = st.mode & 0o7777;
  if (current === mode) return;
  try {
    chmodSync(path, mode);
  } catch (err) {
    refuse(path, `chmod ${mode.toString(8)} failed`, err);
  }
  changes.push({ path, from: current, to: mode });
}

/** Creates the folder if needed and makes it 0700 whatever mode it had; a symlink in its place is refused. */
export function ensurePrivateDir(path: string): ModeChange[] {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  const st = lstatSync(path);
  if (st.isSymbolicLink() || !st.isDirectory()) refuse(path, 'it is a link or not a folder');
  const changes: ModeChange[] = [];
  tighten(path, PRIVATE_DIR_MODE, changes);
  return changes;
}

/**
 * Makes the workspace folder 0700 and every folder in it 0700, every file 0600, and returns what changed (for the
 * audit log). Links are never followed nor changed: a link planted in the folder cannot redirect a chmod elsewhere.
 */
export function securePrivateTree(dir: string): ModeChange[] {
  const changes = ensurePrivateDir(dir);
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        tighten(path, PRIVATE_DIR_MODE, changes);
        walk(path);
      } else if (entry.isFile()) {
        tighten(path, PRIVATE_FILE_MODE, changes);
      }
    }
  };
  walk(dir);
  return changes;
}

/** Replaces a file whole: a fresh temp file created exclusively (never through a link) with 0600, fsynced, renamed. */
export function writePrivateFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  let fd: number;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, PRIVATE_FILE_MODE);
  } catch (err) {
    refuse(tmp, 'the temporary file could not be created exclusively', err);
  }
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
}
