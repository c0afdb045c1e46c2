// Detection: can a classifier tell real training rows from synthetic rows? Balanced seeded samples, stratified
// k-fold cross-validation, out-of-fold probabilities → ROC AUC for a logistic regression and a random forest, and
// SDMetrics' detection score 1 − (2·max(AUC, 0.5) − 1). The models are the ones the utility metrics use (models.ts):
// ml-logistic-regression (fixed-step gradient ascent, no intercept) and ml-random-forest (O(n²) splits, measured
// 17.8 s per tree on 2,667 rows × 40 features here) cannot run at this size; models.ts says why and is tested.
import { InvalidArgumentError } from '../errors';
import { createRng, type Rng } from '../train/rng';
import { encode, fitEncoder, type Encoded } from './encode';
import { takeRows } from './frames';
import { FOREST_DEFAULTS, fitForest, fitLogistic } from './models';
import { rocAuc, rocCurve } from './stats';
import type { Checkpoint, Frame, MetricInfo } from './types';

export const DETECTION_AUC: MetricInfo = {
  name: 'DetectionAUC',
  definition: 'Cross-validated ROC AUC of a classifier telling real training rows from synthetic rows: 0.5 means they cannot be told apart.',
  goal: 'minimize',
  min: 0,
  max: 1,
};
export const DETECTION_SCORE: MetricInfo = {
  name: 'DetectionScore',
  definition: '1 − (2·max(AUC, 0.5) − 1) for the detection AUC (SDMetrics): 1 when real and synthetic rows cannot be told apart, 0 when always.',
  goal: 'maximize',
  min: 0,
  max: 1,
};

export type DetectionModelName = 'logistic' | 'randomForest';

export interface DetectionModel {
  model: DetectionModelName;
  /** What the model is, in words. */
  description: string;
  /** ROC AUC of the pooled out-of-fold probabilities (label 1 = synthetic). */
  auc: number;
  score: number;
  /** AUC within each fold's held-out rows (SDMetrics averages these). */
  foldAuc: number[];
}

export interface DetectionResult {
  rowsPerSide: number;
  folds: number;
  /** Width of the encoded feature matrix. */
  features: number;
  models: DetectionModel[];
  /** The model that tells the sides apart best (the highest AUC): the figure the criteria use. */
  headline: DetectionModel;
  /** Out-of-fold ROC of the headline model. */
  roc: { fpr: number; tpr: number }[];
}

export interface DetectionOptions {
  seed: string;
  folds?: number;
  maxRowsPerSide?: number;
  /** Trees in the forest (default: the utility forest's). */
  trees?: number;
}

export function detectionScore(auc: number): number {
  return 1 - (2 * Math.max(auc, 0.5) - 1);
}

/** The rows `idx` of an encoded matrix. */
export function subset(e: Encoded, idx: ArrayLike<number>): Encoded {
  const X = new Float64Array(idx.length * e.width);
  for (let k = 0; k < idx.length; k++) X.set(e.X.subarray(idx[k]! * e.width, (idx[k]! + 1) * e.width), k * e.width);
  return { X, rows: idx.length, width: e.width };
}

/** Fold of each row (0..k−1): each label's rows shuffled and dealt round-robin, so every fold keeps the balance. */
export function stratifiedFolds(labels: ArrayLike<number>, k: number, rng: Rng): Int32Array {
  const folds = new Int32Array(labels.length);
  for (const label of [0, 1]) {
    const rows = rng.shuffle(Array.from({ length: labels.length }, (_, i) => i).filter((i) => labels[i] === label));
    rows.forEach((r, i) => (folds[r] = i % k));
  }
  return folds;
}

