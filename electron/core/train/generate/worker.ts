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

const port = parentPort;
if (!port) throw new Error('generate/worker.ts must run in a worker thread');
const reply = (m: GenerateReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function handle(req: GenerateRequest): Promise<void> {
  switch (req.type) {
    case 'copula-fit-sample': {
      reply({ type: 'stage', stage: 'preparing columns' });
      const columns = prepareColumns(req.rows, req.header, req.schema);
      reply({ type: 'stage', stage: 'fitting the copula' });
      const model = fitCopula(columns, createRng(`${req.seed}:fit`));
      reply({ type: 'stage', stage: `sampling ${req.n} rows` });
      const conditions = conditionSource(req.header, req.rows, req.schema.columns.filter((c) => c.role === 'condition').map((c) => c.name));
      reply({ type: 'copula', model, conditions, cells: sampleConditioned(model, req.n, createRng(`${req.seed}:sample`), conditions) });
      return;
    }
    case 'copula-sample':
      reply({ type: 'cells', cells: sampleConditioned(req.model, req.n, createRng(`${req.seed}:sample`), req.conditions) });
      return;
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
      const { cells, backend } = await sampleNetworkCells(req);
      reply({ type: 'cells', cells, backend });
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
