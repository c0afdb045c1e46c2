// The image gate: the image criteria in force (tier defaults and the spec's changes) against what was measured,
// with the table gate's rules: PASS only if every applicable criterion passes, a value that cannot be computed
// never passes, and an interval straddling its threshold is reported as such, judged on the measured value.
import type { ResolvedImageCriterion, ImageCriterionId } from '../../../shared/image-criteria';
import { judgeCriteria, type Measurement } from '../gate';
import type { MetricInfo } from '../types';
import { VARIANTS } from './near-copies';
import type { ImageCriterionResult, ImageEvidence } from './result';

const SEARCH = `each synthetic image also ${VARIANTS.slice(1).join(', ')}, keeping its best`;
export const NEAR_COPY_NCC: MetricInfo = { name: 'ClosestFrameNcc', definition: `Normalised cross-correlation (Pearson correlation of the pixels, zero shift) of a synthetic image with its closest real frame, ${SEARCH}.`, goal: 'minimize', min: -1, max: 1 };
export const NEAR_COPY_SHARE: MetricInfo = { name: 'NearCopyShare', definition: `Share of synthetic images whose closest-frame NCC (${SEARCH}) reaches the spec's threshold.`, goal: 'minimize', min: 0, max: 1 };
export const NEAR_COPY_SSIM: MetricInfo = { name: 'ClosestFrameSsim', definition: 'Highest SSIM of a synthetic image (in its best variant) against its closest training frames by NCC (SSIM against every frame would be too slow).', goal: 'minimize', min: -1, max: 1 };
export const FRECHET_RATIO: MetricInfo = { name: 'FrechetDistanceRatio', definition: 'Fréchet distance of the synthetic images to the training frames over that of the real holdout frames (synthetic side subsampled to the holdout count), on the encoder features: 1 is as close as unseen real images.', goal: 'minimize', min: 0, max: Number.POSITIVE_INFINITY };
export const DIVERSITY_RATIO: MetricInfo = { name: 'DiversityRatio', definition: '(1 − mean pairwise MS-SSIM of the synthetic images) / (1 − that of the real training frames): 1 is as varied as real, 0 is every image alike (mode collapse).', goal: 'maximize', min: 0, max: Number.POSITIVE_INFINITY };

export interface ImageVerdict {
  pass: boolean;
  criteria: ImageCriterionResult[];
  /** One sentence per failed criterion. */
  failed: string[];
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(3))));
const pct = (n: number): string => `${fmt(n * 100)}%`;

export function judgeImages(criteria: ResolvedImageCriterion[], measured: Partial<Record<ImageCriterionId, Measurement>>): ImageVerdict {
  // Parameters (the NCC threshold) shape another criterion's sentence and are not judged by themselves.
  return judgeCriteria(
    criteria.filter((c) => !c.parameter),
    measured,
  );
}

const className = (c: string | null): string => (c === null ? 'all images' : `class “${c}”`);

/** What each image criterion measures, from the evidence (worst class where a criterion holds per class). */
export function measureImages(e: ImageEvidence): Partial<Record<ImageCriterionId, Measurement>> {
  const m = e.memorisation.summary;
  const out: Partial<Record<ImageCriterionId, Measurement>> = {
    'images.memorisationShareMax': {
      applicable: true,
      value: m.shareAboveThreshold,
      detail: `${m.countAboveThreshold} synthetic image${m.countAboveThreshold === 1 ? '' : 's'} reach NCC ≥ ${fmt(m.threshold)} with a training frame (closest: ${fmt(m.closestTrain.max)}); unseen holdout frames, the control, score up to ${fmt(m.closestHoldout.max)} (${pct(m.holdoutShareAboveThreshold)} above).`,
    },
    'images.frechetRatioMax':
      e.features.ratio === null
        ? { applicable: true, value: Number.NaN, detail: 'The Fréchet distance of the holdout frames to the training frames is 0, so there is no scale to read the synthetic distance against.' }
        : { applicable: true, value: e.features.ratio, detail: `Fréchet distance ${fmt(e.features.synthetic.distance)} (synthetic) against ${fmt(e.features.holdout.distance)} (real holdout).` },
    'images.precisionMin': { applicable: true, value: e.features.precisionRecall.precision, detail: `k = ${e.features.precisionRecall.k} nearest neighbours on the encoder's features.` },
    'images.recallMin': { applicable: true, value: e.features.precisionRecall.recall, detail: `k = ${e.features.precisionRecall.k} nearest neighbours on the encoder's features.` },
  };
  const diversity = diversityRatios(e);
  const worstD = diversity.reduce<(typeof diversity)[number] | null>((w, d) => (w === null || d.ratio < w.ratio ? d : w), null);
  out['images.diversityRatioMin'] = worstD
    ? { applicable: true, value: worstD.ratio, detail: `Lowest for ${className(worstD.className)}: mean pairwise MS-SSIM ${fmt(worstD.synthetic)} among synthetic images against ${fmt(worstD.real)} among real frames.` }
    : { applicable: true, value: Number.NaN, detail: 'Fewer than two images on one side: diversity cannot be measured.' };
  const intensity = [e.intensity.result.overall, ...e.intensity.result.perClass].filter((c) => c.wasserstein !== null);
  const worstI = intensity.reduce<(typeof intensity)[number] | null>((w, c) => (w === null || (c.wasserstein ?? 0) > (w.wasserstein ?? 0) ? c : w), null);
  out['images.intensityWassersteinMax'] = worstI
    ? { applicable: true, value: worstI.wasserstein ?? Number.NaN, detail: `Largest for ${className(worstI.className)}: mean intensity ${fmt(worstI.syntheticMean)} synthetic against ${fmt(worstI.realMean)} real.` }
    : { applicable: true, value: Number.NaN, detail: 'No class has images on both sides.' };
  const u = e.utility;
  out['images.utilityRatioMin'] = !u.applicable
    ? { applicable: false, reason: u.reason }
    : { applicable: true, value: u.ratio ?? Number.NaN, interval: u.ratioInterval ?? undefined, detail: `Macro AUC ${fmt(u.tstr.macroAuc ?? Number.NaN)} trained on synthetic against ${fmt(u.trtr.macroAuc ?? Number.NaN)} trained on real (${u.ratioMetric}).` };
  return out;
}

/** (1 − synthetic MS-SSIM) / (1 − real MS-SSIM), overall and per class where both sides have pairs. */
export function diversityRatios(e: Pick<ImageEvidence, 'diversity'>): { className: string | null; ratio: number; real: number; synthetic: number }[] {
  const out: { className: string | null; ratio: number; real: number; synthetic: number }[] = [];
  for (const s of e.diversity.synthetic) {
    const r = e.diversity.real.find((x) => x.className === s.className);
    if (!r || r.meanMsSsim === null || s.meanMsSsim === null) continue;
    const spread = 1 - r.meanMsSsim;
    // Real frames all alike (spread 0): any synthetic spread is as diverse; none is a collapse.
    const ratio = spread > 1e-9 ? (1 - s.meanMsSsim) / spread : 1 - s.meanMsSsim > 1e-9 ? 10 : 1;
    out.push({ className: s.className, ratio, real: r.meanMsSsim, synthetic: s.meanMsSsim });
  }
  return out;
}
