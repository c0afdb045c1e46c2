// The models behind the utility metrics, written here because the libraries first chosen cannot run at this size:
// ml-random-forest (through ml-cart) tries every label change of every feature as a split and recounts the rows for
// each, O(n²) per feature and level — measured 7 s for 500 rows and 110 s for 2,000 rows (50 trees, depth 8, 20
// features) — and ml-logistic-regression is fixed-step gradient ascent with no intercept and no probabilities for
// more than two classes (11 s for 1,000 steps on 2,000 rows). So: a random forest on binned features (as sklearn's
// HistGradientBoosting and LightGBM bin them), sklearn's L2 logistic regression solved by Newton's method, and ridge
// least squares; the linear algebra is ml-matrix's Cholesky solver. Each is checked against sklearn in the tests.
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { Rng } from '../train/rng';
import type { Encoded } from './encode';

export interface ForestOptions {
  trees: number;
  maxDepth: number;
  minLeaf: number;
  /** At most 255, so a bin fits a byte. */
  maxBins: number;
}
export const FOREST_DEFAULTS: ForestOptions = { trees: 50, maxDepth: 12, minLeaf: 1, maxBins: 64 };
/** Leaves of at least 5 (bootstrap-counted) rows for regression, R randomForest's nodesize: a third of the work. */
export const REGRESSION_FOREST: ForestOptions = { ...FOREST_DEFAULTS, minLeaf: 5 };

/** Per feature, ascending cut points: a value goes to the first bin whose cut is ≥ it, or to the last bin. */
type Cuts = Float64Array[];

function fitCuts(X: Encoded, maxBins: number): Cuts {
  const col = new Float64Array(X.rows);
  return Array.from({ length: X.width }, (_, f) => {
    for (let r = 0; r < X.rows; r++) col[r] = X.X[r * X.width + f]!;
    const sorted = Float64Array.from(col).sort();
    const distinct: number[] = [];
    for (const v of sorted) if (distinct.length === 0 || v !== distinct[distinct.length - 1]) distinct.push(v);
    if (distinct.length <= maxBins) return Float64Array.from(distinct.slice(1), (v, i) => (distinct[i]! + v) / 2);
    const cuts: number[] = [];
    for (let j = 1; j < maxBins; j++) {
      const q = sorted[Math.floor((j * sorted.length) / maxBins)]!;
      if (q < sorted[sorted.length - 1]! && (cuts.length === 0 || q > cuts[cuts.length - 1]!)) cuts.push(q);
    }
    return Float64Array.from(cuts);
  });
}

/** Bin indexes, column-major (feature f of row r at f·rows + r), so a node's histogram reads one column at a time. */
export interface Binned {
  bins: Uint8Array;
  rows: number;
}

