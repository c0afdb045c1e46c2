// Model hyper-parameters (zod, no tfjs): validated in the job on both sides of the worker boundary. Defaults are
// the SDV `ctgan` package's.
import { z } from 'zod';

const dims = z.array(z.number().int().min(1).max(65536)).min(1).max(8);

export const tvaeConfigSchema = z
  .object({
    embeddingDim: z.number().int().min(1).max(65536).default(128),
    compressDims: dims.default([128, 128]),
    decompressDims: dims.default([128, 128]),
    learningRate: z.number().positive().default(1e-3),
    l2scale: z.number().min(0).default(1e-5),
    lossFactor: z.number().positive().default(2),
  })
  .strict();
export type TvaeConfigInput = z.input<typeof tvaeConfigSchema>;
export type TvaeConfig = z.output<typeof tvaeConfigSchema>;

export const ctganConfigSchema = z
  .object({
    embeddingDim: z.number().int().min(1).max(65536).default(128),
    generatorDims: dims.default([256, 256]),
    discriminatorDims: dims.default([256, 256]),
    generatorLr: z.number().positive().default(2e-4),
    generatorDecay: z.number().min(0).default(1e-6),
    discriminatorLr: z.number().positive().default(2e-4),
    discriminatorDecay: z.number().min(0).default(1e-6),
    discriminatorSteps: z.number().int().min(1).max(100).default(1),
    logFrequency: z.boolean().default(true),
    pac: z.number().int().min(1).max(1000).default(10),
    gradientPenalty: z.number().min(0).default(10),
    tau: z.number().positive().default(0.2),
  })
  .strict();
export type CtganConfigInput = z.input<typeof ctganConfigSchema>;
export type CtganConfig = z.output<typeof ctganConfigSchema>;
