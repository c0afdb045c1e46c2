// Reads a bundle for verification, from its folder or its zip, into path → bytes. A symlink, an odd file or an
// unsafe name is a failure to report, never something to follow or throw on.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import { unsafePathReason } from './paths';

export interface Failure {
  /** The bundle file the failure is about ('manifest.json', 'data/synthetic.csv', …). */
  file: string;
  /** One sentence that starts with the file's name. */
  message: string;
}

export interface BundleTree {
  files: Map<string, Uint8Array>;
  failures: Failure[];
}

export const failure = (file: string, sentence: string): Failure => ({ file, message: `${file}: ${sentence}` });
const shown = (p: string): string => JSON.stringify(p).slice(1, -1);

function walk(root: string, rel: string, tree: BundleTree): void {
  for (const name of readdirSync(join(root, rel)).sort()) {
    const path = rel === '' ? name : `${rel}/${name}`;
    const st = lstatSync(join(root, path));
    const reason = unsafePathReason(path);
    if (st.isSymbolicLink()) tree.failures.push(failure(shown(path), 'this is a symbolic link; a bundle holds only plain files and folders'));
    else if (reason) tree.failures.push(failure(shown(path), `this file name is not safe (${reason})`));
    else if (st.isDirectory()) walk(root, path, tree);
    else if (st.isFile()) tree.files.set(path, new Uint8Array(readFileSync(join(root, path))));
    else tree.failures.push(failure(shown(path), 'this is not a plain file'));
  }
}

function unzip(path: string, tree: BundleTree): void {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(readFileSync(path)));
  } catch (err) {
    tree.failures.push(failure(basename(path), `it is not a readable zip archive (${err instanceof Error ? err.message : String(err)})`));
    return;
  }
  for (const [name, bytes] of Object.entries(entries)) {
    if (name.endsWith('/') && bytes.length === 0 && unsafePathReason(name.slice(0, -1)) === null) continue; // a folder entry
    const reason = unsafePathReason(name);
    if (reason) tree.failures.push(failure(shown(name), `this path in the zip is not safe (${reason})`));
    else tree.files.set(name, bytes);
  }
}

/** The bundle at `path` (its folder, or its .zip) as files by relative path, with what could not be read. */
export function readBundle(path: string): BundleTree {
  const tree: BundleTree = { files: new Map(), failures: [] };
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    tree.failures.push(failure(path, 'there is no bundle at this path'));
    return tree;
  }
  if (st.isDirectory()) walk(path, '', tree);
  else if (st.isFile()) unzip(path, tree);
  else tree.failures.push(failure(path, 'this is neither a bundle folder nor a zip file'));
  return tree;
}
