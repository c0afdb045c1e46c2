// The main side of the validation worker: one request per worker, stage progress to a callback, and every ending
// (reply, failure, crash, cancel) turned into a resolved result or an AirlockError.
import { AirlockError } from '../errors';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors';
import { spawnWorker } from '../train/engine/runner';
import type { ImageValidationRequest, StageId, ValidationReply, ValidationRequest } from './protocol';

const isErrorCode = (c: string): c is ErrorCode => (ERROR_CODES as readonly string[]).includes(c);

function workerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './validate-worker.js', import.meta.url);
}

export interface ValidationHandle {
  done: Promise<Extract<ValidationReply, { type: 'done' }>>;
  cancel(): Promise<void>;
}

export function startValidationWorker(req: ValidationRequest | ImageValidationRequest, onStage: (stage: StageId, progress: number) => void): ValidationHandle {
  const worker = spawnWorker(workerUrl());
  let cancelled = false;
  const done = new Promise<Extract<ValidationReply, { type: 'done' }>>((resolve, reject) => {
    worker.on('message', (m: ValidationReply) => {
      if (m.type === 'stage') return onStage(m.stage, m.progress);
      if (m.type === 'failed') reject(new AirlockError(isErrorCode(m.code) ? m.code : 'INTERNAL', m.message));
      else resolve(m);
      void worker.terminate();
    });
    worker.on('error', (err) => reject(new AirlockError('INTERNAL', `Validation stopped: ${err.message}`)));
    worker.on('exit', () =>
      reject(new AirlockError(cancelled ? 'VALIDATION_CANCELLED' : 'INTERNAL', cancelled ? 'Validation was cancelled.' : 'The validation worker stopped unexpectedly (out of memory, or killed).')),
    );
  });
  worker.postMessage(req);
  return {
    done,
    cancel: async () => {
      cancelled = true;
      await worker.terminate();
    },
  };
}
