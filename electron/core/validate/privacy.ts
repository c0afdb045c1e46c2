// Distance-based privacy evidence, measured against the training rows with the holdout (never trained on) as the
// control: identical copies, distance to closest record (DCR), the DCR share with an exact binomial test, the
// nearest-neighbour distance ratio, and a distance-based membership-inference attack.
import jstat from 'jstat';
import { createRng } from '../train/rng';
import { gowerSpace, nearestNeighbours, type GowerSpace } from './distance';
import { takeRows } from './frames';
import { bootstrapInterval, mean, quantile, rocAuc, rocCurve } from './stats';
import type { Checkpoint, Frame, Frames, Interval, MetricInfo } from './types';

export const IDENTICAL_MATCH: MetricInfo = { name: 'IdenticalMatchShare', definition: 'Share of rows equal to some training row in every compared column (missing equals missing).', goal: 'minimize', min: 0, max: 1 };
export const DCR_RATIO: MetricInfo = { name: 'DCRRatio', definition: '5th percentile of synthetic→training closest Gower distances over the same for holdout→training; below 1, synthetic rows sit closer to patients than unseen patients do.', goal: 'maximize', min: 0, max: Infinity };
export const DCR_SHARE: MetricInfo = { name: 'DCRShare', definition: 'Share of synthetic rows closer to a training row than to a holdout row, on equal-sized samples (ties count half); 50% is what data never trained on shows.', goal: 'minimize', min: 0, max: 1 };
export const NNDR_P5: MetricInfo = { name: 'NNDR', definition: '5th percentile over rows of (distance to the closest training row) / (distance to the second closest); near 0 means a row sits on one patient.', goal: 'maximize', min: 0, max: 1 };
export const NNDR_RATIO: MetricInfo = { name: 'NNDRRatio', definition: '5th percentile NNDR of the synthetic rows over that of the holdout rows; below 1, synthetic rows sit on single patients more often than unseen patients do.', goal: 'maximize', min: 0, max: Infinity };
export const MEMBERSHIP_AUC: MetricInfo = { name: 'MembershipInferenceAUC', definition: 'ROC AUC of telling training patients from holdout patients by how close the nearest synthetic row is; 0.5 is guessing.', goal: 'minimize', min: 0, max: 1 };

export interface Distribution {
  p5: number;
  median: number;
  mean: number;
  /** Equal-width bins with counts, for plots (the report merges small bins). */
  bins: { start: number; end: number; count: number }[];
}

export interface PrivacyDistanceResult {
  columns: number;
  identical: { syntheticCount: number; syntheticShare: number; holdoutCount: number; holdoutShare: number; matches: { synthetic: number; training: number }[] };
  dcr: { synthetic: Distribution; holdout: Distribution; ratio: number | null };
  dcrShare: { sampleSize: number; closerToTraining: number; ties: number; share: number; interval: Interval; pValue: number };
  nndr: Distribution;
  holdoutNndr: Distribution;
  nndrRatio: number | null;
  membership: { members: number; nonMembers: number; auc: number; interval: Interval; roc: { fpr: number; tpr: number }[] };
}

// A row's identity over every column: codes and values as text (NaN and −1 both read as missing).
function rowKeys(f: Frame): string[] {
  const keys: string[] = new Array<string>(f.rows);
  for (let i = 0; i < f.rows; i++) {
    keys[i] = f.columns.map((c) => (c.kind === 'numeric' ? (Number.isNaN(c.values[i]!) ? '∅' : String(c.values[i])) : c.codes[i]! < 0 ? '∅' : `#${c.codes[i]}`)).join('\u0001');
  }
  return keys;
}

export function identicalMatches(train: Frame, query: Frame): { synthetic: number; training: number }[] {
  const first = new Map<string, number>();
  rowKeys(train).forEach((k, i) => {
    if (!first.has(k)) first.set(k, i);
  });
  const out: { synthetic: number; training: number }[] = [];
  rowKeys(query).forEach((k, i) => {
    const t = first.get(k);
    if (t !== undefined) out.push({ synthetic: i, training: t });
  });
  return out;
}

export function distribution(values: Float64Array, lo: number, hi: number, bins = 30): Distribution {
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]!++;
  return { p5: quantile(values, 0.05), median: quantile(values, 0.5), mean: mean(values), bins: counts.map((count, i) => ({ start: lo + i * width, end: lo + (i + 1) * width, count })) };
}

/** Exact two-sided binomial test of k successes in n against p (scipy.stats.binomtest's "minlike" method). */
export function binomialTwoSided(k: number, n: number, p = 0.5): number {
  const { jStat } = jstat;
  const d = jStat.binomial.pdf(k, n, p);
  let total = 0;
  for (let i = 0; i <= n; i++) {
    const pi = jStat.binomial.pdf(i, n, p);
    if (pi <= d * (1 + 1e-7)) total += pi;
  }
  return Math.min(1, total);
}

/** Clopper–Pearson exact 95% interval of k successes in n. */
export function clopperPearson(k: number, n: number): Interval {
  const { jStat } = jstat;
  if (n === 0) return { low: Number.NaN, high: Number.NaN };
  return { low: k === 0 ? 0 : jStat.beta.inv(0.025, k, n - k + 1), high: k === n ? 1 : jStat.beta.inv(0.975, k + 1, n - k) };
}

