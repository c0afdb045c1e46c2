// The sources key: source values (table rows, DICOM files and their identifying metadata) are sealed a second time,
// inside the already encrypted database, under a key only steward slots hold — so a reviewer or admin who extracts
// the database key still reads no source value. AES-256-GCM per value, its AAD naming table, column and row, so a
// sealed value moved to another row or column does not open. Lookups (UNIQUE identities) use a keyed HMAC instead.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AirlockError } from '../errors';

// Format byte, then the 8-byte key id, iv (12), tag (16) and the ciphertext.
const FORMAT = 0x01;
const KID_BYTES = 8;
const HEADER = 1 + KID_BYTES + 12 + 16;
/** Larger values (a multi-frame file) are sealed into a buffer of their own, not kept for the session's life. */
const SCRATCH_MAX = 4 * 1024 * 1024;

/** Where a sealed value lives: its AAD, so it opens only there. */
export interface SealScope {
  table: string;
  column: string;
  rowId: number | bigint | string;
}

export interface SourceCipher {
  /** 16 hex digits naming the key (not secret): recorded in the database so a session knows which key it holds. */
  readonly kid: string;
  seal(where: SealScope, plaintext: Uint8Array): Buffer;
  /**
   * The same sealed value in a buffer this cipher reuses, valid only until its next sealForBind: for binding into a
   * statement at once (better-sqlite3 binds blobs SQLITE_TRANSIENT, so SQLite copies them). An import then allocates
   * no sealed copy per file, each a garbage ArrayBuffer the GC frees late (peak memory, bench: ingest).
   */
  sealForBind(where: SealScope, plaintext: Uint8Array): Buffer;
  /** Throws SOURCES_DAMAGED when the value was sealed under another key, moved, or altered. */
  open(where: SealScope, sealed: Uint8Array): Buffer;
  sealText(where: SealScope, text: string): Buffer;
  openText(where: SealScope, sealed: Uint8Array): string;
  /** A keyed HMAC (hex) for looking a value up without storing it readable, e.g. a UNIQUE patient identity. */
  lookup(label: string, value: string): string;
  /** Wipes the key bytes held by this cipher. */
  destroy(): void;
}

export const newSourcesKey = (): Buffer => randomBytes(32);

const derive = (key: Buffer, info: string) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));

export function sourcesKid(key: Buffer): string {
  return createHash('sha256').update(derive(key, 'airlock-sources-kid')).digest('hex').slice(0, KID_BYTES * 2);
}

const aadOf = (w: SealScope) => Buffer.from(`airlock-source|${w.table}|${w.column}|${String(w.rowId)}`, 'utf8');

/** True when `value` has the sealed format (the stored kind of a source value after sealing). */
export function isSealed(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length >= HEADER && value[0] === FORMAT;
}

/** The key id a sealed value names, or null when it is not sealed. */
export function kidOf(value: unknown): string | null {
  return isSealed(value) ? Buffer.from(value.subarray(1, 1 + KID_BYTES)).toString('hex') : null;
}

export function sourceCipher(key: Buffer): SourceCipher {
  if (key.length !== 32) throw new AirlockError('INTERNAL', 'A sources key is 32 bytes.');
  const enc = derive(key, 'airlock-sources-seal');
  const mac = derive(key, 'airlock-sources-lookup');
  const kid = sourcesKid(key);
  const kidBytes = Buffer.from(kid, 'hex');
  const damaged = () =>
    new AirlockError('SOURCES_DAMAGED', 'A source value in the store does not open under the sources key (it was altered or moved). Restore the workspace from a backup.');
  // The header and the cipher's output copied into `out`: AES-GCM's output is the one allocation Node's API forces.
  const sealInto = (where: SealScope, plaintext: Uint8Array, out: Buffer): Buffer => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', enc, iv);
    c.setAAD(aadOf(where));
    out[0] = FORMAT;
    kidBytes.copy(out, 1);
    iv.copy(out, 1 + KID_BYTES);
    const body = c.update(plaintext);
    body.copy(out, HEADER);
    if (c.final().length !== 0 || body.length !== plaintext.length) throw new AirlockError('INTERNAL', 'AES-GCM changed the length of a sealed value.');
    c.getAuthTag().copy(out, 1 + KID_BYTES + 12);
    return out;
  };
  let scratch = Buffer.alloc(0);
  const cipher: SourceCipher = {
    kid,
    seal: (where, plaintext) => sealInto(where, plaintext, Buffer.allocUnsafe(HEADER + plaintext.length)),
    sealForBind(where, plaintext) {
      const size = HEADER + plaintext.length;
      if (size > SCRATCH_MAX) return cipher.seal(where, plaintext);
      if (scratch.length < size) scratch = Buffer.allocUnsafeSlow(Math.min(SCRATCH_MAX, Math.max(size, 2 * scratch.length)));
      return sealInto(where, plaintext, scratch.subarray(0, size));
    },
    open(where, sealed) {
      if (!isSealed(sealed)) throw damaged();
      const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
      if (!buf.subarray(1, 1 + KID_BYTES).equals(kidBytes)) throw damaged();
      try {
        const d = createDecipheriv('aes-256-gcm', enc, buf.subarray(1 + KID_BYTES, 1 + KID_BYTES + 12));
        d.setAAD(aadOf(where));
        d.setAuthTag(buf.subarray(1 + KID_BYTES + 12, HEADER));
        return Buffer.concat([d.update(buf.subarray(HEADER)), d.final()]);
      } catch {
        throw damaged();
      }
    },
    sealText(where, text) {
      return cipher.seal(where, Buffer.from(text, 'utf8'));
    },
    openText(where, sealed) {
      return cipher.open(where, sealed).toString('utf8');
    },
    lookup(label, value) {
      return createHmac('sha256', mac).update(`${label}|`).update(value, 'utf8').digest('hex');
    },
    destroy() {
      enc.fill(0);
      mac.fill(0);
    },
  };
  return cipher;
}
