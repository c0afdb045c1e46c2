// Condition columns for TVAE and CTGAN: condition tuples are drawn from the real training rows, and synthetic
// rows are sampled in rounds until each tuple has a row whose condition columns match it (rejection sampling,
// as SDV does for these models). Categories are drawn from the decoder's softmax so rarer ones still appear;
// only low-cardinality condition columns are allowed (the spec check refuses others).
import { AirlockError } from '../../errors';
import { createRng } from '../rng';
import type { ConditionSource } from '../tabular/conditioned';
import { Transformer } from '../tabular/transformer';
import { sampleNetwork } from './nn-sample';
import type { Cells, GenerateRequest } from './protocol';

type NnRequest = Extract<GenerateRequest, { type: 'nn-sample' }>;
const MAX_DRAWS_FACTOR = 100;

export async function sampleNetworkCells(req: NnRequest): Promise<{ cells: Cells; backend: unknown }> {
  const transformer = Transformer.fromJSON(req.transformer);
  const source: ConditionSource | null = req.conditions ?? null;
  if (!source || source.names.length === 0) {
    const { data, backend } = await sampleNetwork(req);
    return { cells: transformer.inverse(data, req.n, createRng(`${req.seed}:inverse`)), backend };
  }
  const at = source.names.map((n) => req.header.indexOf(n));
  const pick = createRng(`${req.seed}:conditions`);
  const wanted = new Map<string, number[]>();
  for (let i = 0; i < req.n; i++) {
    const key = JSON.stringify(source.rows[pick.int(source.rows.length)] ?? []);
    wanted.set(key, [...(wanted.get(key) ?? []), i]);
  }
  const out: Cells = new Array<(string | null)[]>(req.n);
  let filled = 0;
  let drawn = 0;
  let backend: unknown = null;
  for (let round = 0; filled < req.n; round++) {
    if (drawn >= MAX_DRAWS_FACTOR * req.n) {
      const missing = [...wanted.entries()].find(([, slots]) => slots.length > 0)?.[0] ?? '';
      throw new AirlockError('INVALID_ARGUMENT', `The generator rarely produces rows with ${source.names.join(', ')} = ${missing}; after ${drawn} draws some conditions are still unmet. Train longer, or use the Gaussian copula, which conditions exactly.`);
    }
    const batch = Math.max(req.n, 1000);
    const sampled = await sampleNetwork({ ...req, n: batch, seed: req.seed + round }, true);
    backend = sampled.backend;
    drawn += batch;
    for (const row of transformer.inverse(sampled.data, batch, createRng(`${req.seed}:inverse:${round}`))) {
      const slots = wanted.get(JSON.stringify(at.map((i) => row[i] ?? null)));
      const slot = slots?.shift();
      if (slot === undefined) continue;
      out[slot] = row;
      filled += 1;
    }
  }
  return { cells: out, backend };
}
