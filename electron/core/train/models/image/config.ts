// Image-generator hyper-parameters (zod, no tfjs), validated on both sides of the worker boundary like the
// tabular models' configs. DCGAN defaults are Radford et al. 2015 / the PyTorch DCGAN example's (ngf = ndf = 64,
// z of 100, Adam lr 2e-4, β1 0.5); the CVAE's are the usual convolutional VAE's (latent 64, Adam lr 1e-3).
import { z } from 'zod';

/** Output side in pixels: 4 × 4 doubled by each stride-2 layer (3, 4 or 5 of them). */
export const IMAGE_SIZES = [32, 64, 128] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];

const size = z.union([z.literal(32), z.literal(64), z.literal(128)]).default(64);
const width = z.number().int().min(1).max(1024);
/** Number of classes for conditioning; 0 trains an unconditional model (labels, if any, are ignored). */
const classes = z.number().int().min(0).max(256).default(0);

export const dcganConfigSchema = z
  .object({
    size,
    /** Generator width: 8·ngf channels at 4 × 4, halving at each doubling (never below ngf). */
    ngf: width.default(64),
    /** Discriminator width, the generator's mirror. */
    ndf: width.default(64),
    /** Length of z. */
    latent: z.number().int().min(1).max(4096).default(100),
    classes,
    generatorLr: z.number().positive().default(2e-4),
    discriminatorLr: z.number().positive().default(2e-4),
    beta1: z.number().min(0).max(0.999).default(0.5),
    beta2: z.number().min(0).max(0.9999).default(0.999),
    /** BatchNorm running-statistics momentum (PyTorch's convention: new = (1 − m)·old + m·batch). */
    bnMomentum: z.number().min(0).max(1).default(0.1),
  })
  .strict();
export type DcganConfigInput = z.input<typeof dcganConfigSchema>;
export type DcganConfig = z.output<typeof dcganConfigSchema>;

export const cvaeConfigSchema = z
  .object({
    size,
    /** Decoder width: 8·ngf channels at 4 × 4, halving at each doubling (never below ngf). */
    ngf: width.default(64),
    /** Encoder width, the decoder's mirror. */
    ndf: width.default(64),
    latent: z.number().int().min(2).max(1024).default(64),
    classes,
    learningRate: z.number().positive().default(1e-3),
    /**
     * 'bce': the decoder's logits against the image rescaled to [0, 1] (sigmoid output);
     * 'mse': squared error of tanh(logits) against the image in [−1, 1]. Both summed over pixels, mean over the batch.
     */
    reconstruction: z.enum(['bce', 'mse']).default('bce'),
    /** β of a β-VAE: the KL term's weight. */
    klWeight: z.number().min(0).default(1),
  })
  .strict();
export type CvaeConfigInput = z.input<typeof cvaeConfigSchema>;
export type CvaeConfig = z.output<typeof cvaeConfigSchema>;

export const IMAGE_KINDS = ['dcgan', 'cvae'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

/** Either generator's config with its kind, e.g. { kind: 'dcgan', size: 32, ngf: 8, ndf: 8 }. */
export const imageConfigSchema = z.discriminatedUnion('kind', [
  dcganConfigSchema.extend({ kind: z.literal('dcgan') }),
  cvaeConfigSchema.extend({ kind: z.literal('cvae') }),
]);
export type ImageConfigInput = z.input<typeof imageConfigSchema>;
export type ImageConfig = z.output<typeof imageConfigSchema>;

/** Channels at each resolution from 4 × 4 up to (not including) the output: 8w, 4w, 2w, w, w, … */
export function channelLadder(size: ImageSize, width: number): number[] {
  const levels = Math.log2(size / 4);
  return Array.from({ length: levels }, (_, i) => Math.max(width, (8 * width) >> i));
}
