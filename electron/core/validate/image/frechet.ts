// Feature-space fidelity: the Fréchet distance between two feature sets (the FID formula, on Airlock's own encoder
// since no pretrained network reaches an air-gapped workstation) and improved precision/recall (Kynkäänniemi 2019).
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { InvalidArgumentError } from '../../errors';
import type { Checkpoint, FeatureRows, FrechetResult, MetricInfo, PrecisionRecallResult } from './types';

export const FRECHET_DISTANCE: MetricInfo = {
  name: 'FrechetDistance',
  definition: 'The Fréchet distance between Gaussians fitted to two feature sets: ‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2(Σ1Σ2)^½), sample covariances, the root’s trace from the eigenvalues of √Σ1 Σ2 √Σ1 (tiny negative ones read as 0); 0 for identical sets.',
  goal: 'minimize',
  min: 0,
  max: Number.POSITIVE_INFINITY,
};
export const IMPROVED_PRECISION: MetricInfo = {
  name: 'ImprovedPrecision',
  definition: 'The share of synthetic feature vectors inside the real manifold: within the distance from some real vector to its k-th nearest real neighbour (Kynkäänniemi et al. 2019, k = 3): how many synthetic images look like real ones.',
  goal: 'maximize',
  min: 0,
  max: 1,
};
export const IMPROVED_RECALL: MetricInfo = {
  name: 'ImprovedRecall',
  definition: 'The share of real feature vectors inside the synthetic manifold: within the distance from some synthetic vector to its k-th nearest synthetic neighbour (k = 3): how much of the real variety the synthetic images cover.',
  goal: 'maximize',
  min: 0,
  max: 1,
};

function checkRows(rows: FeatureRows, what: string, atLeast: number): void {
  if (!Number.isInteger(rows.n) || !Number.isInteger(rows.d) || rows.d < 1 || rows.data.length !== rows.n * rows.d) {
    throw new InvalidArgumentError(`The ${what} feature vectors are malformed (${rows.data.length} values for ${rows.n} vectors of ${rows.d}).`);
  }
  if (rows.n < atLeast) throw new InvalidArgumentError(`The ${what} side needs at least ${atLeast} images for this measure (it has ${rows.n}).`);
}

/** Mean vector and sample covariance (ddof 1, as numpy.cov). */
export function meanCovariance(rows: FeatureRows): { mean: Float64Array; cov: Matrix } {
  const { n, d, data } = rows;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (data[i * d + j] as number);
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / n;
  const acc = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = (data[i * d + j] as number) - (mean[j] as number);
    for (let a = 0; a < d; a++) {
      const ca = centred[a] as number;
      if (ca === 0) continue;
      for (let b = a; b < d; b++) acc[a * d + b] = (acc[a * d + b] as number) + ca * (centred[b] as number);
    }
  }
  const cov = new Matrix(d, d);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = (acc[a * d + b] as number) / (n - 1);
      cov.set(a, b, v);
      cov.set(b, a, v);
    }
  }
  return { mean, cov };
}

/** Eigenvalues of a symmetric matrix (symmetrised first, so rounding cannot make them complex). */
function symmetricEigen(m: Matrix): EigenvalueDecomposition {
  const s = m.clone().add(m.transpose()).mul(0.5);
  return new EigenvalueDecomposition(s, { assumeSymmetric: true });
}

function sqrtSymmetric(m: Matrix): Matrix {
  const e = symmetricEigen(m);
  const v = e.eigenvectorMatrix;
  const roots = Matrix.diag(e.realEigenvalues.map((x) => Math.sqrt(Math.max(x, 0))));
  return v.mmul(roots).mmul(v.transpose());
}

