// Each user's Ed25519 signing key pair. The private key (PKCS#8) is wrapped by AES-256-GCM under a key derived
// from the user's password (scrypt), so signing needs the password every time; the public key is recorded in
// the store and in the audit chain. A password change rewraps the key; an admin reset makes a new pair.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { AirlockError, InvalidCredentialsError } from '../errors';
import type { Db } from '../store/database';
import type { KdfParams } from '../store/keyslots';
import { openUnderPassword, scryptParamsSchema, sealUnderPassword, slotKey } from '../store/keyslots';
import { appendAudit } from './audit';
import { keyFingerprint, privateKeyFromPkcs8, rawPublicKey } from './signature';

const b64 = z.string().regex(/^[A-Za-z0-9+/]+=*$/);
const wrappedSchema = z.object({
  kdf: scryptParamsSchema,
  iv: b64,
  tag: b64,
  ciphertext: b64,
});

export interface SigningKeyRow {
  id: number;
  username: string;
  public_key: string;
  fingerprint: string;
  wrapped: string;
  created_at: string;
  retired_at: string | null;
  retired_reason: string | null;
}

/** A fresh key pair, its private half already wrapped under the password (computed outside any transaction). */
export interface PreparedKey {
  username: string;
  publicKey: string;
  fingerprint: string;
  wrapped: string;
}

// The AAD binds the wrapped key to its workspace, owner and public key: a wrapped blob cannot be moved.
const aad = (workspaceId: string, username: string, fingerprint: string) => Buffer.from(`airlock-signing|${workspaceId}|${slotKey(username)}|${fingerprint}`, 'utf8');

async function wrap(pkcs8: Buffer, password: string, kdf: KdfParams, bind: Buffer): Promise<string> {
  return JSON.stringify(await sealUnderPassword(pkcs8, password, kdf, bind));
}

async function unwrap(wrappedJson: string, password: string, bind: Buffer): Promise<Buffer | null> {
  const parsed = wrappedSchema.safeParse(JSON.parse(wrappedJson));
  if (!parsed.success) throw new AirlockError('WORKSPACE_CORRUPT', `A stored signing key is damaged (${parsed.error.issues[0]?.message ?? 'bad format'}). Ask an admin to reset your password, which makes a new key pair.`);
  return openUnderPassword(parsed.data, password, bind);
}

export async function prepareSigningKey(workspaceId: string, username: string, password: string, kdf: KdfParams): Promise<PreparedKey> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  const fingerprint = keyFingerprint(raw);
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const wrapped = await wrap(pkcs8, password, kdf, aad(workspaceId, username, fingerprint));
  pkcs8.fill(0);
  return { username, publicKey: raw, fingerprint, wrapped };
}

export function currentKey(db: Db, username: string): SigningKeyRow | null {
  return (db.prepare('SELECT * FROM signing_keys WHERE username = ? AND retired_at IS NULL').get(username) as SigningKeyRow | undefined) ?? null;
}

export function keyById(db: Db, id: number): SigningKeyRow | null {
  return (db.prepare('SELECT * FROM signing_keys WHERE id = ?').get(id) as SigningKeyRow | undefined) ?? null;
}

/** Records a prepared key as the user's current one (retiring any older one); call inside the caller's transaction. */
export function installSigningKey(db: Db, actor: string, key: PreparedKey, reason: 'user created' | 'first login' | 'password reset' | 'account enabled' | 'password chosen', now: Date): number {
  const ts = now.toISOString();
  const old = currentKey(db, key.username);
  if (old) db.prepare('UPDATE signing_keys SET retired_at = ?, retired_reason = ? WHERE id = ?').run(ts, reason, old.id);
  const id = Number(
    db.prepare('INSERT INTO signing_keys (username, public_key, fingerprint, wrapped, created_at) VALUES (?, ?, ?, ?, ?)').run(key.username, key.publicKey, key.fingerprint, key.wrapped, ts).lastInsertRowid,
  );
  // The public key goes into the chain itself, so a later swap of the stored key is visible.
  appendAudit(db, { actor, action: 'signing_key.created', subject: key.username, details: { ed25519: key.publicKey, fingerprint: key.fingerprint, reason, ...(old ? { replaces: old.fingerprint } : {}) } }, now);
  return id;
}

/** The user's private signing key, unlocked by the password they just typed; a wrong password is refused. */
export async function unlockSigningKey(db: Db, workspaceId: string, username: string, password: string): Promise<{ key: KeyObject; row: SigningKeyRow }> {
  const row = currentKey(db, username);
  if (!row) throw new AirlockError('NOT_FOUND', `“${username}” has no signing key yet. Log out and in again once to create it.`);
  const pkcs8 = await unwrap(row.wrapped, password, aad(workspaceId, row.username, row.fingerprint));
  if (!pkcs8) throw new InvalidCredentialsError();
  try {
    return { key: privateKeyFromPkcs8(pkcs8), row };
  } finally {
    pkcs8.fill(0);
  }
}

/** After a password change: the same key pair, wrapped under the new password. */
export async function rewrapSigningKey(db: Db, workspaceId: string, username: string, oldPassword: string, newPassword: string, kdf: KdfParams): Promise<{ id: number; wrapped: string; fingerprint: string } | null> {
  const row = currentKey(db, username);
  if (!row) return null;
  const bind = aad(workspaceId, row.username, row.fingerprint);
  const pkcs8 = await unwrap(row.wrapped, oldPassword, bind);
  if (!pkcs8) return null;
  const wrapped = await wrap(pkcs8, newPassword, kdf, bind);
  pkcs8.fill(0);
  return { id: row.id, wrapped, fingerprint: row.fingerprint };
}

export function storeRewrapped(db: Db, actor: string, r: { id: number; wrapped: string; fingerprint: string }, now: Date): void {
  db.prepare('UPDATE signing_keys SET wrapped = ? WHERE id = ? AND retired_at IS NULL').run(r.wrapped, r.id);
  appendAudit(db, { actor, action: 'signing_key.rewrapped', subject: actor, details: { fingerprint: r.fingerprint } }, now);
}
