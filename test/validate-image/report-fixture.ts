// An image validation result built by hand, with memorisation rows and worst pairs whose numbers are unusual
// enough (MARKERS) to be found in any text they leak into.
import type { ImageValidationResult } from '../../electron/core/validate/image/result';
import type { MetricInfo } from '../../electron/core/validate/types';

// Scores found anywhere; indices only in the text (digits also occur in chart coordinates and base64).
export const MARKERS = ['0.987654321', '0.97531864'];
export const INDEX_MARKERS = ['918273', '645372'];

const info = (name: string, goal: 'maximize' | 'minimize' = 'minimize', max = Infinity): MetricInfo => ({ name, definition: `${name} as defined by the test.`, goal, min: 0, max });
const q = (base: number) => ({ p01: base, p05: base + 0.02, p25: base + 0.05, p50: base + 0.1, p75: base + 0.15, p95: base + 0.2, p99: base + 0.22, max: base + 0.25 });
const edges = Array.from({ length: 17 }, (_, i) => -1 + i / 8);
const counts = (shift: number) => Array.from({ length: 16 }, (_, i) => Math.round(1000 * Math.exp(-((i - 8 - shift) ** 2) / 8)));
const encoder = { kind: 'autoencoder' as const, architecture: 'conv 8 → conv 16 → dense 64', frameSize: 32, inputSize: 32, parameters: 12345, featureDim: 64, epochs: 2, batchSize: 8, trainingImages: 20, classes: [], firstEpochLoss: 0.4, finalLoss: 0.2, seed: 's', backend: 'wasm', tfjsVersion: '4.22.0', weightsSha256: 'a'.repeat(64) };

const facts = { datasetId: 1, datasetVersion: 1, datasetSha256: 'd'.repeat(64), runId: 1, generator: 'cvae', specId: 1, specVersion: 1, specHash: 'e'.repeat(64), specName: 'MR brain (report test)', split: 'per patient, fraction 0' };

const scores = (accuracy: number, macroAuc: number) => ({ accuracy, accuracyInterval: { low: accuracy - 0.1, high: accuracy + 0.05 }, macroAuc, macroAucInterval: { low: macroAuc - 0.1, high: macroAuc + 0.05 }, recall: [0.5, null], model: { ...encoder, kind: 'classifier' as const, classes: ['T1', 'T2'] } });

/** The same result for a spec with two classes: per-class evidence and the TSTR/TRTR classifiers. */
export function labelledResult(): ImageValidationResult {
  const r = constructedResult();
  const ev = r.evidence;
  const perClass = ['T1', 'T2'].map((c) => ({ ...ev.intensity.result.overall, className: c }));
  return {
    ...r,
    inputs: { ...r.inputs, classes: ['T1', 'T2'] },
    evidence: {
      ...ev,
      intensity: { ...ev.intensity, result: { ...ev.intensity.result, perClass } },
      diversity: { ...ev.diversity, real: [...ev.diversity.real, { ...ev.diversity.real[0]!, className: 'T1' }], synthetic: [...ev.diversity.synthetic, { ...ev.diversity.synthetic[0]!, className: 'T1' }] },
      utility: { applicable: true, classes: ['T1', 'T2'], images: { train: 20, holdout: 4, synthetic: 6 }, tstr: scores(0.6, 0.7), trtr: scores(0.8, 0.9), ratio: 0.78, ratioMetric: 'macro AUC', ratioInterval: { low: 0.6, high: 0.9 }, notes: [], settings: { bootstrap: 200, epochs: { tstr: 10, trtr: 10 } } },
    },
  };
}

/** A full result, findings included: pairs pointing at real frames (`pairs`, else one with the marker scores). */
export function constructedResult(pairs?: ImageValidationResult['findings']['pairs']): ImageValidationResult {
  const intensity = (className: string | null) => ({ className, realFrames: 20, syntheticFrames: 6, wasserstein: 0.05, realMean: -0.2, realStd: 0.4, syntheticMean: -0.1, syntheticStd: 0.35, realCounts: counts(0), syntheticCounts: counts(1) });
  return {
    kind: 'images',
    validator: { version: 'test', seed: '1' },
    inputs: { ...facts, tier: 'model-development', size: 32, window: null, classes: [], rows: { train: 20, holdout: 4, synthetic: 6 } },
    verdict: { pass: false, failed: ['Memorisation: measured 0.5, allowed at most 0.'] },
    criteria: [
      { id: 'images.memorisationShareMax', family: 'privacy', label: 'Near-copies', sentence: 'At most 0% of synthetic images above the NCC threshold.', bound: 'max', threshold: 0, tierDefault: 0, changed: false, status: 'fail', value: 0.5, interval: null, straddles: false, detail: '3 of 6 images.' },
      { id: 'images.frechetRatioMax', family: 'fidelity', label: 'Fréchet ratio', sentence: 'Fréchet ratio at most 3.', bound: 'max', threshold: 3, tierDefault: 3, changed: false, status: 'pass', value: 1.4, interval: null, straddles: false, detail: '' },
    ],
    evidence: {
      intensity: { info: info('IntensityWasserstein', 'minimize', 2), result: { edges, overall: intensity(null), perClass: [] } },
      features: {
        encoder,
        infos: { frechet: info('FrechetDistance'), ratio: info('FrechetRatio'), precision: info('Precision', 'maximize', 1), recall: info('Recall', 'maximize', 1) },
        synthetic: { distance: 12, meanTerm: 4, covarianceTerm: 8 },
        holdout: { distance: 8, meanTerm: 3, covarianceTerm: 5 },
        ratio: 1.5,
        precisionRecall: { precision: 0.7, recall: 0.6, k: 3 },
      },
      diversity: { info: info('MeanPairwiseMsSsim', 'minimize', 1), ratioInfo: info('DiversityRatio', 'maximize'), real: [{ className: null, frames: 20, pairs: 190, sampled: false, meanMsSsim: 0.3 }], synthetic: [{ className: null, frames: 6, pairs: 15, sampled: false, meanMsSsim: 0.45 }], ratio: 0.67 },
      spectrum: {
        info: info('SpectrumRelativeDifference'),
        result: {
          real: { size: 32, frames: 20, power: Array.from({ length: 17 }, (_, r) => 1000 / (1 + r * r)) },
          synthetic: { size: 32, frames: 6, power: Array.from({ length: 17 }, (_, r) => 800 / (1 + r * r)) },
          bands: [
            { name: 'low', from: 1, to: 6, realPower: 100, syntheticPower: 90, relativeDifference: -0.1 },
            { name: 'mid', from: 6, to: 11, realPower: 10, syntheticPower: 8, relativeDifference: -0.2 },
            { name: 'high', from: 11, to: 17, realPower: 1, syntheticPower: 0.5, relativeDifference: -0.5 },
          ],
        },
      },
      memorisation: {
        infos: { share: info('MemorisedShare', 'minimize', 1), ncc: info('MaxNcc', 'minimize', 1), ssim: info('MaxSsim', 'minimize', 1) },
        summary: { threshold: 0.95, shareAboveThreshold: 0.5, holdoutShareAboveThreshold: 0, countAboveThreshold: 3, closestTrain: q(0.7), closestHoldout: q(0.5), closestTrainSsim: q(0.6), ssimCandidates: 5 },
      },
      utility: { applicable: false, reason: 'The spec sets no class labels, so no classifier was trained.' },
    },
    findings: { threshold: 0.95, pairs: pairs ?? [{ syntheticIndex: 918273, against: 'training', seriesId: 645372, fileId: 645372, frame: 918273, ncc: 0.987654321, ssim: 0.97531864 }] },
  };
}
