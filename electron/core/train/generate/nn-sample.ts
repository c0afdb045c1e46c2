// Sampling a trained TVAE or CTGAN inside the generator worker: pick the backend (same ladder as training),
// rebuild the model from its weights, draw rows, and free every tensor.
import { AirlockError } from '../../errors';
import { selectBackend } from '../engine/backend';
import { Rng } from '../engine/rng';
import { loadCtgan } from '../models/ctgan';
import { loadTvae } from '../models/tvae';
import { Transformer, type OutputSpan } from '../tabular/transformer';
import type { GenerateRequest } from './protocol';

export async function sampleNetwork(req: Extract<GenerateRequest, { type: 'nn-sample' }>, drawCategories = false): Promise<{ data: Float32Array; backend: unknown }> {
  const backend = await selectBackend();
  const transformer = Transformer.fromJSON(req.transformer);
  const spans: OutputSpan[] = transformer.spans;
  const width = transformer.width;
  const rng = Rng.fromSeed(req.seed);
  if (req.kind === 'tvae') {
    const model = loadTvae(req.config as never, width, spans, req.weights);
    try {
      return { data: model.sample(req.n, rng, { drawCategories }), backend };
    } finally {
      model.dispose();
    }
  }
  // CTGAN's conditional vectors come from the training data's category frequencies.
  if (!req.encoded) throw new AirlockError('INTERNAL', 'CTGAN sampling needs the encoded training table.');
  const values = new Float32Array(req.encoded);
  const trainer = loadCtgan(req.config as never, { values, rows: values.length / width, width, spans }, req.batchSize, req.weights);
  try {
    return { data: trainer.sample(req.n, rng), backend };
  } finally {
    trainer.dispose();
  }
}
