// Error codes and the envelope that carries results and errors across IPC.
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNKNOWN_CHANNEL',
  'UNTRUSTED_SENDER',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'FORBIDDEN',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'PASSWORD_CHANGE_REQUIRED',
  'WEAK_PASSWORD',
  'USER_EXISTS',
  'USER_NOT_FOUND',
  'LAST_ADMIN',
  'SELF_ACTION',
  'WORKSPACE_EXISTS',
  'WORKSPACE_NOT_FOUND',
  'WORKSPACE_BUSY',
  'WORKSPACE_CORRUPT',
  'WORKSPACE_TOO_NEW',
  'KEYSLOTS_DAMAGED',
  'SOURCES_DAMAGED',
  'SOURCES_LOCKED',
  'NOT_AVAILABLE',
  'NOT_FOUND',
  'NOT_DICOM',
  'DICOM_TRUNCATED',
  'DICOM_MALFORMED',
  'DICOM_NO_PIXELS',
  'DICOM_UNSUPPORTED',
  'TABLE_MALFORMED',
  'TABLE_RAGGED',
  'TABLE_EMPTY',
  'FILE_UNREADABLE',
  'FILE_UNWRITABLE',
  'IMPORT_CANCELLED',
  'RUN_CANCELLED',
  'INTERRUPTED',
  'TRAINING_DIVERGED',
  'OUT_OF_MEMORY',
  'CONFLICT',
  'VALIDATION_CANCELLED',
  'APPROVAL_REQUIRED',
  'SEPARATION_OF_DUTIES',
  'SIGNATURE_INVALID',
  'DATASET_RETIRED',
  'EXPORT_REFUSED',
  'BUNDLE_INVALID',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WireError {
  code: ErrorCode;
  message: string;
}
// What crosses IPC: Electron drops custom error fields, so errors travel as data.
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: WireError };
