// The evidence sections of an image validation report, one builder per metric family. Every builder takes
// aggregates (histogram counts, averaged spectra, quantiles, means) and never a frame, an index or a pair, so
// no real image and no memorisation finding can reach a report through them.
import type { MetricInfo } from '../types';
import { barChart, renderSvg } from '../report/charts';
import { metricRow, num, pct } from '../report/format';
import type { ReportChart, ReportSection } from '../report/html';
import { bandChart, closenessChart, diversityChart, intensityChart, spectrumChart, type ShareBin } from './charts';
import type { EncoderRecord } from './encoder';
import type { DiversityResult, FrechetResult, IntensityClassResult, IntensityResult, MemorisationResult, PrecisionRecallResult, Quantiles, SpectrumResult } from './types';
import type { ImageUtilityResult } from './utility';
import { ImageClassifierAccuracy, ImageClassifierMacroAuc, ImageClassRecall, ImageUtilityRatio } from './utility-info';

const className = (c: string | null): string => c ?? 'All images';

function shares(counts: number[], edges: number[]): ShareBin[] {
  const total = counts.reduce((a, b) => a + b, 0) || 1;
  return counts.map((c, i) => ({ start: edges[i] ?? -1, end: edges[i + 1] ?? 1, share: c / total }));
}

async function intensityFigure(edges: number[], c: IntensityClassResult): Promise<ReportChart> {
  return {
    caption: `${className(c.className)}: pixel intensities of ${c.realFrames} real training frames beside ${c.syntheticFrames} synthetic images (Wasserstein distance ${num(c.wasserstein)}).`,
    svg: await renderSvg(intensityChart({ title: `Intensity histogram, ${className(c.className).toLowerCase()}`, real: shares(c.realCounts, edges), synthetic: shares(c.syntheticCounts, edges) })),
  };
}

export async function intensitySection(r: IntensityResult, info: MetricInfo): Promise<ReportSection> {
  const all = [r.overall, ...r.perClass];
  const charts: ReportChart[] = [];
  for (const c of all) charts.push(await intensityFigure(r.edges, c));
  return {
    id: 'intensity',
    title: 'Fidelity: intensities',
    intro: 'Pixel values of the windowed, resampled frames the generator trained on (−1 black to 1 white), real training frames against synthetic images, overall and per class.',
    metrics: all.map((c) => metricRow(info, c.wasserstein, null, `Intensity Wasserstein distance, ${className(c.className).toLowerCase()}`)),
    tables: [
      {
        caption: 'Mean and standard deviation of the pixel intensities.',
        columns: ['class', 'real frames', 'synthetic images', 'real mean', 'real std', 'synthetic mean', 'synthetic std'],
        rows: all.map((c) => [className(c.className), String(c.realFrames), String(c.syntheticFrames), num(c.realMean), num(c.realStd), num(c.syntheticMean), num(c.syntheticStd)]),
      },
    ],
    charts,
  };
}

export interface FeatureEvidence {
  encoder: EncoderRecord;
  /** FD(training, synthetic), FD(training, holdout) and their ratio (null when the holdout distance is 0). */
  synthetic: FrechetResult;
  holdout: FrechetResult;
  ratio: number | null;
  precisionRecall: PrecisionRecallResult;
}

export interface FeatureInfos {
  frechet: MetricInfo;
  ratio: MetricInfo;
  precision: MetricInfo;
  recall: MetricInfo;
}

