// A workspace is a folder: the encrypted database and the key-slot file beside it.
// Creating one makes the random key and the first admin; unlocking one turns a password into the key.
import { securePrivateTree } from './file-modes';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Role } from '../../shared/contract';
import { AccountLockedError, AirlockError, InvalidCredentialsError } from '../errors';
import { appendAudit } from '../govern/audit';
import { cipherLabel, cipherOfLabel, DB_FILE, NEW_WORKSPACE_CIPHER, openEncrypted, type Db, type DbCipher } from './database';
import {
  DEFAULT_KDF,
  KEYSLOT_FILE,
  findSlot,
  isLegacySlot,
  newKeySlotFile,
  putSlot,
  readKeySlots,
  slotKey,
  slotVouchedBy,
  openSlot,
  unwrapKey,
  updateKeySlotFile,
  withKeySlotLock,
  wrapKey,
  writeKeySlots,
  type KdfParams,
  type KeySlot,
  type KeySlotFile,
  type HeldSourcesKey,
  type PendingEvent,
} from './keyslots';
import { openDuringRekey } from './rekey';
import { sourceCipher, type SourceCipher } from './sources-cipher';
import { migrate } from './migrations';
import { admitPending } from './pending-audit';
import { APP_VERSION } from '../version';
import { assertNewPassword, assertUsername, insertUser, getUserRow, type UserRow } from '../govern/users-repo';
import { currentKey, installSigningKey, prepareSigningKey } from '../govern/signing-keys';
import { beginSignedSession } from '../govern/audit-session';
import { detachAuditSigner } from '../govern/audit-signing';
import { hasSlotRecord, recordSlotCreated } from './slot-trust';
import { settleSources } from './sources-keys';
import { storedSourcesKid } from './sources-seal';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
// Failed attempts are nobody's until a password proves who is there; the attempted name is the subject.
const UNAUTHENTICATED = '(unauthenticated)';
const UNKNOWN_USER = '(unknown user)';

export interface WorkspaceOptions {
  kdf?: KdfParams;
  now?: () => Date;
  /** The page cipher of a new workspace (AEGIS-256 unless a test needs one as older versions made them). */
  cipher?: DbCipher;
}

export class Workspace {
  private key: Buffer | null;
  private sources: SourceCipher | null = null;
  // The raw sources key, kept only to seal it to other steward slots (grants, password changes); never lent out to keep.
  private sourcesKey: HeldSourcesKey | null = null;
  // Why this session holds no sources key, when there is more to say than the default (a steward whose access is pending).
  sourcesLockedReason: string | null = null;
  readonly kdf: KdfParams;
  readonly now: () => Date;

  constructor(
    readonly dir: string,
    readonly db: Db,
    key: Buffer,
    readonly workspaceId: string,
    options: WorkspaceOptions,
  ) {
    this.key = key;
    this.kdf = options.kdf ?? DEFAULT_KDF;
    this.now = options.now ?? (() => new Date());
  }

  get keySlotPath(): string {
    return join(this.dir, KEYSLOT_FILE);
  }

  // Wraps the open database's key for a user (and, with `withSources`, the sources key this session holds); the keys never leave this object.
  async wrapFor(username: string, password: string, withSources = false) {
    if (!this.key) throw new AirlockError('INTERNAL', 'The workspace is closed.');
    return wrapKey(this.key, password, this.workspaceId, username, this.kdf, this.now(), withSources ? this.sourcesKey : null);
  }

  // Read-modify-write of the key-slot file under its lock, always from disk, so another process's pending events survive.
  updateKeySlots(change: (file: KeySlotFile) => KeySlotFile): void {
    updateKeySlotFile(this.keySlotPath, change);
  }

  /** Lends the current key to a synchronous key-slot operation (rekey.ts); it must not be kept. */
  useKey<T>(use: (key: Buffer) => T): T {
    if (!this.key) throw new AirlockError('INTERNAL', 'The workspace is closed.');
    return use(this.key);
  }

