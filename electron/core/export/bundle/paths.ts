// Where a bundle may be written: a new or empty real folder, and only relative paths that stay inside it.
// Every file is created exclusively and every folder checked with lstat, so nothing outside can be touched.
import { closeSync, constants, type Stats, lstatSync, mkdirSync, openSync, readdirSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AirlockError } from '../../errors';

const refuse = (sentence: string): AirlockError => new AirlockError('EXPORT_REFUSED', sentence);

/** Why a bundle path is unsafe, or null when it is a plain relative path inside the bundle. */
export function unsafePathReason(p: string): string | null {
  if (typeof p !== 'string' || p === '') return 'it is empty';
  if (p.includes('\0')) return 'it contains a NUL character';
  if (/\p{Cc}/u.test(p)) return 'it contains a control character';
  if (p.includes('\\')) return 'it contains a backslash';
  if (/^[A-Za-z]:/.test(p)) return 'it starts with a drive letter';
  if (p.startsWith('/')) return 'it is an absolute path';
  const bad = p.split('/').find((s) => s === '' || s === '.' || s === '..');
  if (bad !== undefined) return bad === '..' ? 'it climbs out of the bundle with “..”' : `it has an ${bad === '' ? 'empty' : '“.”'} segment`;
  return null;
}

export function assertSafeRelativePath(p: string): void {
  const reason = unsafePathReason(p);
  if (reason) throw refuse(`The file name “${JSON.stringify(p).slice(1, -1)}” would not stay inside the bundle folder: ${reason}.`);
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return null;
    throw err;
  }
}

/** A path that must not exist yet (the zip beside the folder). */
export function assertAbsent(p: string): void {
  if (lstatOrNull(p) !== null) throw refuse(`“${p}” already exists; Airlock does not overwrite files. Choose another destination.`);
}

/**
 * Checks (and, if new, creates) the bundle folder. It must be a new folder in an existing folder, or an existing
 * empty folder that is not a symbolic link. Returns the absolute folder and whether it was created here; with
 * `dryRun` it only checks (nothing is made, `created` is false), so a refusal can come before any slow work.
 */
export function prepareDestination(dest: string, options: { dryRun?: boolean } = {}): { dir: string; created: boolean } {
  if (typeof dest !== 'string' || dest.trim() === '') throw refuse('Choose a destination folder for the bundle.');
  const dir = resolve(dest);
  const st = lstatOrNull(dir);
  if (st === null) {
    const parent = dirname(dir);
    let parentOk: boolean;
    try {
      parentOk = statSync(parent).isDirectory();
    } catch {
      parentOk = false;
    }
    if (!parentOk) throw refuse(`The folder “${parent}” does not exist, so the bundle cannot be created in it.`);
    if (options.dryRun) return { dir, created: false };
    mkdirSync(dir, { mode: 0o700 });
    return { dir, created: true };
  }
  if (st.isSymbolicLink()) throw refuse(`“${dir}” is a symbolic link; export to a real, empty folder.`);
  if (!st.isDirectory()) throw refuse(`“${dir}” is a file, not a folder; export to a new or empty folder.`);
  if (readdirSync(dir).length > 0) throw refuse(`The folder “${dir}” is not empty; export to a new or empty folder so no file is overwritten.`);
  return { dir, created: false };
}

/** What a write made, in order, so a failed export can take exactly that away again. */
export interface Made {
  path: string;
  folder: boolean;
}

/** Makes each folder of `rel` under `root` (recording the ones it made) and refuses any that is a symlink. */
function ensureFolders(root: string, rel: string, made: Made[]): void {
  const segments = rel.split('/').slice(0, -1);
  let at = root;
  for (const s of segments) {
    at = join(at, s);
    const st = lstatOrNull(at);
    if (st === null) {
      mkdirSync(at, { mode: 0o700 });
      made.push({ path: at, folder: true });
    } else if (st.isSymbolicLink() || !st.isDirectory()) {
      throw refuse(`“${at}” is a symbolic link or a file, not a folder Airlock made; the export stopped.`);
    }
  }
}

/** Writes `bytes` to root/rel with exclusive create (never through a symlink, never over a file). */
export function writeExclusive(root: string, rel: string, bytes: Uint8Array, made: Made[]): void {
  assertSafeRelativePath(rel);
  ensureFolders(root, rel, made);
  const path = join(root, ...rel.split('/'));
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  made.push({ path, folder: false });
  try {
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
  } finally {
    closeSync(fd);
  }
}

/** Removes what was made, newest first; best effort, since it runs while another error is being reported. */
export function removeMade(made: readonly Made[]): void {
  for (const m of [...made].reverse()) {
    try {
      if (m.folder) rmdirSync(m.path);
      else unlinkSync(m.path);
    } catch {
      // Left behind only if something else changed the folder meanwhile; the original error is what matters.
    }
  }
}
