// The generator worker: one request in, stage messages and one reply out. Runs in a worker_threads Worker so
// fitting and sampling never block the main process.
import { parentPort } from 'node:worker_threads';
import { AirlockError } from '../../errors';
import { createRng } from '../rng';
import { fitCopula } from '../tabular/copula';
import { conditionSource, sampleConditioned } from '../tabular/conditioned';
import { prepareColumns } from '../tabular/schema';
import { Transformer } from '../tabular/transformer';
import type { GenerateReply, GenerateRequest } from './protocol';
import { sampleNetworkCells } from './nn-conditioned';
import { drawKeepingRules } from '../rules/enforce';

const port = parentPort;
if (!port) throw new Error('generate/worker.ts must run in a worker thread');
const reply = (m: GenerateReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const stage = (s: string) => reply({ type: 'stage', stage: s });
// Round 0 keeps the run's own seed (a run whose rows all keep the rules is the run it was before rules);
// later rejection rounds get seeds far from the ones a conditioned draw uses (seed + its own rounds).
const roundSeed = (seed: number, round: number): number => (round === 0 ? seed : (seed + round * 7_919_993) % 2_147_483_647);

async function handle(req: GenerateRequest): Promise<void> {
  switch (req.type) {
    case 'copula-fit-sample': {
      reply({ type: 'stage', stage: 'preparing columns' });
      const columns = prepareColumns(req.rows, req.header, req.schema);
      reply({ type: 'stage', stage: 'fitting the copula' });
      const model = fitCopula(columns, createRng(`${req.seed}:fit`));
      reply({ type: 'stage', stage: `sampling ${req.n} rows` });
      const conditions = conditionSource(req.header, req.rows, req.schema.columns.filter((c) => c.role === 'condition').map((c) => c.name));
      // One random stream across rejection rounds, so the same seed gives the same table.
      const rng = createRng(`${req.seed}:sample`);
      const { cells, stats } = await drawKeepingRules(req.rules ?? null, req.n, (k) => sampleConditioned(model, k, rng, conditions), stage);
      reply({ type: 'copula', model, conditions, cells, rules: stats });
      return;
    }
    case 'copula-sample': {
      const rng = createRng(`${req.seed}:sample`);
      const { cells, stats } = await drawKeepingRules(req.rules ?? null, req.n, (k) => sampleConditioned(req.model, k, rng, req.conditions), stage);
      reply({ type: 'cells', cells, rules: stats });
      return;
    }
    case 'encode': {
      reply({ type: 'stage', stage: 'fitting the data transformer' });
      const columns = prepareColumns(req.rows, req.header, req.schema);
      const transformer = Transformer.fit(columns, createRng(`${req.seed}:transformer`));
      const data = transformer.transform(columns, createRng(`${req.seed}:encode`));
      const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
      reply({ type: 'encoded', buffer, rows: req.rows.length, width: transformer.width, spans: transformer.spans, transformer: transformer.toJSON() }, [buffer]);
      return;
    }
    case 'nn-sample': {
      reply({ type: 'stage', stage: `sampling ${req.n} rows` });
      let backend: unknown = null;
      const draw = async (k: number, round: number) => {
        const out = await sampleNetworkCells({ ...req, n: k, seed: roundSeed(req.seed, round) });
        backend = out.backend;
        return out.cells;
      };
      const { cells, stats } = await drawKeepingRules(req.rules ?? null, req.n, draw, stage);
      reply({ type: 'cells', cells, backend, rules: stats });
      return;
    }
  }
}

port.on('message', (req: GenerateRequest) => {
  handle(req).catch((err: unknown) => {
    const code = err instanceof AirlockError ? err.code : 'INTERNAL';
    reply({ type: 'failed', code, message: err instanceof Error ? err.message : String(err) });
  });
});
