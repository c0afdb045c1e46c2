// The identity of a validation result: SHA-256 over its RFC 8785 canonical JSON, so equal results hash equal.
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { AirlockError } from '../errors';

export function resultHash(result: unknown): { content: string; sha256: string } {
  const content = canonicalize(result);
  if (content === undefined) throw new AirlockError('INTERNAL', 'The validation result cannot be serialised.');
  return { content, sha256: createHash('sha256').update(content, 'utf8').digest('hex') };
}