export function frechetFromMoments(mean1: Float64Array, cov1: Matrix, mean2: Float64Array, cov2: Matrix): FrechetResult {
  let meanTerm = 0;
  for (let j = 0; j < mean1.length; j++) meanTerm += ((mean1[j] as number) - (mean2[j] as number)) ** 2;
  const root1 = sqrtSymmetric(cov1);
  const inner = symmetricEigen(root1.mmul(cov2).mmul(root1));
  let traceRoot = 0;
  for (const x of inner.realEigenvalues) traceRoot += Math.sqrt(Math.max(x, 0));
  const covarianceTerm = cov1.trace() + cov2.trace() - 2 * traceRoot;
  // Rounding can leave a hair below 0 for identical sets; a distance is never negative.
  return { distance: Math.max(meanTerm + covarianceTerm, 0), meanTerm, covarianceTerm };
}

/** Fréchet distance between the Gaussians of two feature sets of the same dimension (each at least 2 vectors). */
export function frechetDistance(a: FeatureRows, b: FeatureRows): FrechetResult {
  checkRows(a, 'first', 2);
  checkRows(b, 'second', 2);
  if (a.d !== b.d) throw new InvalidArgumentError(`The two feature sets have different dimensions (${a.d} and ${b.d}).`);
  const x = meanCovariance(a);
  const y = meanCovariance(b);
  return frechetFromMoments(x.mean, x.cov, y.mean, y.cov);
}

function squaredDistance(a: Float32Array, i: number, b: Float32Array, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = (a[i * d + k] as number) - (b[j * d + k] as number);
    s += t * t;
  }
  return s;
}

/** Squared distance from every vector to its k-th nearest other vector of the same set (np.partition(D, k)[:, k]). */
export function kthNeighbourRadii(rows: FeatureRows, k: number, checkpoint?: Checkpoint): Float64Array {
  const { n, d, data } = rows;
  const out = new Float64Array(n);
  // The k+1 smallest distances including the vector itself (0): the last of them is the k-th neighbour.
  const best = new Float64Array(k + 1);
  for (let i = 0; i < n; i++) {
    best.fill(Number.POSITIVE_INFINITY);
    for (let j = 0; j < n; j++) {
      const v = i === j ? 0 : squaredDistance(data, i, data, j, d);
      if (v >= (best[k] as number)) continue;
      let p = k;
      while (p > 0 && v < (best[p - 1] as number)) {
        best[p] = best[p - 1] as number;
        p--;
      }
      best[p] = v;
    }
    out[i] = best[k] as number;
    if (i % 256 === 255) checkpoint?.((i + 1) / n);
  }
  return out;
}

/** Share of `query` vectors within the radius of at least one `manifold` vector. */
function coverage(query: FeatureRows, manifold: FeatureRows, radii: Float64Array): number {
  let inside = 0;
  for (let i = 0; i < query.n; i++) {
    for (let j = 0; j < manifold.n; j++) {
      if (squaredDistance(query.data, i, manifold.data, j, query.d) <= (radii[j] as number)) {
        inside++;
        break;
      }
    }
  }
  return inside / query.n;
}

/** Improved precision and recall of `synthetic` against `real` feature vectors (each side more than k vectors). */
export function precisionRecall(real: FeatureRows, synthetic: FeatureRows, k = 3, checkpoint?: Checkpoint): PrecisionRecallResult {
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`The neighbour count k must be a whole number of at least 1 (it is ${k}).`);
  checkRows(real, 'real', k + 1);
  checkRows(synthetic, 'synthetic', k + 1);
  if (real.d !== synthetic.d) throw new InvalidArgumentError(`The real and synthetic feature vectors have different dimensions (${real.d} and ${synthetic.d}).`);
  const realRadii = kthNeighbourRadii(real, k, checkpoint ? (p = 0) => checkpoint(p * 0.4) : undefined);
  const synRadii = kthNeighbourRadii(synthetic, k, checkpoint ? (p = 0) => checkpoint(0.4 + p * 0.4) : undefined);
  const precision = coverage(synthetic, real, realRadii);
  checkpoint?.(0.9);
  const recall = coverage(real, synthetic, synRadii);
  checkpoint?.(1);
  return { precision, recall, k };
}
