// The memorisation pairs an image validation stored with its result (ImageFindings in result.ts), read back for
// the in-app panel; a result without them (a table result, an older one) answers with a sentence.
import { z } from 'zod';
import { AirlockError } from '../../errors';

export interface StoredPair {
  syntheticIndex: number;
  against: 'training' | 'holdout';
  seriesId: number;
  fileId: number;
  frame: number;
  ncc: number;
  ssim: number | null;
}

const pairSchema = z.object({
  syntheticIndex: z.number().int().min(0),
  against: z.enum(['training', 'holdout']),
  seriesId: z.number().int(),
  fileId: z.number().int(),
  frame: z.number().int().min(0),
  ncc: z.number(),
  ssim: z.number().nullable(),
});
const findingsSchema = z.object({ kind: z.literal('images'), findings: z.object({ threshold: z.number(), pairs: z.array(pairSchema) }) });

/** The stored pairs, highest NCC first, and the NCC threshold the spec set. */
export function storedPairs(result: unknown): { threshold: number; pairs: StoredPair[] } {
  const parsed = findingsSchema.safeParse(result);
  if (!parsed.success) throw new AirlockError('INVALID_ARGUMENT', 'This validation result holds no memorisation pairs: it is not an image validation, or it was made before they were stored.');
  const pairs = [...parsed.data.findings.pairs].sort((a, b) => b.ncc - a.ncc);
  return { threshold: parsed.data.findings.threshold, pairs };
}
