// Singling out, as Anonymeter's SinglingOutEvaluator measures it (Giomi et al. 2022): the attacker writes predicates
// from the synthetic rows alone; a predicate succeeds on a set of real rows when it matches exactly one of them.
// Training, holdout and synthetic rows are deduplicated first, as Anonymeter does (two identical rows cannot be
// told apart, and a duplicate would hide a row that is otherwise unique).
import type { Rng } from '../train/rng';
import { quantile } from './stats';
import type { Checkpoint, Column, Frame, Frames } from './types';

export type PredicateOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'missing' | 'present';

/** One condition of a predicate: a number for numeric columns, the category's text for categorical ones. */
export interface Condition {
  column: string;
  op: PredicateOp;
  value: number | string | null;
}

/** A predicate that singled out one training row, and that row (its index in the training frame). */
export interface SingledOut {
  predicate: string;
  row: number;
  conditions: Condition[];
}

export interface SinglingOutCounts {
  mode: 'univariate' | 'multivariate';
  nCols: number;
  requested: number;
  /** Predicates that single out one synthetic row (at most `requested`). */
  queries: number;
  /** Deduplicated rows the predicates are tried on. */
  trainRows: number;
  controlRows: number;
  train: number;
  /** Control successes rescaled to the training size (see sizeCorrection); `controlRaw` before it. */
  control: number;
  controlRaw: number;
  correction: number;
  baseline: number;
  baselineAttempts: number;
  found: SingledOut[];
}

interface Cond {
  col: number;
  op: PredicateOp;
  value: number;
}

type Pred = Cond[];

const valueAt = (c: Column, r: number): number => (c.kind === 'numeric' ? c.values[r]! : c.codes[r]!);
const isMissing = (c: Column, v: number): boolean => (c.kind === 'numeric' ? v !== v : v < 0);

/** pandas' semantics: a missing cell fails every comparison except ≠. */
function holds(cond: Cond, c: Column, r: number): boolean {
  const v = valueAt(c, r);
  const missing = isMissing(c, v);
  switch (cond.op) {
    case 'missing':
      return missing;
    case 'present':
      return !missing;
    case 'ne':
      return missing || v !== cond.value;
    case 'eq':
      return !missing && v === cond.value;
    case 'lt':
      return !missing && v < cond.value;
    case 'le':
      return !missing && v <= cond.value;
    case 'gt':
      return !missing && v > cond.value;
    case 'ge':
      return !missing && v >= cond.value;
  }
}

function matchesRow(p: Pred, f: Frame, r: number): boolean {
  for (const cond of p) if (!holds(cond, f.columns[cond.col]!, r)) return false;
  return true;
}

/** The one row of `rows` that `p` matches, or −1 when it matches none or several. */
function single(p: Pred, f: Frame, rows: Int32Array): number {
  let hit = -1;
  for (const r of rows) {
    if (!matchesRow(p, f, r)) continue;
    if (hit >= 0) return -1;
    hit = r;
  }
  return hit;
}

/** Indices of the first occurrence of every distinct row. */
export function distinctRows(f: Frame): Int32Array {
  const seen = new Set<string>();
  const keep: number[] = [];
  for (let r = 0; r < f.rows; r++) {
    const key = f.columns.map((c) => String(valueAt(c, r))).join('\u0001');
    if (seen.has(key)) continue;
    seen.add(key);
    keep.push(r);
  }
  return Int32Array.from(keep);
}

const SYMBOL: Record<PredicateOp, string> = { eq: '=', ne: '≠', lt: '<', le: '≤', gt: '>', ge: '≥', missing: 'is missing', present: 'is present' };

function valueText(c: Column, v: number): string {
  if (c.kind === 'categorical') return c.levels[v] ?? String(v);
  if (c.type === 'date') return new Date(v * 86_400_000).toISOString().slice(0, 10);
  if (c.type === 'datetime') return new Date(v).toISOString().slice(0, 19);
  return String(v);
}

function describe(p: Pred, f: Frame): { predicate: string; conditions: Condition[] } {
  const conditions = p.map((cond) => {
    const c = f.columns[cond.col]!;
    const none = cond.op === 'missing' || cond.op === 'present';
    return { column: c.name, op: cond.op, value: none ? null : c.kind === 'categorical' ? valueText(c, cond.value) : cond.value };
  });
  const predicate = p
    .map((cond) => {
      const c = f.columns[cond.col]!;
      const none = cond.op === 'missing' || cond.op === 'present';
      return none ? `${c.name} ${SYMBOL[cond.op]}` : `${c.name} ${SYMBOL[cond.op]} ${valueText(c, cond.value)}`;
    })
    .join(' AND ');
  return { predicate, conditions };
}

const keyOf = (p: Pred): string => p.map((c) => `${c.col}:${c.op}:${c.value}`).join('&');

/** Conditions ordered by column name, as Anonymeter writes its queries, so equal predicates have one key. */
const byName = (f: Frame) => (a: Cond, b: Cond) => (f.columns[a.col]!.name < f.columns[b.col]!.name ? -1 : f.columns[a.col]!.name > f.columns[b.col]!.name ? 1 : 0);

