// The normal distribution and the small dense linear algebra the Gaussian copula needs, written here so the core
// carries no numeric dependency. Matrices are row-major Float64Arrays of d×d.

const SQRT_2PI = 2.5066282746310002;

/**
 * Φ, the standard normal CDF: Hart's algorithm 5666 as given by G. West ("Better approximations to cumulative
 * normal functions", 2005), double precision (≈1e-15 absolute) and computed directly in the lower tail, so Φ(−10) is
 * not 0 and the Newton step in Φ⁻¹ stays accurate there.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  let lower: number;
  if (ax > 37) lower = 0;
  else {
    const e = Math.exp(-0.5 * ax * ax);
    if (ax < 7.07106781186547) {
      let num = 3.52624965998911e-2 * ax + 0.700383064443688;
      num = num * ax + 6.37396220353165;
      num = num * ax + 33.912866078383;
      num = num * ax + 112.079291497871;
      num = num * ax + 221.213596169931;
      num = num * ax + 220.206867912376;
      let den = 8.83883476483184e-2 * ax + 1.75566716318264;
      den = den * ax + 16.064177579207;
      den = den * ax + 86.7807322029461;
      den = den * ax + 296.564248779674;
      den = den * ax + 637.333633378831;
      den = den * ax + 793.826512519948;
      den = den * ax + 440.413735824752;
      lower = (e * num) / den;
    } else {
      // Continued fraction for the far tail.
      let b = ax + 0.65;
      b = ax + 4 / b;
      b = ax + 3 / b;
      b = ax + 2 / b;
      b = ax + 1 / b;
      lower = e / b / SQRT_2PI;
    }
  }
  return x > 0 ? 1 - lower : lower;
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function poly(coef: number[], x: number): number {
  let y = 0;
  for (const c of coef) y = y * x + c;
  return y;
}

/**
 * Φ⁻¹, the standard normal quantile: P. J. Acklam's rational approximation (relative error 1.15e-9) refined by one
 * Halley step against Φ, which brings it to near machine precision so Φ(Φ⁻¹(p)) ≈ p round-trips in the copula.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0)) return p === 0 ? -Infinity : Number.NaN;
  if (!(p < 1)) return p === 1 ? Infinity : Number.NaN;
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = poly(C, q) / (poly(D, q) * q + 1);
  } else if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x = (poly(A, r) * q) / (poly(B, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -poly(C, q) / (poly(D, q) * q + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

/** Lower-triangular L with L·Lᵀ = M, or null when M is not (numerically) positive definite. */
export function cholesky(m: Float64Array, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i * d + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * d + k] as number) * (l[j * d + k] as number);
      if (i === j) {
        if (!(s > 1e-12)) return null;
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / (l[j * d + j] as number);
    }
  }
  return l;
}

/**
 * Cholesky of a correlation-like matrix, shrinking it toward the identity in steps of 1e-3 until it factorises: a
 * pairwise-complete estimate need not be positive definite, and the smallest shrink keeps the most structure.
 */
export function choleskyShrunk(m: Float64Array, d: number): { matrix: Float64Array; lower: Float64Array; shrink: number } {
  for (let step = 0; step <= 1000; step++) {
    const lambda = step / 1000;
    const shrunk = m.map((v, idx) => (Math.floor(idx / d) === idx % d ? v : (1 - lambda) * v));
    const lower = cholesky(shrunk, d);
    if (lower) return { matrix: shrunk, lower, shrink: lambda };
  }
  throw new RangeError('The correlation matrix has a non-positive diagonal.');
}

/** Solves (L·Lᵀ)·x = b in place of a copy of b, for the conditional Gaussian's regression weights. */
export function choleskySolve(lower: Float64Array, d: number, b: Float64Array): Float64Array {
  const y = Float64Array.from(b);
  for (let i = 0; i < d; i++) {
    let s = y[i] as number;
    for (let k = 0; k < i; k++) s -= (lower[i * d + k] as number) * (y[k] as number);
    y[i] = s / (lower[i * d + i] as number);
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < d; k++) s -= (lower[k * d + i] as number) * (y[k] as number);
    y[i] = s / (lower[i * d + i] as number);
  }
  return y;
}
