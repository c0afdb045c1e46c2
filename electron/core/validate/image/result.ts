// The stored result of an image validation (JSON, hashed like the table result): what was judged, every figure
// beside its MetricInfo, the encoder that made the features, the criteria and the verdict, and the findings (the
// worst memorisation pairs with the real frame's provenance), which only the app shows, never a report.
import type { JudgedCriterion } from '../gate';
import type { ReleaseTier } from '../../../shared/criteria';
import type { ImageCriterionId, ImageCriterionFamily } from '../../../shared/image-criteria';
import type { ValidationFacts } from '../protocol';
import type { MetricInfo } from '../types';
import type { EncoderRecord } from './encoder';
import type { DiversityResult, FrechetResult, IntensityResult, MemorisationResult, PrecisionRecallResult, SpectrumResult } from './types';
import type { ImageUtilityResult } from './utility';

/** Where a real frame comes from: one frame of one stored DICOM file of one series. */
export interface FrameProvenance {
  seriesId: number;
  fileId: number;
  /** Frame number inside the file, from 0. */
  frame: number;
}

/** One worst memorisation pair: a synthetic image beside the real frame it is closest to. */
export interface ImageFindingPair extends FrameProvenance {
  /** Index of the synthetic image in dataset_images (idx, from 0). */
  syntheticIndex: number;
  /** Training frames (a possible copy) or holdout frames (the control: what unseen patients score). */
  against: 'training' | 'holdout';
  ncc: number;
  /** SSIM of the same pair, when computed (training candidates only). */
  ssim: number | null;
}

/** Row-level findings: stored with the result, shown only inside the app to the steward and reviewer. */
export interface ImageFindings {
  /** The NCC threshold of the criteria in force. */
  threshold: number;
  /** Highest NCC first. */
  pairs: ImageFindingPair[];
}

/** One criterion judged, as the table gate's CriterionResult but with image criterion ids. */
/** One image criterion judged, in the table gate's shape (judgeCriteria makes both). */
export type ImageCriterionResult = JudgedCriterion<ImageCriterionId, ImageCriterionFamily>;

/** A figure with what it is. */
export interface Figure {
  info: MetricInfo;
  value: number | null;
}

export interface ImageEvidence {
  intensity: { info: MetricInfo; result: IntensityResult };
  features: {
    encoder: EncoderRecord;
    infos: { frechet: MetricInfo; ratio: MetricInfo; precision: MetricInfo; recall: MetricInfo };
    /** FD(training, synthetic) and FD(training, holdout), the scale of "as good as real". */
    synthetic: FrechetResult;
    holdout: FrechetResult;
    /** FD ratio; null when the holdout distance is 0. */
    ratio: number | null;
    precisionRecall: PrecisionRecallResult;
  };
  diversity: {
    info: MetricInfo;
    ratioInfo: MetricInfo;
    /** Overall first, then per class. */
    real: DiversityResult[];
    synthetic: DiversityResult[];
    /** The criterion's ratio (overall), null when not computable. */
    ratio: number | null;
  };
  spectrum: { info: MetricInfo; result: SpectrumResult };
  /** Aggregates only: the per-image rows and pairs are findings (indices), kept out of the evidence. */
  memorisation: { infos: { share: MetricInfo; ncc: MetricInfo; ssim: MetricInfo }; summary: Omit<MemorisationResult, 'rows' | 'worstPairs'> };
  utility: ImageUtilityResult;
}

export interface ImageValidationResult {
  kind: 'images';
  validator: { version: string; seed: string };
  inputs: ValidationFacts & {
    tier: ReleaseTier;
    size: number;
    window: { center: number; width: number } | null;
    classes: string[];
    /** Frames per side (train/holdout named `rows` as the table result, which the dataset card reads). */
    rows: { train: number; holdout: number; synthetic: number };
  };
  verdict: { pass: boolean; failed: string[] };
  criteria: ImageCriterionResult[];
  evidence: ImageEvidence;
  findings: ImageFindings;
}
