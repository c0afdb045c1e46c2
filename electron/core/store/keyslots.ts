// Key slots: the random database key, wrapped once per user by a key derived from that user's password.
// The file sits beside the database; it also keeps what must be recorded before the database can be
// opened (failed-login counters and the audit events they produce), flushed into the chain at next unlock.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { closeSync, constants, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { AirlockError } from '../errors';

export const KEYSLOT_FILE = 'airlock.keys.json';

export interface KdfParams {
  N: number;
  r: number;
  p: number;
}
// OWASP's scrypt recommendation (N=2^17, r=8, p=1): ~128 MiB and a few hundred ms per attempt.
export const DEFAULT_KDF: KdfParams = { N: 2 ** 17, r: 8, p: 1 };

const b64 = z.string().regex(/^[A-Za-z0-9+/]+=*$/);
// Parameters read from a file are only accepted within fixed bounds: a hostile N would cost minutes and gigabytes
// per login. N a power of two from 2^10 to 2^18, r up to 16, p up to 4: at most 512 MiB and a few seconds.
export const KDF_BOUNDS = { minLog2N: 10, maxLog2N: 18, maxR: 16, maxP: 4 } as const;
export const scryptParamsSchema = z.object({
  name: z.literal('scrypt'),
  N: z
    .number()
    .int()
    .refine((n) => n >= 2 ** KDF_BOUNDS.minLog2N && n <= 2 ** KDF_BOUNDS.maxLog2N && (n & (n - 1)) === 0, `the scrypt cost N must be a power of two from 2^${KDF_BOUNDS.minLog2N} to 2^${KDF_BOUNDS.maxLog2N}`),
  r: z.number().int().min(1).max(KDF_BOUNDS.maxR, `the scrypt block size r must be at most ${KDF_BOUNDS.maxR}`),
  p: z.number().int().min(1).max(KDF_BOUNDS.maxP, `the scrypt parallelism p must be at most ${KDF_BOUNDS.maxP}`),
  salt: b64,
});
const slotSchema = z.object({
  username: z.string(),
  kdf: scryptParamsSchema,
  wrap: z.object({ name: z.literal('aes-256-gcm'), iv: b64, tag: b64, ciphertext: b64 }),
  createdAt: z.string(),
});
const pendingEventSchema = z.object({
  ts: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
const fileSchema = z.object({
  format: z.literal('airlock-keyslots'),
  version: z.literal(1),
  workspaceId: z.string(),
  cipher: z.string(),
  slots: z.array(slotSchema),
  lockouts: z.record(z.string(), z.object({ failures: z.number().int(), lockedUntil: z.string().nullable() })),
  pendingAudit: z.array(pendingEventSchema),
});
export type KeySlot = z.infer<typeof slotSchema>;
export type KeySlotFile = z.infer<typeof fileSchema>;
export type PendingEvent = z.infer<typeof pendingEventSchema>;

export function slotKey(username: string): string {
  return username.toLowerCase();
}

export function newKeySlotFile(workspaceId: string, cipher: string): KeySlotFile {
  return { format: 'airlock-keyslots', version: 1, workspaceId, cipher, slots: [], lockouts: {}, pendingAudit: [] };
}

export function readKeySlots(path: string): KeySlotFile {
  if (!existsSync(path)) {
    throw new AirlockError('KEYSLOTS_DAMAGED', `The key-slot file ${KEYSLOT_FILE} is missing, so nobody can unlock this workspace. Restore it from a backup.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new AirlockError('KEYSLOTS_DAMAGED', `The key-slot file ${KEYSLOT_FILE} is not readable JSON. Restore it from a backup.`);
  }
  const result = fileSchema.safeParse(parsed);
  if (!result.success) {
    throw new AirlockError('KEYSLOTS_DAMAGED', `The key-slot file ${KEYSLOT_FILE} is damaged (${result.error.issues[0]?.message ?? 'bad format'}). Restore it from a backup.`);
  }
  return result.data;
}

// Atomic replace: write a 0600 temp file, fsync, rename, so a crash never leaves half a key-slot file.
export function writeKeySlots(path: string, file: KeySlotFile): void {
  // A fresh name, created exclusively and never through a link: nobody can plant the temp file beforehand.
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, `${JSON.stringify(file, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function scrypt(password: string, salt: Buffer, params: KdfParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function aad(workspaceId: string, username: string): Buffer {
  // Binding the slot to workspace and user stops a slot being copied to another user or workspace.
  return Buffer.from(`airlock-keyslot|${workspaceId}|${slotKey(username)}`, 'utf8');
}

/** A secret sealed under a password: scrypt parameters with their salt, and AES-256-GCM iv, tag and ciphertext. */
export interface PasswordSealed {
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  iv: string;
  tag: string;
  ciphertext: string;
}

/** Seals `secret` under a key derived from `password`; `bind` (the AAD) ties it to its owner and use. */
export async function sealUnderPassword(secret: Buffer, password: string, params: KdfParams, bind: Buffer): Promise<PasswordSealed> {
  const salt = randomBytes(16);
  const kek = await scrypt(password, salt, params);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(bind);
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  kek.fill(0);
  return { kdf: { name: 'scrypt', ...params, salt: salt.toString('base64') }, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

/** The sealed secret, or null when the password (or the binding) is wrong: the GCM tag does not verify. */
export async function openUnderPassword(sealed: PasswordSealed, password: string, bind: Buffer): Promise<Buffer | null> {
  const kek = await scrypt(password, Buffer.from(sealed.kdf.salt, 'base64'), sealed.kdf);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(bind);
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  } catch {
    return null;
  } finally {
    kek.fill(0);
  }
}

export async function wrapKey(dbKey: Buffer, password: string, workspaceId: string, username: string, params: KdfParams, now: Date): Promise<KeySlot> {
  const { kdf, iv, tag, ciphertext } = await sealUnderPassword(dbKey, password, params, aad(workspaceId, username));
  return { username, kdf, wrap: { name: 'aes-256-gcm', iv, tag, ciphertext }, createdAt: now.toISOString() };
}

// Returns the database key, or null when the password is wrong (the GCM tag does not verify).
export function unwrapKey(slot: KeySlot, password: string, workspaceId: string): Promise<Buffer | null> {
  return openUnderPassword({ kdf: slot.kdf, iv: slot.wrap.iv, tag: slot.wrap.tag, ciphertext: slot.wrap.ciphertext }, password, aad(workspaceId, slot.username));
}

export function findSlot(file: KeySlotFile, username: string): KeySlot | undefined {
  return file.slots.find((s) => slotKey(s.username) === slotKey(username));
}

export function putSlot(file: KeySlotFile, slot: KeySlot): KeySlotFile {
  const slots = file.slots.filter((s) => slotKey(s.username) !== slotKey(slot.username));
  return { ...file, slots: [...slots, slot] };
}

export function removeSlot(file: KeySlotFile, username: string): KeySlotFile {
  return { ...file, slots: file.slots.filter((s) => slotKey(s.username) !== slotKey(username)) };
}
