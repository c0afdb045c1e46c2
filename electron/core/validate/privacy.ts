// Distance-based privacy evidence, measured against the training rows with the holdout (never trained on) as the
// control: identical copies, distance to closest record (DCR), the DCR share with an exact binomial test, the
// nearest-neighbour distance ratio (NNDR), and a distance-based membership-inference attack. Every distance is
// the exact Gower distance of distance.ts over the compared columns, with the training rows' ranges.
import { InvalidArgumentError } from '../errors';
import { createRng } from '../train/rng';
import { gowerSpace, nearestNeighbours, type GowerSpace, type Neighbours } from './distance';
import { takeRows } from './frames';
import { bootstrapInterval, mean, quantile, rocAuc, rocCurve } from './stats';
import type { CategoricalColumn, Checkpoint, Column, Frame, Frames, Interval, MetricInfo, NumericColumn } from './types';

export const IDENTICAL_MATCH: MetricInfo = { name: 'IdenticalMatchShare', definition: 'Share of rows equal to some training row in every compared column (missing equals missing).', goal: 'minimize', min: 0, max: 1 };
export const DCR_P5: MetricInfo = { name: 'DCR', definition: '5th percentile over rows of the Gower distance to the closest training row (numeric |a−b|/range capped at 1, categories 0/1, missing equals missing, mean over columns).', goal: 'maximize', min: 0, max: 1 };
export const DCR_RATIO: MetricInfo = { name: 'DCRRatio', definition: '5th percentile of synthetic→training closest Gower distances over the same for holdout→training; below 1, synthetic rows sit closer to patients than unseen patients do.', goal: 'maximize', min: 0, max: Infinity };
export const DCR_SHARE: MetricInfo = { name: 'DCRShare', definition: 'Share of synthetic rows closer to a training row than to a holdout row, on equal-sized samples (ties count half); 50% is what data never trained on shows.', goal: 'minimize', min: 0, max: 1 };
export const NNDR_P5: MetricInfo = { name: 'NNDR', definition: '5th percentile over rows of (distance to the closest training row) / (distance to the second closest), 0/0 read as 1; near 0 means a row sits on one patient.', goal: 'maximize', min: 0, max: 1 };
export const NNDR_RATIO: MetricInfo = { name: 'NNDRRatio', definition: '5th percentile NNDR of the synthetic rows over that of the holdout rows; below 1, synthetic rows sit on single patients more often than unseen patients do.', goal: 'maximize', min: 0, max: Infinity };
export const MEMBERSHIP_AUC: MetricInfo = { name: 'MembershipInferenceAUC', definition: 'ROC AUC of telling training patients from holdout patients (equal numbers) by how close the nearest synthetic row is; 0.5 is guessing.', goal: 'minimize', min: 0, max: 1 };

export interface Distribution {
  p5: number;
  median: number;
  mean: number;
  /** Equal-width bins with counts, for plots (the report merges small bins). */
  bins: { start: number; end: number; count: number }[];
}

export interface PrivacyDistanceResult {
  /** How many columns the distance compares, and which. */
  columns: number;
  columnNames: string[];
  identical: { syntheticCount: number; syntheticShare: number; holdoutCount: number; holdoutShare: number; matches: { synthetic: number; training: number }[] };
  /** ratio is null when the holdout's 5th percentile is 0 (holdout rows with exact training twins). */
  dcr: { synthetic: Distribution; holdout: Distribution; ratio: number | null };
  /**
   * On `sampleSize` training and as many holdout rows. Ties count half in `share`; the exact two-sided binomial
   * test (against 50%) and the Clopper–Pearson 95% interval are of the untied rows, the interval carried onto
   * the share's scale (ties fixed at half), so it holds 0.5 exactly when the test cannot reject 50% at 5%.
   */
  dcrShare: { sampleSize: number; rows: number; closerToTraining: number; closerToHoldout: number; ties: number; share: number; interval: Interval; pValue: number };
  nndr: Distribution;
  holdoutNndr: Distribution;
  /** null when the holdout's 5th-percentile NNDR is 0. */
  nndrRatio: number | null;
  membership: { members: number; nonMembers: number; auc: number; interval: Interval; roc: { fpr: number; tpr: number }[] };
}