function pickColumns(n: number, k: number, rng: Rng): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, k);
}

/**
 * Univariate predicates (Anonymeter's univariate mode): per column, "is missing" when one synthetic row lacks it,
 * x ≤ min and x ≥ max on numeric columns, and equality on every value held by one synthetic row; shuffled, and
 * kept when they single out one synthetic row. Counts come from a tally, so no predicate needs a scan here.
 */
function univariateQueries(syn: Frame, rows: Int32Array, n: number, rng: Rng): Pred[] {
  const order = syn.columns.map((_, i) => i).sort((a, b) => (syn.columns[a]!.name < syn.columns[b]!.name ? -1 : 1));
  const found: Pred[] = [];
  for (const col of order) {
    const c = syn.columns[col]!;
    const tally = new Map<number, number>();
    let missing = 0;
    for (const r of rows) {
      const v = valueAt(c, r);
      if (isMissing(c, v)) missing++;
      else tally.set(v, (tally.get(v) ?? 0) + 1);
    }
    if (missing === 1) found.push([{ col, op: 'missing', value: 0 }]);
    if (c.kind === 'numeric' && tally.size > 0) {
      let [lo, hi] = [Infinity, -Infinity];
      for (const v of tally.keys()) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      if (tally.get(lo) === 1) found.push([{ col, op: 'le', value: lo }]);
      if (tally.get(hi) === 1) found.push([{ col, op: 'ge', value: hi }]);
    }
    for (const [v, k] of tally) if (k === 1) found.push([{ col, op: 'eq', value: v }]);
  }
  return rng.shuffle(found).slice(0, n);
}

/**
 * Multivariate predicates (Anonymeter's multivariate mode): a random synthetic row and `nCols` random columns;
 * equality on categories, and on numbers ≥ the row's value above the synthetic median, ≤ it otherwise. Kept when
 * they single out one synthetic row; stops after `maxAttempts` tries.
 */
function multivariateQueries(syn: Frame, rows: Int32Array, n: number, nCols: number, maxAttempts: number, rng: Rng, check?: Checkpoint): Pred[] {
  const medians = syn.columns.map((c) => {
    if (c.kind !== 'numeric') return Number.NaN;
    const present: number[] = [];
    for (const r of rows) if (!Number.isNaN(c.values[r]!)) present.push(c.values[r]!);
    return quantile(present, 0.5);
  });
  const tried = new Set<string>();
  const found: Pred[] = [];
  for (let attempt = 0; attempt < maxAttempts && found.length < n; attempt++) {
    if (check && attempt % 64 === 0) check(found.length / n);
    const r = rows[rng.int(rows.length)]!;
    const p: Pred = pickColumns(syn.columns.length, nCols, rng).map((col) => {
      const c = syn.columns[col]!;
      const v = valueAt(c, r);
      if (isMissing(c, v)) return { col, op: 'missing', value: 0 };
      if (c.kind === 'categorical') return { col, op: 'eq', value: v };
      return { col, op: v > medians[col]! ? 'ge' : 'le', value: v };
    });
    p.sort(byName(syn));
    const key = keyOf(p);
    if (tried.has(key)) continue;
    tried.add(key);
    if (single(p, syn, rows) >= 0) found.push(p);
  }
  return found;
}

/** The naive attacker (Anonymeter's random queries): random columns, random operators, values drawn from each column's distinct synthetic values. */
function randomQueries(syn: Frame, rows: Int32Array, n: number, nCols: number, rng: Rng): Pred[] {
  const domains = syn.columns.map((c) => [...new Set(Array.from(rows, (r) => valueAt(c, r)))]);
  const NUMERIC_OPS: PredicateOp[] = ['eq', 'ne', 'gt', 'lt', 'ge', 'le'];
  return Array.from({ length: n }, () => {
    const p: Pred = pickColumns(syn.columns.length, nCols, rng).map((col) => {
      const c = syn.columns[col]!;
      const domain = domains[col]!;
      const v = domain[rng.int(domain.length)]!;
      if (isMissing(c, v)) return { col, op: rng.int(2) ? 'present' : 'missing', value: 0 };
      const op = c.kind === 'categorical' ? (rng.int(2) ? 'ne' : 'eq') : NUMERIC_OPS[rng.int(NUMERIC_OPS.length)]!;
      return { col, op, value: v };
    });
    return p.sort(byName(syn));
  });
}

// Lanczos (g = 7, 9 terms): log Γ to about 15 digits, enough for the beta-binomial likelihood below.
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const logBeta = (a: number, b: number): number => logGamma(a) + logGamma(b) - logGamma(a + b);

/**
 * Maximum-likelihood Beta(a, b) for the predicates' weights (the chance a random person matches), from each
 * predicate's match count among n rows (a beta-binomial): a grid over log a, log b, refined by pattern search.
 */
