// Utility for the spec's target column: a model trained on the synthetic rows and tested on the real holdout (TSTR)
// against the same model trained on the real training rows (TRTR), two model kinds per task, with paired bootstrap
// intervals over holdout rows; the augmentation lift (real + synthetic vs real alone); and how well the two random
// forests agree on which columns matter (rank correlation of permutation importances).
import { InvalidArgumentError } from '../errors';
import { createRng, type Rng } from '../train/rng';
import { encode, fitEncoder, type Encoded, type Encoder } from './encode';
import { takeRows } from './frames';
import { accuracy, argmaxRows, aucWith, macroF1, meanAbsoluteError, orderOf, r2Score } from './scores';
import { FOREST_DEFAULTS, fitForest, REGRESSION_FOREST, fitLogistic, fitRidge, type Forest, type ForestOptions } from './models';
import { quantile, spearman } from './stats';
import type { Checkpoint, Frame, Frames, Interval, MetricInfo } from './types';

export const RocAuc: MetricInfo = { name: 'RocAuc', definition: 'Area under the ROC curve of the predicted class probabilities on the holdout; for more than two classes the mean of one-vs-rest AUCs (sklearn roc_auc_score, ovr, macro).', goal: 'maximize', min: 0, max: 1 };
export const Accuracy: MetricInfo = { name: 'Accuracy', definition: 'Share of holdout rows whose most probable class is their real class.', goal: 'maximize', min: 0, max: 1 };
export const MacroF1: MetricInfo = { name: 'MacroF1', definition: 'Mean over classes of the F1 score (harmonic mean of precision and recall), each class weighted equally.', goal: 'maximize', min: 0, max: 1 };
// R² has no lower bound and MAE no upper one; the report prints these two ends as unbounded.
export const R2: MetricInfo = { name: 'R2', definition: 'Coefficient of determination on the holdout: 1 − (sum of squared errors) / (sum of squares around the holdout mean).', goal: 'maximize', min: -Infinity, max: 1 };
export const MeanAbsoluteError: MetricInfo = { name: 'MeanAbsoluteError', definition: 'Mean absolute difference between predicted and real values on the holdout, in the target’s unit.', goal: 'minimize', min: 0, max: Infinity };
export const UtilityRatio: MetricInfo = { name: 'UtilityRatio', definition: 'TSTR score over TRTR score, both on the real holdout (for MAE, where lower is better, TRTR over TSTR), so 1 means the synthetic rows train as good a model.', goal: 'maximize', min: 0, max: Infinity };
export const AugmentationLift: MetricInfo = { name: 'AugmentationLift', definition: 'Primary score of a model trained on real + synthetic rows minus that of the model trained on real rows alone, on the holdout.', goal: 'maximize', min: -1, max: 1 };
export const ImportanceAgreement: MetricInfo = { name: 'ImportanceAgreement', definition: 'Spearman rank correlation of the permutation importances of the columns for the TSTR and the TRTR random forests.', goal: 'maximize', min: -1, max: 1 };

// The scores live in scores.ts; re-exported here because they are the utility family's.
export { accuracy, argmaxRows, aucScore, macroF1, meanAbsoluteError, r2Score } from './scores';

// ——— Data preparation ———

export type Task = 'binary' | 'multiclass' | 'regression';
export type ModelKind = 'random_forest' | 'logistic_regression' | 'linear_regression';
const MODEL_LABEL: Record<ModelKind, string> = { random_forest: 'Random forest', logistic_regression: 'Logistic regression', linear_regression: 'Linear regression (ridge)' };

export interface UtilityOptions {
  seed: string;
  /** Bootstrap resamples of the holdout rows for the intervals (200). */
  bootstrap?: number;
  /** Training rows per side, sampled with the seed when there are more (5,000). */
  maxTrainRows?: number;
}

type SideName = 'train' | 'holdout' | 'synthetic';
/** The rows with a target value; y is the class index (classification) or the value (regression). */
interface Side {
  frame: Frame;
  y: Float64Array;
}
/** `classes`: labels in class-index order, empty for regression. */
type Prepared = { task: Task; classes: string[]; sides: Record<SideName, Side>; dropped: Record<SideName, number>; notes: string[] };

const LOGISTIC_C = 1;
const RIDGE_ALPHA = 1e-3;
const IMPORTANCE_REPEATS = 3;

