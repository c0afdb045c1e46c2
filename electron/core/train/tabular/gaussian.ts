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

/** φ₂(a, b; r), the standard bivariate normal density with correlation r. */
function bivariateDensity(a: number, b: number, r: number): number {
  const q = 1 - r * r;
  return Math.exp(-(a * a - 2 * r * a * b + b * b) / (2 * q)) / (2 * Math.PI * Math.sqrt(q));
}

/** Φ₂(a, b; ρ) = P(Z₁ < a, Z₂ < b), by Plackett's identity ∂Φ₂/∂ρ = φ₂ integrated from ρ = 0 (Simpson, 200 steps). */
export function bivariateNormalCdf(a: number, b: number, rho: number): number {
  const steps = 200;
  const h = rho / steps;
  let s = bivariateDensity(a, b, 0) + bivariateDensity(a, b, rho);
  for (let i = 1; i < steps; i++) s += (i % 2 === 1 ? 4 : 2) * bivariateDensity(a, b, i * h);
  return normalCdf(a) * normalCdf(b) + (s * h) / 3;
}

/** Largest |ρ| tetrachoric() returns: nested or identical masks would otherwise make the matrix singular. */
export const TETRACHORIC_MAX = 0.999;

/**
 * The tetrachoric correlation: the ρ of a bivariate normal whose lower-left cell below thresholds (a, b) holds share
 * p, by bisection. It is the latent correlation of two thresholded normals, which the Pearson correlation of scores
 * jittered within their slices underestimates (two columns always missing together came out missing together half
 * as often).
 */
export function tetrachoric(a: number, b: number, p: number): number {
  let [lo, hi] = [-TETRACHORIC_MAX, TETRACHORIC_MAX];
  if (p <= bivariateNormalCdf(a, b, lo)) return lo;
  if (p >= bivariateNormalCdf(a, b, hi)) return hi;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (bivariateNormalCdf(a, b, mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major) of a symmetric d×d matrix, by cyclic Jacobi. */
export function symmetricEigen(m: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += (a[p * d + q] as number) ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++)
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = ((a[q * d + q] as number) - (a[p * d + p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const [akp, akq] = [a[k * d + p] as number, a[k * d + q] as number];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const [apk, aqk] = [a[p * d + k] as number, a[q * d + k] as number];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const [vkp, vkq] = [v[k * d + p] as number, v[k * d + q] as number];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
  }
  return { values: Float64Array.from({ length: d }, (_, i) => a[i * d + i] as number), vectors: v };
}

/**
 * A positive-definite correlation matrix near m: eigenvalues raised to at least `floor`, then rescaled to a unit
 * diagonal. Unlike shrinking every entry toward the identity, it keeps strong, consistent blocks (columns missing
 * together) strong.
 */
export function nearestCorrelation(m: Float64Array, d: number, floor = 1e-3): Float64Array {
  const { values, vectors } = symmetricEigen(m, d);
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (vectors[i * d + k] as number) * Math.max(floor, values[k] as number) * (vectors[j * d + k] as number);
      out[i * d + j] = out[j * d + i] = s;
    }
  const scale = Float64Array.from({ length: d }, (_, i) => 1 / Math.sqrt(out[i * d + i] as number));
  return out.map((x, idx) => (Math.floor(idx / d) === idx % d ? 1 : x * (scale[Math.floor(idx / d)] as number) * (scale[idx % d] as number)));
}
