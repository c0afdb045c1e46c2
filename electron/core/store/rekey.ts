// Rotating the database key when a user loses access (disabled, password reset, a role removed).
// Design: every slot holds a per-user X25519 key pair; its private half is sealed under the user's password
// (scrypt + AES-256-GCM), and the database key is sealed to its public half (ephemeral X25519 + HKDF-SHA256 +
// AES-256-GCM). A session holding the current key can therefore seal a new random key to every remaining user
// without their passwords; it only trusts a public half whose HMAC (under the current key) vouches for it.
// Crash safety: (1) the key-slot file gets a "rekey" record (the new slots, the old key sealed under the new
// one) written atomically; (2) the user change and `store.rekeyed` commit in one transaction; (3) PRAGMA rekey
// (rollback journal: SQLite3MultipleCiphers cannot rekey in WAL mode); (4) the record replaces the slots.
// On open with a record present: try the old key, then the new; finish the rekey if (2) committed, drop the
// record if not. Old slots only ever held the old key, so a kept copy of the file opens nothing current.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AirlockError, InvalidCredentialsError, WorkspaceCorruptError } from '../errors';
import { appendAudit, type AuditEvent } from '../govern/audit';
import { DB_FILE, openEncrypted, type Db, type DbCipher } from './database';
import {
  KEYSLOT_FILE,
  readKeySlots,
  resealSlot,
  sealSourcesToSlot,
  slotKey,
  slotVouchedBy,
  updateKeySlotFile,
  withKeySlotLock,
  withoutSources,
  writeKeySlots,
  type HeldSourcesKey,
  type KeySlot,
  type KeySlotFile,
  type RekeyRecord,
} from './keyslots';
import { slotTrust } from './slot-trust';
import type { Workspace } from './workspace';

// The last two come from a steward's login: a sources key rotation an admin's session could not do, and a legacy store's first sealing.
export type RekeyReason = 'user disabled' | 'password reset' | 'role removed' | 'sources key rotation' | 'sources sealed';

/** Start and finish of a rekey; SQLite3MultipleCiphers rewrites every page in one call and reports nothing between. */
export interface RekeyProgress {
  phase: 'prepared' | 'rekeying' | 'done';
  pages: number;
}

export interface RekeyRequest {
  actor: string;
  reason: RekeyReason;
  subject: string;
  // A role removal keeps the subject's slot (resealed); a disable or reset drops it.
  keepSubject: boolean;
  nextKey: Buffer;
  // A reset's new temporary-password slot, already sealed under `nextKey`.
  replacement?: KeySlot;
  fileChange?: (file: KeySlotFile) => KeySlotFile;
  onProgress?: (progress: RekeyProgress) => void;
  // The stewards once `commit` has run (slotKey names): other slots lose their sources box; with `next`, a new
  // sources key is sealed to theirs (`commit` re-encrypts every value under it, in the same transaction).
  sources?: { stewards: ReadonlySet<string>; next: HeldSourcesKey | null };
}

export const newDatabaseKey = (): Buffer => randomBytes(32);

const previousKeyKey = (nextKey: Buffer) => Buffer.from(hkdfSync('sha256', nextKey, Buffer.alloc(0), 'airlock-rekey-previous-key', 32));
const previousAad = (workspaceId: string, id: string) => Buffer.from(`airlock-rekey|${workspaceId}|${id}`, 'utf8');

