// Task utility of labelled synthetic images: the small CNN classifier of encoder.ts trained on the synthetic frames
// and tested on the real holdout (TSTR), against the same network, same seed, trained on the real training frames
// (TRTR). Accuracy, macro one-vs-rest AUC, per-class recall, and the ratio of the two macro AUCs with a paired
// percentile bootstrap over holdout images (each resample scored as row weights, as the table utility does).
import { InvalidArgumentError } from '../../errors';
import { createRng } from '../../train/rng';
import { accuracy, argmaxRows, aucWith, orderOf } from '../scores';
import { quantile } from '../stats';
import type { Interval } from '../types';
import { labelledClasses, trainImageClassifier, type EncoderRecord, type ImageClassifier, type NetworkOptions } from './encoder';
import type { ImageFrames } from './types';
import { ImageClassifierAccuracy, ImageClassifierMacroAuc, ImageClassRecall, ImageUtilityRatio } from './utility-info';

export { ImageClassifierAccuracy, ImageClassifierMacroAuc, ImageClassRecall, ImageUtilityRatio };


export interface ImageUtilityOptions extends NetworkOptions {
  /** Bootstrap resamples of the holdout images for the intervals (200). */
  bootstrap?: number;
  /** A classifier already trained on `train` (the feature encoder's), used as the TRTR model; not disposed here. */
  realClassifier?: ImageClassifier | null;
}

/** One classifier's scores on the real holdout. */
export interface ClassifierScores {
  accuracy: number | null;
  accuracyInterval: Interval | null;
  macroAuc: number | null;
  macroAucInterval: Interval | null;
  /** Per class, in `classes` order; null for a class with no holdout image. */
  recall: (number | null)[];
  /** The trained network, recorded like the feature encoder. */
  model: EncoderRecord;
}

export type ImageUtilityResult =
  | { applicable: false; reason: string }
  | {
      applicable: true;
      classes: string[];
      images: { train: number; holdout: number; synthetic: number };
      tstr: ClassifierScores;
      trtr: ClassifierScores;
      /** TSTR macro AUC / TRTR macro AUC (the metric ratioMetric names). */
      ratio: number | null;
      ratioMetric: string;
      ratioInterval: Interval | null;
      notes: string[];
      settings: { bootstrap: number; epochs: { tstr: number; trtr: number } };
    };

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

function interval(values: number[]): Interval | null {
  const ok = values.filter(Number.isFinite);
  return ok.length >= 2 ? { low: quantile(ok, 0.025), high: quantile(ok, 0.975) } : null;
}

/** Frames with labels re-indexed to `classes` by class name, or the reason when a class name is unknown. */
function relabel(frames: ImageFrames, classes: string[], what: string): { frames: ImageFrames } | { reason: string } {
  const labels = frames.labels as Int32Array;
  labelledClasses(frames);
  if (frames.classes.length === classes.length && frames.classes.every((c, i) => c === classes[i])) return { frames };
  const index = frames.classes.map((c) => classes.indexOf(c));
  const unknown = [...new Set(Array.from(labels).filter((l) => index[l]! < 0))].map((l) => `“${frames.classes[l]}”`);
  if (unknown.length) return { reason: `The ${what} images carry ${unknown.length === 1 ? 'class' : 'classes'} ${unknown.join(', ')}, which the real training images do not have.` };
  return { frames: { ...frames, classes, labels: Int32Array.from(labels, (l) => index[l]!) } };
}

function present(labels: Int32Array, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const l of labels) counts[l]!++;
  return counts;
}

/** Why TSTR/TRTR cannot be measured, or the three sides with labels on one class list. */
function prepare(train: ImageFrames, holdout: ImageFrames, synthetic: ImageFrames): { reason: string } | { sides: [ImageFrames, ImageFrames, ImageFrames] } {
  if (!train.labels || !holdout.labels) return { reason: 'The real images carry no class labels (the spec names no class attribute), so there is no task to train a classifier for.' };
  if (!synthetic.labels) return { reason: 'The synthetic images carry no class labels, so a classifier cannot be trained on them.' };
  const classes = train.classes;
  if (labelledClasses(train) < 2) return { reason: `The real training images hold fewer than two classes (${classes.length ? classes.map((c) => `“${c}”`).join(', ') : 'none'}), so there is no classification task.` };
  const h = relabel(holdout, classes, 'holdout');
  if ('reason' in h) return h;
  const s = relabel(synthetic, classes, 'synthetic');
  if ('reason' in s) return s;
  const [tr, ho, sy] = [train, h.frames, s.frames].map((f) => present(f.labels as Int32Array, classes.length)) as [number[], number[], number[]];
  const lacking = classes.filter((_, k) => tr[k]! > 0 && sy[k] === 0);
  if (lacking.length) return { reason: `The synthetic images lack ${lacking.length === 1 ? 'class' : 'classes'} ${lacking.map((c) => `“${c}”`).join(', ')}, so a classifier trained on them cannot be compared with one trained on the real images.` };
  if (ho.filter((c) => c > 0).length < 2) return { reason: 'The holdout images hold fewer than two classes, so the classifiers’ AUC cannot be computed.' };
  if (train.size !== holdout.size || train.size !== synthetic.size) return { reason: `The images differ in size (${train.size}, ${holdout.size} and ${synthetic.size} px), so one classifier cannot read them all.` };
  return { sides: [train, h.frames, s.frames] };
}

