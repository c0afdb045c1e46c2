// Messages between the main process and the validation worker.
import type { Spec } from '../../shared/spec-schema';
import type { ImageSpec } from '../../shared/image-spec-schema';
import type { Cells, FrameColumnSpec } from './frames';
import type { FrameProvenance } from './image/result';
import type { ImageFrames } from './image/types';

export const STAGES = [
  { id: 'prepare', label: 'Reading and typing the rows' },
  { id: 'shapes', label: 'Column shapes' },
  { id: 'pairs', label: 'Column pairs' },
  { id: 'detection', label: 'Detection (real vs synthetic classifier)' },
  { id: 'subgroups', label: 'Subgroups and rare categories' },
  { id: 'utility', label: 'Utility (train on synthetic, test on real)' },
  { id: 'distances', label: 'Distances to closest records' },
  { id: 'attacks', label: 'Attacks: singling out, linkability, inference' },
  { id: 'report', label: 'Report and charts' },
] as const;

/** The stages of an image validation (the same worker, another list: the view shows the list of its kind). */
export const IMAGE_STAGES = [
  { id: 'prepare', label: 'Reading the synthetic images and the real frames' },
  { id: 'intensity', label: 'Intensities' },
  { id: 'features', label: 'Feature encoder, Fréchet distance, precision and recall' },
  { id: 'diversity', label: 'Diversity (MS-SSIM)' },
  { id: 'spectrum', label: 'Artifacts (power spectrum)' },
  { id: 'memorisation', label: 'Memorisation (closest training and holdout frames)' },
  { id: 'utility', label: 'Utility (train on synthetic, test on real)' },
  { id: 'report', label: 'Report and charts' },
] as const;
export type StageId = (typeof STAGES)[number]['id'] | (typeof IMAGE_STAGES)[number]['id'];

export interface ValidationFacts {
  datasetId: number;
  datasetVersion: number;
  datasetSha256: string;
  runId: number;
  generator: string;
  specId: number;
  specVersion: number;
  specHash: string;
  specName: string;
  split: string;
}

export interface ValidationRequest {
  type: 'validate';
  columns: FrameColumnSpec[];
  header: string[];
  train: Cells;
  holdout: Cells;
  synthetic: Cells;
  spec: Spec;
  seed: string;
  validatorVersion: string;
  facts: ValidationFacts;
  generatedAt: string;
}

export interface ImageValidationRequest {
  type: 'validate-images';
  train: ImageFrames;
  holdout: ImageFrames;
  synthetic: ImageFrames;
  /** Per real frame, in frame order: where it comes from (named in the findings, never in a report). */
  trainProvenance: FrameProvenance[];
  holdoutProvenance: FrameProvenance[];
  /** Synthetic samples for the report's grid, as stored (PNG). */
  samples: { classLabel: string | null; png: Uint8Array }[];
  spec: ImageSpec;
  seed: string;
  validatorVersion: string;
  facts: ValidationFacts;
  generatedAt: string;
}

export type ValidationReply =
  | { type: 'stage'; stage: StageId; progress: number }
  | { type: 'done'; resultContent: string; resultSha256: string; verdict: 'pass' | 'fail'; document: unknown }
  | { type: 'failed'; code: string; message: string };