function sealPrevious(previous: Buffer, nextKey: Buffer, workspaceId: string, id: string): RekeyRecord['previousKey'] {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', previousKeyKey(nextKey), iv);
  cipher.setAAD(previousAad(workspaceId, id));
  const ciphertext = Buffer.concat([cipher.update(previous), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

function openPrevious(record: RekeyRecord, nextKey: Buffer, workspaceId: string): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', previousKeyKey(nextKey), Buffer.from(record.previousKey.iv, 'base64'));
    decipher.setAAD(previousAad(workspaceId, record.id));
    decipher.setAuthTag(Buffer.from(record.previousKey.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(record.previousKey.ciphertext, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

/** Re-encrypts every page under `nextKey`; the rollback journal makes it all-or-nothing. */
export function rekeyDatabase(db: Db, nextKey: Buffer, onProgress?: (p: RekeyProgress) => void): void {
  const pages = Number(db.pragma('page_count', { simple: true }));
  onProgress?.({ phase: 'rekeying', pages });
  db.pragma('journal_mode = DELETE');
  try {
    db.pragma(`rekey = "x'${nextKey.toString('hex')}'"`);
  } finally {
    // Back to WAL whether or not the rekey went through (a failed one leaves the old key in force).
    db.pragma('journal_mode = WAL');
  }
  onProgress?.({ phase: 'done', pages });
}

// The record's slots become the slots; anyone can write the file, so only slots the new key vouches for are kept.
function finishRecord(path: string, id: string, nextKey: Buffer, workspaceId: string): void {
  updateKeySlotFile(path, (f) => {
    if (f.rekey?.id !== id) return f;
    const { rekey, ...rest } = f;
    return { ...rest, version: 2, slots: rekey.slots.filter((s) => slotVouchedBy(s, nextKey, workspaceId)) };
  });
}

function dropRecord(path: string, id: string): void {
  updateKeySlotFile(path, (f) => {
    if (f.rekey?.id !== id) return f;
    const { rekey: _dropped, ...rest } = f;
    return rest;
  });
}

function withSourcesFor(slot: KeySlot, sources: RekeyRequest['sources'], workspaceId: string): KeySlot {
  if (!sources) return slot;
  if (!sources.stewards.has(slotKey(slot.username))) return withoutSources(slot);
  return sources.next ? sealSourcesToSlot(slot, sources.next, workspaceId) : slot;
}

/**
 * Rotates the open workspace's key: `commit` (the user change) and the audit event in one transaction, then
 * PRAGMA rekey. Synchronous from the first write to the last, so nothing else in this process interleaves.
 */
export function rotateKey(ws: Workspace, req: RekeyRequest, commit: () => void): { slots: number; dropped: string[] } {
  const path = ws.keySlotPath;
  const id = randomUUID();
  const dropped: string[] = [];
  if (req.replacement && !slotVouchedBy(req.replacement, req.nextKey, ws.workspaceId)) throw new AirlockError('INTERNAL', 'The replacement slot is not sealed under the new key.');
  const record = withKeySlotLock(path, () => {
    const file = readKeySlots(path);
    if (file.rekey) throw new AirlockError('CONFLICT', 'A change of the database key was interrupted and is unfinished. Log out and in again to finish it, then retry.');
    const trusted = slotTrust(ws.db);
    const slots = ws.useKey((current) => {
      const out: KeySlot[] = [];
      for (const s of file.slots) {
        if (slotKey(s.username) === slotKey(req.subject) && !req.keepSubject) continue;
        // An old-format slot, one whose public half the current key does not vouch for, or one whose public half is
        // not the one the signed chain recorded for its owner (planted), cannot follow.
        const resealed = trusted(s) ? resealSlot(s, current, req.nextKey, ws.workspaceId) : null;
        if (resealed) out.push(withSourcesFor(resealed, req.sources, ws.workspaceId));
        else dropped.push(s.username);
      }
      return out;
    });
    if (req.replacement) slots.push(req.replacement);
    const rec: RekeyRecord = { id, reason: req.reason, subject: req.subject, startedAt: ws.now().toISOString(), slots, previousKey: ws.useKey((k) => sealPrevious(k, req.nextKey, ws.workspaceId, id)) };
    writeKeySlots(path, { ...(req.fileChange ? req.fileChange(file) : file), version: 2, rekey: rec });
    return rec;
  });
  req.onProgress?.({ phase: 'prepared', pages: 0 });
  try {
    ws.db.transaction(() => {
      commit();
      appendAudit(ws.db, { actor: req.actor, action: 'store.rekeyed', subject: req.subject, details: { rotation: id, reason: req.reason, user: req.subject, slots: record.slots.length, dropped } }, ws.now());
    })();
  } catch (err) {
    dropRecord(path, id);
    throw err;
  }
  // From here the change is committed: should the rekey fail or be killed, the next unlock finishes it.
  rekeyDatabase(ws.db, req.nextKey, req.onProgress);
  ws.replaceKey(req.nextKey);
  finishRecord(path, id, req.nextKey, ws.workspaceId);
  return { slots: record.slots.length, dropped };
}

function tryOpen(dir: string, key: Buffer, cipher: DbCipher): Db | null {
  try {
    return openEncrypted(join(dir, DB_FILE), key, { create: false, cipher });
  } catch (err) {
    if (err instanceof WorkspaceCorruptError) return null;
    throw err;
  }
}

function committed(db: Db, id: string): boolean {
  return db.prepare("SELECT 1 FROM audit_log WHERE action = 'store.rekeyed' AND json_extract(details, '$.rotation') = ?").get(id) !== undefined;
}

/**
 * Opens a database whose key change was interrupted, and settles it: `next` is the key from the user's new slot,
 * `previous` from their old one (either may be missing). Returns the open database, the key now in force, and the
 * audit event saying how it was settled: the caller appends it once the session signs (an unsigned one would break the chain).
 */
export function openDuringRekey(dir: string, record: RekeyRecord, workspaceId: string, found: { next: Buffer | null; previous: Buffer | null }, cipher: DbCipher): { db: Db; key: Buffer; settled: AuditEvent } {
  const path = join(dir, KEYSLOT_FILE);
  const previous = (found.next ? openPrevious(record, found.next, workspaceId) : null) ?? found.previous;
  // The old key first: a database still under it may have a hot journal, which only the old key can roll back.
  const old = previous ? tryOpen(dir, previous, cipher) : null;
  if (old && previous) {
    if (!committed(old, record.id)) {
      dropRecord(path, record.id);
      return { db: old, key: previous, settled: { actor: 'system', action: 'store.rekey_abandoned', subject: record.subject, details: { rotation: record.id, reason: record.reason } } };
    }
    // The change committed and this user is not in the new set (disabled, reset, or an old-format slot): refused.
    if (!found.next) {
      old.close();
      throw new InvalidCredentialsError();
    }
    try {
      rekeyDatabase(old, found.next);
    } catch (err) {
      old.close();
      throw err;
    }
    finishRecord(path, record.id, found.next, workspaceId);
    return { db: old, key: found.next, settled: finished(record) };
  }
  if (!found.next) throw new InvalidCredentialsError();
  const db = tryOpen(dir, found.next, cipher);
  if (!db) throw new WorkspaceCorruptError('neither the old nor the new database key opens it');
  finishRecord(path, record.id, found.next, workspaceId);
  return { db, key: found.next, settled: finished(record) };
}

const finished = (record: RekeyRecord): AuditEvent => ({ actor: 'system', action: 'store.rekey_finished', subject: record.subject, details: { rotation: record.id, reason: record.reason, recovered: true } });
