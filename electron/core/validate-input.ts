// Checks arguments with the contract's own schemas, so the CLI gets the same rules as IPC.
import type { z } from 'zod';
import { InvalidArgumentError } from './errors';

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new InvalidArgumentError(`${where}${issue?.message ?? 'invalid input'}`);
}
