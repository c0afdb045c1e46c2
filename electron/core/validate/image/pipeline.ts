// One image validation, start to end, as the validation worker runs it: intensities, the in-workstation encoder
// and its feature distances, diversity, the power spectrum, memorisation, utility, then the gate, the stored
// result (findings included, hashed) and the aggregates-only report. Pure apart from seeded randomness.
import { resolveImageCriteria } from '../../../shared/image-criteria';
import { imageSpecTier } from '../../../shared/image-spec-schema';
import { AirlockError } from '../../errors';
import { createRng } from '../../train/rng';
import type { ReportDocument } from '../report/html';
import type { ImageValidationRequest, StageId } from '../protocol';
import { resultHash } from '../result-hash';
import type { Checkpoint } from '../types';
import { buildImageDocument } from './document';
import { trainEncoder } from './encoder';
import { FRECHET_DISTANCE, frechetDistance, IMPROVED_PRECISION, IMPROVED_RECALL, precisionRecall } from './frechet';
import { diversityRatios, FRECHET_RATIO, DIVERSITY_RATIO, judgeImages, measureImages, NEAR_COPY_NCC, NEAR_COPY_SHARE, NEAR_COPY_SSIM } from './gate';
import { INTENSITY_WASSERSTEIN, intensityFidelity } from './intensity';
import { memorisation } from './memorisation';
import { nearCopies } from './near-copies';
import type { ImageEvidence, ImageFindingPair, ImageFindings, ImageValidationResult } from './result';
import { SPECTRUM_BAND_DIFFERENCE, spectrumComparison } from './spectrum';
import { MEAN_PAIRWISE_MS_SSIM, meanPairwiseMsSsim } from './ssim';
import type { FeatureRows } from './types';
import { imageUtility } from './utility';

export type StageCallback = (stage: StageId, progress: number) => void;

/** Pairs averaged per side and class for diversity (a seeded sample beyond). */
const DIVERSITY_PAIRS = 2000;
/** Worst training pairs and holdout control pairs kept in the findings. */
const FINDING_PAIRS = 50;
const CONTROL_PAIRS = 10;

// Progress messages at most every 200 ms, so a tight loop does not flood the main thread.
function reporter(onStage: StageCallback): (stage: StageId) => Checkpoint {
  let last = 0;
  return (stage) => {
    onStage(stage, 0);
    return (p = 0) => {
      const now = Date.now();
      if (now - last > 200) {
        last = now;
        onStage(stage, Math.min(1, Math.max(0, p)));
      }
    };
  };
}

const rowsOf = (data: Float32Array, dim: number): FeatureRows => ({ n: dim > 0 ? data.length / dim : 0, d: dim, data });