/** A row's cells over the compared columns as numbers: −0 read as 0, every missing cell as one NaN. */
function cellsOf(space: GowerSpace, f: Frame): (Float64Array | Int32Array)[] {
  return space.columns.map((sc) => {
    const c = f.columns.find((x) => x.name === sc.name);
    if (!c || c.kind !== sc.kind) throw new InvalidArgumentError(`Column “${sc.name}” is missing from the rows to compare.`);
    return c.kind === 'numeric' ? c.values.map((v) => (v === 0 ? 0 : v)) : c.codes;
  });
}

/** 52 bits of a row's cells (two FNV-style lanes over the cells' bytes): equal rows hash equal. */
function rowHashes(cols: (Float64Array | Int32Array)[], rows: number): Float64Array {
  const out = new Float64Array(rows);
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  for (let i = 0; i < rows; i++) {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (const col of cols) {
      bits[0] = Number.isNaN(col[i]!) ? Number.NaN : col[i]!;
      for (const w of [words[0]!, words[1]!, col instanceof Int32Array ? 1 : 2]) {
        h1 = Math.imul(h1 ^ w, 16777619);
        h2 = Math.imul(h2 ^ (w >>> 16) ^ (w << 16), 2246822519);
      }
    }
    out[i] = (h1 >>> 0) * 1048576 + (h2 >>> 12);
  }
  return out;
}

/**
 * Rows of `query` equal to some row of `train` in every compared column (missing equals missing), each with the
 * first such training row. Hashed, then confirmed cell by cell: exact, and no distance involved.
 */
export function identicalMatches(train: Frame, query: Frame, columns?: readonly string[]): { synthetic: number; training: number }[] {
  const space = gowerSpace(train, columns);
  const t = cellsOf(space, train);
  const q = cellsOf(space, query);
  const byHash = new Map<number, number[]>();
  rowHashes(t, train.rows).forEach((h, i) => {
    const list = byHash.get(h);
    if (list) list.push(i);
    else byHash.set(h, [i]);
  });
  const same = (i: number, j: number): boolean => q.every((col, c) => Object.is(col[i], t[c]![j]) || col[i] === t[c]![j]);
  const out: { synthetic: number; training: number }[] = [];
  rowHashes(q, query.rows).forEach((h, i) => {
    const j = byHash.get(h)?.find((cand) => same(i, cand));
    if (j !== undefined) out.push({ synthetic: i, training: j });
  });
  return out;
}

/** 5th percentile, median, mean and `bins` equal-width bins on [lo, hi] (the last bin closed). */
export function distribution(values: Float64Array, lo: number, hi: number, bins = 30): Distribution {
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]!++;
  return { p5: quantile(values, 0.05), median: quantile(values, 0.5), mean: mean(values), bins: counts.map((count, i) => ({ start: lo + i * width, end: lo + (i + 1) * width, count })) };
}

/** First-neighbour distances of a k ≥ 1 search. */
export function closest(nn: Neighbours): Float64Array {
  const out = new Float64Array(nn.distances.length / nn.k);
  for (let i = 0; i < out.length; i++) out[i] = nn.distances[i * nn.k]!;
  return out;
}

/** Per row, closest / second-closest distance of a k ≥ 2 search; 0/0 (two exact twins) is read as 1. */
export function nndrValues(nn: Neighbours): Float64Array {
  if (nn.k < 2) throw new InvalidArgumentError('The distance ratio needs the two closest rows.');
  const out = new Float64Array(nn.distances.length / nn.k);
  for (let i = 0; i < out.length; i++) {
    const a = nn.distances[i * nn.k]!;
    const b = nn.distances[i * nn.k + 1]!;
    out[i] = b === 0 ? 1 : a / b;
  }
  return out;
}

/** p5(synthetic→training) / p5(holdout→training); null when the denominator is 0. */
export function dcrRatio(synthetic: Distribution, holdout: Distribution): number | null {
  return holdout.p5 > 0 ? synthetic.p5 / holdout.p5 : null;
}