  /** After PRAGMA rekey: the new key is the one in force (copied; the caller may wipe its own). */
  replaceKey(next: Buffer): void {
    if (!this.key) throw new AirlockError('INTERNAL', 'The workspace is closed.');
    this.key.fill(0);
    this.key = Buffer.from(next);
  }

  // A slot prepared (slowly, asynchronously) before a key change would hold a key that no longer opens anything.
  assertCurrentSlot(slot: KeySlot): void {
    if (!this.useKey((k) => slotVouchedBy(slot, k, this.workspaceId))) {
      throw new AirlockError('CONFLICT', 'The database key changed while this was being prepared. Try again.');
    }
  }

  /** The sources cipher; only a steward session whose slot opened the sources key has one (sources-keys.ts). */
  sourcesCipher(): SourceCipher {
    if (!this.sources) {
      throw new AirlockError('SOURCES_LOCKED', this.sourcesLockedReason ?? 'Source data can only be read by a data steward whose access to it is active; this session holds no sources key.');
    }
    return this.sources;
  }

  get holdsSources(): boolean {
    return this.sources !== null;
  }

  /** Holds (or, with null, forgets) the sources key for this session; the cipher derives its own keys from it. */
  holdSources(key: Buffer | null): void {
    this.sources?.destroy();
    this.sourcesKey?.key.fill(0);
    this.sources = key ? sourceCipher(key) : null;
    this.sourcesKey = key && this.sources ? { key: Buffer.from(key), kid: this.sources.kid } : null;
  }

  /** Lends the held sources key (or null) to a synchronous sealing of it to a slot (sources-keys.ts); it must not be kept. */
  useSourcesKey<T>(use: (held: HeldSourcesKey | null) => T): T {
    return use(this.sourcesKey);
  }

  get isOpen(): boolean {
    return this.key !== null;
  }

  close(): void {
    if (!this.key) return;
    this.holdSources(null);
    this.key.fill(0);
    this.key = null;
    this.db.close();
  }
}

export type WorkspaceState = 'workspace' | 'empty-folder' | 'missing' | 'not-a-workspace';

export function probeWorkspace(dir: string): WorkspaceState {
  const path = resolve(dir);
  if (!existsSync(path)) return 'missing';
  if (!statSync(path).isDirectory()) return 'not-a-workspace';
  if (existsSync(join(path, DB_FILE)) && existsSync(join(path, KEYSLOT_FILE))) return 'workspace';
  return readdirSync(path).length === 0 ? 'empty-folder' : 'not-a-workspace';
}

export interface NewAdmin {
  username: string;
  displayName: string;
  password: string;
}

