// The validation worker: computes every metric, the verdict and the report off the main thread.
import { parentPort } from 'node:worker_threads';
import { AirlockError } from '../errors';
import { runImageValidation } from './image/pipeline';
import { runValidation } from './pipeline';
import type { ImageValidationRequest, StageId, ValidationReply, ValidationRequest } from './protocol';

const port = parentPort;
if (!port) throw new Error('The validation worker must run in a worker thread.');
const post = (m: ValidationReply): void => port.postMessage(m);

port.once('message', (req: ValidationRequest | ImageValidationRequest) => {
  const onStage = (stage: StageId, progress: number): void => post({ type: 'stage', stage, progress });
  (req.type === 'validate-images' ? runImageValidation(req, onStage) : runValidation(req, onStage))
    // Only what the main side stores: the canonical result text (findings included), its hash, verdict and report.
    .then((out) => post({ type: 'done', resultContent: out.resultContent, resultSha256: out.resultSha256, verdict: out.verdict, document: out.document }))
    .catch((err: unknown) => {
      const code = err instanceof AirlockError ? err.code : 'INTERNAL';
      post({ type: 'failed', code, message: err instanceof Error ? err.message : String(err) });
    });
});