function prepare(frames: Frames, target: string, maxTrainRows: number, rng: Rng): Prepared {
  const cols = (['train', 'holdout', 'synthetic'] as const).map((s) => frames[s].columns.find((c) => c.name === target));
  const [tc, hc, sc] = cols;
  if (!tc || !hc || !sc) throw new InvalidArgumentError(`The utility target “${target}” is not a column of the tables being validated.`);
  if (hc.kind !== tc.kind || sc.kind !== tc.kind) throw new InvalidArgumentError(`The utility target “${target}” has a different type in the synthetic table.`);
  const notes: string[] = [];
  const classCodes: number[] = [];
  if (tc.kind === 'categorical') {
    const seen = new Set<number>();
    for (const c of cols) if (c?.kind === 'categorical') for (const v of c.codes) if (v >= 0) seen.add(v);
    classCodes.push(...[...seen].sort((a, b) => a - b));
  }
  const index = new Map(classCodes.map((c, i) => [c, i]));
  const dropped = { train: 0, holdout: 0, synthetic: 0 };
  const side = (name: SideName, i: number): Side => {
    const f = frames[name];
    const col = f.columns.find((c) => c.name === target)!;
    const value = (r: number) => (col.kind === 'categorical' ? (col.codes[r]! < 0 ? Number.NaN : index.get(col.codes[r]!)!) : col.values[r]!);
    let keep = Array.from({ length: f.rows }, (_, r) => r).filter((r) => !Number.isNaN(value(r)));
    dropped[name] = f.rows - keep.length;
    if (name !== 'holdout' && keep.length > maxTrainRows) {
      keep = rng.fork(`subsample ${i}`).shuffle(keep).slice(0, maxTrainRows).sort((a, b) => a - b);
      notes.push(`A seeded sample of ${maxTrainRows} of the ${f.rows - dropped[name]} ${name === 'train' ? 'real training' : 'synthetic'} rows trained the models.`);
    }
    return { frame: takeRows(f, keep), y: Float64Array.from(keep, value) };
  };
  const sides = { train: side('train', 0), holdout: side('holdout', 1), synthetic: side('synthetic', 2) };
  const missing = (['train', 'holdout', 'synthetic'] as const).filter((s) => dropped[s] > 0);
  if (missing.length) notes.push(`Rows without a “${target}” value were left out: ${missing.map((s) => `${dropped[s]} ${s === 'train' ? 'training' : s}`).join(', ')}.`);
  if (sides.train.frame.rows === 0) throw new InvalidArgumentError(`No real training row has a “${target}” value, so there is nothing to compare the synthetic rows against.`);
  if (sides.holdout.frame.rows < 2) throw new InvalidArgumentError(`The holdout has fewer than two rows with a “${target}” value: utility cannot be measured.`);
  const task: Task = tc.kind === 'numeric' ? 'regression' : classCodes.length > 2 ? 'multiclass' : 'binary';
  const classes = tc.kind === 'categorical' ? classCodes.map((c) => tc.levels[c]!) : [];
  if (task !== 'regression') {
    const counts = (s: Side) => s.y.reduce((n, v) => (n[v]!++, n), new Array<number>(classes.length).fill(0));
    const [train, hold, syn] = [counts(sides.train), counts(sides.holdout), counts(sides.synthetic)];
    const lacking = classes.filter((_, k) => hold[k]! > 0 && syn[k] === 0);
    if (sides.synthetic.frame.rows > 0 && lacking.length) {
      notes.push(`The synthetic rows lack ${lacking.length === 1 ? 'class' : 'classes'} ${lacking.map((c) => `“${c}” (${hold[classes.indexOf(c)]} holdout rows)`).join(', ')}: the TSTR models give ${lacking.length === 1 ? 'it' : 'them'} probability 0.`);
    }
    const one = (n: number[]) => n.filter((c) => c > 0).length === 1;
    if (one(syn)) notes.push(`The synthetic rows hold a single class of “${target}” (“${classes[syn.findIndex((c) => c > 0)]}”): the TSTR models predict it for every row, so their AUC is 0.5.`);
    if (one(train)) notes.push(`The real training rows hold a single class of “${target}”: the TRTR models predict it for every row.`);
    if (one(hold)) notes.push(`The holdout holds a single class of “${target}”: AUC cannot be computed; accuracy and F1 are reported.`);
  }
  if (sides.synthetic.frame.rows === 0) notes.push(`No synthetic row has a “${target}” value: TSTR and augmentation cannot be measured.`);
  return { task, classes, sides, dropped, notes };
}

// ——— Fitting ———

