// The image-generator registry: a validated image config to a trainer, or a run's weights back to a sampler.
import type { Rng } from '../../engine/rng';
import type { SerializedTensor } from '../../engine/tensors';
import { imageConfigSchema, type ImageConfig, type ImageConfigInput } from './config';
import { CvaeTrainer, loadCvae } from './cvae';
import type { ImageSet, ImageTrainer } from './data';
import { DcganTrainer, loadDcgan } from './dcgan';
import type { ImageSampler } from './grid';

/** The trainer for a parsed image config (imageConfigSchema.parse); the engine loop drives it like a tabular one. */
export function createImageTrainer(config: ImageConfig, data: ImageSet, batchSize: number, rng: Rng): ImageTrainer {
  if (config.kind === 'dcgan') {
    const { kind: _kind, ...dcgan } = config;
    return new DcganTrainer(dcgan, data, batchSize, rng);
  }
  const { kind: _kind, ...cvae } = config;
  return new CvaeTrainer(cvae, data, batchSize, rng);
}

/** A trained generator from its config and a run's weights; dispose() it when done. */
export function loadImageModel(config: ImageConfigInput, weights: readonly SerializedTensor[]): ImageSampler & { dispose(): void } {
  const parsed = imageConfigSchema.parse(config);
  if (parsed.kind === 'dcgan') {
    const { kind: _kind, ...dcgan } = parsed;
    return loadDcgan(dcgan, weights);
  }
  const { kind: _kind, ...cvae } = parsed;
  return loadCvae(cvae, weights);
}

export * from './config';
export { checkImageSet, type ImageSet, type ImageTrainer } from './data';
export { CvaeModel, CvaeTrainer, loadCvae } from './cvae';
export { DcganModel, DcganTrainer, loadDcgan } from './dcgan';
export { gridToBytes, sampleGrid, tileGrid, type Grid, type GridOptions, type ImageSampler } from './grid';