export function betaBinomialFit(counts: readonly number[], n: number): { a: number; b: number } {
  const tally = new Map<number, number>();
  for (const m of counts) tally.set(m, (tally.get(m) ?? 0) + 1);
  const nll = (la: number, lb: number): number => {
    if (la < -12 || la > 12 || lb < -6 || lb > 30) return Infinity;
    const [a, b] = [Math.exp(la), Math.exp(lb)];
    let s = 0;
    for (const [m, k] of tally) s -= k * (logBeta(m + a, n - m + b) - logBeta(a, b));
    return s;
  };
  let best = { la: 0, lb: 0, v: Infinity };
  for (let la = -6; la <= 4; la += 0.25) {
    for (let lb = -2; lb <= 16; lb += 0.25) {
      const v = nll(la, lb);
      if (v < best.v) best = { la, lb, v };
    }
  }
  const moves = [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [-1, -1], [1, -1], [-1, 1]] as const;
  for (let step = 0.125; step > 1e-10; ) {
    let moved = false;
    for (const [da, db] of moves) {
      const v = nll(best.la + da * step, best.lb + db * step);
      if (v < best.v) {
        best = { la: best.la + da * step, lb: best.lb + db * step, v };
        moved = true;
      }
    }
    if (!moved) step /= 2;
  }
  return { a: Math.exp(best.la), b: Math.exp(best.lb) };
}

/** Expected share of predicates that single out one person in a population of `size`, weights ~ Beta(a, b): E[size·w·(1−w)^(size−1)]. */
export function singlingOutShare(a: number, b: number, size: number): number {
  return size * Math.exp(logBeta(a + 1, b + size - 1) - logBeta(a, b));
}

/**
 * The factor that brings the control's success count to the training size. Anonymeter rescales it by a size model
 * (Cohen and Nissim's singling-out probability, weights uniform on [0, w_eff]) fitted with curve_fit to counts on
 * control subsets of min(1000, control) rows and more: below 1000 control rows every subset is the whole control
 * and the fit is undetermined (scipy then drifts to a large w_eff and shrinks the count by the size ratio). Here the
 * weights' distribution is fitted instead to each predicate's match count in the whole control (beta-binomial), and
 * the factor is that model's singling-out share at the training size over the share at the control size.
 */
function sizeCorrection(queries: Pred[], ctl: Frame, rows: Int32Array, nTrain: number): number {
  const n = rows.length;
  if (n === nTrain || n < 2 || queries.length === 0) return 1;
  const counts = queries.map((p) => {
    let m = 0;
    for (const r of rows) if (matchesRow(p, ctl, r)) m++;
    return m;
  });
  if (counts.every((m) => m === 0)) return 1;
  const { a, b } = betaBinomialFit(counts, n);
  const ratio = singlingOutShare(a, b, nTrain) / singlingOutShare(a, b, n);
  return Number.isFinite(ratio) && ratio > 0 ? ratio : 1;
}

/** Runs one mode of the singling-out attack: predicates from the synthetic rows, tried on training and control rows. */
export function singlingOut(
  frames: Frames,
  mode: 'univariate' | 'multivariate',
  opts: { nAttacks: number; nCols: number; rng: Rng; maxAttempts?: number; check?: Checkpoint },
): SinglingOutCounts {
  const { train, holdout, synthetic } = frames;
  const nCols = mode === 'univariate' ? 1 : Math.min(opts.nCols, synthetic.columns.length);
  const synRows = distinctRows(synthetic);
  const trainRows = distinctRows(train);
  const ctlRows = distinctRows(holdout);
  const queries =
    mode === 'univariate'
      ? univariateQueries(synthetic, synRows, opts.nAttacks, opts.rng.fork('queries'))
      : multivariateQueries(synthetic, synRows, opts.nAttacks, nCols, opts.maxAttempts ?? 100 * opts.nAttacks, opts.rng.fork('queries'), opts.check && ((p = 0) => opts.check!(0.8 * p)));
  opts.check?.(0.8);
  const found: SingledOut[] = [];
  let controlRaw = 0;
  for (const p of queries) {
    const row = single(p, train, trainRows);
    if (row >= 0) found.push({ ...describe(p, train), row });
    if (single(p, holdout, ctlRows) >= 0) controlRaw++;
  }
  const baselineQueries = randomQueries(synthetic, synRows, opts.nAttacks, nCols, opts.rng.fork('baseline'));
  let baseline = 0;
  for (const p of baselineQueries) if (single(p, train, trainRows) >= 0) baseline++;
  opts.check?.(0.9);
  const correction = sizeCorrection(queries, holdout, ctlRows, trainRows.length);
  return {
    mode,
    nCols,
    requested: opts.nAttacks,
    queries: queries.length,
    trainRows: trainRows.length,
    controlRows: ctlRows.length,
    train: found.length,
    control: Math.min(queries.length, controlRaw * correction),
    controlRaw,
    correction,
    baseline,
    baselineAttempts: baselineQueries.length,
    found,
  };
}