function applyCuts(cuts: Cuts, X: Encoded): Binned {
  const bins = new Uint8Array(X.rows * X.width);
  cuts.forEach((c, f) => {
    for (let r = 0; r < X.rows; r++) {
      const v = X.X[r * X.width + f]!;
      let [lo, hi] = [0, c.length];
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (c[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      bins[f * X.rows + r] = lo;
    }
  });
  return { bins, rows: X.rows };
}

interface Tree {
  /** -1 for a leaf. */
  feature: number[];
  /** Rows whose bin is ≤ split go left. */
  split: number[];
  left: number[];
  right: number[];
  /** Offset of the leaf's value(s) in `values`. */
  at: number[];
  values: number[];
}

interface GrowInput {
  bins: Uint8Array;
  n: number;
  width: number;
  nBins: Int32Array;
  /** Class index (classification) or value. */
  y: ArrayLike<number>;
  /** 0 for regression. */
  classes: number;
  mtry: number;
  opts: ForestOptions;
}

/**
 * One CART tree on a bootstrap sample given as weights (how often each row was drawn, as sklearn does it; `sample`
 * lists the rows drawn at least once): Gini (classification) or squared error (regression), best split per node.
 */
function growTree(g: GrowInput, sample: Int32Array, weight: Float64Array, rng: Rng): Tree {
  // Hot loops below: fields read into locals and no array destructuring, which V8 does not always optimise away.
  const { bins, y, classes, width, mtry, nBins, n } = g;
  const { maxDepth, minLeaf } = g.opts;
  const tree: Tree = { feature: [], split: [], left: [], right: [], at: [], values: [] };
  const K = Math.max(1, classes);
  const hist = new Float64Array(Math.max(...nBins, 1) * K);
  const count = new Float64Array(Math.max(...nBins, 1));
  const total = new Float64Array(K);
  const acc = new Float64Array(K);
  const order = Int32Array.from({ length: width }, (_, i) => i);
  // The node's targets and weights travel with `sample` (permuted together), so the histogram loop reads them in order.
  const ys = Float64Array.from(sample, (r) => y[r]!);
  const ws = Float64Array.from(sample, (r) => weight[r]!);
  const newNode = (): number => {
    tree.feature.push(-1);
    tree.split.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.at.push(-1);
    return tree.feature.length - 1;
  };
  // Pending nodes as (node, start, end, depth) quadruples over `sample`.
  const stack: number[] = [newNode(), 0, sample.length, 0];
  while (stack.length) {
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;
    total.fill(0);
    let N = 0;
    for (let i = start; i < end; i++) {
      N += ws[i]!;
      if (classes) total[ys[i]!]! += ws[i]!;
      else total[0]! += ws[i]! * ys[i]!;
    }
    // Split score to beat: Σ_k c_k²/n (Gini) or s²/n (squared error); a split's is the same summed over both sides.
    let parent = 0;
    let pure = false;
    for (let k = 0; k < K; k++) {
      parent += (total[k]! * total[k]!) / N;
      if (classes && total[k] === N) pure = true;
    }
    let bestF = -1;
    let bestT = 0;
    let bestGain = 1e-12 * Math.max(1, Math.abs(parent));
    if (depth < maxDepth && N >= 2 * minLeaf && !pure) {
      let visited = 0;
      for (let j = 0; j < width && visited < mtry; j++) {
        const s = j + rng.int(width - j);
        const f = order[s]!;
        order[s] = order[j]!;
        order[j] = f;
        const nb = nBins[f]!;
        if (nb < 2) continue;
        const base = f * n;
        // Only the bins the node's rows fall in are scanned and cleared: deep nodes span few of them.
        let lo = nb;
        let hi = 0;
        for (let i = start; i < end; i++) {
          const b = bins[base + sample[i]!]!;
          const w = ws[i]!;
          count[b]! += w;
          if (classes) hist[b * K + ys[i]!]! += w;
          else hist[b]! += w * ys[i]!;
          if (b < lo) lo = b;
          if (b > hi) hi = b;
        }
        // A feature constant in this node does not count towards mtry, as in sklearn.
        if (lo < hi) {
          visited++;
          acc.fill(0);
          let nL = 0;
          for (let t = lo; t < hi; t++) {
            if (count[t] === 0) continue;
            nL += count[t]!;
            for (let k = 0; k < K; k++) acc[k]! += hist[t * K + k]!;
            const nR = N - nL;
            if (nL < minLeaf) continue;
            if (nR < minLeaf) break;
            let score = -parent;
            for (let k = 0; k < K; k++) {
              const a = acc[k]!;
              const rest = total[k]! - a;
              score += (a * a) / nL + (rest * rest) / nR;
            }
            if (score > bestGain) {
              bestF = f;
              bestT = t;
              bestGain = score;
            }
          }
        }
        hist.fill(0, lo * K, (hi + 1) * K);
        count.fill(0, lo, hi + 1);
      }
    }
    if (bestF < 0) {
      tree.at[node] = tree.values.length;
      for (let k = 0; k < K; k++) tree.values.push(total[k]! / N);
      continue;
    }
    // Partition the node's rows in place: bin ≤ split to the front.
    const base = bestF * n;
    let mid = start;
    for (let i = start; i < end; i++) {
      const r = sample[i]!;
      if (bins[base + r]! <= bestT) {
        const yi = ys[i]!;
        const wi = ws[i]!;
        sample[i] = sample[mid]!;
        ys[i] = ys[mid]!;
        ws[i] = ws[mid]!;
        sample[mid] = r;
        ys[mid] = yi;
        ws[mid] = wi;
        mid++;
      }
    }
    const l = newNode();
    const r = newNode();
    tree.feature[node] = bestF;
    tree.split[node] = bestT;
    tree.left[node] = l;
    tree.right[node] = r;
    stack.push(r, mid, end, depth + 1, l, start, mid, depth + 1);
  }
  return tree;
}

export interface Forest {
  /** Bins rows with the training cut points (permutation importance permutes these, not the raw values). */
  bin(X: Encoded): Binned;
  predictBinned(b: Binned): Float64Array;
  predict(X: Encoded): Float64Array;
}

/**
 * A random forest as sklearn builds one: bootstrap samples, √features candidates per split for classification and,
 * for regression, a third of them (Breiman's default, as R's randomForest; sklearn tries all, three times the work),
 * probabilities averaged over the trees' leaf class shares.
 * `classes` = 0 for regression; otherwise y holds class indexes and predictions are rows × classes, row-major.
 */
export function fitForest(X: Encoded, y: ArrayLike<number>, classes: number, rng: Rng, opts: ForestOptions = FOREST_DEFAULTS, onTree?: (i: number) => void): Forest {
  const cuts = fitCuts(X, Math.min(255, opts.maxBins));
  const { bins } = applyCuts(cuts, X);
  const nBins = Int32Array.from(cuts, (c) => c.length + 1);
  const mtry = Math.max(1, Math.floor(classes ? Math.sqrt(X.width) : X.width / 3));
  const input: GrowInput = { bins, n: X.rows, width: X.width, nBins, y, classes, mtry, opts };
  const trees: Tree[] = [];
  for (let t = 0; t < opts.trees; t++) {
    const treeRng = rng.fork(`tree ${t}`);
    const weight = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) weight[treeRng.int(X.rows)]!++;
    const sample = Int32Array.from(weight.keys()).filter((r) => weight[r]! > 0);
    trees.push(growTree(input, sample, weight, treeRng));
    onTree?.(t);
  }
  const K = Math.max(1, classes);
  const predictBinned = (b: Binned): Float64Array => {
    const out = new Float64Array(b.rows * K);
    for (const tree of trees) {
      for (let r = 0; r < b.rows; r++) {
        let node = 0;
        while (tree.feature[node]! >= 0) node = b.bins[tree.feature[node]! * b.rows + r]! <= tree.split[node]! ? tree.left[node]! : tree.right[node]!;
        const at = tree.at[node]!;
        for (let k = 0; k < K; k++) out[r * K + k]! += tree.values[at + k]!;
      }
    }
    for (let i = 0; i < out.length; i++) out[i]! /= trees.length;
    return out;
  };
  const bin = (Xt: Encoded): Binned => applyCuts(cuts, Xt);
  return { bin, predictBinned, predict: (Xt) => predictBinned(bin(Xt)) };
}

/** Solves A x = b for a symmetric positive definite A (row-major d × d). */
function solveSpd(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const rows = Array.from({ length: d }, (_, i) => Array.from(A.subarray(i * d, (i + 1) * d)));
  const chol = new CholeskyDecomposition(new Matrix(rows));
  if (!chol.isPositiveDefinite()) throw new Error('The model matrix is not positive definite.');
  return Float64Array.from(chol.solve(Matrix.columnVector(Array.from(b))).to1DArray());
}

/** Adds w · [x, 1][x, 1]ᵀ to the upper triangle of H; skips zero features (one-hot columns are mostly zero). */
function addOuter(H: Float64Array, x: Float64Array, w: number, d: number): void {
  for (let a = 0; a < d; a++) {
    const xa = x[a]!;
    if (xa === 0) continue;
    const wa = w * xa;
    for (let b = a; b < d; b++) H[a * d + b]! += wa * x[b]!;
  }
}

function mirror(H: Float64Array, d: number): void {
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) H[a * d + b] = H[b * d + a]!;
}

