// Classification and regression scores on our layout, as sklearn.metrics defines them (checked against it in the
// tests). Each takes optional row weights: a bootstrap resample is scored as the counts of how often each holdout
// row was drawn (a row drawn 0 times is absent), which equals scoring the resampled rows without copying them.

const weightOf = (w: ArrayLike<number> | undefined, i: number): number => (w ? w[i]! : 1);

export function accuracy(y: ArrayLike<number>, pred: ArrayLike<number>, w?: ArrayLike<number>): number {
  return average(y.length, (i) => (y[i] === pred[i] ? 1 : 0), w);
}

/** sklearn f1_score(average='macro'): over the labels seen in y or pred, F1 = 2tp / (2tp + fp + fn), 0 when undefined. */
export function macroF1(y: ArrayLike<number>, pred: ArrayLike<number>, w?: ArrayLike<number>): number {
  const tally = new Map<number, [number, number, number]>();
  const at = (k: number) => tally.get(k) ?? tally.set(k, [0, 0, 0]).get(k)!;
  for (let i = 0; i < y.length; i++) {
    const wi = weightOf(w, i);
    if (wi === 0) continue;
    if (y[i] === pred[i]) at(y[i]!)[0] += wi;
    else {
      at(pred[i]!)[1] += wi;
      at(y[i]!)[2] += wi;
    }
  }
  let sum = 0;
  for (const [tp, fp, fn] of tally.values()) sum += (2 * tp) / (2 * tp + fp + fn);
  return tally.size ? sum / tally.size : Number.NaN;
}

/** Rows in ascending order of column k of a rows × classes matrix. */
export function orderOf(proba: ArrayLike<number>, classes: number, k: number): Int32Array {
  return Int32Array.from({ length: proba.length / classes }, (_, i) => i).sort((a, b) => proba[a * classes + k]! - proba[b * classes + k]!);
}

/** Mann–Whitney AUC of class k against the rest, ties counted half (as roc_auc_score), from a precomputed order. */
function aucOneVsRest(order: Int32Array, proba: ArrayLike<number>, classes: number, k: number, y: ArrayLike<number>, w?: ArrayLike<number>): number {
  let [negBelow, sum, pos, neg] = [0, 0, 0, 0];
  for (let i = 0; i < order.length; ) {
    const s = proba[order[i]! * classes + k]!;
    let [gp, gn] = [0, 0];
    for (; i < order.length && proba[order[i]! * classes + k] === s; i++) {
      const r = order[i]!;
      if (y[r] === k) gp += weightOf(w, r);
      else gn += weightOf(w, r);
    }
    sum += gp * (negBelow + 0.5 * gn);
    [negBelow, pos, neg] = [negBelow + gn, pos + gp, neg + gn];
  }
  return pos > 0 && neg > 0 ? sum / (pos * neg) : Number.NaN;
}

/** Macro one-vs-rest AUC (binary: the positive class) from per-class orders computed once per prediction set. */
export function aucWith(orders: Int32Array[], y: ArrayLike<number>, proba: ArrayLike<number>, classes: number, w?: ArrayLike<number>): number {
  const weight = new Float64Array(classes);
  for (let i = 0; i < y.length; i++) weight[y[i]!]! += weightOf(w, i);
  const present = [...weight.keys()].filter((k) => weight[k]! > 0);
  if (present.length < 2) return Number.NaN;
  if (present.length === 2) return aucOneVsRest(orders[present[1]!]!, proba, classes, present[1]!, y, w);
  return present.reduce((s, k) => s + aucOneVsRest(orders[k]!, proba, classes, k, y, w), 0) / present.length;
}

/**
 * ROC AUC from rows × classes probabilities (y holds class indexes): with two classes present, the AUC of the
 * higher class's probability; with more, the macro mean of one-vs-rest AUCs over the classes present; NaN below two.
 */
export function aucScore(y: ArrayLike<number>, proba: ArrayLike<number>, classes: number, w?: ArrayLike<number>): number {
  return aucWith(Array.from({ length: classes }, (_, k) => orderOf(proba, classes, k)), y, proba, classes, w);
}

/** sklearn r2_score: 1 − SSres/SStot; for a constant holdout, 1 if predicted exactly and 0 otherwise. */
/** Weighted mean of f(i) over the rows; NaN when there is no weight. */
function average(n: number, f: (i: number) => number, w?: ArrayLike<number>): number {
  let [s, total] = [0, 0];
  for (let i = 0; i < n; i++) [s, total] = [s + weightOf(w, i) * f(i), total + weightOf(w, i)];
  return total > 0 ? s / total : Number.NaN;
}

/** sklearn r2_score: 1 − SSres/SStot; for a constant holdout, 1 if predicted exactly and 0 otherwise. */
export function r2Score(y: ArrayLike<number>, yhat: ArrayLike<number>, w?: ArrayLike<number>): number {
  const m = average(y.length, (i) => y[i]!, w);
  const [res, tot] = [average(y.length, (i) => (y[i]! - yhat[i]!) ** 2, w), average(y.length, (i) => (y[i]! - m) ** 2, w)];
  return Number.isNaN(m) ? m : tot === 0 ? (res === 0 ? 1 : 0) : 1 - res / tot;
}

export function meanAbsoluteError(y: ArrayLike<number>, yhat: ArrayLike<number>, w?: ArrayLike<number>): number {
  return average(y.length, (i) => Math.abs(y[i]! - yhat[i]!), w);
}

/** The most probable class of each row (the first on ties, as numpy's argmax). */
export function argmaxRows(proba: ArrayLike<number>, classes: number): Int32Array {
  const out = new Int32Array(proba.length / classes);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (proba[r * classes + k]! > proba[r * classes + best]!) best = k;
    out[r] = best;
  }
  return out;
}

