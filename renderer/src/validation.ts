import type { ZodType } from 'zod';
import { newPasswordSchema, PASSWORD_MIN_LENGTH } from '../../electron/shared/contract';

// The same schemas main validates with, so the inline message matches what main would say.
export function check(schema: ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}

export function checkNewPassword(password: string, confirm: string): { password?: string; confirm?: string } {
  const errors: { password?: string; confirm?: string } = {};
  const passwordError = check(newPasswordSchema, password);
  if (passwordError) errors.password = passwordError;
  if (!confirm) errors.confirm = 'Type the password again.';
  else if (confirm !== password) errors.confirm = 'The two passwords do not match.';
  return errors;
}

export const passwordHint = `At least ${PASSWORD_MIN_LENGTH} characters. A short sentence is easier to remember than symbols.`;

export function hasErrors(errors: object): boolean {
  return Object.values(errors).some(Boolean);
}