/** The encoder trained inside the workstation, as a two-column table: what produced every feature-based figure. */
export function encoderTable(e: EncoderRecord): ReportSection['tables'] {
  return [
    {
      caption: 'The feature encoder, trained on the real training frames inside the workstation (no pretrained network can be downloaded here).',
      columns: ['property', 'value'],
      rows: [
        ['Network', `${e.kind === 'classifier' ? 'CNN classifier on the class labels' : 'convolutional autoencoder (no class labels)'}: ${e.architecture}`],
        ['Input', `${e.frameSize} × ${e.frameSize} frames, pooled to ${e.inputSize} × ${e.inputSize}`],
        ['Features', `${e.featureDim} per image`],
        ['Parameters', e.parameters.toLocaleString('en-GB')],
        ['Training', `${e.epochs} epochs, batch ${e.batchSize}, on ${e.trainingImages} real training frames${e.classes.length ? ` (classes ${e.classes.join(', ')})` : ''}`],
        ['Loss', `${num(e.firstEpochLoss)} in the first epoch, ${num(e.finalLoss)} in the last`],
        ['Seed and backend', `“${e.seed}”, TensorFlow.js ${e.tfjsVersion} (${e.backend})`],
        ['Weights SHA-256', e.weightsSha256],
      ],
    },
  ];
}

export function featuresSection(f: FeatureEvidence, infos: FeatureInfos): ReportSection {
  return {
    id: 'features',
    title: 'Fidelity: learned features',
    intro: 'Each image becomes a feature vector from a small encoder trained on the real training frames. The Fréchet distance of the synthetic images to the training frames is read against the same distance of the real holdout frames, which is what "as good as real" scores; precision says how many synthetic images fall on the real image manifold, recall how much of the real variety the synthetic images cover (Kynkäänniemi et al. 2019).',
    metrics: [
      metricRow(infos.frechet, f.synthetic.distance, null, 'Fréchet distance, training vs synthetic'),
      metricRow(infos.frechet, f.holdout.distance, null, 'Fréchet distance, training vs holdout (the scale of real)'),
      metricRow(infos.ratio, f.ratio),
      metricRow(infos.precision, f.precisionRecall.precision),
      metricRow(infos.recall, f.precisionRecall.recall),
    ],
    tables: [
      {
        caption: 'The two parts of each Fréchet distance.',
        columns: ['pair', 'distance', 'mean term ‖μ₁ − μ₂‖²', 'covariance term'],
        rows: [
          ['Training vs synthetic', num(f.synthetic.distance), num(f.synthetic.meanTerm), num(f.synthetic.covarianceTerm)],
          ['Training vs holdout', num(f.holdout.distance), num(f.holdout.meanTerm), num(f.holdout.covarianceTerm)],
        ],
      },
      ...(encoderTable(f.encoder) ?? []),
    ],
    notes: [`Precision and recall use k = ${f.precisionRecall.k} nearest neighbours for the manifold radii.`],
  };
}

export interface DiversityEvidence {
  real: DiversityResult[];
  synthetic: DiversityResult[];
  /** The criterion's ratio, as the gate measured it. */
  ratio: number | null;
}

export async function diversitySection(d: DiversityEvidence, info: MetricInfo, ratioInfo: MetricInfo): Promise<ReportSection> {
  const names = [...new Set([...d.real, ...d.synthetic].map((x) => x.className))];
  const find = (list: DiversityResult[], c: string | null) => list.find((x) => x.className === c) ?? null;
  const groups = names.map((c) => ({ label: className(c), real: find(d.real, c)?.meanMsSsim ?? null, synthetic: find(d.synthetic, c)?.meanMsSsim ?? null }));
  const sampled = [...d.real, ...d.synthetic].some((x) => x.sampled);
  return {
    id: 'diversity',
    title: 'Diversity',
    intro: 'Mean pairwise MS-SSIM among the synthetic images beside the same among the real training frames, overall and per class. A generator that collapses to a few modes makes images far more alike than real ones are.',
    metrics: [...groups.flatMap((g) => [metricRow(info, g.real, null, `Mean pairwise MS-SSIM, real, ${g.label.toLowerCase()}`), metricRow(info, g.synthetic, null, `Mean pairwise MS-SSIM, synthetic, ${g.label.toLowerCase()}`)]), metricRow(ratioInfo, d.ratio)],
    tables: [
      {
        caption: 'Pairs averaged per side.',
        columns: ['class', 'real frames', 'real pairs', 'synthetic images', 'synthetic pairs'],
        rows: names.map((c) => [className(c), String(find(d.real, c)?.frames ?? 0), String(find(d.real, c)?.pairs ?? 0), String(find(d.synthetic, c)?.frames ?? 0), String(find(d.synthetic, c)?.pairs ?? 0)]),
      },
    ],
    charts: [{ caption: 'Mean pairwise MS-SSIM per class, real beside synthetic.', svg: await renderSvg(diversityChart({ groups })) }],
    notes: sampled ? ['Where all pairs were too many, a seeded random sample of pairs was averaged.'] : [],
  };
}