function sample(rows: number, m: number, label: string, seed: string): Int32Array {
  const idx = createRng(`${seed}/${label}`).shuffle(Array.from({ length: rows }, (_, i) => i)).slice(0, m);
  return Int32Array.from(idx.sort((a, b) => a - b));
}

function nearest(space: GowerSpace, q: Frame, r: Frame, k: number, check: Checkpoint | undefined, from: number, to: number) {
  return nearestNeighbours(space, q, r, k, { check: (p = 0) => check?.(from + (to - from) * p) });
}

export function privacyDistances(frames: Frames, opts: { seed: string; columns?: string[] }, check?: Checkpoint): PrivacyDistanceResult {
  const { train, holdout, synthetic } = frames;
  const space = gowerSpace(train, opts.columns);
  const synIdentical = identicalMatches(train, synthetic);
  const holdIdentical = identicalMatches(train, holdout);
  // Neighbours: synthetic→training (k = 2 for NNDR), holdout→training, then the equal-size samples.
  const synTrain = nearest(space, synthetic, train, 2, check, 0, 0.45);
  const holdTrain = nearest(space, holdout, train, 2, check, 0.45, 0.6);
  const m = Math.min(train.rows, holdout.rows);
  const trainSample = takeRows(train, sample(train.rows, m, 'train sample', opts.seed));
  const holdSample = takeRows(holdout, sample(holdout.rows, m, 'holdout sample', opts.seed));
  const synToTs = nearest(space, synthetic, trainSample, 1, check, 0.6, 0.7);
  const synToHs = nearest(space, synthetic, holdSample, 1, check, 0.7, 0.8);
  const tsToSyn = nearest(space, trainSample, synthetic, 1, check, 0.8, 0.9);
  const hsToSyn = nearest(space, holdSample, synthetic, 1, check, 0.9, 1);

  const d1 = new Float64Array(synthetic.rows);
  const ratios = new Float64Array(synthetic.rows);
  for (let i = 0; i < synthetic.rows; i++) {
    const a = synTrain.distances[2 * i]!;
    const b = synTrain.distances[2 * i + 1]!;
    d1[i] = a;
    ratios[i] = b === 0 || !Number.isFinite(b) ? 1 : a / b; // 0/0: two identical neighbours, no nearer one stands out
  }
  const dh = new Float64Array(holdout.rows);
  const holdRatios = new Float64Array(holdout.rows);
  for (let i = 0; i < holdout.rows; i++) {
    const a = holdTrain.distances[2 * i]!;
    const b = holdTrain.distances[2 * i + 1]!;
    dh[i] = a;
    holdRatios[i] = b === 0 || !Number.isFinite(b) ? 1 : a / b;
  }
  let hi = 1e-12;
  for (const v of d1) hi = Math.max(hi, v);
  for (const v of dh) hi = Math.max(hi, v);
  const synDist = distribution(d1, 0, hi);
  const holdDist = distribution(dh, 0, hi);

  let closer = 0;
  let ties = 0;
  for (let i = 0; i < synthetic.rows; i++) {
    const a = synToTs.distances[i]!;
    const b = synToHs.distances[i]!;
    if (a < b) closer++;
    else if (a === b) ties++;
  }
  const n = synthetic.rows;
  const share = (closer + ties / 2) / n;
  // The test counts a tie as half a success, rounded: ties carry no evidence either way.
  const k = Math.round(closer + ties / 2);

  const scores = new Float64Array(2 * m);
  const labels = new Int32Array(2 * m);
  for (let i = 0; i < m; i++) {
    scores[i] = -tsToSyn.distances[i]!;
    labels[i] = 1;
    scores[m + i] = -hsToSyn.distances[i]!;
  }
  const auc = rocAuc(scores, labels);
  const rng = createRng(`${opts.seed}/membership bootstrap`);
  const interval = bootstrapInterval(2 * m, (idx) => rocAuc(Array.from(idx, (j) => scores[j]!), Array.from(idx, (j) => labels[j]!)), rng);

  const nndr = distribution(ratios, 0, 1, 20);
  const holdoutNndr = distribution(holdRatios, 0, 1, 20);
  return {
    columns: space.columns.length,
    identical: {
      syntheticCount: synIdentical.length,
      syntheticShare: synthetic.rows ? synIdentical.length / synthetic.rows : 0,
      holdoutCount: holdIdentical.length,
      holdoutShare: holdout.rows ? holdIdentical.length / holdout.rows : 0,
      matches: synIdentical,
    },
    dcr: { synthetic: synDist, holdout: holdDist, ratio: holdDist.p5 > 0 ? synDist.p5 / holdDist.p5 : null },
    dcrShare: { sampleSize: m, closerToTraining: closer, ties, share, interval: clopperPearson(k, n), pValue: binomialTwoSided(k, n) },
    nndr,
    holdoutNndr,
    nndrRatio: holdoutNndr.p5 > 0 ? nndr.p5 / holdoutNndr.p5 : null,
    membership: { members: m, nonMembers: m, auc, interval, roc: rocCurve(scores, labels) },
  };
}
