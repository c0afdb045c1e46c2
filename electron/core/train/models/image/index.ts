// The image-generator registry: a validated image config to a trainer, or a run's weights back to a sampler.
import type { Rng } from '../../engine/rng';
import type { SerializedTensor } from '../../engine/tensors';
import { imageConfigSchema, type ImageConfig, type ImageConfigInput } from './config';
import { CvaeTrainer, loadCvae } from './cvae';
import type { ImageSet, ImageTrainer } from './data';
import { DcganTrainer, loadDcgan } from './dcgan';
import type { ImageSampler } from './grid';

export function createImageTrainer(config: ImageConfig, data: ImageSet, batchSize: number, rng: Rng): ImageTrainer {
  const { kind, ...rest } = config;
  return kind === 'dcgan' ? new DcganTrainer(rest as Omit<Extract<ImageConfig, { kind: 'dcgan' }>, 'kind'>, data, batchSize, rng) : new CvaeTrainer(rest as Omit<Extract<ImageConfig, { kind: 'cvae' }>, 'kind'>, data, batchSize, rng);
}

/** A trained generator from its config and a run's weights; dispose() it when done. */
export function loadImageModel(config: ImageConfigInput, weights: readonly SerializedTensor[]): ImageSampler & { dispose(): void } {
  const parsed = imageConfigSchema.parse(config);
  const { kind, ...rest } = parsed;
  return kind === 'dcgan' ? loadDcgan(rest, weights) : loadCvae(rest, weights);
}

export * from './config';
export { checkImageSet, type ImageSet, type ImageTrainer } from './data';
export { CvaeModel, CvaeTrainer, loadCvae } from './cvae';
export { DcganModel, DcganTrainer, loadDcgan } from './dcgan';
export { gridToBytes, sampleGrid, tileGrid, type Grid, type GridOptions, type ImageSampler } from './grid';
