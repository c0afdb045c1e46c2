// What the image utility metrics mean, apart from the classifier that computes them: the report reads these without
// loading TensorFlow.js into the main process (90 MB and a slow start).
import type { MetricInfo } from '../types';

export const ImageClassifierAccuracy: MetricInfo = { name: 'ImageClassifierAccuracy', definition: 'Share of real holdout images whose most probable class, by a small CNN classifier, is their real class.', goal: 'maximize', min: 0, max: 1 };
export const ImageClassifierMacroAuc: MetricInfo = { name: 'ImageClassifierMacroAuc', definition: 'Area under the ROC curve of the CNN classifier’s class probabilities on the real holdout images; for more than two classes the mean of one-vs-rest AUCs (sklearn roc_auc_score, ovr, macro).', goal: 'maximize', min: 0, max: 1 };
export const ImageUtilityRatio: MetricInfo = { name: 'ImageUtilityRatio', definition: 'Macro AUC of the classifier trained on synthetic images (TSTR) over that of the same classifier trained on the real training images (TRTR), both tested on the real holdout: 1 means the synthetic images train as good a classifier.', goal: 'maximize', min: 0, max: Infinity };
export const ImageClassRecall: MetricInfo = { name: 'ImageClassRecall', definition: 'For one class, the share of its real holdout images the classifier assigns to it.', goal: 'maximize', min: 0, max: 1 };
