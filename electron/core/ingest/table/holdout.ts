// A reproducible holdout split: whole groups (patients) go to one side, chosen by a seeded shuffle.
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../../errors';

export interface HoldoutOptions {
  /** Share of groups held out, 0..1. */
  fraction?: number;
  seed: string | number;
  /** One key per row; rows sharing a key stay together; a null key is a group of its own. */
  groupKeys?: readonly (string | null)[];
}

export interface HoldoutSplit {
  isHoldout: boolean[];
  groups: number;
  holdoutGroups: number;
  holdoutRows: number;
}

// sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), 128-bit state taken from sha256(seed).
function sfc32(seed: string): () => number {
  const h = createHash('sha256').update(seed, 'utf8').digest();
  let [a, b, c, d] = [h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)];
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next(); // the customary warm-up, so similar seeds diverge
  return next;
}

export function holdoutAssignment(rowCount: number, options: HoldoutOptions): HoldoutSplit {
  const { fraction = 0.2, seed, groupKeys } = options;
  if (!Number.isInteger(rowCount) || rowCount < 0) throw new InvalidArgumentError('The row count must be a whole number, zero or more.');
  if (!(fraction >= 0 && fraction <= 1)) throw new InvalidArgumentError('The holdout fraction must be between 0 and 1.');
  if (groupKeys && groupKeys.length !== rowCount)
    throw new InvalidArgumentError(`There are ${groupKeys.length} group keys for ${rowCount} rows; give one key per row.`);

  // Group of each row. Keys are sorted before shuffling so the split depends on the keys and seed, not on row order.
  const groupOf = new Int32Array(rowCount);
  let groups: number;
  if (!groupKeys) {
    for (let i = 0; i < rowCount; i++) groupOf[i] = i;
    groups = rowCount;
  } else {
    const keys = [...new Set(groupKeys.filter((k): k is string => k !== null))].sort();
    const index = new Map(keys.map((k, i) => [k, i]));
    groups = keys.length;
    for (let i = 0; i < rowCount; i++) {
      const key = groupKeys[i] ?? null;
      groupOf[i] = key === null ? groups++ : (index.get(key) ?? 0);
    }
  }

  // Seeded Fisher–Yates over the groups; the first round(fraction × groups) are held out.
  const order = Array.from({ length: groups }, (_, i) => i);
  const random = sfc32(String(seed));
  for (let i = groups - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const holdoutGroups = Math.round(fraction * groups);
  const held = new Uint8Array(groups);
  for (let i = 0; i < holdoutGroups; i++) held[order[i] as number] = 1;

  const isHoldout = Array.from(groupOf, (g) => held[g] === 1);
  return { isHoldout, groups, holdoutGroups, holdoutRows: isHoldout.filter(Boolean).length };
}
