// Expands the paths a user picked into the files to import, recursively and in a stable order, and
// sorts each into table, DICOM or unknown by name and by the Part 10 'DICM' marker.
import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';

export type FileKind = 'table' | 'dicom' | 'unknown';
export interface Candidate {
  path: string;
  kind: FileKind;
  bytes: number;
}

const TABLE_EXTENSIONS = new Set(['.csv', '.tsv', '.tab', '.txt']);
// Files an OS or a PACS export leaves beside the images; never worth a "refused" line.
const IGNORED = new Set(['.DS_Store', 'Thumbs.db', 'DICOMDIR', 'desktop.ini']);

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

// Paths that do not exist or cannot be read are returned apart, to be reported, not to stop the import.
export function expandPaths(paths: readonly string[]): { files: Candidate[]; unreadable: { path: string; reason: string }[] } {
  const out: Candidate[] = [];
  const unreadable: { path: string; reason: string }[] = [];
  const seen = new Set<string>();
  const visit = (p: string): void => {
    const abs = resolve(p);
    if (seen.has(abs)) return;
    seen.add(abs);
    let st;
    try {
      st = statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      unreadable.push({ path: abs, reason: code === 'ENOENT' ? 'No such file or folder.' : `Cannot read it (${code ?? 'error'}).` });
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) {
        if (!name.startsWith('.') && !IGNORED.has(name)) visit(join(abs, name));
      }
    } else if (st.isFile() && !IGNORED.has(basename(abs))) {
      out.push({ path: abs, kind: classify(abs), bytes: st.size });
    }
  };
  for (const p of paths) visit(p);
  return { files: out, unreadable };
}