/** Row r with a trailing 1 (the intercept) into `buf`. */
function rowWithOne(X: Encoded, r: number, buf: Float64Array): Float64Array {
  buf.set(X.X.subarray(r * X.width, (r + 1) * X.width));
  buf[X.width] = 1;
  return buf;
}

const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Binary logistic regression with sklearn's objective (C · Σ log-loss + ½‖w‖², intercept not penalised), by Newton's
 * method with step halving: the optimum is unique, so the weights match sklearn's to its solver's tolerance.
 * Returns the weights followed by the intercept.
 */
export function fitLogisticBinary(X: Encoded, y01: ArrayLike<number>, C = 1): Float64Array {
  const d = X.width + 1;
  const w = new Float64Array(d);
  const buf = new Float64Array(d);
  const z = new Float64Array(X.rows);
  const objective = (v: Float64Array): number => {
    let f = 0;
    for (let r = 0; r < X.rows; r++) {
      rowWithOne(X, r, buf);
      let s = 0;
      for (let a = 0; a < d; a++) s += buf[a]! * v[a]!;
      z[r] = s;
      f += C * (softplus(s) - y01[r]! * s);
    }
    for (let a = 0; a < d - 1; a++) f += 0.5 * v[a]! * v[a]!;
    return f;
  };
  let f = objective(w);
  for (let iter = 0; iter < 100; iter++) {
    const g = new Float64Array(d);
    const H = new Float64Array(d * d);
    for (let r = 0; r < X.rows; r++) {
      rowWithOne(X, r, buf);
      const p = sigmoid(z[r]!);
      for (let a = 0; a < d; a++) g[a]! += C * (p - y01[r]!) * buf[a]!;
      addOuter(H, buf, C * p * (1 - p), d);
    }
    for (let a = 0; a < d - 1; a++) {
      g[a]! += w[a]!;
      H[a * d + a]! += 1;
    }
    // The intercept's diagonal can vanish when every row is certain; a tiny jitter keeps Cholesky defined.
    H[d * d - 1]! += 1e-12;
    mirror(H, d);
    const step = solveSpd(H, g, d);
    let t = 1;
    let next = w.map((v, a) => v - step[a]!);
    let fNext = objective(next);
    while (fNext > f && t > 1e-10) {
      t /= 2;
      next = w.map((v, a) => v - t * step[a]!);
      fNext = objective(next);
    }
    const moved = Math.max(...step.map((s) => Math.abs(t * s)));
    w.set(next);
    f = fNext; // z already holds this point's scores, from its objective call
    if (moved < 1e-10) break;
  }
  return w;
}