type Comparison = 'tstr' | 'trtr' | 'augmented';
interface Fits {
  prepared: Prepared;
  kinds: ModelKind[];
  /** Holdout predictions per model kind and comparison: rows × classes probabilities, or one value a row. */
  predictions: Record<ModelKind, Partial<Record<Comparison, Float64Array>>>;
  forests: Partial<Record<Comparison, { forest: Forest; encoder: Encoder; holdout: Encoded }>>;
  width: number;
}

function concat(encoded: Encoded[]): Encoded {
  const X = Float64Array.from(encoded.flatMap((e) => Array.from(e.X)));
  return { X, rows: encoded.reduce((s, e) => s + e.rows, 0), width: encoded[0]!.width };
}

function fitAll(frames: Frames, target: string, opts: UtilityOptions, check?: Checkpoint): Fits {
  const rng = createRng(opts.seed).fork('utility');
  const prepared = prepare(frames, target, opts.maxTrainRows ?? 5000, rng);
  const { sides, task, classes } = prepared;
  const K = task === 'regression' ? 0 : classes.length;
  const kinds: ModelKind[] = ['random_forest', task === 'regression' ? 'linear_regression' : 'logistic_regression'];
  const predictions: Fits['predictions'] = { random_forest: {}, logistic_regression: {}, linear_regression: {} };
  const forests: Fits['forests'] = {};
  const plan: [Comparison, Side[]][] = [['trtr', [sides.train]]];
  if (sides.synthetic.frame.rows > 0) plan.push(['tstr', [sides.synthetic]], ['augmented', [sides.train, sides.synthetic]]);
  plan.forEach(([comparison, train], step) => {
    const encoder = fitEncoder(train.map((s) => s.frame), [target]);
    const X = concat(train.map((s) => encode(encoder, s.frame)));
    const y = Float64Array.from(train.flatMap((s) => Array.from(s.y)));
    const holdout = encode(encoder, sides.holdout.frame);
    // Fitting is the first 80% of the work; min() keeps rounding from overshooting the bootstrap's start.
    const progress = (x: number) => check?.(Math.min(0.8, (0.8 * x) / plan.length));
    const tick = (t: number) => progress(step + t / FOREST_DEFAULTS.trees);
    // One forest seed for every comparison: the same rows then give the same forest, and only the rows differ.
    const forest = fitForest(X, y, K, rng.fork('forest'), K ? FOREST_DEFAULTS : REGRESSION_FOREST, tick);
    predictions.random_forest[comparison] = forest.predict(holdout);
    forests[comparison] = { forest, encoder, holdout };
    const linear = K ? fitLogistic(X, y, K, LOGISTIC_C) : fitRidge(X, y, RIDGE_ALPHA);
    predictions[kinds[1]!][comparison] = linear.predict(holdout);
    progress(step + 1);
  });
  return { prepared, kinds, predictions, forests, width: Math.max(1, K) };
}

export interface ModelPredictions {
  model: ModelKind;
  /** One row per holdout row: class probabilities in `classes` order, or [predicted value]. */
  tstr: number[][] | null;
  trtr: number[][];
  augmented: number[][] | null;
}

/** The holdout rows' targets and every model's predictions for them: what the scores are computed from. */
export function utilityPredictions(frames: Frames, target: string, opts: UtilityOptions): { task: Task; classes: string[]; holdout: number[]; models: ModelPredictions[] } {
  const fits = fitAll(frames, target, opts);
  const rows = (p: Float64Array | undefined) => (p ? Array.from({ length: p.length / fits.width }, (_, r) => Array.from(p.subarray(r * fits.width, (r + 1) * fits.width))) : null);
  return {
    task: fits.prepared.task,
    classes: fits.prepared.classes,
    holdout: Array.from(fits.prepared.sides.holdout.y),
    models: fits.kinds.map((model) => ({ model, tstr: rows(fits.predictions[model].tstr), trtr: rows(fits.predictions[model].trtr)!, augmented: rows(fits.predictions[model].augmented) })),
  };
}

// ——— Scoring, bootstrap, importance ———

function metricsOf(task: Task): MetricInfo[] {
  return task === 'regression' ? [R2, MeanAbsoluteError] : [RocAuc, Accuracy, MacroF1];
}

/** Every metric of the task (metricsOf order, NaN where not computable) for row weights; sorts once per prediction set. */
function scorer(task: Task, y: ArrayLike<number>, pred: ArrayLike<number>, width: number): (w?: ArrayLike<number>) => number[] {
  if (task === 'regression') return (w) => [r2Score(y, pred, w), meanAbsoluteError(y, pred, w)];
  const labels = argmaxRows(pred, width);
  const orders = Array.from({ length: width }, (_, k) => orderOf(pred, width, k));
  return (w) => [aucWith(orders, y, pred, width, w), accuracy(y, labels, w), macroF1(y, labels, w)];
}