/** The balanced sample, its encoding (encoder fitted on both sides), labels (1 = synthetic) and folds. */
export function detectionDesign(real: Frame, syn: Frame, opts: DetectionOptions): { design: Encoded; labels: Int32Array; folds: Int32Array; rowsPerSide: number } {
  const k = opts.folds ?? 3;
  const cap = opts.maxRowsPerSide ?? 2000;
  if (!Number.isInteger(k) || k < 2) throw new InvalidArgumentError(`Detection needs at least 2 cross-validation folds, not ${k}.`);
  if (!Number.isInteger(cap) || cap < 1) throw new InvalidArgumentError(`The detection sample size must be a positive whole number, not ${cap}.`);
  const n = Math.min(real.rows, syn.rows, cap);
  if (n < 2 * k) throw new InvalidArgumentError(`Detection needs at least ${2 * k} real and ${2 * k} synthetic rows; there are ${real.rows} real and ${syn.rows} synthetic rows.`);
  const rng = createRng(`detection\u0000${opts.seed}`);
  const pick = (f: Frame, label: string) => {
    const idx = rng.fork(label).shuffle(Array.from({ length: f.rows }, (_, i) => i)).slice(0, n);
    return takeRows(f, idx.sort((a, b) => a - b));
  };
  const r = pick(real, 'real');
  const s = pick(syn, 'synthetic');
  const enc = fitEncoder([r, s]);
  if (enc.width === 0) throw new InvalidArgumentError('Detection needs at least one column to compare.');
  const X = new Float64Array(2 * n * enc.width);
  X.set(encode(enc, r).X, 0);
  X.set(encode(enc, s).X, n * enc.width);
  const labels = Int32Array.from({ length: 2 * n }, (_, i) => (i < n ? 0 : 1));
  return { design: { X, rows: 2 * n, width: enc.width }, labels, folds: stratifiedFolds(labels, k, rng.fork('folds')), rowsPerSide: n };
}

/**
 * Detection of `syn` against the real training rows `real`: both models, the worse one (highest AUC) as headline.
 * `check` is called between folds and trees with the overall progress (it throws to cancel).
 */
export function detection(real: Frame, syn: Frame, opts: DetectionOptions, check?: Checkpoint): DetectionResult {
  const k = opts.folds ?? 3;
  const trees = opts.trees ?? FOREST_DEFAULTS.trees;
  if (!Number.isInteger(trees) || trees < 1) throw new InvalidArgumentError(`The forest needs a positive whole number of trees, not ${trees}.`);
  const { design, labels, folds, rowsPerSide } = detectionDesign(real, syn, opts);
  const forestRng = createRng(`detection\u0000${opts.seed}`).fork('forest');
  // Logistic fits are cheap; the forest takes most of the time, so it gets most of the progress bar.
  const weight = { logistic: 0.2, randomForest: 0.8 };
  const run = (model: DetectionModelName, description: string, start: number): { result: DetectionModel; oof: Float64Array } => {
    const oof = new Float64Array(design.rows);
    const foldAuc: number[] = [];
    for (let f = 0; f < k; f++) {
      const at = (frac: number) => check?.(Math.min(1, start + (weight[model] * (f + frac)) / k));
      at(0);
      const train: number[] = [];
      const test: number[] = [];
      for (let i = 0; i < design.rows; i++) (folds[i] === f ? test : train).push(i);
      const Xtrain = subset(design, train);
      const ytrain = Int32Array.from(train, (i) => labels[i]!);
      const predictor =
        model === 'logistic'
          ? fitLogistic(Xtrain, ytrain, 2)
          : fitForest(Xtrain, ytrain, 2, forestRng.fork(`fold ${f}`), { ...FOREST_DEFAULTS, trees }, (t) => at((t + 1) / trees));
      // Rows × 2 class probabilities: the synthetic class is the second.
      const both = predictor.predict(subset(design, test));
      const p = Float64Array.from(test, (_, q) => both[2 * q + 1]!);
      test.forEach((i, q) => (oof[i] = p[q]!));
      foldAuc.push(rocAuc(p, Int32Array.from(test, (i) => labels[i]!)));
    }
    const auc = rocAuc(oof, labels);
    return { result: { model, description, auc, score: detectionScore(auc), foldAuc }, oof };
  };
  const runs = [
    run('logistic', 'Logistic regression, L2 penalty (C = 1), on standardised numbers and one-hot categories', 0),
    run('randomForest', `Random forest, ${trees} trees of depth ≤ ${FOREST_DEFAULTS.maxDepth}, √features per split, Gini, bootstrap samples`, weight.logistic),
  ];
  check?.(1);
  // The worse case for the generator: the model that tells the sides apart best (the first on a tie).
  const worst = runs.reduce((a, b) => (b.result.auc > a.result.auc ? b : a));
  return {
    rowsPerSide,
    folds: k,
    features: design.width,
    models: runs.map((r) => r.result),
    headline: worst.result,
    roc: rocCurve(worst.oof, labels),
  };
}
