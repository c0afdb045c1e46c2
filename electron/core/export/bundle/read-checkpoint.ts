// Where `airlock audit verify --checkpoint` finds a checkpoint: in an export bundle (which must verify first) or in a
// bare checkpoint.json; named by its source so a problem it reveals says which bundle saw more of the chain.
import { readFileSync, statSync } from 'node:fs';
import { AirlockError } from '../../errors';
import type { KnownCheckpoint } from '../../govern/checkpoints';
import { CHECKPOINT_PATH, parseCheckpoint } from './checkpoint';
import { readBundle } from './read-bundle';
import { verifyBundle } from './verify';

/**
 * The checkpoint to hold a workspace's chain to, from a bundle (folder or .zip, which must verify) or a bare
 * checkpoint.json; named by where it came from.
 */
export function readBundleCheckpoint(path: string): KnownCheckpoint {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new AirlockError('NOT_FOUND', `There is no bundle or checkpoint file at ${path}.`);
  }
  if (isFile && path.toLowerCase().endsWith('.json')) {
    const c = parseCheckpoint(new Uint8Array(readFileSync(path)));
    if (!c) throw new AirlockError('BUNDLE_INVALID', `${path} is not an Airlock audit checkpoint.`);
    return { ...c, source: `checkpoint file ${path}` };
  }
  const v = verifyBundle(path);
  if (!v.ok) throw new AirlockError('BUNDLE_INVALID', `The bundle at ${path} does not verify, so its checkpoint cannot be trusted: ${v.failures[0]?.message ?? 'unknown problem'}.`);
  const bytes = readBundle(path).files.get(CHECKPOINT_PATH);
  const c = bytes ? parseCheckpoint(bytes) : null;
  if (!c) throw new AirlockError('BUNDLE_INVALID', `The bundle at ${path} holds no audit checkpoint.`);
  return { ...c, source: `bundle ${v.bundleId ?? path}` };
}