export async function spectrumSection(s: SpectrumResult, info: MetricInfo): Promise<ReportSection> {
  const label = (b: SpectrumResult['bands'][number]) => `${b.name[0]!.toUpperCase()}${b.name.slice(1)} (radius ${b.from}–${b.to - 1})`;
  return {
    id: 'spectrum',
    title: 'Artifacts: power spectrum',
    intro: `The radially averaged power spectrum of ${s.synthetic.frames} synthetic images against ${s.real.frames} real training frames. Transposed-convolution checkerboards show as peaks at high frequencies, over-smoothed images as missing power there.`,
    metrics: s.bands.map((b) => metricRow(info, b.relativeDifference, null, `Relative power difference, ${label(b).toLowerCase()}`)),
    tables: [{ caption: 'Summed power per frequency band.', columns: ['band', 'real power', 'synthetic power', 'relative difference'], rows: s.bands.map((b) => [label(b), num(b.realPower), num(b.syntheticPower), pct(b.relativeDifference)]) }],
    charts: [
      { caption: 'Mean power per spatial frequency (log scale), real vs synthetic.', svg: await renderSvg(spectrumChart({ real: s.real.power, synthetic: s.synthetic.power })) },
      { caption: 'Relative difference of synthetic vs real power per band.', svg: await renderSvg(bandChart({ bands: s.bands.map((b) => ({ name: label(b), relativeDifference: b.relativeDifference })) })) },
    ],
  };
}

/** What of the memorisation result a report may hold: aggregates only (no rows, no pairs). */
export type MemorisationSummary = Omit<MemorisationResult, 'rows' | 'worstPairs'>;

export interface MemorisationInfos {
  share: MetricInfo;
  ncc: MetricInfo;
  ssim: MetricInfo;
}

const quantileRow = (name: string, q: Quantiles): string[] => [name, num(q.p01), num(q.p05), num(q.p50), num(q.p95), num(q.p99), num(q.max)];

export async function memorisationSection(m: MemorisationSummary, synthetic: number, infos: MemorisationInfos): Promise<ReportSection> {
  return {
    id: 'memorisation',
    title: 'Privacy: memorisation',
    intro: `Every synthetic image is compared with every real training frame by normalised cross-correlation (each frame centred and scaled: the Pearson correlation of their pixels; the definitions below say which mirrored or shifted versions are tried), and with every real holdout frame as the control; SSIM is computed against the ${m.ssimCandidates} closest training frames by NCC. A synthetic image that is a near-copy of a patient's scan scores close to 1 against training and clearly less against the holdout.`,
    metrics: [
      metricRow(infos.share, m.shareAboveThreshold, null, `Share of synthetic images with closest-training NCC ≥ ${num(m.threshold)}`),
      metricRow(infos.share, m.holdoutShareAboveThreshold, null, `Share with closest-holdout NCC ≥ ${num(m.threshold)} (control)`),
      metricRow(infos.ncc, m.closestTrain.max, null, 'Highest closest-training NCC'),
      metricRow(infos.ncc, m.closestHoldout.max, null, 'Highest closest-holdout NCC (control)'),
      metricRow(infos.ssim, m.closestTrainSsim.max, null, 'Highest closest-training SSIM'),
    ],
    tables: [
      {
        caption: `Quantiles over the ${synthetic} synthetic images of their closest real frame.`,
        columns: ['score', '1%', '5%', 'median', '95%', '99%', 'max'],
        rows: [quantileRow('NCC to the closest training frame', m.closestTrain), quantileRow('NCC to the closest holdout frame (control)', m.closestHoldout), quantileRow('SSIM to the closest training frame', m.closestTrainSsim)],
      },
      { caption: 'Images above the threshold.', columns: ['finding', 'value'], rows: [[`Synthetic images with closest-training NCC ≥ ${num(m.threshold)}`, `${m.countAboveThreshold} of ${synthetic} (${pct(m.shareAboveThreshold)})`]] },
    ],
    charts: [
      {
        caption: 'Closest-training beside closest-holdout NCC of the synthetic images, with the spec’s threshold.',
        svg: await renderSvg(closenessChart({ title: 'Closest real frame (NCC)', xTitle: 'Normalised cross-correlation', training: m.closestTrain, holdout: m.closestHoldout, threshold: m.threshold })),
      },
    ],
    notes: ['Which synthetic images are closest to which real frames, and the frames themselves, are shown only inside Airlock to the steward and the reviewer; this report holds these aggregates only.'],
  };
}

