// Key slots: the random database key, reachable once per user through a key derived from that user's password.
// A slot holds a per-user X25519 key pair (private half sealed under the password) and the database key sealed to
// its public half, so a session holding the key can seal a new one for everybody without their passwords (see rekey.ts).
// The file sits beside the database; it also keeps what must be recorded before the database can be
// opened (failed-login counters and the audit events they produce), flushed into the chain at next unlock.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  scrypt as scryptCb,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';
import { closeSync, constants, existsSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { AirlockError, WorkspaceBusyError } from '../errors';
import { openBox, sealToPublic, spki, type BoxLabel } from './slot-box';
import { storageProblem } from './storage-errors';

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
const gcmSchema = z.object({ name: z.literal('aes-256-gcm'), iv: b64, tag: b64, ciphertext: b64 });
const slotSchema = z.object({
  username: z.string(),
  kdf: scryptParamsSchema,
  // Version 1 slots seal the database key itself here; version 2 slots seal the slot's X25519 private key.
  wrap: gcmSchema,
  publicKey: b64.optional(),
  // HMAC of the public key under the database key: only a key holder can vouch for a slot's public half.
  publicMac: b64.optional(),
  box: z.object({ epk: b64, iv: b64, tag: b64, ciphertext: b64 }).optional(),
  // Steward slots only: the sources key sealed to the same public half, and the id of that key (sources-keys.ts).
  sources: z.object({ kid: z.string().regex(/^[0-9a-f]{16}$/), epk: b64, iv: b64, tag: b64, ciphertext: b64 }).optional(),
  createdAt: z.string(),
});
// Written before PRAGMA rekey and dropped after it: the new slots, and the old key sealed under the new one.
const rekeySchema = z.object({
  id: z.string(),
  reason: z.string(),
  subject: z.string(),
  startedAt: z.string(),
  slots: z.array(slotSchema),
  previousKey: z.object({ iv: b64, tag: b64, ciphertext: b64 }),
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
  version: z.union([z.literal(1), z.literal(2)]),
  workspaceId: z.string(),
  cipher: z.string(),
  slots: z.array(slotSchema),
  rekey: rekeySchema.optional(),
  lockouts: z.record(z.string(), z.object({ failures: z.number().int(), lockedUntil: z.string().nullable() })),
  pendingAudit: z.array(pendingEventSchema),
});
export type KeySlot = z.infer<typeof slotSchema>;
export type KeySlotFile = z.infer<typeof fileSchema>;
export type PendingEvent = z.infer<typeof pendingEventSchema>;
export type RekeyRecord = z.infer<typeof rekeySchema>;

export function slotKey(username: string): string {
  return username.toLowerCase();
}

export function newKeySlotFile(workspaceId: string, cipher: string): KeySlotFile {
  return { format: 'airlock-keyslots', version: 2, workspaceId, cipher, slots: [], lockouts: {}, pendingAudit: [] };
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
  try {
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, `${JSON.stringify(file, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    // The old file stays whole (the new one is written aside): say what the steward can do, not the system call.
    rmSync(tmp, { force: true });
    throw storageError(err);
  }
}

// A full or read-only disk, said as what the steward can do; anything else as it was.
function storageError(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  // A folder without write permission is read-only for this purpose too.
  const problem = code === 'EACCES' || code === 'EPERM' ? 'readonly' : storageProblem(err);
  if (problem === 'full') return new AirlockError('FILE_UNWRITABLE', 'The disk holding the workspace is full, so Airlock cannot update its key-slot file. Free some space, then try again.', { cause: err });
  if (problem === 'readonly') return new AirlockError('FILE_UNWRITABLE', 'The workspace folder can only be read (a read-only disk or folder), so Airlock cannot update its key-slot file.', { cause: err });
  return err;
}

// The key-slot file's lock: read-modify-writes from several processes (parallel failed logins) each see the last one.
const LOCK_WAIT_MS = 10_000;
const held = new Map<string, number>();
const sleeper = new Int32Array(new SharedArrayBuffer(4));

type Holder = { state: 'alive' } | { state: 'released' } | { state: 'dead'; pid: number | null };

function holderOf(lockPath: string): Holder {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'released' };
    throw err;
  }
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0) return { state: 'dead', pid: null };
  try {
    process.kill(pid, 0);
    return { state: 'alive' };
  } catch (err) {
    // ESRCH: the holder was killed. EPERM means someone else's live process.
    return (err as NodeJS.ErrnoException).code === 'ESRCH' ? { state: 'dead', pid } : { state: 'alive' };
  }
}

// Creates `path` atomically with this process's pid inside (link is atomic), so it is never seen empty.
function tryCreate(path: string): boolean {
  const tmp = `${path}.${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, String(process.pid));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    rmSync(tmp, { force: true });
    throw storageError(err);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  } finally {
    unlinkSync(tmp);
  }
}

// A killed holder's lock is removed under a second, short-lived lock, after checking again that it is the same
// dead holder's: two processes that both saw it stale must not remove each other's fresh lock.
const BREAKER_STALE_MS = 2_000;
function removeStale(lockPath: string, pid: number | null): void {
  const breaker = `${lockPath}.break`;
  if (!tryCreate(breaker)) {
    // A breaker killed in its few system calls leaves its file; one this old is taken for that.
    try {
      if (Date.now() - statSync(breaker).mtimeMs > BREAKER_STALE_MS) unlinkSync(breaker);
    } catch {
      // Released or removed meanwhile.
    }
    return;
  }
  try {
    const again = holderOf(lockPath);
    if (again.state === 'dead' && again.pid === pid) unlinkSync(lockPath);
  } finally {
    unlinkSync(breaker);
  }
}

/** Runs `fn` holding the key-slot file's lock (re-entrant within this process; a killed holder's lock is taken over). */
export function withKeySlotLock<T>(path: string, fn: () => T): T {
  const lockPath = `${path}.lock`;
  const depth = held.get(lockPath) ?? 0;
  if (depth === 0) {
    const deadline = Date.now() + LOCK_WAIT_MS;
    while (!tryCreate(lockPath)) {
      const holder = holderOf(lockPath);
      if (holder.state === 'dead') removeStale(lockPath, holder.pid);
      else if (Date.now() > deadline) throw new WorkspaceBusyError();
      // A lock released meanwhile is simply tried again: removing it could remove the next holder's.
      else if (holder.state === 'alive') Atomics.wait(sleeper, 0, 0, 2);
    }
  }
  held.set(lockPath, depth + 1);
  try {
    return fn();
  } finally {
    held.set(lockPath, depth);
    if (depth === 0) {
      held.delete(lockPath);
      unlinkSync(lockPath);
    }
  }
}

/** Read-modify-write of the key-slot file under its lock, always from disk, so other processes' changes survive. */
export function updateKeySlotFile(path: string, change: (file: KeySlotFile) => KeySlotFile): KeySlotFile {
  return withKeySlotLock(path, () => {
    const next = change(readKeySlots(path));
    writeKeySlots(path, next);
    return next;
  });
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

const b = (s: string) => Buffer.from(s, 'base64');
const slotAad = (workspaceId: string, username: string) => Buffer.from(`airlock-slot-x25519|${workspaceId}|${slotKey(username)}`, 'utf8');
// The database key's box keeps its original label; the sources key's box has its own, bound to the key's id too.
const dbBox = (workspaceId: string, username: string): BoxLabel => ({ info: `airlock-slot-box|${workspaceId}|${slotKey(username)}`, bind: slotAad(workspaceId, username) });
const sourcesBox = (workspaceId: string, username: string, kid: string): BoxLabel => ({
  info: `airlock-slot-sources|${workspaceId}|${slotKey(username)}`,
  bind: Buffer.from(`airlock-slot-sources|${workspaceId}|${slotKey(username)}|${kid}`, 'utf8'),
});

function publicMac(dbKey: Buffer, workspaceId: string, username: string, pub: Buffer): Buffer {
  const macKey = Buffer.from(hkdfSync('sha256', dbKey, Buffer.alloc(0), 'airlock-slot-public-mac', 32));
  return createHmac('sha256', macKey).update(`${workspaceId}|${slotKey(username)}|`).update(pub).digest();
}

/** The sources key as a session holds it: the bytes and their id (sources-cipher.ts's `sourcesKid`). */
export interface HeldSourcesKey {
  key: Buffer;
  kid: string;
}

/** A new slot for `username`: a fresh X25519 pair, its private half under the password, `dbKey` (and, for a steward, the sources key) sealed to its public half. */
export async function wrapKey(dbKey: Buffer, password: string, workspaceId: string, username: string, params: KdfParams, now: Date, sources?: HeldSourcesKey | null): Promise<KeySlot> {
  const pair = generateKeyPairSync('x25519');
  const pkcs8 = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
  const pub = spki(pair.publicKey);
  const { kdf, iv, tag, ciphertext } = await sealUnderPassword(pkcs8, password, params, slotAad(workspaceId, username));
  pkcs8.fill(0);
  const slot: KeySlot = {
    username,
    kdf,
    wrap: { name: 'aes-256-gcm', iv, tag, ciphertext },
    publicKey: pub.toString('base64'),
    publicMac: publicMac(dbKey, workspaceId, username, pub).toString('base64'),
    box: sealToPublic(dbKey, pub, dbBox(workspaceId, username)),
    createdAt: now.toISOString(),
  };
  return sources ? sealSourcesToSlot(slot, sources, workspaceId) : slot;
}

/** The same slot with the sources key sealed to its public half (replacing any older sources box). */
export function sealSourcesToSlot(slot: KeySlot, sources: HeldSourcesKey, workspaceId: string): KeySlot {
  if (!slot.publicKey) throw new AirlockError('INTERNAL', 'An old-format slot cannot carry the sources key.');
  return { ...slot, sources: { kid: sources.kid, ...sealToPublic(sources.key, b(slot.publicKey), sourcesBox(workspaceId, slot.username, sources.kid)) } };
}

export function withoutSources(slot: KeySlot): KeySlot {
  const { sources: _dropped, ...rest } = slot;
  return rest;
}

/** SHA-256 (hex) of the slot's X25519 public key (SPKI): what `keyslot.created` audit events record. */
export function slotFingerprint(slot: KeySlot): string | null {
  return slot.publicKey ? createHash('sha256').update(b(slot.publicKey)).digest('hex') : null;
}

/** True when the slot's public key was vouched for by `dbKey` (the key that sealed it). */
export function slotVouchedBy(slot: KeySlot, dbKey: Buffer, workspaceId: string): boolean {
  if (!slot.publicKey || !slot.publicMac || !slot.box) return false;
  const expected = publicMac(dbKey, workspaceId, slot.username, b(slot.publicKey));
  const got = b(slot.publicMac);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** The same slot with `nextKey` sealed to its public half, or null when `currentKey` does not vouch for that half. */
export function resealSlot(slot: KeySlot, currentKey: Buffer, nextKey: Buffer, workspaceId: string): KeySlot | null {
  if (!slot.publicKey || !slotVouchedBy(slot, currentKey, workspaceId)) return null;
  const pub = b(slot.publicKey);
  return { ...slot, publicMac: publicMac(nextKey, workspaceId, slot.username, pub).toString('base64'), box: sealToPublic(nextKey, pub, dbBox(workspaceId, slot.username)) };
}

/** What a password opens in a slot: the database key and, in a steward's slot, the sources key. */
export interface OpenedSlot {
  dbKey: Buffer;
  sources: HeldSourcesKey | null;
}

// One scrypt for both boxes: the X25519 private half, once unsealed, opens the database key and the sources key.
export async function openSlot(slot: KeySlot, password: string, workspaceId: string): Promise<OpenedSlot | null> {
  const sealed = { kdf: slot.kdf, iv: slot.wrap.iv, tag: slot.wrap.tag, ciphertext: slot.wrap.ciphertext };
  if (!slot.box || !slot.publicKey) {
    const dbKey = await openUnderPassword(sealed, password, aad(workspaceId, slot.username));
    return dbKey ? { dbKey, sources: null } : null;
  }
  const pkcs8 = await openUnderPassword(sealed, password, slotAad(workspaceId, slot.username));
  if (!pkcs8) return null;
  try {
    const priv = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    const pub = b(slot.publicKey);
    const dbKey = openBox(slot.box, priv, pub, dbBox(workspaceId, slot.username));
    if (!dbKey) return null;
    const key = slot.sources ? openBox(slot.sources, priv, pub, sourcesBox(workspaceId, slot.username, slot.sources.kid)) : null;
    return { dbKey, sources: key && slot.sources ? { key, kid: slot.sources.kid } : null };
  } catch {
    return null;
  } finally {
    pkcs8.fill(0);
  }
}

// Returns the database key, or null when the password is wrong (a GCM tag does not verify).
export async function unwrapKey(slot: KeySlot, password: string, workspaceId: string): Promise<Buffer | null> {
  const opened = await openSlot(slot, password, workspaceId);
  opened?.sources?.key.fill(0);
  return opened?.dbKey ?? null;
}

/** Whether a slot is the old kind (the password seals the database key itself): it cannot follow a rekey. */
export const isLegacySlot = (slot: KeySlot): boolean => !slot.box || !slot.publicKey;

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
