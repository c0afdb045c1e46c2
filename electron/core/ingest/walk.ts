// Expands the paths a user picked into the files to import, recursively and in a stable order, and
// sorts each into table, DICOM or unknown by name and by the Part 10 'DICM' marker. The walk is asynchronous,
// cancellable and loop-safe: folders are keyed by device and inode (a symlink to an ancestor is visited once).
import { closeSync, openSync, readSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { AirlockError } from '../errors';

export type FileKind = 'table' | 'dicom' | 'unknown';
export interface Candidate {
  path: string;
  kind: FileKind;
  bytes: number;
}
export interface Unreadable {
  path: string;
  reason: string;
}

const TABLE_EXTENSIONS = new Set(['.csv', '.tsv', '.tab', '.txt']);
// Files an OS or a PACS export leaves beside the images; never worth a "refused" line.
const IGNORED = new Set(['.DS_Store', 'Thumbs.db', 'DICOMDIR', 'desktop.ini']);
/** Deeper than any PACS export nests; deeper folders are reported, not walked. */
export const MAX_DEPTH = 64;
/** Files one import may name; beyond it the import is refused before anything is read. */
export const MAX_FILES = 1_000_000;

function hasDicmMarker(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(4);
    return readSync(fd, buf, 0, 4, 128) === 4 && buf.toString('latin1') === 'DICM';
  } finally {
    closeSync(fd);
  }
}

export function classify(path: string): FileKind {
  if (TABLE_EXTENSIONS.has(extname(path).toLowerCase())) return 'table';
  try {
    return hasDicmMarker(path) ? 'dicom' : ['.dcm', '.dicom', '.ima', ''].includes(extname(path).toLowerCase()) ? 'dicom' : 'unknown';
  } catch {
    return 'unknown';
  }
}

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or folder.';
  if (code === 'ELOOP') return 'A symbolic link that points back into itself.';
  return `Cannot read it (${code ?? 'error'}).`;
}

export interface WalkOptions {
  signal?: AbortSignal;
  /** Called every few hundred entries with the files found so far. */
  onProgress?: (found: number) => void;
}

// Paths that do not exist or cannot be read are returned apart, to be reported, not to stop the import.
export async function expandPaths(paths: readonly string[], options: WalkOptions = {}): Promise<{ files: Candidate[]; unreadable: Unreadable[] }> {
  const out: Candidate[] = [];
  const unreadable: Unreadable[] = [];
  const folders = new Set<string>();
  const fileKeys = new Set<string>();
  let entries = 0;
  const tick = async (): Promise<void> => {
    if (options.signal?.aborted) throw new AirlockError('IMPORT_CANCELLED', 'The import was cancelled while its folders were being listed.');
    if (++entries % 256 === 0) {
      options.onProgress?.(out.length);
      // Let the main loop breathe (and a cancel arrive) on folders of many thousand files.
      await new Promise<void>((r) => setImmediate(r));
    }
  };
  const visit = async (p: string, depth: number): Promise<void> => {
    await tick();
    const abs = resolve(p);
    let st;
    try {
      st = await stat(abs);
    } catch (err) {
      unreadable.push({ path: abs, reason: reasonOf(err) });
      return;
    }
    const key = `${st.dev}:${st.ino}`;
    if (st.isDirectory()) {
      if (folders.has(key)) return;
      folders.add(key);
      if (depth > MAX_DEPTH) {
        unreadable.push({ path: abs, reason: `Nested more than ${MAX_DEPTH} folders deep; import that folder on its own.` });
        return;
      }
      let names: string[];
      try {
        names = (await readdir(abs)).sort();
      } catch (err) {
        unreadable.push({ path: abs, reason: reasonOf(err) });
        return;
      }
      for (const name of names) if (!name.startsWith('.') && !IGNORED.has(name)) await visit(join(abs, name), depth + 1);
    } else if (st.isFile() && !IGNORED.has(basename(abs))) {
      // The same file reached twice (a link, or picked twice) is imported once, under the first path found.
      if (fileKeys.has(key)) return;
      fileKeys.add(key);
      if (out.length >= MAX_FILES) throw new AirlockError('INVALID_ARGUMENT', `These folders hold more than ${MAX_FILES.toLocaleString('en-GB')} files; import them in parts.`);
      out.push({ path: abs, kind: classify(abs), bytes: st.size });
    }
  };
  for (const p of paths) await visit(p, 0);
  options.onProgress?.(out.length);
  return { files: out, unreadable };
}
