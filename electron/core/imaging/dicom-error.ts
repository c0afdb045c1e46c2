// The error for everything wrong with a file (a bad frame index is the caller's InvalidArgumentError). Codes
// come from the IPC contract; the message names what is wrong with the file, not what the parser tripped on.
import { AirlockError } from '../errors';

export type DicomErrorCode = 'NOT_DICOM' | 'DICOM_TRUNCATED' | 'DICOM_MALFORMED' | 'DICOM_NO_PIXELS' | 'DICOM_UNSUPPORTED';

export class DicomError extends AirlockError {
  declare readonly code: DicomErrorCode;
  constructor(code: DicomErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'DicomError';
  }
}

// dicom-parser and the wasm codecs throw strings, numbers, Errors and `{ exception, dataSet }` objects alike.
export function reasonOf(err: unknown): string {
  if (typeof err === 'string') return err;
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'exception' in err) return reasonOf(err.exception);
  return String(err);
}
