// Two-sample comparisons shared by the generator tests and the validation report: how far synthetic columns are
// from the real ones. Missing values (NaN) are skipped, so callers can pass whole columns.

function present(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(Array.from(values).filter((v) => !Number.isNaN(v))).sort();
}

/**
 * The two-sample Kolmogorov–Smirnov statistic D = sup |F_a(x) − F_b(x)| over the non-missing values: 0 for identical
 * distributions, 1 for disjoint ones. Ties are handled by stepping past every copy of a value before comparing.
 * Returns NaN when either side has no values.
 */
export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = present(a);
  const y = present(b);
  if (x.length === 0 || y.length === 0) return Number.NaN;
  let [i, j, d] = [0, 0, 0];
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i] as number, y[j] as number);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/** Pearson correlation over the pairs where both values are present; NaN with fewer than 3 pairs or no spread. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError('pearson() needs two columns of the same length.');
  let [n, sa, sb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    n++;
    sa += a[i] as number;
    sb += b[i] as number;
  }
  if (n < 3) return Number.NaN;
  const [ma, mb] = [sa / n, sb / n];
  let [saa, sbb, sab] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    const [da, db] = [(a[i] as number) - ma, (b[i] as number) - mb];
    saa += da * da;
    sbb += db * db;
    sab += da * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN;
}

/** Average ranks (1-based, ties sharing their mean rank) of the non-missing values; NaN stays NaN. */
export function ranks(values: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: values.length }, (_, i) => i).filter((i) => !Number.isNaN(values[i]));
  idx.sort((p, q) => (values[p] as number) - (values[q] as number));
  const out = new Float64Array(values.length).fill(Number.NaN);
  for (let s = 0; s < idx.length; ) {
    let e = s;
    while (e + 1 < idx.length && values[idx[e + 1] as number] === values[idx[s] as number]) e++;
    for (let t = s; t <= e; t++) out[idx[t] as number] = (s + e) / 2 + 1;
    s = e + 1;
  }
  return out;
}

/** Spearman's rank correlation over the pairs where both values are present. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const both = Array.from({ length: a.length }, (_, i) => i).filter((i) => !Number.isNaN(a[i]) && !Number.isNaN(b[i]));
  return pearson(ranks(both.map((i) => a[i] as number)), ranks(both.map((i) => b[i] as number)));
}