/** The DCR share from each synthetic row's distance to the training sample and to the holdout sample. */
export function dcrShare(toTraining: Float64Array, toHoldout: Float64Array, sampleSize: number): PrivacyDistanceResult['dcrShare'] {
  const n = toTraining.length;
  let closer = 0;
  let farther = 0;
  for (let i = 0; i < n; i++) {
    if (toTraining[i]! < toHoldout[i]!) closer++;
    else if (toTraining[i]! > toHoldout[i]!) farther++;
  }
  const ties = n - closer - farther;
  const untied = closer + farther;
  const ci = untied > 0 ? clopperPearson(closer, untied) : { low: 0.5, high: 0.5 };
  const onShare = (p: number): number => (untied * p + ties / 2) / n;
  return {
    sampleSize,
    rows: n,
    closerToTraining: closer,
    closerToHoldout: farther,
    ties,
    share: (closer + ties / 2) / n,
    interval: { low: onShare(ci.low), high: onShare(ci.high) },
    pValue: untied > 0 ? binomialTwoSided(closer, untied) : 1,
  };
}

/**
 * AUC of weighted items (w = how often each was drawn) with pre-sorted scores: the Mann–Whitney count with
 * ties as half, as rocAuc, in one pass; the bootstrap calls it 200 times.
 */
function weightedAuc(order: Int32Array, scores: Float64Array, labels: Int32Array, w: Float64Array): number {
  let pos = 0;
  let neg = 0;
  let wins = 0;
  for (let a = 0; a < order.length; ) {
    let b = a;
    let p = 0;
    let q = 0;
    while (b < order.length && scores[order[b]!] === scores[order[a]!]) {
      const i = order[b]!;
      if (labels[i] === 1) p += w[i]!;
      else q += w[i]!;
      b++;
    }
    wins += p * neg + 0.5 * p * q;
    pos += p;
    neg += q;
    a = b;
  }
  return pos === 0 || neg === 0 ? 0.5 : wins / (pos * neg);
}

/**
 * Distance-based membership inference: members (training rows, label 1) and non-members (holdout rows) scored by
 * −distance to their closest synthetic row (closer = more likely a member). AUC, a seeded bootstrap 95%
 * interval over the pooled rows (200 resamples) and ROC points.
 */
export function membershipAttack(memberDistances: Float64Array, nonMemberDistances: Float64Array, seed: string): PrivacyDistanceResult['membership'] {
  const m = memberDistances.length;
  const n = m + nonMemberDistances.length;
  const scores = new Float64Array(n);
  const labels = new Int32Array(n);
  memberDistances.forEach((d, i) => {
    scores[i] = -d;
    labels[i] = 1;
  });
  nonMemberDistances.forEach((d, i) => (scores[m + i] = -d));
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const w = new Float64Array(n);
  const interval = bootstrapInterval(
    n,
    (idx) => {
      w.fill(0);
      for (const i of idx) w[i]!++;
      return weightedAuc(order, scores, labels, w);
    },
    createRng(`${seed}/membership bootstrap`),
  );
  return { members: m, nonMembers: nonMemberDistances.length, auc: rocAuc(scores, labels), interval, roc: rocCurve(scores, labels) };
}

/** A seeded sample of m row indices out of `rows`, in ascending order (all rows when m = rows). */
function sample(rows: number, m: number, label: string, seed: string): Int32Array {
  if (m === rows) return Int32Array.from({ length: rows }, (_, i) => i);
  const idx = createRng(`${seed}/${label}`).shuffle(Array.from({ length: rows }, (_, i) => i)).slice(0, m);
  return Int32Array.from(idx).sort();
}

/**
 * Every distance-based privacy metric, sharing the neighbour searches: synthetic→training (k = 2: DCR and NNDR),
 * holdout→training (k = 2), synthetic→training sample and →holdout sample (DCR share), and both samples→synthetic
 * (membership). The samples are seeded and of equal size, min(training rows, holdout rows).
 */