export async function createWorkspace(dir: string, admin: NewAdmin, options: WorkspaceOptions = {}): Promise<{ workspace: Workspace; user: UserRow }> {
  assertUsername(admin.username);
  assertNewPassword(admin.password);
  const path = resolve(dir);
  const state = probeWorkspace(path);
  if (state === 'workspace') throw new AirlockError('WORKSPACE_EXISTS', 'This folder already holds an Airlock workspace. Log in to it instead.');
  if (state === 'not-a-workspace') throw new AirlockError('WORKSPACE_EXISTS', 'This folder is not empty. Choose an empty or new folder for the workspace.');
  mkdirSync(path, { recursive: true, mode: 0o700 });
  // An existing empty folder keeps whatever mode it had (0777, say): the workspace is its owner's alone.
  chmodSync(path, 0o700);
  const now = options.now ?? (() => new Date());
  const workspaceId = randomUUID();
  const key = randomBytes(32);
  let db: Db | null = null;
  try {
    const cipher = options.cipher ?? NEW_WORKSPACE_CIPHER;
    db = openEncrypted(join(path, DB_FILE), key, { create: true, cipher });
    migrate(db);
    const ws = new Workspace(path, db, key, workspaceId, options);
    const slot = await ws.wrapFor(admin.username, admin.password);
    const signing = await prepareSigningKey(workspaceId, admin.username, admin.password, ws.kdf);
    const openDb = db;
    const user = openDb.transaction(() => {
      const ts = now().toISOString();
      openDb.prepare('INSERT INTO workspace_meta (id, workspace_id, created_at, created_with_version) VALUES (1, ?, ?, ?)').run(workspaceId, ts, APP_VERSION);
      appendAudit(openDb, { actor: admin.username, action: 'workspace.created', subject: workspaceId, details: { appVersion: APP_VERSION, cipher: cipherLabel(cipher), kdf: { name: 'scrypt', ...ws.kdf } } }, now());
      const row = insertUser(openDb, { username: admin.username, displayName: admin.displayName, roles: ['admin'] as Role[], createdBy: null }, ts);
      appendAudit(openDb, { actor: admin.username, action: 'user.added', subject: admin.username, details: { roles: ['admin'], displayName: admin.displayName } }, now());
      installSigningKey(openDb, admin.username, signing, 'user created', now());
      openDb.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(ts, row.id);
      appendAudit(openDb, { actor: admin.username, action: 'login.ok', subject: admin.username }, now());
      writeKeySlots(join(path, KEYSLOT_FILE), putSlot(newKeySlotFile(workspaceId, cipherLabel(cipher)), slot));
      return getUserRow(openDb, admin.username) ?? row;
    })();
    // The admin's slot key goes into the chain signed by the admin, like every slot after it (slot-trust.ts).
    await beginSignedSession(ws, admin.username, admin.password);
    openDb.transaction(() => recordSlotCreated(openDb, admin.username, slot, now()))();
    return { workspace: ws, user };
  } catch (err) {
    // A workspace that failed half-way is removed whole: nothing is left behind.
    db?.close();
    for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, KEYSLOT_FILE]) rmSync(join(path, f), { force: true });
    throw err;
  }
}

// Counters of unknown names whose lock has run out are dropped, so probing many names does not grow the file for ever.
function withoutExpiredUnknown(lockouts: KeySlotFile['lockouts'], now: Date): KeySlotFile['lockouts'] {
  return Object.fromEntries(Object.entries(lockouts).filter(([k, v]) => !(k.startsWith('unknown:') && v.lockedUntil !== null && new Date(v.lockedUntil) <= now)));
}

function pending(file: KeySlotFile, event: Omit<PendingEvent, 'ts'>, now: Date): KeySlotFile {
  return { ...file, pendingAudit: [...file.pendingAudit, { ...event, ts: now.toISOString() }] };
}

