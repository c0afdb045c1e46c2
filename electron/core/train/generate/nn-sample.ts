// Sampling a trained TVAE or CTGAN inside the generator worker (placeholder until the model API is wired).
import { AirlockError } from '../../errors';
import type { GenerateRequest } from './protocol';

export function sampleNetwork(req: Extract<GenerateRequest, { type: 'nn-sample' }>): Promise<{ data: Float32Array; backend: unknown }> {
  return Promise.reject(new AirlockError('NOT_AVAILABLE', `Sampling ${req.kind} is not wired yet.`));
}
