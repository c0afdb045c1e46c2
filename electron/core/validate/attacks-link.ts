// Linkability and inference, as Anonymeter's LinkabilityEvaluator and InferenceEvaluator measure them: the attacker
// holds some columns of a real person's row and looks for that person's nearest synthetic rows (exact Gower
// neighbours, ranges from the real training rows).
import type { Rng } from '../train/rng';
import { gowerSpace, nearestNeighbours } from './distance';
import { takeRows } from './frames';
import type { Checkpoint, Column, Frame, Frames } from './types';

export interface LinkabilityCounts {
  columns: [string[], string[]];
  neighbours: number;
  /** Targets attacked on each side (the same number of training and control rows). */
  targets: number;
  train: number;
  control: number;
  baseline: number;
}

export interface InferenceCounts {
  secret: string;
  auxColumns: string[];
  kind: 'numeric' | 'categorical';
  /** Relative tolerance for a numeric guess; null for categories (exact match). */
  tolerance: number | null;
  targets: number;
  train: number;
  control: number;
  baseline: number;
}

/** Anonymeter's tolerance: a numeric guess is right when it is within 5% of the guessed value. */
export const INFERENCE_TOLERANCE = 0.05;

/** The first n of a seeded permutation of 0..rows−1: n distinct targets. */
function sampleRows(rows: number, n: number, rng: Rng): Int32Array {
  return Int32Array.from(rng.shuffle(Array.from({ length: rows }, (_, i) => i)).slice(0, n));
}

const within = (check: Checkpoint | undefined, from: number, to: number): Checkpoint | undefined => check && ((p = 0) => check(from + (to - from) * p));

/**
 * For each target row (indices into `targets`), whether its k nearest synthetic rows on the first column set and on
 * the second share a row: the two halves of one person, held by an attacker in two separate tables, are linked.
 */
export function linkHits(reference: Frame, targets: Frame, idx: ArrayLike<number>, synthetic: Frame, columns: [string[], string[]], k: number, check?: Checkpoint): boolean[] {
  const query = takeRows(targets, idx);
  const [a, b] = columns.map((cols, side) => nearestNeighbours(gowerSpace(reference, cols), query, synthetic, k, { check: within(check, side / 2, (side + 1) / 2) }));
  return Array.from({ length: query.rows }, (_, i) => {
    const left = new Set(a!.indices.subarray(i * k, (i + 1) * k));
    for (const j of b!.indices.subarray(i * k, (i + 1) * k)) if (j >= 0 && left.has(j)) return true;
    return false;
  });
}

/** k distinct synthetic indices, twice per target: the naive attacker's links. */
function randomLinks(nSyn: number, targets: number, k: number, rng: Rng): number {
  const draw = () => {
    const picked = new Set<number>();
    while (picked.size < k) picked.add(rng.int(nSyn));
    return picked;
  };
  let hits = 0;
  for (let i = 0; i < targets; i++) {
    const left = draw();
    if ([...draw()].some((j) => left.has(j))) hits++;
  }
  return hits;
}

const count = (xs: boolean[]): number => xs.reduce((s, x) => s + (x ? 1 : 0), 0);

export function linkability(frames: Frames, columns: [string[], string[]], opts: { nAttacks: number; neighbours: number; rng: Rng; check?: Checkpoint }): LinkabilityCounts {
  const { train, holdout, synthetic } = frames;
  const k = Math.min(opts.neighbours, synthetic.rows);
  const n = Math.min(opts.nAttacks, train.rows, holdout.rows);
  const t = sampleRows(train.rows, n, opts.rng.fork('train-targets'));
  const c = sampleRows(holdout.rows, n, opts.rng.fork('control-targets'));
  return {
    columns,
    neighbours: k,
    targets: n,
    train: count(linkHits(train, train, t, synthetic, columns, k, within(opts.check, 0, 0.5))),
    control: count(linkHits(train, holdout, c, synthetic, columns, k, within(opts.check, 0.5, 1))),
    baseline: randomLinks(synthetic.rows, n, k, opts.rng.fork('baseline')),
  };
}

/** Anonymeter's evaluate_inference_guesses: categories match exactly; numbers within `tolerance` of the guess; missing matches missing. */
export function guessIsRight(col: Column, guess: number, truth: number, tolerance = INFERENCE_TOLERANCE): boolean {
  if (col.kind === 'categorical') return guess === truth;
  if (Number.isNaN(guess) || Number.isNaN(truth)) return Number.isNaN(guess) && Number.isNaN(truth);
  // |guess| rather than Anonymeter's signed guess, whose negative guesses would always count as right.
  return guess === truth || Math.abs(guess - truth) <= tolerance * Math.abs(guess);
}

const cellOf = (c: Column, r: number): number => (c.kind === 'numeric' ? c.values[r]! : c.codes[r]!);

function column(f: Frame, name: string): Column {
  return f.columns.find((c) => c.name === name)!;
}

/**
 * For each target row (indices into `targets`), whether the secret of its nearest synthetic row on `aux` is right:
 * what an attacker who knows those columns of a person learns about the secret one.
 */
export function inferenceHits(reference: Frame, targets: Frame, idx: ArrayLike<number>, synthetic: Frame, aux: string[], secret: string, check?: Checkpoint): boolean[] {
  const query = takeRows(targets, idx);
  const nn = nearestNeighbours(gowerSpace(reference, aux), query, synthetic, 1, { check });
  const syn = column(synthetic, secret);
  const truth = column(query, secret);
  return Array.from({ length: query.rows }, (_, i) => {
    const j = nn.indices[i]!;
    return j >= 0 && guessIsRight(truth, cellOf(syn, j), cellOf(truth, i));
  });
}

export function inference(frames: Frames, secret: string, aux: string[], opts: { nAttacks: number; rng: Rng; check?: Checkpoint }): InferenceCounts {
  const { train, holdout, synthetic } = frames;
  const n = Math.min(opts.nAttacks, train.rows, holdout.rows);
  const t = sampleRows(train.rows, n, opts.rng.fork('train-targets'));
  const c = sampleRows(holdout.rows, n, opts.rng.fork('control-targets'));
  const secretCol = column(train, secret);
  const syn = column(synthetic, secret);
  // The naive attacker guesses the secret of a random synthetic row, for the same training targets.
  const rng = opts.rng.fork('baseline');
  let baseline = 0;
  for (const r of t) if (guessIsRight(secretCol, cellOf(syn, rng.int(synthetic.rows)), cellOf(secretCol, r))) baseline++;
  return {
    secret,
    auxColumns: aux,
    kind: secretCol.kind,
    tolerance: secretCol.kind === 'numeric' ? INFERENCE_TOLERANCE : null,
    targets: n,
    train: count(inferenceHits(train, train, t, synthetic, aux, secret, within(opts.check, 0, 0.5))),
    control: count(inferenceHits(train, holdout, c, synthetic, aux, secret, within(opts.check, 0.5, 1))),
    baseline,
  };
}