export function privacyDistances(frames: Frames, opts: { seed: string; columns?: string[] }, check?: Checkpoint): PrivacyDistanceResult {
  const { train, holdout, synthetic } = frames;
  if (train.rows < 2) throw new InvalidArgumentError('The privacy distances need at least two training rows.');
  if (holdout.rows < 1 || synthetic.rows < 1) throw new InvalidArgumentError('The privacy distances need holdout rows and synthetic rows.');
  const space = gowerSpace(train, opts.columns);
  const names = space.columns.map((c) => c.name);
  const m = Math.min(train.rows, holdout.rows);
  const trainIdx = sample(train.rows, m, 'train sample', opts.seed);
  const holdIdx = sample(holdout.rows, m, 'holdout sample', opts.seed);
  const fullTrain = m === train.rows;
  const fullHold = m === holdout.rows;
  // Progress is shared among the searches by their number of row pairs.
  const plan = [synthetic.rows * train.rows, holdout.rows * train.rows, fullTrain ? 0 : synthetic.rows * m, synthetic.rows * m, 2 * m * synthetic.rows];
  const total = plan.reduce((a, b) => a + b, 0) || 1;
  let doneWork = 0;
  const search = (q: Frame, r: Frame, k: number, work: number): Neighbours => {
    const from = doneWork / total;
    const span = work / total;
    const nn = nearestNeighbours(space, q, r, k, { check: (p = 0) => check?.(from + span * p) });
    doneWork += work;
    return nn;
  };
  check?.(0);
  const synTrain = search(synthetic, train, 2, plan[0]!);
  const holdTrain = search(holdout, train, 2, plan[1]!);
  const trainSample = fullTrain ? train : takeRows(train, trainIdx);
  const holdSample = fullHold ? holdout : takeRows(holdout, holdIdx);
  const synToTs = fullTrain ? closest(synTrain) : closest(search(synthetic, trainSample, 1, plan[2]!));
  const synToHs = closest(search(synthetic, holdSample, 1, plan[3]!));
  const toSyn = closest(search(concatRows(trainSample, holdSample, names), synthetic, 1, plan[4]!));

  const synIdentical = identicalMatches(train, synthetic, names);
  const holdIdentical = identicalMatches(train, holdout, names);
  const d1 = closest(synTrain);
  const dh = closest(holdTrain);
  let hi = 0;
  for (const v of d1) hi = Math.max(hi, v);
  for (const v of dh) hi = Math.max(hi, v);
  const synDist = distribution(d1, 0, hi > 0 ? hi : 1);
  const holdDist = distribution(dh, 0, hi > 0 ? hi : 1);
  const nndr = distribution(nndrValues(synTrain), 0, 1, 20);
  const holdoutNndr = distribution(nndrValues(holdTrain), 0, 1, 20);
  const result: PrivacyDistanceResult = {
    columns: names.length,
    columnNames: names,
    identical: {
      syntheticCount: synIdentical.length,
      syntheticShare: synIdentical.length / synthetic.rows,
      holdoutCount: holdIdentical.length,
      holdoutShare: holdIdentical.length / holdout.rows,
      matches: synIdentical,
    },
    dcr: { synthetic: synDist, holdout: holdDist, ratio: dcrRatio(synDist, holdDist) },
    dcrShare: dcrShare(synToTs, synToHs, m),
    nndr,
    holdoutNndr,
    nndrRatio: holdoutNndr.p5 > 0 ? nndr.p5 / holdoutNndr.p5 : null,
    membership: membershipAttack(toSyn.subarray(0, m), toSyn.subarray(m), opts.seed),
  };
  check?.(1);
  return result;
}

/** The rows of a, then the rows of b, in the compared columns: one search for both membership samples. */
function concatRows(a: Frame, b: Frame, names: string[]): Frame {
  const columns = a.columns.filter((c) => names.includes(c.name)).map((c): Column => {
    const o = b.columns.find((x) => x.name === c.name && x.kind === c.kind);
    if (!o) throw new InvalidArgumentError(`Column “${c.name}” is missing from the holdout rows or differs in kind.`);
    if (c.kind === 'numeric') return { ...c, values: Float64Array.from([...c.values, ...(o as NumericColumn).values]) };
    return { ...c, codes: Int32Array.from([...c.codes, ...(o as CategoricalColumn).codes]) };
  });
  return { rows: a.rows + b.rows, columns };
}