export async function utilitySection(u: ImageUtilityResult): Promise<ReportSection> {
  const base = { id: 'utility', title: 'Utility: train on synthetic, test on real' };
  if (!u.applicable) return { ...base, intro: u.reason, notes: [] };
  const recall = u.classes.map((c, i) => [c, num(u.tstr.recall[i]), num(u.trtr.recall[i])]);
  const bar = (label: string, group: string, value: number | null, iv: { low: number; high: number } | null) => (value === null ? [] : [{ label, group, value, ...(iv ? { low: iv.low, high: iv.high } : {}) }]);
  const bars = [
    ...bar('Accuracy', 'TSTR (trained on synthetic)', u.tstr.accuracy, u.tstr.accuracyInterval),
    ...bar('Accuracy', 'TRTR (trained on real)', u.trtr.accuracy, u.trtr.accuracyInterval),
    ...bar('Macro AUC', 'TSTR (trained on synthetic)', u.tstr.macroAuc, u.tstr.macroAucInterval),
    ...bar('Macro AUC', 'TRTR (trained on real)', u.trtr.macroAuc, u.trtr.macroAucInterval),
  ];
  return {
    ...base,
    intro: `The same small CNN classifier, same seed, trained once on the ${u.images.synthetic} labelled synthetic images (TSTR) and once on the ${u.images.train} real training frames (TRTR), each tested on the ${u.images.holdout} real holdout frames.`,
    metrics: [
      metricRow(ImageClassifierAccuracy, u.tstr.accuracy, u.tstr.accuracyInterval, 'Accuracy, TSTR'),
      metricRow(ImageClassifierAccuracy, u.trtr.accuracy, u.trtr.accuracyInterval, 'Accuracy, TRTR'),
      metricRow(ImageClassifierMacroAuc, u.tstr.macroAuc, u.tstr.macroAucInterval, 'Macro AUC, TSTR'),
      metricRow(ImageClassifierMacroAuc, u.trtr.macroAuc, u.trtr.macroAucInterval, 'Macro AUC, TRTR'),
      metricRow(ImageUtilityRatio, u.ratio, u.ratioInterval),
    ],
    tables: [{ caption: `${ImageClassRecall.definition} TSTR beside TRTR.`, columns: ['class', 'recall, TSTR', 'recall, TRTR'], rows: recall }],
    charts: bars.length ? [{ caption: 'The classifier trained on synthetic images beside the same trained on real ones, both scored on the real holdout (95% bootstrap intervals).', svg: await renderSvg(barChart({ title: 'Train on synthetic, test on real', xTitle: 'Score on the real holdout', bars })) }] : [],
    notes: [...u.notes, `Intervals: ${u.settings.bootstrap} bootstrap resamples of the holdout images; ${u.settings.epochs.tstr} epochs for the TSTR classifier, ${u.settings.epochs.trtr} for the TRTR one.`],
  };
}
