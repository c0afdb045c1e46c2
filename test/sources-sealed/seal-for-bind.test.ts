// sealForBind: the sealed value an import binds into SQLite at once, in a buffer the cipher reuses. It must open to
// the same bytes as seal()'s, only where it was sealed, and never hand a value larger than its buffer a shared one.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealed, newSourcesKey, sourceCipher } from '../../electron/core/store/sources-cipher';

const at = (rowId: number) => ({ table: 'source_files', column: 'content', rowId });

describe('sealing a value for binding', () => {
  it('opens like seal() where it was sealed, reuses one buffer, and gives a value over 4 MiB its own', () => {
    const cipher = sourceCipher(newSourcesKey());
    const file = randomBytes(600_000);
    const bound = cipher.sealForBind(at(1), file);
    expect(isSealed(bound)).toBe(true);
    expect(bound.length).toBe(cipher.seal(at(1), file).length);
    expect(cipher.open(at(1), bound).equals(file)).toBe(true);
    expect(() => cipher.open(at(2), bound)).toThrow(expect.objectContaining({ code: 'SOURCES_DAMAGED' }));
    // The next one takes the same memory: the caller binds each at once (SQLite copies a bound blob).
    const next = cipher.sealForBind(at(2), randomBytes(500_000));
    expect(next.buffer).toBe(bound.buffer);
    expect(cipher.seal(at(3), file).buffer).not.toBe(cipher.seal(at(3), file).buffer);
    const big = randomBytes(5 * 1024 * 1024);
    const sealedBig = cipher.sealForBind(at(4), big);
    expect(sealedBig.buffer).not.toBe(next.buffer);
    const after = cipher.sealForBind(at(5), file);
    expect(after.buffer).toBe(next.buffer);
    expect(cipher.open(at(4), sealedBig).equals(big)).toBe(true);
    expect(cipher.open(at(5), after).equals(file)).toBe(true);
  });
});