function ratioOf(info: MetricInfo, tstr: number, trtr: number): number {
  if (info.goal === 'minimize') return tstr > 0 ? trtr / tstr : Number.NaN;
  return trtr > 0 ? tstr / trtr : Number.NaN;
}

const finite = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

function interval(values: number[]): Interval | null {
  const ok = values.filter(Number.isFinite);
  return ok.length >= 2 ? { low: quantile(ok, 0.025), high: quantile(ok, 0.975) } : null;
}

/** Drop in the primary score when one source column's encoded features are permuted on the holdout. */
function permutationImportance(fits: Fits, comparison: Comparison, columns: string[], rng: Rng): number[] | null {
  const fitted = fits.forests[comparison];
  if (!fitted) return null;
  const { task } = fits.prepared;
  const y = fits.prepared.sides.holdout.y;
  const primary = (p: Float64Array) => scorer(task, y, p, fits.width)()[0]!;
  const base = fitted.forest.bin(fitted.holdout);
  const baseline = primary(fitted.forest.predictBinned(base));
  if (!Number.isFinite(baseline)) return null;
  const groups = new Map<string, [number, number]>();
  let offset = 0;
  for (const f of fitted.encoder.features) {
    const w = f.kind === 'numeric' ? 1 + (f.indicator ? 1 : 0) : f.keep.length + (f.other ? 1 : 0) + (f.indicator ? 1 : 0);
    groups.set(f.name, [offset, w]);
    offset += w;
  }
  const n = base.rows;
  return columns.map((name) => {
    const [from, w] = groups.get(name) ?? [0, 0];
    if (w === 0) return 0;
    // The same label for both forests: TSTR and TRTR see the same permutations.
    const perm = rng.fork(`importance ${name}`);
    let drop = 0;
    // The group's columns are contiguous (column-major bins): permuted in place, restored afterwards.
    const saved = base.bins.slice(from * n, (from + w) * n);
    for (let rep = 0; rep < IMPORTANCE_REPEATS; rep++) {
      const order = perm.shuffle(Array.from({ length: n }, (_, i) => i));
      for (let f = 0; f < w; f++) for (let i = 0; i < n; i++) base.bins[(from + f) * n + i] = saved[f * n + order[i]!]!;
      drop += baseline - primary(fitted.forest.predictBinned(base));
    }
    base.bins.set(saved, from * n);
    return drop / IMPORTANCE_REPEATS;
  });
}

// ——— The result ———

/** `metric` is a MetricInfo name; ratio = TSTR / TRTR (for MAE, TRTR / TSTR), 1 = as good, its interval paired. */
export interface MetricComparison {
  metric: string;
  tstr: number | null;
  tstrInterval: Interval | null;
  trtr: number | null;
  trtrInterval: Interval | null;
  ratio: number | null;
  ratioInterval: Interval | null;
}
/** The primary metric trained on real + synthetic rows vs real rows alone; lift = augmented − real. */
export type Augmentation = { metric: string; real: number | null; augmented: number | null; lift: number | null; interval: Interval | null };
export type ModelUtility = { model: ModelKind; label: string; metrics: MetricComparison[]; augmentation: Augmentation };
export interface UtilityResult {
  target: string;
  task: Task;
  classes: string[] | null;
  /** Rows used (after leaving out missing targets and sampling). */
  rows: Record<SideName, number>;
  /** Rows left out because their target is missing. */
  dropped: Record<SideName, number>;
  models: ModelUtility[];
  /** The primary metric (AUC or R²) of the model kind that scores best on TRTR. */
  headline: { model: ModelKind; metric: string; tstr: number | null; trtr: number | null; ratio: number | null; interval: Interval | null; lift: number | null; liftInterval: Interval | null };
  /** Permutation importances by source column, TSTR and TRTR random forests; null when the primary score is not computable. */
  importance: { columns: string[]; tstr: number[]; trtr: number[]; spearman: number | null } | null;
  notes: string[];
  settings: { bootstrap: number; maxTrainRows: number; forest: ForestOptions; logisticC: number; ridgeAlpha: number; importanceRepeats: number };
}

