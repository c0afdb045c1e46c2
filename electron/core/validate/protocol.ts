// Messages between the main process and the validation worker.
import type { Spec } from '../../shared/spec-schema';
import type { Cells, FrameColumnSpec } from './frames';

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
export type StageId = (typeof STAGES)[number]['id'];

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

export type ValidationReply =
  | { type: 'stage'; stage: StageId; progress: number }
  | { type: 'done'; resultContent: string; resultSha256: string; verdict: 'pass' | 'fail'; document: unknown }
  | { type: 'failed'; code: string; message: string };