/** `k` of the rows, a seeded sample without replacement (all when there are no more than k). */
function sampleRows(f: FeatureRows, k: number, seed: string): FeatureRows {
  if (f.n <= k) return f;
  const rng = createRng(seed);
  const order = Array.from({ length: f.n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(f.n - i);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const out = new Float32Array(k * f.d);
  order.slice(0, k).sort((a, b) => a - b).forEach((r, i) => out.set(f.data.subarray(r * f.d, (r + 1) * f.d), i * f.d));
  return { n: k, d: f.d, data: out };
}

async function features(req: ImageValidationRequest, cp: Checkpoint): Promise<ImageEvidence['features']> {
  const enc = await trainEncoder(req.train, { seed: `${req.seed}/encoder`, checkpoint: (p) => cp(0.9 * (p ?? 0)) });
  try {
    const train = rowsOf(enc.features(req.train), enc.dim);
    const holdout = rowsOf(enc.features(req.holdout), enc.dim);
    const synthetic = rowsOf(enc.features(req.synthetic), enc.dim);
    cp(0.95);
    // As many synthetic images as holdout frames: both distances then carry the same small-sample bias.
    const fdSynthetic = frechetDistance(train, sampleRows(synthetic, holdout.n, `${req.seed}/frechet`));
    const fdHoldout = frechetDistance(train, holdout);
    return {
      encoder: enc.describe,
      infos: { frechet: FRECHET_DISTANCE, ratio: FRECHET_RATIO, precision: IMPROVED_PRECISION, recall: IMPROVED_RECALL },
      synthetic: fdSynthetic,
      holdout: fdHoldout,
      ratio: fdHoldout.distance > 0 ? fdSynthetic.distance / fdHoldout.distance : null,
      precisionRecall: precisionRecall(train, synthetic),
    };
  } finally {
    enc.dispose();
  }
}

function diversity(req: ImageValidationRequest, cp: Checkpoint): ImageEvidence['diversity'] {
  const rng = createRng(`${req.seed}/diversity`);
  const real = meanPairwiseMsSsim(req.train, DIVERSITY_PAIRS, rng.fork('real'), (p) => cp(0.5 * (p ?? 0)));
  const synthetic = meanPairwiseMsSsim(req.synthetic, DIVERSITY_PAIRS, rng.fork('synthetic'), (p) => cp(0.5 + 0.5 * (p ?? 0)));
  const d = { info: MEAN_PAIRWISE_MS_SSIM, ratioInfo: DIVERSITY_RATIO, real: [real.overall, ...real.perClass], synthetic: [synthetic.overall, ...synthetic.perClass], ratio: null };
  const overall = diversityRatios({ diversity: d }).find((r) => r.className === null);
  return { ...d, ratio: overall ? overall.ratio : null };
}

function checkSides(req: ImageValidationRequest): void {
  const { train, holdout, synthetic } = req;
  if (synthetic.count === 0) throw new AirlockError('INVALID_ARGUMENT', `Dataset #${req.facts.datasetId} holds no synthetic images to validate.`);
  if (train.count < 2 || holdout.count < 2) throw new AirlockError('INVALID_ARGUMENT', `Validation needs at least 2 real training and 2 real holdout frames; the spec's series have ${train.count} and ${holdout.count}.`);
  if (train.size !== synthetic.size || holdout.size !== synthetic.size) throw new AirlockError('CONFLICT', `The synthetic images are ${synthetic.size} × ${synthetic.size} but the real frames ${train.size} × ${train.size}.`);
}

function findings(req: ImageValidationRequest, near: Awaited<ReturnType<typeof nearCopies>>, threshold: number): ImageFindings {
  const training: ImageFindingPair[] = near.result.worstPairs.map((p) => {
    const prov = req.trainProvenance[p.train];
    if (!prov) throw new AirlockError('INTERNAL', 'A memorisation pair names a training frame that was not loaded.');
    return { syntheticIndex: p.synthetic, against: 'training', ...prov, ncc: p.ncc, ssim: Number.isFinite(p.ssim) ? p.ssim : null };
  });
  const control: ImageFindingPair[] = near.bestHoldout
    .map((h, i) => ({ ...h, synthetic: i }))
    .sort((a, b) => b.ncc - a.ncc || a.synthetic - b.synthetic)
    .slice(0, CONTROL_PAIRS)
    .map((h) => {
      const prov = req.holdoutProvenance[h.index];
      if (!prov) throw new AirlockError('INTERNAL', 'A memorisation pair names a holdout frame that was not loaded.');
      return { syntheticIndex: h.synthetic, against: 'holdout', ...prov, ncc: h.ncc, ssim: null };
    });
  return { threshold, pairs: [...training, ...control].sort((a, b) => b.ncc - a.ncc) };
}

export async function runImageValidation(req: ImageValidationRequest, onStage: StageCallback): Promise<{ result: ImageValidationResult; resultContent: string; resultSha256: string; verdict: 'pass' | 'fail'; document: ReportDocument }> {
  const stage = reporter(onStage);
  const tier = imageSpecTier(req.spec);
  stage('prepare');
  checkSides(req);
  const criteria = resolveImageCriteria(tier, req.spec.criteria ?? {});
  const threshold = criteria.find((c) => c.id === 'images.memorisationNcc')?.threshold ?? 1;
  stage('intensity');
  const intensity = intensityFidelity(req.train, req.synthetic);
  const feats = await features(req, stage('features'));
  const div = diversity(req, stage('diversity'));
  const spectrum = spectrumComparison(req.train, req.synthetic, stage('spectrum'));
  const near = await nearCopies(memorisation, req.synthetic, req.train, req.holdout, { threshold, worstPairs: FINDING_PAIRS, checkpoint: stage('memorisation') });
  const uc = stage('utility');
  const utility = await imageUtility(req.train, req.holdout, req.synthetic, { seed: `${req.seed}/utility`, checkpoint: uc });
  stage('report');
  const { rows: _rows, worstPairs: _pairs, ...summary } = near.result;
  const evidence: ImageEvidence = {
    intensity: { info: INTENSITY_WASSERSTEIN, result: intensity },
    features: feats,
    diversity: div,
    spectrum: { info: SPECTRUM_BAND_DIFFERENCE, result: spectrum },
    memorisation: { infos: { share: NEAR_COPY_SHARE, ncc: NEAR_COPY_NCC, ssim: NEAR_COPY_SSIM }, summary },
    utility,
  };
  const verdict = judgeImages(criteria, measureImages(evidence));
  const classes = req.train.classes;
  const result: ImageValidationResult = {
    kind: 'images',
    validator: { version: req.validatorVersion, seed: req.seed },
    inputs: {
      ...req.facts,
      tier,
      size: req.synthetic.size,
      window: req.spec.image.window,
      classes,
      rows: { train: req.train.count, holdout: req.holdout.count, synthetic: req.synthetic.count },
    },
    verdict: { pass: verdict.pass, failed: verdict.failed },
    criteria: verdict.criteria,
    evidence,
    findings: findings(req, near, threshold),
  };
  // JSON has no NaN or ∞ (an open metric range, a figure not computable): stored as null, as JSON.stringify writes them.
  const { content, sha256 } = resultHash(JSON.parse(JSON.stringify(result)) as unknown);
  const document = await buildImageDocument(result, req.facts, req.samples, { generatedAt: req.generatedAt, resultSha256: sha256 });
  return { result, resultContent: content, resultSha256: sha256, verdict: verdict.pass ? 'pass' : 'fail', document };
}