// Turns a password into the database key. Failed attempts are counted in the key-slot file (the
// database cannot be opened without the key) and reach the audit chain at the next successful unlock.
export async function unlockWorkspace(dir: string, username: string, password: string, options: WorkspaceOptions = {}): Promise<{ workspace: Workspace; user: UserRow }> {
  const path = resolve(dir);
  if (probeWorkspace(path) !== 'workspace') throw new AirlockError('WORKSPACE_NOT_FOUND', `There is no Airlock workspace in ${path}.`);
  // Folders 0700 and files 0600 at every login, even if someone loosened them (links are not followed).
  securePrivateTree(path);
  const now = (options.now ?? (() => new Date()))();
  const slotPath = join(path, KEYSLOT_FILE);
  const file = readKeySlots(slotPath);
  const who = slotKey(username.trim());
  const slot = findSlot(file, who);
  // During an interrupted key change the user may hold a slot in the new set only (a reset's temporary password).
  const nextSlot = file.rekey ? findSlot({ ...file, slots: file.rekey.slots }, who) : undefined;
  const known = slot !== undefined || nextSlot !== undefined;
  // Unknown names are counted and locked like real ones (the same answers, so names cannot be probed), under a
  // hash: the typed text may be a password in the wrong field, so it is never kept.
  const counter = known ? who : `unknown:${createHash('sha256').update(`${file.workspaceId}|${who}`).digest('hex').slice(0, 32)}`;
  const subject = known ? who : UNKNOWN_USER;
  refuseIfLocked(slotPath, counter, subject, now);
  // With no slot, still pay for one derivation so response time does not reveal which names exist.
  const next = nextSlot ? await openSlot(nextSlot, password, file.workspaceId) : null;
  let previous = slot && !next ? await openSlot(slot, password, file.workspaceId) : null;
  if (!known) await unwrapKey(decoySlot(options.kdf ?? DEFAULT_KDF), password, file.workspaceId);
  const unwrapped = next?.dbKey ?? previous?.dbKey;
  if (!unwrapped) countFailure(slotPath, counter, subject, known, now);
  const opened = file.rekey
    ? openDuringRekey(path, file.rekey, file.workspaceId, { next: next?.dbKey ?? null, previous: previous?.dbKey ?? null }, cipherOfLabel(file.cipher))
    : { db: openEncrypted(join(path, DB_FILE), unwrapped, { create: false, cipher: cipherOfLabel(file.cipher) }), key: unwrapped, settled: null };
  const { db, key } = opened;
  let sources = key === next?.dbKey ? (next?.sources ?? null) : (previous?.sources ?? null);
  for (const o of [next, previous]) {
    if (o && o.dbKey !== key) o.dbKey.fill(0);
    if (o?.sources && o.sources !== sources) o.sources.key.fill(0);
  }
  try {
    migrate(db);
    const ws = new Workspace(path, db, key, file.workspaceId, options);
    const user = withKeySlotLock(slotPath, () =>
      db.transaction(() => {
        const fresh = readKeySlots(slotPath);
        const { admitted, refused } = admitPending(db, fresh.pendingAudit, now);
        for (const e of admitted) appendAudit(db, e, now);
        if (refused) appendAudit(db, { actor: 'system', action: 'audit.pending_refused', subject: KEYSLOT_FILE, details: { count: refused.count, reasons: refused.reasons } }, now);
        const row = getUserRow(db, who);
        if (!row || row.status !== 'active') {
          // Refused anyway: how an interrupted key change was settled is still said (unsigned: nobody is logged in).
          if (opened.settled) appendAudit(db, opened.settled, now);
          appendAudit(db, { actor: UNAUTHENTICATED, action: 'login.failed', subject: who, details: { reason: 'unknown or disabled user' } }, now);
          writeKeySlots(slotPath, { ...fresh, pendingAudit: [] });
          return null;
        }
        db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(now.toISOString(), row.id);
        appendAudit(db, { actor: row.username, action: 'login.ok', subject: row.username }, now);
        const { [who]: _cleared, ...lockouts } = fresh.lockouts;
        writeKeySlots(slotPath, { ...fresh, pendingAudit: [], lockouts });
        return { ...row, lastLoginAt: now.toISOString() };
      })(),
    );
    if (!user) {
      sources?.key.fill(0);
      ws.close();
      throw new InvalidCredentialsError();
    }
    // A rekey that did not commit leaves the values under the old sources key, which only the old slot holds.
    if (file.rekey && slot && !previous && storedSourcesKid(db) !== null && sources?.kid !== storedSourcesKid(db)) {
      previous = await openSlot(slot, password, file.workspaceId);
      previous?.dbKey.fill(0);
      if (previous?.sources) {
        sources?.key.fill(0);
        sources = previous.sources;
      }
    }
    await upgradeOnLogin(ws, user.username, password);
    // From here the session's entries are signed by its user: what the login itself settles is attributable.
    await beginSignedSession(ws, user.username, password);
    if (opened.settled) appendAudit(db, opened.settled, ws.now());
    await upgradeSlotOnLogin(ws, user, password);
    settleSources(ws, user, sources);
    sources = null;
    return { workspace: ws, user };
  } catch (err) {
    sources?.key.fill(0);
    detachAuditSigner(db);
    if (db.open) db.close();
    key.fill(0);
    throw err;
  }
}

