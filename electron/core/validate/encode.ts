// Numeric feature matrices for the classifiers (detection, utility): an encoder fitted on some frames and applied
// to others, so train and test rows are encoded the same way. Numeric columns are standardised with mean
// imputation and a missing indicator; categorical columns are one-hot on their most frequent levels.
import { InvalidArgumentError } from '../errors';
import type { Frame } from './types';

interface NumericFeature {
  kind: 'numeric';
  name: string;
  mean: number;
  std: number;
  indicator: boolean;
}
interface CategoricalFeature {
  kind: 'categorical';
  name: string;
  /** Codes that get their own one-hot column; others share an "other" column when `other` is set. */
  keep: number[];
  other: boolean;
  indicator: boolean;
}
export interface Encoder {
  features: (NumericFeature | CategoricalFeature)[];
  width: number;
  names: string[];
}

export interface Encoded {
  /** Row-major, rows × width. */
  X: Float64Array;
  rows: number;
  width: number;
}

/** Fits on the union of `frames` (same columns); `exclude` names columns left out (e.g. the target). */
export function fitEncoder(frames: Frame[], exclude: readonly string[] = [], maxLevels = 30): Encoder {
  const first = frames[0];
  if (!first) throw new InvalidArgumentError('There are no rows to encode.');
  const features: Encoder['features'] = [];
  const names: string[] = [];
  first.columns.forEach((col, ci) => {
    if (exclude.includes(col.name)) return;
    if (col.kind === 'numeric') {
      let [n, s, ss, missing] = [0, 0, 0, 0];
      for (const f of frames) {
        const c = f.columns[ci];
        if (c?.kind !== 'numeric') throw new InvalidArgumentError(`Column “${col.name}” differs between the tables.`);
        for (const v of c.values) {
          if (Number.isNaN(v)) missing++;
          else {
            n++;
            s += v;
            ss += v * v;
          }
        }
      }
      const mean = n ? s / n : 0;
      const std = n ? Math.sqrt(Math.max(0, ss / n - mean * mean)) : 0;
      features.push({ kind: 'numeric', name: col.name, mean, std: std > 0 ? std : 1, indicator: missing > 0 });
      names.push(col.name);
      if (missing > 0) names.push(`${col.name} (missing)`);
      return;
    }
    const counts = new Float64Array(col.levels.length);
    let missing = 0;
    for (const f of frames) {
      const c = f.columns[ci];
      if (c?.kind !== 'categorical') throw new InvalidArgumentError(`Column “${col.name}” differs between the tables.`);
      for (const code of c.codes) {
        if (code < 0) missing++;
        else counts[code]!++;
      }
    }
    const present = [...counts.keys()].filter((k) => counts[k]! > 0).sort((a, b) => counts[b]! - counts[a]! || a - b);
    const keep = present.slice(0, maxLevels);
    const other = present.length > keep.length;
    features.push({ kind: 'categorical', name: col.name, keep, other, indicator: missing > 0 });
    names.push(...keep.map((k) => `${col.name}=${col.levels[k]}`));
    if (other) names.push(`${col.name}=other`);
    if (missing > 0) names.push(`${col.name} (missing)`);
  });
  return { features, width: names.length, names };
}

export function encode(enc: Encoder, f: Frame): Encoded {
  const X = new Float64Array(f.rows * enc.width);
  let offset = 0;
  for (const feat of enc.features) {
    const col = f.columns.find((c) => c.name === feat.name);
    if (!col || col.kind !== feat.kind) throw new InvalidArgumentError(`Column “${feat.name}” is missing from the rows to encode.`);
    if (feat.kind === 'numeric' && col.kind === 'numeric') {
      for (let r = 0; r < f.rows; r++) {
        const v = col.values[r]!;
        const missing = Number.isNaN(v);
        X[r * enc.width + offset] = missing ? 0 : (v - feat.mean) / feat.std;
        if (feat.indicator) X[r * enc.width + offset + 1] = missing ? 1 : 0;
      }
      offset += feat.indicator ? 2 : 1;
    } else if (feat.kind === 'categorical' && col.kind === 'categorical') {
      const slot = new Map(feat.keep.map((code, i) => [code, i]));
      const width = feat.keep.length + (feat.other ? 1 : 0) + (feat.indicator ? 1 : 0);
      for (let r = 0; r < f.rows; r++) {
        const code = col.codes[r]!;
        const base = r * enc.width + offset;
        if (code < 0) {
          if (feat.indicator) X[base + width - 1] = 1;
          continue;
        }
        const s = slot.get(code);
        if (s !== undefined) X[base + s] = 1;
        else if (feat.other) X[base + feat.keep.length] = 1;
      }
      offset += width;
    }
  }
  return { X, rows: f.rows, width: enc.width };
}

/** Rows as arrays, for libraries that take number[][]. */
export function toRows(e: Encoded, idx?: ArrayLike<number>): number[][] {
  const pick = idx ?? Int32Array.from({ length: e.rows }, (_, i) => i);
  return Array.from(pick, (r) => Array.from(e.X.subarray(r * e.width, (r + 1) * e.width)));
}