/** Scores of holdout probabilities for row weights (a bootstrap resample), the orders computed once. */
function scorer(y: Int32Array, proba: Float32Array, k: number): (w?: ArrayLike<number>) => [number, number] {
  const pred = argmaxRows(proba, k);
  const orders = Array.from({ length: k }, (_, c) => orderOf(proba, k, c));
  return (w) => [accuracy(y, pred, w), aucWith(orders, y, proba, k, w)];
}

function recall(y: Int32Array, proba: Float32Array, k: number): (number | null)[] {
  const pred = argmaxRows(proba, k);
  const [hit, all] = [new Array<number>(k).fill(0), new Array<number>(k).fill(0)];
  y.forEach((c, i) => {
    all[c]!++;
    if (pred[i] === c) hit[c]!++;
  });
  return all.map((n, c) => (n > 0 ? hit[c]! / n : null));
}

/** Holdout class probabilities (n × classes) of a classifier trained on `on`; the network is disposed after. */
async function holdoutProbabilities(on: ImageFrames, holdout: ImageFrames, classes: string[], opts: NetworkOptions, what: string): Promise<{ proba: Float32Array; model: EncoderRecord }> {
  const clf = await trainImageClassifier(on, classes, opts, what);
  try {
    return { proba: clf.predict(holdout), model: clf.describe };
  } finally {
    clf.dispose();
  }
}

/** TSTR against TRTR on the real holdout images, or why it does not apply. */
export async function imageUtility(train: ImageFrames, holdout: ImageFrames, synthetic: ImageFrames, opts: ImageUtilityOptions): Promise<ImageUtilityResult> {
  const prepared = prepare(train, holdout, synthetic);
  if ('reason' in prepared) return { applicable: false, reason: prepared.reason };
  const [tr, ho, sy] = prepared.sides;
  const reps = opts.bootstrap ?? 200;
  if (!Number.isInteger(reps) || reps < 0) throw new InvalidArgumentError('The number of bootstrap resamples must be a whole number of at least 0.');
  const classes = tr.classes;
  const k = classes.length;
  const y = ho.labels as Int32Array;
  const part = (from: number, to: number): NetworkOptions => ({ ...opts, checkpoint: (p) => opts.checkpoint?.(from + (p ?? 0) * (to - from)) });
  const given = opts.realClassifier;
  if (given && (given.describe.kind !== 'classifier' || given.describe.classes.join('\u0000') !== classes.join('\u0000'))) {
    throw new InvalidArgumentError('The classifier given for TRTR was not trained on these real training classes.');
  }
  const real = given ? { proba: given.predict(ho), model: given.describe } : await holdoutProbabilities(tr, ho, classes, part(0, 0.45), 'real training');
  const synth = await holdoutProbabilities(sy, ho, classes, part(0.45, 0.9), 'synthetic');
  const [scoreTrtr, scoreTstr] = [scorer(y, real.proba, k), scorer(y, synth.proba, k)];
  // One set of resamples for both classifiers, so the ratio's interval is paired.
  const boot = createRng(opts.seed).fork('image utility bootstrap');
  const counts = new Float64Array(y.length);
  const draws: { tstr: [number, number]; trtr: [number, number] }[] = [];
  for (let b = 0; b < reps; b++) {
    counts.fill(0);
    for (let i = 0; i < counts.length; i++) counts[boot.int(counts.length)]!++;
    draws.push({ tstr: scoreTstr(counts), trtr: scoreTrtr(counts) });
    if (b % 20 === 0) opts.checkpoint?.(0.9 + (0.1 * b) / reps);
  }
  const side = (which: 'tstr' | 'trtr', proba: Float32Array, model: EncoderRecord): ClassifierScores => {
    const [acc, auc] = (which === 'tstr' ? scoreTstr : scoreTrtr)();
    return {
      accuracy: finite(acc),
      accuracyInterval: interval(draws.map((d) => d[which][0])),
      macroAuc: finite(auc),
      macroAucInterval: interval(draws.map((d) => d[which][1])),
      recall: recall(y, proba, k),
      model,
    };
  };
  const tstr = side('tstr', synth.proba, synth.model);
  const trtr = side('trtr', real.proba, real.model);
  const ratioOf = (ts: number, trr: number) => (trr > 0 ? ts / trr : Number.NaN);
  const notes: string[] = [];
  if (trtr.macroAuc !== null && trtr.macroAuc <= 0.6) notes.push(`The classifier trained on the real images scores a macro AUC of only ${trtr.macroAuc.toFixed(2)} on the holdout: the classes are hard to tell apart at this size, so the ratio says little.`);
  const [trCounts, syCounts] = [present(tr.labels as Int32Array, k), present(sy.labels as Int32Array, k)];
  const skew = classes.filter((_, c) => Math.abs(syCounts[c]! / sy.count - trCounts[c]! / tr.count) > 0.2);
  if (skew.length) notes.push(`The synthetic class shares differ from the real ones by more than 20 points for ${skew.map((c) => `“${c}”`).join(', ')}.`);
  opts.checkpoint?.(1);
  return {
    applicable: true,
    classes: [...classes],
    images: { train: tr.count, holdout: ho.count, synthetic: sy.count },
    tstr,
    trtr,
    ratio: tstr.macroAuc !== null && trtr.macroAuc !== null ? finite(ratioOf(tstr.macroAuc, trtr.macroAuc)) : null,
    ratioMetric: ImageClassifierMacroAuc.name,
    ratioInterval: interval(draws.map((d) => ratioOf(d.tstr[1], d.trtr[1]))),
    notes,
    settings: { bootstrap: reps, epochs: { tstr: synth.model.epochs, trtr: real.model.epochs } },
  };
}