function linear(X: Encoded, w: Float64Array, r: number): number {
  let s = w[X.width]!;
  for (let a = 0; a < X.width; a++) s += X.X[r * X.width + a]! * w[a]!;
  return s;
}

export interface Predictor {
  predict(X: Encoded): Float64Array;
}

/**
 * Logistic regression over `classes` classes: one model for two classes, one-vs-rest with normalised probabilities
 * for more (sklearn's multi_class='ovr'). Classes absent from y get probability 0; a single class gets 1 everywhere.
 */
export function fitLogistic(X: Encoded, y: ArrayLike<number>, classes: number, C = 1): Predictor {
  const present = [...new Set(Array.from(y))].sort((a, b) => a - b);
  const fits = present.length === 2 ? [present[1]!] : present.length > 2 ? present : [];
  const weights = fits.map((k) => fitLogisticBinary(X, Float64Array.from(y, (v) => (v === k ? 1 : 0)), C));
  return {
    predict(Xt: Encoded): Float64Array {
      const out = new Float64Array(Xt.rows * classes);
      for (let r = 0; r < Xt.rows; r++) {
        const row = out.subarray(r * classes, (r + 1) * classes);
        if (present.length === 1) row[present[0]!] = 1;
        else if (present.length === 2) {
          const p = sigmoid(linear(Xt, weights[0]!, r));
          row[present[1]!] = p;
          row[present[0]!] = 1 - p;
        } else {
          let sum = 0;
          fits.forEach((k, i) => {
            row[k] = sigmoid(linear(Xt, weights[i]!, r));
            sum += row[k];
          });
          for (const k of fits) row[k] = row[k]! / sum;
        }
      }
      return out;
    },
  };
}

/** Least squares with a small ridge penalty α‖w‖² (intercept not penalised), so one-hot columns stay solvable. */
export function fitRidge(X: Encoded, y: ArrayLike<number>, alpha = 1e-3): Predictor {
  const d = X.width + 1;
  const A = new Float64Array(d * d);
  const b = new Float64Array(d);
  const buf = new Float64Array(d);
  for (let r = 0; r < X.rows; r++) {
    rowWithOne(X, r, buf);
    addOuter(A, buf, 1, d);
    for (let a = 0; a < d; a++) b[a]! += buf[a]! * y[r]!;
  }
  for (let a = 0; a < d - 1; a++) A[a * d + a]! += alpha;
  mirror(A, d);
  const w = solveSpd(A, b, d);
  return { predict: (Xt) => Float64Array.from({ length: Xt.rows }, (_, r) => linear(Xt, w, r)) };
}
