// Messages between the main side and the image-training worker.
import type { BackendInfo } from '../engine/backend';
import type { SerializedTensor } from '../engine/tensors';

export interface EpochLosses {
  epoch: number;
  losses: Record<string, number>;
}

export interface ImageCheckpoint {
  epoch: number;
  weights: SerializedTensor[];
  optimizer: SerializedTensor[];
  rngState: [number, number, number, number];
  /** The stream rngState belongs to (RNG_STREAM); absent before 3 December 2026. */
  stream?: string;
  lossHistory: EpochLosses[];
}

export interface ImageJob {
  config: unknown;
  images: ArrayBuffer;
  labels: ArrayBuffer | null;
  // Int32 class of each image to sample (a conditional model); null for an unconditional one.
  sampleLabels: ArrayBuffer | null;
  count: number;
  size: number;
  seed: number;
  epochs: number;
  batchSize: number;
  checkpointEvery: number;
  samples: number;
  gridEvery: number;
  resume?: ImageCheckpoint;
}

export interface Grid {
  width: number;
  height: number;
  bytes: ArrayBuffer;
}

export type ImageReply =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'progress'; epoch: number; epochs: number; step: number; stepsPerEpoch: number; losses: Record<string, number>; etaSeconds: number; grid: Grid | null }
  | ({ type: 'checkpoint' } & ImageCheckpoint)
  | { type: 'done'; weights: SerializedTensor[]; lossHistory: EpochLosses[]; images: ArrayBuffer }
  | { type: 'failed'; code: string; message: string }
  | { type: 'cancelled'; epoch: number };
