// The main side of the generator worker: one request per worker, progress stages to a callback, and every
// ending (reply, failure, crash) turned into a resolved result or an AirlockError.
import type { Worker } from 'node:worker_threads';
import { AirlockError } from '../../errors';
import { spawnWorker } from '../engine/runner';
import { ERROR_CODES, type ErrorCode } from '../../../shared/errors';
import type { GenerateReply, GenerateRequest } from './protocol';

const isErrorCode = (c: string): c is ErrorCode => (ERROR_CODES as readonly string[]).includes(c);

function workerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './generate-worker.js', import.meta.url);
}

export interface GenerateHandle<R> {
  done: Promise<R>;
  cancel(): Promise<void>;
}

export function generate<T extends GenerateReply['type']>(req: GenerateRequest, expect: T, onStage?: (stage: string) => void): GenerateHandle<Extract<GenerateReply, { type: T }>> {
  const worker: Worker = spawnWorker(workerUrl());
  let cancelled = false;
  const done = new Promise<Extract<GenerateReply, { type: T }>>((resolve, reject) => {
    worker.on('message', (m: GenerateReply) => {
      if (m.type === 'stage') return onStage?.(m.stage);
      if (m.type === 'failed') reject(new AirlockError(isErrorCode(m.code) ? m.code : 'INTERNAL', m.message));
      else if (m.type === expect) resolve(m as Extract<GenerateReply, { type: T }>);
      else reject(new AirlockError('INTERNAL', `The generator worker answered ${m.type} to ${req.type}.`));
      void worker.terminate();
    });
    worker.on('error', (err) => reject(new AirlockError('INTERNAL', `The generator worker failed: ${err.message}`)));
    worker.on('exit', () => reject(new AirlockError(cancelled ? 'RUN_CANCELLED' : 'INTERNAL', cancelled ? 'Cancelled.' : 'The generator worker stopped unexpectedly.')));
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
