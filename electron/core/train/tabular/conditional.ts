// Draws from a standard multivariate normal N(0, R) given conditions on some coordinates: a fixed value, or an
// interval (a category's slice of the latent axis). The copula uses it for conditional sampling, which is exact
// rather than rejection-based, so a rare category costs no more to condition on than a common one.
import type { Rng } from '../rng';
import { cholesky, choleskyShrunk, choleskySolve, normalCdf, normalQuantile } from './gaussian';

/** A condition on one latent coordinate: `fixed` pins it; otherwise it must fall in [lo, hi] (±Infinity allowed). */
export type DimCondition = { dim: number; fixed: number } | { dim: number; lo: number; hi: number };

export interface ConditionalSampler {
  /** One draw of the full latent vector (length d), conditions honoured. */
  draw(rng: Rng): Float64Array;
}

// Gibbs sweeps per row when two or more coordinates are interval-conditioned; one coordinate is drawn exactly.
const GIBBS_SWEEPS = 20;

/** N(mean, sd²) truncated to [lo, hi], by inverting Φ; the interval is mirrored into the lower tail, where Φ is accurate. */
export function truncatedNormal(mean: number, sd: number, lo: number, hi: number, rng: Rng): number {
  let a = (lo - mean) / sd;
  let b = (hi - mean) / sd;
  const flip = a > 0;
  if (flip) [a, b] = [-b, -a];
  const pa = normalCdf(a);
  const pb = normalCdf(b);
  let z: number;
  if (pb - pa > 1e-300) z = normalQuantile(pa + (pb - pa) * rng.uniform());
  else z = Number.isFinite(b) ? b : a; // an interval beyond double precision: its nearer edge
  z = Math.min(b, Math.max(a, z));
  return mean + sd * (flip ? -z : z);
}

function sub(r: Float64Array, d: number, rows: number[], cols: number[]): Float64Array {
  const out = new Float64Array(rows.length * cols.length);
  rows.forEach((i, a) => cols.forEach((j, b) => (out[a * cols.length + b] = r[i * d + j] as number)));
  return out;
}

function lowerTimes(l: Float64Array, k: number, rng: Rng): Float64Array {
  const e = Float64Array.from({ length: k }, () => rng.normal());
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j <= i; j++) s += (l[i * k + j] as number) * (e[j] as number);
    out[i] = s;
  }
  return out;
}

/** Prepares a sampler for N(0, R) (R positive definite, unit diagonal) under the given conditions. */
export function conditionalSampler(r: Float64Array, d: number, conditions: DimCondition[]): ConditionalSampler {
  if (conditions.length === 0) {
    const l = cholesky(r, d) ?? choleskyShrunk(r, d).lower;
    return { draw: (rng) => lowerTimes(l, d, rng) };
  }
  const cDims = conditions.map((c) => c.dim);
  const uDims = [...Array(d).keys()].filter((i) => !cDims.includes(i));
  const k = cDims.length;
  const lcc = cholesky(sub(r, d, cDims, cDims), k) ?? choleskyShrunk(sub(r, d, cDims, cDims), k).lower;

  // Precision of the conditioned block: each conditioned coordinate given the others is N(−Σ Qij zj / Qii, 1 / Qii).
  const q = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const col = choleskySolve(lcc, k, Float64Array.from({ length: k }, (_, i) => (i === j ? 1 : 0)));
    for (let i = 0; i < k; i++) q[i * k + j] = col[i] as number;
  }
  // The rest given the conditioned block: mean W·zC with W = R_UC R_CC⁻¹, covariance R_UU − W·R_CU.
  const m = uDims.length;
  const w = new Float64Array(m * k);
  uDims.forEach((u, a) => {
    const row = choleskySolve(lcc, k, Float64Array.from(cDims, (c) => r[c * d + u] as number));
    for (let b = 0; b < k; b++) w[a * k + b] = row[b] as number;
  });
  const cov = sub(r, d, uDims, uDims);
  for (let a = 0; a < m; a++)
    for (let b = 0; b < m; b++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += (w[a * k + j] as number) * (r[(cDims[j] as number) * d + (uDims[b] as number)] as number);
      cov[a * m + b] = (cov[a * m + b] as number) - s;
    }
  // A coordinate the conditions determine exactly has zero variance left; a tiny floor keeps the factorisation alive.
  for (let a = 0; a < m; a++) cov[a * m + a] = Math.max(cov[a * m + a] as number, 1e-9);
  const lu = m > 0 ? choleskyShrunk(cov, m).lower : new Float64Array(0);

  const intervals = conditions.flatMap((c, i) => ('fixed' in c ? [] : [i]));
  const sweeps = intervals.length > 1 ? GIBBS_SWEEPS : 1;
  return {
    draw(rng) {
      const zc = Float64Array.from(conditions, (c) => ('fixed' in c ? c.fixed : 0));
      // Start each coordinate inside its own interval, then sweep its conditional given the rest.
      for (const i of intervals) {
        const c = conditions[i] as { lo: number; hi: number };
        zc[i] = truncatedNormal(0, 1, c.lo, c.hi, rng);
      }
      for (let s = 0; s < sweeps; s++)
        for (const i of intervals) {
          const c = conditions[i] as { lo: number; hi: number };
          const qii = q[i * k + i] as number;
          let acc = 0;
          for (let j = 0; j < k; j++) if (j !== i) acc += (q[i * k + j] as number) * (zc[j] as number);
          zc[i] = truncatedNormal(-acc / qii, Math.sqrt(1 / qii), c.lo, c.hi, rng);
        }
      const z = new Float64Array(d);
      cDims.forEach((dim, j) => (z[dim] = zc[j] as number));
      const noise = lowerTimes(lu, m, rng);
      uDims.forEach((dim, a) => {
        let mean = 0;
        for (let j = 0; j < k; j++) mean += (w[a * k + j] as number) * (zc[j] as number);
        z[dim] = mean + (noise[a] as number);
      });
      return z;
    },
  };
}
