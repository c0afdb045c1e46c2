// An image generation spec: which DICOM series to learn from, at what size and window, with which
// convolutional generator, how many synthetic images, the seed, and the uses that go on the dataset card.
import { z } from 'zod';
import { columnNameSchema } from './limits';
import { RELEASE_TIERS, type ReleaseTier } from './criteria';
import { imageCriteriaOverridesSchema } from './image-criteria';

const seed = z.number().int('The seed is a whole number.').min(0).max(2 ** 31 - 1);

export const imageGeneratorSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('dcgan'),
    epochs: z.number().int().min(1).max(10_000).default(50),
    batchSize: z.number().int().min(2).max(1024).default(32),
    ngf: z.number().int().min(4).max(256).default(64),
    ndf: z.number().int().min(4).max(256).default(64),
    latentDim: z.number().int().min(2).max(512).default(100),
    learningRate: z.number().positive().max(1).default(2e-4),
    checkpointEvery: z.number().int().min(1).default(5),
  }),
  z.object({
    kind: z.literal('cvae'),
    epochs: z.number().int().min(1).max(10_000).default(50),
    batchSize: z.number().int().min(2).max(1024).default(32),
    latentDim: z.number().int().min(2).max(512).default(64),
    filters: z.number().int().min(4).max(256).default(32),
    learningRate: z.number().positive().max(1).default(1e-3),
    checkpointEvery: z.number().int().min(1).default(5),
  }),
]);
export type ImageGeneratorConfig = z.infer<typeof imageGeneratorSchema>;

export const imageSpecSchema = z.object({
  name: z.string().trim().min(1, 'Give the spec a name.').max(120),
  source: z.object({ kind: z.literal('dicom'), seriesIds: z.array(z.number().int()).min(1, 'Choose at least one series.') }),
  image: z.object({
    size: z.union([z.literal(32), z.literal(64), z.literal(128)]),
    window: z.object({ center: z.number(), width: z.number().positive() }).nullable(),
    // Class labels: a series attribute, or a column of an imported table joined on the patient ID.
    labelBy: z
      .union([
        z.enum(['modality', 'description', 'bodyPart']),
        z.object({ kind: z.literal('column'), tableId: z.number().int(), patientColumn: columnNameSchema, labelColumn: columnNameSchema }),
      ])
      .nullable(),
    // Colour series: refused when the spec is saved (absent = 'refuse', so older specs keep their hashes), or
    // converted to greyscale with the ITU-R BT.601 luma Y = 0.299 R + 0.587 G + 0.114 B.
    colour: z.enum(['refuse', 'greyscale']).optional(),
  }),
  generator: imageGeneratorSchema,
  images: z.number().int().min(1, 'Generate at least one image.').max(10_000),
  seed,
  intendedUse: z.string().trim().min(1, 'Say what the synthetic images are for; it goes on the dataset card.').max(4000),
  prohibitedUses: z.array(z.string().trim().min(1).max(500)).default([]),
  // What the images are for (brings the default criteria) and changes to those defaults. Optional, not defaulted,
  // so specs saved before image criteria keep their content and hash; absent means model development, no change.
  tier: z.enum(RELEASE_TIERS).optional(),
  criteria: imageCriteriaOverridesSchema.optional(),
});
export type ImageSpec = z.infer<typeof imageSpecSchema>;

/** The release tier an image spec is judged against (model development when the spec predates tiers). */
export function imageSpecTier(spec: ImageSpec): ReleaseTier {
  return spec.tier ?? 'model-development';
}