export function utility(frames: Frames, target: string, opts: UtilityOptions, check?: Checkpoint): UtilityResult {
  const reps = opts.bootstrap ?? 200;
  const fits = fitAll(frames, target, opts, check);
  const { task, classes, sides, notes } = fits.prepared;
  const infos = metricsOf(task);
  const y = sides.holdout.y;
  const comparisons: Comparison[] = ['tstr', 'trtr', 'augmented'];
  const none = () => infos.map(() => Number.NaN);
  const scorers = new Map<string, (w?: ArrayLike<number>) => number[]>();
  const point = new Map<string, number[]>();
  const draws = new Map<string, number[][]>();
  for (const m of fits.kinds) {
    for (const c of comparisons) {
      const p = fits.predictions[m][c];
      const score = p ? scorer(task, y, p, fits.width) : none;
      scorers.set(`${m} ${c}`, score);
      point.set(`${m} ${c}`, score());
      draws.set(`${m} ${c}`, []);
    }
  }
  // One set of resamples for every model and comparison, so ratios and lifts are paired.
  const boot = createRng(opts.seed).fork('utility bootstrap');
  const counts = new Float64Array(y.length);
  for (let b = 0; b < reps; b++) {
    counts.fill(0);
    for (let i = 0; i < counts.length; i++) counts[boot.int(counts.length)]!++;
    for (const [key, score] of scorers) draws.get(key)!.push(score(counts));
    if (b % 20 === 0) check?.(0.8 + (0.1 * b) / reps);
  }
  const column = (m: ModelKind, c: Comparison, j: number) => draws.get(`${m} ${c}`)!.map((d) => d[j]!);
  const models: ModelUtility[] = fits.kinds.map((m) => {
    const metrics = infos.map((info, j): MetricComparison => {
      const [ts, tr] = [point.get(`${m} tstr`)![j]!, point.get(`${m} trtr`)![j]!];
      const [tsD, trD] = [column(m, 'tstr', j), column(m, 'trtr', j)];
      const ratioInterval = interval(tsD.map((v, b) => ratioOf(info, v, trD[b]!)));
      return { metric: info.name, tstr: finite(ts), tstrInterval: interval(tsD), trtr: finite(tr), trtrInterval: interval(trD), ratio: finite(ratioOf(info, ts, tr)), ratioInterval };
    });
    const [real, aug] = [point.get(`${m} trtr`)![0]!, point.get(`${m} augmented`)![0]!];
    const [augD, realD] = [column(m, 'augmented', 0), column(m, 'trtr', 0)];
    const augmentation = { metric: infos[0]!.name, real: finite(real), augmented: finite(aug), lift: finite(aug - real), interval: interval(augD.map((v, b) => v - realD[b]!)) };
    return { model: m, label: MODEL_LABEL[m], metrics, augmentation };
  });
  const best = models.reduce((a, b) => ((b.metrics[0]!.trtr ?? -Infinity) > (a.metrics[0]!.trtr ?? -Infinity) ? b : a));
  const head = best.metrics[0]!;
  if (head.trtr !== null && head.tstr !== null && head.ratio === null) notes.push(`The TRTR ${infos[0]!.name} is not above 0, so the TSTR/TRTR ratio is not meaningful.`);
  check?.(0.9);
  const columns = sides.holdout.frame.columns.map((c) => c.name).filter((n) => n !== target);
  const impRng = createRng(opts.seed).fork('utility importance');
  const [impTstr, impTrtr] = [permutationImportance(fits, 'tstr', columns, impRng), permutationImportance(fits, 'trtr', columns, impRng)];
  const rho = impTstr && impTrtr && columns.length >= 2 ? spearman(impTstr, impTrtr) : Number.NaN;
  if (!impTstr || !impTrtr) notes.push(`Feature importances are not compared: ${impTrtr ? 'there is no TSTR model' : `the TRTR ${infos[0]!.name} cannot be computed`}.`);
  check?.(1);
  return {
    target,
    task,
    classes: task === 'regression' ? null : classes,
    rows: { train: sides.train.frame.rows, holdout: sides.holdout.frame.rows, synthetic: sides.synthetic.frame.rows },
    dropped: fits.prepared.dropped,
    models,
    headline: { model: best.model, metric: head.metric, tstr: head.tstr, trtr: head.trtr, ratio: head.ratio, interval: head.ratioInterval, lift: best.augmentation.lift, liftInterval: best.augmentation.interval },
    importance: impTstr && impTrtr ? { columns, tstr: impTstr, trtr: impTrtr, spearman: finite(rho) } : null,
    notes,
    settings: { bootstrap: reps, maxTrainRows: opts.maxTrainRows ?? 5000, forest: { ...(task === 'regression' ? REGRESSION_FOREST : FOREST_DEFAULTS) }, logisticC: LOGISTIC_C, ridgeAlpha: RIDGE_ALPHA, importanceRepeats: IMPORTANCE_REPEATS },
  };
}