// Under the lock, so an attempt that arrives while another process locks the account is refused as locked.
function refuseIfLocked(slotPath: string, counter: string, subject: string, now: Date): void {
  let until: string | null = null;
  withKeySlotLock(slotPath, () => {
    const file = readKeySlots(slotPath);
    const lock = file.lockouts[counter];
    if (!lock?.lockedUntil || new Date(lock.lockedUntil) <= now) return;
    until = lock.lockedUntil;
    writeKeySlots(slotPath, pending(file, { actor: UNAUTHENTICATED, action: 'login.failed', subject, details: { reason: 'account locked' } }, now));
  });
  if (until) throw new AccountLockedError(new Date(until), now);
}

// Read, count and write under the key-slot lock: parallel wrong guesses, from any number of processes, each count.
function countFailure(slotPath: string, counter: string, subject: string, known: boolean, now: Date): never {
  const outcome = withKeySlotLock(slotPath, () => {
    let file = readKeySlots(slotPath);
    const lock = file.lockouts[counter];
    // Another attempt locked the account while this one derived its key: refused as locked, the lock kept.
    if (lock?.lockedUntil && new Date(lock.lockedUntil) > now) {
      writeKeySlots(slotPath, pending(file, { actor: UNAUTHENTICATED, action: 'login.failed', subject, details: { reason: 'account locked' } }, now));
      return { failures: MAX_FAILED_LOGINS, lockedUntil: lock.lockedUntil };
    }
    const failures = (lock?.failures ?? 0) + 1;
    const locked = failures >= MAX_FAILED_LOGINS;
    const lockedUntil = locked ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
    file = pending(file, { actor: UNAUTHENTICATED, action: 'login.failed', subject, details: { reason: known ? 'wrong password' : 'unknown or disabled user', failures } }, now);
    if (locked) file = pending(file, { actor: 'system', action: 'user.locked', subject, details: { failures, lockedUntil } }, now);
    writeKeySlots(slotPath, { ...file, lockouts: { ...withoutExpiredUnknown(file.lockouts, now), [counter]: { failures: locked ? 0 : failures, lockedUntil } } });
    return { failures, lockedUntil };
  });
  if (outcome.lockedUntil) throw new AccountLockedError(new Date(outcome.lockedUntil), now);
  throw new InvalidCredentialsError(MAX_FAILED_LOGINS - outcome.failures);
}

// Only at login is the password at hand: users created before signing keys get theirs (before the session signs).
async function upgradeOnLogin(ws: Workspace, username: string, password: string): Promise<void> {
  const db = ws.db;
  if (!currentKey(db, username)) {
    const signing = await prepareSigningKey(ws.workspaceId, username, password, ws.kdf);
    db.transaction(() => {
      if (!currentKey(db, username)) installSigningKey(db, username, signing, 'first login', ws.now());
    })();
  }
}

// Old-format slots (the password sealing the database key itself, which no rekey can reach) become X25519 slots, and
// a slot made before slot keys were recorded gets its `keyslot.created`, signed by its owner who just proved the password.
async function upgradeSlotOnLogin(ws: Workspace, user: UserRow, password: string): Promise<void> {
  const slot = findSlot(readKeySlots(ws.keySlotPath), user.username);
  if (!slot) return;
  if (isLegacySlot(slot)) {
    const upgraded = await ws.wrapFor(slot.username, password);
    ws.assertCurrentSlot(upgraded);
    ws.db.transaction(() => {
      recordSlotCreated(ws.db, user.username, upgraded, ws.now());
      ws.updateKeySlots((f) => putSlot(f, upgraded));
    })();
  } else if (!hasSlotRecord(ws.db, user.username)) {
    ws.db.transaction(() => recordSlotCreated(ws.db, user.username, slot, ws.now()))();
  }
}

function decoySlot(kdf: KdfParams) {
  return {
    username: '',
    kdf: { name: 'scrypt' as const, ...kdf, salt: randomBytes(16).toString('base64') },
    wrap: { name: 'aes-256-gcm' as const, iv: randomBytes(12).toString('base64'), tag: randomBytes(16).toString('base64'), ciphertext: randomBytes(32).toString('base64') },
    createdAt: '',
  };
}
