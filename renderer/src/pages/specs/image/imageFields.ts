// The image spec form's fields: defaults, the generators' tunable numbers and why each default is what it is.
import { imageGeneratorSchema, type ImageGeneratorConfig, type ImageSpec } from '../../../../../electron/shared/image-spec-schema';

export type ImageGeneratorKind = ImageGeneratorConfig['kind'];

export const IMAGE_GENERATOR_OPTIONS: { value: ImageGeneratorKind; label: string; description: string }[] = [
  { value: 'dcgan', label: 'DCGAN', description: 'A conditional deep convolutional GAN: sharper images, less stable training; watch the sample grid for collapse.' },
  { value: 'cvae', label: 'CVAE', description: 'A convolutional variational autoencoder: steady training and smooth, somewhat blurrier images.' },
];

export const IMAGE_GENERATOR_LABEL: Record<string, string> = { dcgan: 'DCGAN', cvae: 'CVAE' };

export function isImageGenerator(kind: string): kind is ImageGeneratorKind {
  return kind === 'dcgan' || kind === 'cvae';
}

export interface ImageNumField {
  key: string;
  label: string;
  help: string;
  testId?: string;
}

const epochs: ImageNumField = { key: 'epochs', label: 'Epochs', help: 'default 50: enough passes over a few hundred slices for recognisable anatomy.', testId: 'image-epochs' };
const checkpoint: ImageNumField = { key: 'checkpointEvery', label: 'Checkpoint every N epochs', help: 'default 5: a cancelled run resumes losing at most 5 epochs.' };

export const IMAGE_GENERATOR_FIELDS: Record<ImageGeneratorKind, ImageNumField[]> = {
  dcgan: [
    epochs,
    { key: 'batchSize', label: 'Batch size', help: 'default 32: images per step; fits workstation memory at 128×128.', testId: 'image-batch' },
    { key: 'ngf', label: 'Generator filters (ngf)', help: 'default 64 (the DCGAN paper): width of the generator’s layers.' },
    { key: 'ndf', label: 'Discriminator filters (ndf)', help: 'default 64 (the DCGAN paper): width of the discriminator’s layers.' },
    { key: 'latentDim', label: 'Noise dimension', help: 'default 100 (the DCGAN paper): size of the random input.' },
    { key: 'learningRate', label: 'Learning rate', help: 'default 0.0002 (Adam, as in the DCGAN paper).' },
    checkpoint,
  ],
  cvae: [
    epochs,
    { key: 'batchSize', label: 'Batch size', help: 'default 32: images per step; fits workstation memory at 128×128.', testId: 'image-batch' },
    { key: 'latentDim', label: 'Latent dimension', help: 'default 64: size of the code each image is compressed to.' },
    { key: 'filters', label: 'Base filters', help: 'default 32: width of the first convolution, doubled per layer.' },
    { key: 'learningRate', label: 'Learning rate', help: 'default 0.001 (Adam’s usual rate).' },
    checkpoint,
  ],
};

export function imageGeneratorDefaults(kind: ImageGeneratorKind): ImageGeneratorConfig {
  return imageGeneratorSchema.parse({ kind });
}

export const DEFAULT_PROHIBITED = ['Re-identification of individuals', 'Clinical decision-making about real patients'];

export function newImageSpec(): ImageSpec {
  return {
    name: '',
    source: { kind: 'dicom', seriesIds: [] },
    image: { size: 64, window: null, labelBy: null },
    generator: imageGeneratorDefaults('dcgan'),
    images: 64,
    seed: 42,
    intendedUse: '',
    prohibitedUses: [...DEFAULT_PROHIBITED],
  };
}
