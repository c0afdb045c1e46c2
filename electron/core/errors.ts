// Typed errors with a stable `code`; the message is a sentence a data steward can act on.
import type { ErrorCode, WireError } from '../shared/contract';

export class AirlockError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'AirlockError';
  }
  toWire(): WireError {
    return { code: this.code, message: this.message };
  }
}

export class InvalidArgumentError extends AirlockError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

export class WorkspaceBusyError extends AirlockError {
  constructor() {
    super(
      'WORKSPACE_BUSY',
      'This workspace is open in another Airlock window. Close it there first, then try again.',
    );
  }
}

export class WorkspaceCorruptError extends AirlockError {
  constructor(detail: string, cause?: unknown) {
    super(
      'WORKSPACE_CORRUPT',
      `The workspace database is damaged (${detail}). Airlock has not written to it; restore it from a backup.`,
      { cause },
    );
  }
}

export class WorkspaceTooNewError extends AirlockError {
  constructor(found: number, supported: number) {
    super(
      'WORKSPACE_TOO_NEW',
      `This workspace was written by a newer Airlock (schema ${found}; this app knows up to ${supported}). Install the newer version to open it.`,
    );
  }
}

export class InvalidCredentialsError extends AirlockError {
  constructor(attemptsLeft?: number) {
    const tail =
      attemptsLeft !== undefined && attemptsLeft <= 3
        ? ` ${attemptsLeft} attempt${attemptsLeft === 1 ? '' : 's'} left before the account is locked.`
        : '';
    super('INVALID_CREDENTIALS', `The user name or password is not correct.${tail}`);
  }
}

export class AccountLockedError extends AirlockError {
  constructor(until: Date, now: Date) {
    const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
    super(
      'ACCOUNT_LOCKED',
      `This account is locked after too many failed logins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin to reset the password.`,
    );
  }
}

export class ForbiddenError extends AirlockError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export function toWireError(err: unknown): WireError {
  if (err instanceof AirlockError) return err.toWire();
  // Unexpected errors: say so plainly, without leaking internals (paths, keys) to the renderer.
  return { code: 'INTERNAL', message: 'Something went wrong inside Airlock. The details are in the application log.' };
}