// Exact binomial probabilities (Loader's saddle-point form, as R's dbinom and scipy's boost: accurate to a few
// ulps even far in the tails, where log-gamma differences lose every digit), the two-sided test and the exact
// (Clopper–Pearson) interval.
const LN_2PI = 1.8378770664093453;

/** log(n!) − log(√(2πn) (n/e)^n). */
function stirlerr(n: number): number {
  if (n <= 15) {
    let f = 1;
    for (let i = 2; i <= n; i++) f *= i; // exact below 2^53
    return Math.log(f) - (n + 0.5) * Math.log(n) + n - LN_2PI / 2;
  }
  const nn = n * n;
  if (n > 500) return (1 / 12 - 1 / 360 / nn) / n;
  if (n > 80) return (1 / 12 - (1 / 360 - 1 / 1260 / nn) / nn) / n;
  if (n > 35) return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / 1680 / nn) / nn) / nn) / n;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / 1188 / nn) / nn) / nn) / nn) / n;
}

/** x log(x/np) + np − x, by its series where the two are close. */
function bd0(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np);
    let s = (x - np) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / np) + np - x;
}

/** P(X = x) for X ~ Binomial(n, p). */
export function binomialPmf(x: number, n: number, p: number): number {
  const q = 1 - p;
  if (x < 0 || x > n) return 0;
  if (p === 0) return x === 0 ? 1 : 0;
  if (q === 0) return x === n ? 1 : 0;
  if (x === 0) return n === 0 ? 1 : p < 0.1 ? Math.exp(-bd0(n, n * q) - n * p) : Math.exp(n * Math.log(q));
  if (x === n) return q < 0.1 ? Math.exp(-bd0(n, n * p) - n * q) : Math.exp(n * Math.log(p));
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  return Math.exp(lc - 0.5 * (LN_2PI + Math.log(x) + Math.log1p(-x / n)));
}

/** Sum of P(X = i) for i from `from` stepping by `step` (±1) to the end, stopping once terms stop counting. */
function tail(from: number, step: 1 | -1, n: number, p: number): number {
  let s = 0;
  for (let i = from; i >= 0 && i <= n; i += step) {
    const t = binomialPmf(i, n, p);
    s += t;
    // Past the mode terms only shrink; until then each term is at least the mean of the sum so far.
    if (t < s * 1e-18) break;
  }
  return s;
}

/**
 * Exact two-sided binomial test of k successes in n against p, scipy.stats.binomtest's method: the
 * probability of every outcome no more likely than k (with scipy's 1e-7 relative slack).
 */
export function binomialTwoSided(k: number, n: number, p = 0.5): number {
  if (n === 0 || k === p * n) return 1;
  const d = binomialPmf(k, n, p) * (1 + 1e-7);
  // The other tail starts where the pmf, falling away from the mode, is first no larger than d.
  let [lo, hi] = k < p * n ? [Math.ceil(p * n) - 1, n + 1] : [-1, Math.floor(p * n) + 1];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (binomialPmf(mid, n, p) <= d === k < p * n) hi = mid;
    else lo = mid;
  }
  const pval = k < p * n ? tail(k, -1, n, p) + tail(hi, 1, n, p) : tail(lo, -1, n, p) + tail(k, 1, n, p);
  return Math.min(1, pval);
}

/** The p where f (monotone on [0, 1], from ≥ 0 to ≤ 0 or the reverse) crosses 0, by bisection to the last bit. */
function root(f: (p: number) => number): number {
  let [lo, hi] = [0, 1];
  const rising = f(0) < 0;
  for (let it = 0; it < 200 && hi - lo > 0; it++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (f(mid) < 0 === rising) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Clopper–Pearson exact 95% interval of k successes in n (scipy's binomtest(...).proportion_ci()). */
export function clopperPearson(k: number, n: number): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const alpha = 0.025;
  return {
    low: k === 0 ? 0 : root((p) => tail(k, 1, n, p) - alpha),
    high: k === n ? 1 : root((p) => tail(k, -1, n, p) - alpha),
  };
}
