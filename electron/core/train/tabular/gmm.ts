// One-dimensional Gaussian mixtures for CTGAN/TVAE mode-specific normalisation (Xu et al. 2019, §4.2).
// Simplification: the paper fits a variational (Dirichlet-prior) GMM, which prunes unneeded modes through its prior;
// here maximum-likelihood EM mixtures for K = 1..10 are fitted and the K with the lowest BIC is kept, which likewise
// finds the number of modes (two for a clearly bimodal column) without a variational fit.
import type { Rng } from '../rng';
import { normalCdf, normalQuantile } from './gaussian';

export interface Gmm {
  weights: number[];
  means: number[];
  stds: number[];
}

export interface GmmOptions {
  /** Most components tried (the paper's 10). */
  maxComponents?: number;
  /** Components lighter than this are dropped and the rest refitted (the paper's 0.005). */
  minWeight?: number;
  /** EM iterations per fit. */
  maxIterations?: number;
  /** Values used to fit; a seeded subsample beyond this keeps large tables fast. */
  maxFitValues?: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

interface Fit {
  w: Float64Array;
  mu: Float64Array;
  sd: Float64Array;
  logLik: number;
}

/** Seeded k-means++ seeding: a first centre at random, then each next one with probability ∝ squared distance. */
function seedCentres(x: Float64Array, k: number, rng: Rng): number[] {
  const centres = [x[rng.int(x.length)] as number];
  const d2 = x.map((v) => (v - (centres[0] as number)) ** 2);
  while (centres.length < k) {
    if (!d2.some((d) => d > 0)) break; // fewer distinct values than k
    const c = x[rng.choice(d2)] as number;
    centres.push(c);
    for (let i = 0; i < x.length; i++) d2[i] = Math.min(d2[i] as number, ((x[i] as number) - c) ** 2);
  }
  return centres.sort((a, b) => a - b);
}

/** Hard-assigns each value to its nearest centre to start EM from sensible weights, means and spreads. */
function initialFit(x: Float64Array, centres: number[], floor: number): Fit {
  const k = centres.length;
  const [n1, s1, s2] = [new Float64Array(k), new Float64Array(k), new Float64Array(k)];
  for (const v of x) {
    let best = 0;
    for (let j = 1; j < k; j++) if (Math.abs(v - (centres[j] as number)) < Math.abs(v - (centres[best] as number))) best = j;
    n1[best]! += 1;
    s1[best]! += v;
    s2[best]! += v * v;
  }
  const keep = [...n1.keys()].filter((j) => (n1[j] as number) > 0);
  const mu = Float64Array.from(keep, (j) => (s1[j] as number) / (n1[j] as number));
  const sd = Float64Array.from(keep, (j, i) => Math.sqrt(Math.max(floor * floor, (s2[j] as number) / (n1[j] as number) - (mu[i] as number) ** 2)));
  return { w: Float64Array.from(keep, (j) => (n1[j] as number) / x.length), mu, sd, logLik: -Infinity };
}

/** EM to convergence (or maxIterations); variances are floored so a component cannot collapse onto one value. */
function em(x: Float64Array, start: Fit, floor: number, maxIterations: number): Fit {
  const { w, mu, sd } = start;
  const k = w.length;
  const n = x.length;
  const logp = new Float64Array(k);
  const [nk, sx, sxx] = [new Float64Array(k), new Float64Array(k), new Float64Array(k)];
  let logLik = -Infinity;
  for (let iter = 0; iter < maxIterations; iter++) {
    nk.fill(0);
    sx.fill(0);
    sxx.fill(0);
    let total = 0;
    const base = Array.from(w, (wj, j) => Math.log(wj) - Math.log(sd[j] as number) - 0.5 * LOG_2PI);
    for (const v of x) {
      let top = -Infinity;
      for (let j = 0; j < k; j++) {
        const z = (v - (mu[j] as number)) / (sd[j] as number);
        logp[j] = (base[j] as number) - 0.5 * z * z;
        if ((logp[j] as number) > top) top = logp[j] as number;
      }
      let sum = 0;
      for (let j = 0; j < k; j++) {
        logp[j] = Math.exp((logp[j] as number) - top); // now the unnormalised responsibility
        sum += logp[j] as number;
      }
      total += top + Math.log(sum);
      for (let j = 0; j < k; j++) {
        const r = (logp[j] as number) / sum;
        nk[j]! += r;
        sx[j]! += r * v;
        sxx[j]! += r * v * v;
      }
    }
    for (let j = 0; j < k; j++) {
      const nj = Math.max(nk[j] as number, 1e-12);
      w[j] = nj / n;
      mu[j] = (sx[j] as number) / nj;
      sd[j] = Math.sqrt(Math.max(floor * floor, (sxx[j] as number) / nj - (mu[j] as number) ** 2));
    }
    // Converged when the mean log-likelihood gains less than 1e-6 per value (sklearn stops at 1e-3).
    const converged = total - logLik < 1e-6 * n;
    logLik = total;
    if (converged) break;
  }
  return { w, mu, sd, logLik };
}

/** EM, then drop components below minWeight and refit from the survivors until none is too light. */
function fitK(x: Float64Array, k: number, floor: number, rng: Rng, minWeight: number, maxIterations: number): Fit {
  let fit = em(x, initialFit(x, seedCentres(x, k, rng), floor), floor, maxIterations);
  for (;;) {
    const keep = [...fit.w.keys()].filter((j) => (fit.w[j] as number) >= minWeight);
    if (keep.length === fit.w.length || keep.length === 0) return fit;
    const total = keep.reduce((s, j) => s + (fit.w[j] as number), 0);
    const pick = (a: Float64Array): Float64Array => Float64Array.from(keep, (j) => a[j] as number);
    fit = em(x, { w: pick(fit.w).map((v) => v / total), mu: pick(fit.mu), sd: pick(fit.sd), logLik: -Infinity }, floor, maxIterations);
  }
}

/**
 * Fits a mixture to the (non-missing) values, working on standardised values for numerical stability. After the
 * fit, a component is widened where needed so every training value lies within 4σ of some mode: the encoding
 * (x − μ)/4σ then never clips a training value, so inverse(transform(x)) reproduces it.
 */
export function fitGmm(values: Float64Array, rng: Rng, options: GmmOptions = {}): Gmm {
  const { maxComponents = 10, minWeight = 0.005, maxIterations = 100, maxFitValues = 5_000 } = options;
  if (values.length === 0) throw new RangeError('fitGmm needs at least one value.');
  let sample = values;
  if (values.length > maxFitValues) {
    const idx = rng.shuffle([...values.keys()]).slice(0, maxFitValues);
    sample = Float64Array.from(idx, (i) => values[i] as number);
  }
  const n = sample.length;
  const mean = sample.reduce((s, v) => s + v, 0) / n;
  const spread = Math.sqrt(sample.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  const scale = spread > 0 ? spread : Math.max(Math.abs(mean), 1);
  const x = sample.map((v) => (v - mean) / scale);
  // Floor: a thousandth of the spread, or half the data's grid step (0.5 for whole numbers), whichever is larger,
  // so tied values (counts, rounded labs) form modes of a sensible width rather than spikes of zero width.
  const sorted = Float64Array.from(x).sort();
  let step = Infinity;
  for (let i = 1; i < n; i++) if ((sorted[i] as number) > (sorted[i - 1] as number)) step = Math.min(step, (sorted[i] as number) - (sorted[i - 1] as number));
  const floor = Math.max(1e-3, Number.isFinite(step) ? step / 2 : 0);

  let best: Fit | null = null;
  let bestBic = Infinity;
  let worse = 0;
  for (let k = 1; k <= maxComponents && worse < 2; k++) {
    const fit = fitK(x, k, floor, rng, minWeight, maxIterations);
    const bic = -2 * fit.logLik + (3 * fit.w.length - 1) * Math.log(n);
    if (bic < bestBic - 1e-9) [best, bestBic, worse] = [fit, bic, 0];
    else worse++;
    if (fit.w.length < k) break; // fewer distinct values (or survivors) than k: larger k cannot add modes
  }
  const fit = best as Fit;
  const order = [...fit.w.keys()].sort((a, b) => (fit.mu[a] as number) - (fit.mu[b] as number));
  const gmm: Gmm = {
    weights: order.map((j) => fit.w[j] as number),
    means: order.map((j) => mean + scale * (fit.mu[j] as number)),
    stds: order.map((j) => scale * (fit.sd[j] as number)),
  };
  for (const v of values) {
    if (covering(gmm, v).length > 0) continue;
    const j = mostLikely(gmm, v);
    gmm.stds[j] = (Math.abs(v - (gmm.means[j] as number)) / 4) * (1 + 1e-9);
  }
  return gmm;
}

/** Components whose ±4σ band holds v: the modes v can be encoded in without clipping. */
export function covering(gmm: Gmm, v: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < gmm.means.length; j++) if (Math.abs(v - (gmm.means[j] as number)) <= 4 * (gmm.stds[j] as number)) out.push(j);
  return out;
}

/** Log of w·N(v | μ, σ) per component (the unnormalised posterior), for the components listed. */
export function logPosterior(gmm: Gmm, v: number, components: number[]): number[] {
  return components.map((j) => {
    const z = (v - (gmm.means[j] as number)) / (gmm.stds[j] as number);
    return Math.log(gmm.weights[j] as number) - Math.log(gmm.stds[j] as number) - 0.5 * z * z;
  });
}

export function mostLikely(gmm: Gmm, v: number): number {
  const lp = logPosterior(gmm, v, [...gmm.means.keys()]);
  return lp.indexOf(Math.max(...lp));
}

/** A mode drawn from the posterior over `components` (all of them when empty). */
export function sampleMode(gmm: Gmm, v: number, components: number[], rng: Rng): number {
  const comps = components.length > 0 ? components : [...gmm.means.keys()];
  const lp = logPosterior(gmm, v, comps);
  const top = Math.max(...lp);
  return comps[rng.choice(lp.map((l) => Math.exp(l - top)))] as number;
}

/**
 * A draw from mode k's Gaussian truncated to [lo, hi] ∩ its ±4σ band, by inverse CDF; null when that interval is
 * empty. Used instead of clipping a decoded value that left the real range, so it lands where the mode puts mass.
 */
export function drawInMode(gmm: Gmm, k: number, lo: number, hi: number, rng: Rng): number | null {
  const mu = gmm.means[k] as number;
  const sd = gmm.stds[k] as number;
  const [a, b] = [Math.max(lo, mu - 4 * sd), Math.min(hi, mu + 4 * sd)];
  if (!(b >= a) || !(sd > 0)) return null;
  const [pa, pb] = [normalCdf((a - mu) / sd), normalCdf((b - mu) / sd)];
  const x = pb > pa ? mu + sd * normalQuantile(pa + (pb - pa) * rng.uniform()) : a + (b - a) * rng.uniform();
  return Math.min(b, Math.max(a, x));
}
