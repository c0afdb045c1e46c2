// Training failures as data: a stable code and one sentence a data steward can act on. TRAINING_DIVERGED and
// OUT_OF_MEMORY are training-specific; the rest are the app's existing codes (electron/shared/errors.ts).
import type { ErrorCode } from '../../../shared/contract';

export type TrainingErrorCode = 'TRAINING_DIVERGED' | 'OUT_OF_MEMORY' | Extract<ErrorCode, 'INVALID_ARGUMENT' | 'NOT_AVAILABLE' | 'INTERNAL'>;
export const TRAINING_ERROR_CODES = ['TRAINING_DIVERGED', 'OUT_OF_MEMORY', 'INVALID_ARGUMENT', 'NOT_AVAILABLE', 'INTERNAL'] as const satisfies readonly TrainingErrorCode[];

export interface TrainingFailure {
  code: TrainingErrorCode;
  message: string;
}

export class TrainingError extends Error {
  constructor(
    readonly code: TrainingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TrainingError';
  }
}

export function invalidInput(message: string): TrainingError {
  return new TrainingError('INVALID_ARGUMENT', message);
}

/** "The generator's loss became NaN at epoch 7; lower the learning rate or check the data." */
export function divergedError(lossLabel: string, value: number, epoch: number): TrainingError {
  const what = Number.isNaN(value) ? 'NaN' : value > 0 ? 'infinite' : 'negative infinite';
  return new TrainingError('TRAINING_DIVERGED', `${lossLabel} became ${what} at epoch ${epoch}; lower the learning rate or check the data.`);
}

const OOM_PATTERN = /\bOOM\b|out of memory|allocation failed|failed to allocate|Cannot enlarge memory|Array buffer allocation|Invalid typed array length|Invalid array buffer length|Maximum memory size|WebAssembly\.Memory/i;

/** Whether an error thrown by tfjs, WASM or V8 means an allocation failed. */
export function isOutOfMemory(err: unknown): boolean {
  if (!(err instanceof Error)) return typeof err === 'string' && OOM_PATTERN.test(err);
  if ((err as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') return true;
  if (err instanceof RangeError && /alloc|memory|buffer|array length/i.test(err.message)) return true;
  return OOM_PATTERN.test(err.message);
}

export function outOfMemoryMessage(epoch: number | undefined): string {
  const when = epoch === undefined ? '' : ` at epoch ${epoch}`;
  return `Training ran out of memory${when}; lower the batch size or the layer sizes, or close other work on this workstation.`;
}

/** Any error to the failure a run reports. Unknown errors say so without internals (the log has the detail). */
export function toTrainingFailure(err: unknown, epoch?: number): TrainingFailure {
  if (err instanceof TrainingError) return { code: err.code, message: err.message };
  if (isOutOfMemory(err)) return { code: 'OUT_OF_MEMORY', message: outOfMemoryMessage(epoch) };
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return { code: 'INTERNAL', message: `Training stopped on an internal error: ${detail}` };
}
