// The sources key's life (issue #12): created when the first steward exists, sealed only to steward slots, granted
// to later stewards by a session that holds it, and rotated when a holder loses access. A session that cannot do its
// part (an admin who is not a steward holds no sources key) leaves it to the next steward login: pending grants,
// a due rotation, or a legacy store's first sealing. Every reseal of the key trusts only slots the chain recorded.
import { appendAudit } from '../govern/audit';
import { activeStewardNames, type UserRow } from '../govern/users-repo';
import type { Db } from './database';
import { AirlockError } from '../errors';
import { findSlot, isLegacySlot, readKeySlots, sealSourcesToSlot, slotKey, slotVouchedBy, type HeldSourcesKey, type KeySlot } from './keyslots';
import { newDatabaseKey, rotateKey, type RekeyReason, type RekeyRequest } from './rekey';
import { slotTrust } from './slot-trust';
import { newSourcesKey, sourceCipher, sourcesKid } from './sources-cipher';
import { hasUnsealedSources, resealSources, setStoredSourcesKid, storedSourcesKid } from './sources-seal';
import type { Workspace } from './workspace';

const DUE = 'sources.rotation_due';
export const PENDING_ACCESS =
  'Your access to source data is not active yet: it becomes active when another data steward who holds the sources key next logs in.';

export const isSteward = (u: Pick<UserRow, 'status' | 'roles'>): boolean => u.status === 'active' && u.roles.includes('steward');

function freshSourcesKey(): HeldSourcesKey {
  const key = newSourcesKey();
  return { key, kid: sourcesKid(key) };
}

/** A sources key rotation recorded as due (by an admin's session, which holds no sources key, or after a temporary slot held it): the next steward session holding the key does it. */
export function rotationDue(db: Db): { subject: string; reason: string } | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(DUE) as { value: string } | undefined;
  if (!row) return null;
  try {
    const v = JSON.parse(row.value) as { subject?: unknown; reason?: unknown };
    return { subject: typeof v.subject === 'string' ? v.subject : '', reason: typeof v.reason === 'string' ? v.reason : '' };
  } catch {
    return { subject: '', reason: '' };
  }
}

function markRotationDue(db: Db, actor: string, subject: string, reason: string, now: Date): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(DUE, JSON.stringify({ subject, reason, since: now.toISOString() }));
  appendAudit(db, { actor, action: 'sources.rotation_due', subject, details: { reason, kid: storedSourcesKid(db) } }, now);
}

/** Slots that may receive the sources key now: active stewards' X25519 slots, vouched by the database key and recorded in the chain. */
function eligibleStewardSlots(ws: Workspace, among: ReadonlySet<string>, wanted: (s: KeySlot) => boolean = () => true): KeySlot[] {
  const candidates = readKeySlots(ws.keySlotPath).slots.filter((s) => among.has(slotKey(s.username)) && wanted(s) && !isLegacySlot(s) && ws.useKey((k) => slotVouchedBy(s, k, ws.workspaceId)));
  // The chain walk only when some slot is a candidate (most logins have none).
  if (candidates.length === 0) return candidates;
  const trusted = slotTrust(ws.db);
  return candidates.filter(trusted);
}

const stewardSet = (db: Db, without?: string): Set<string> => new Set(activeStewardNames(db).map(slotKey).filter((u) => u !== (without === undefined ? undefined : slotKey(without))));

/** What a new slot of a steward carries, decided before its transaction; `record` runs inside it, `settle` after. */
export interface StewardSlot {
  slot: KeySlot;
  record(): void;
  settle(committed: boolean): void;
}

/**
 * A slot for a user who is (or becomes) a steward: the first steward gets a newly created sources key; later ones
 * get the key at once when this session holds it, or at the next login of a steward who does. A slot under a
 * temporary password gets it too (the steward must be able to start); replacing it makes a rotation due (users.ts).
 */
export function sourcesForSteward(ws: Workspace, actor: string, slot: KeySlot, actorIsSteward: boolean): StewardSlot {
  const db = ws.db;
  const kid = storedSourcesKid(db);
  const none: StewardSlot = { slot, record: () => undefined, settle: () => undefined };
  if (isLegacySlot(slot)) return none;
  if (kid === null) {
    // A store with plaintext sources from before the sources key: sealing them is a rekey, done at a steward's login.
    if (hasUnsealedSources(db)) return none;
    const created = freshSourcesKey();
    return {
      slot: sealSourcesToSlot(slot, created, ws.workspaceId),
      record() {
        setStoredSourcesKid(db, created.kid);
        appendAudit(db, { actor, action: 'sources.key_created', subject: slot.username, details: { kid: created.kid } }, ws.now());
      },
      settle(committed) {
        // The session keeps the key only if its user is a steward; an admin's session forgets it.
        if (committed && actorIsSteward) ws.holdSources(created.key);
        created.key.fill(0);
      },
    };
  }
  const sealed = ws.useSourcesKey((held) => (held && held.kid === kid ? sealSourcesToSlot(slot, held, ws.workspaceId) : null));
  if (!sealed) return none;
  return {
    slot: sealed,
    record: () => appendAudit(db, { actor, action: 'sources.access_granted', subject: slot.username, details: { user: slot.username, kid } }, ws.now()),
    settle: () => undefined,
  };
}

/** What a key rotation that takes `subject`'s access away does to the sources key; from `plan`, for rotateKey. */
export interface SourcesRotation {
  sources: NonNullable<RekeyRequest['sources']>;
  commit(): void;
  settle(ok: boolean): void;
}

/**
 * Plans the sources side of a rekey: when `subject` held the sources key and loses it, a session holding the key
 * rotates it (new key sealed to the remaining stewards, every value resealed in the rekey's transaction); any other
 * session records the rotation as due. `stewardsAfter` names the stewards once the change is made.
 */
export function planSourcesRotation(ws: Workspace, actor: string, subject: string, subjectLoses: boolean, stewardsAfter: ReadonlySet<string>, actorStewardAfter: boolean, reason: RekeyReason): SourcesRotation {
  const db = ws.db;
  const kid = storedSourcesKid(db);
  const remaining = new Set([...stewardsAfter].filter((u) => !subjectLoses || u !== slotKey(subject)));
  const plain: SourcesRotation = { sources: { stewards: remaining, next: null }, commit: () => undefined, settle: () => undefined };
  const held = findSlot(readKeySlots(ws.keySlotPath), subject)?.sources?.kid;
  if (kid === null || !subjectLoses || held !== kid) return plain;
  const holders = eligibleStewardSlots(ws, remaining);
  const sessionHolds = ws.useSourcesKey((k) => k?.kid === kid);
  const reachable = sessionHolds ? holders : holders.filter((s) => s.sources?.kid === kid);
  if (reachable.length === 0) {
    throw new AirlockError(
      'CONFLICT',
      `“${subject}” is the only data steward who holds the sources key: without them no source value could ever be read again. Give another user the steward role and let them log in (after a steward who holds the key) first.`,
    );
  }
  if (!sessionHolds) return { ...plain, commit: () => markRotationDue(db, actor, subject, reason, ws.now()) };
  const next = freshSourcesKey();
  return {
    sources: { stewards: remaining, next },
    commit: () => resealUnder(ws, actor, next, reason),
    settle(ok) {
      if (ok) ws.holdSources(actorStewardAfter ? next.key : null);
      next.key.fill(0);
    },
  };
}

// Inside the rekey's transaction: every value under the new key, its id stored, any due rotation done.
function resealUnder(ws: Workspace, actor: string, next: HeldSourcesKey, reason: RekeyReason): void {
  const db = ws.db;
  const from = storedSourcesKid(db);
  const to = sourceCipher(next.key);
  // Freed space is zeroed: old ciphertext (or plaintext) left in free pages would open under the old key.
  const secure = Number(db.pragma('secure_delete', { simple: true }));
  db.pragma('secure_delete = ON');
  try {
    const { values } = resealSources(db, from === null ? null : ws.sourcesCipher(), to);
    setStoredSourcesKid(db, next.kid);
    db.prepare('DELETE FROM settings WHERE key = ?').run(DUE);
    appendAudit(db, { actor, action: from === null ? 'sources.sealed' : 'sources.key_rotated', subject: actor, details: { from, to: next.kid, values, reason } }, ws.now());
  } finally {
    db.pragma(`secure_delete = ${secure === 1 ? 'ON' : 'OFF'}`);
    to.destroy();
  }
}

/** Runs rotateKey with the sources side of `plan` (slots and, in its transaction, the reseal or the due mark). */
export function rotateWithSources(ws: Workspace, req: Omit<RekeyRequest, 'sources'>, commit: () => void, plan: SourcesRotation): ReturnType<typeof rotateKey> {
  let ok = false;
  try {
    const result = rotateKey(ws, { ...req, sources: plan.sources }, () => {
      commit();
      plan.commit();
    });
    ok = true;
    return result;
  } finally {
    plan.settle(ok);
  }
}

// A steward's own login: rotate the key through the crash-safe rekey path, sealing it to every eligible steward.
function rotateAtLogin(ws: Workspace, user: UserRow, reason: 'sources key rotation' | 'sources sealed'): void {
  const stewards = stewardSet(ws.db);
  const next = freshSourcesKey();
  const nextKey = newDatabaseKey();
  const plan: SourcesRotation = {
    sources: { stewards, next },
    commit: () => resealUnder(ws, user.username, next, reason),
    settle(ok) {
      if (ok) ws.holdSources(next.key);
      next.key.fill(0);
    },
  };
  try {
    rotateWithSources(ws, { actor: user.username, reason, subject: user.username, keepSubject: true, nextKey }, () => undefined, plan);
  } finally {
    nextKey.fill(0);
  }
}

// Seals `held` to every eligible steward slot lacking it, in one transaction with one audit event per slot.
function sealToStewards(ws: Workspace, actor: string, held: HeldSourcesKey, created: boolean): void {
  const targets = eligibleStewardSlots(ws, stewardSet(ws.db), (s) => s.sources?.kid !== held.kid);
  if (targets.length === 0 && !created) return;
  const names = new Set(targets.map((s) => slotKey(s.username)));
  ws.db.transaction(() => {
    if (created) {
      setStoredSourcesKid(ws.db, held.kid);
      appendAudit(ws.db, { actor, action: 'sources.key_created', subject: actor, details: { kid: held.kid } }, ws.now());
    }
    for (const s of targets) {
      if (slotKey(s.username) !== slotKey(actor)) appendAudit(ws.db, { actor, action: 'sources.access_granted', subject: s.username, details: { user: s.username, kid: held.kid } }, ws.now());
    }
    ws.updateKeySlots((f) => ({ ...f, slots: f.slots.map((s) => (names.has(slotKey(s.username)) ? sealSourcesToSlot(s, held, ws.workspaceId) : s)) }));
  })();
}

/**
 * At a login (its entries already signed), or once a steward chose their own password: a steward's session holds
 * the sources key its slot opened when that is the key the values are under, then does what admins' sessions could
 * not: create the first key, seal a legacy store, a due rotation, pending grants. `opened` is wiped.
 */
export function settleSources(ws: Workspace, user: UserRow, opened: HeldSourcesKey | null): void {
  try {
    if (!isSteward(user)) return;
    ws.sourcesLockedReason = null;
    const kid = storedSourcesKid(ws.db);
    if (kid === null) {
      if (hasUnsealedSources(ws.db)) {
        rotateAtLogin(ws, user, 'sources sealed');
        return;
      }
      const created = freshSourcesKey();
      try {
        sealToStewards(ws, user.username, created, true);
        ws.holdSources(created.key);
      } finally {
        created.key.fill(0);
      }
      return;
    }
    if (opened?.kid === kid) ws.holdSources(opened.key);
    if (!ws.useSourcesKey((held) => held?.kid === kid)) {
      ws.sourcesLockedReason = PENDING_ACCESS;
      return;
    }
    if (rotationDue(ws.db)) rotateAtLogin(ws, user, 'sources key rotation');
    else ws.useSourcesKey((held) => held && sealToStewards(ws, user.username, held, false));
  } finally {
    opened?.key.fill(0);
  }
}

/** Whether this session reads sources, is a steward waiting for the key, or has no part in them. */
export function sourcesAccess(ws: Workspace, user: Pick<UserRow, 'status' | 'roles'>): 'active' | 'pending' | 'none' {
  if (ws.holdsSources) return 'active';
  return isSteward(user) ? 'pending' : 'none';
}

/** The sources side of giving an existing slot's owner the steward role, or null when their slot cannot take the key now. */
export function sourcesForExistingSlot(ws: Workspace, actor: string, owner: UserRow, actorIsSteward: boolean): StewardSlot | null {
  if (owner.status !== 'active') return null;
  const slot = findSlot(readKeySlots(ws.keySlotPath), owner.username);
  if (!slot || isLegacySlot(slot) || !ws.useKey((k) => slotVouchedBy(slot, k, ws.workspaceId)) || !slotTrust(ws.db)(slot)) return null;
  // Already holds the current key (a rotation just sealed it there).
  const kid = storedSourcesKid(ws.db);
  if (kid !== null && slot.sources?.kid === kid) return null;
  return sourcesForSteward(ws, actor, slot, actorIsSteward);
}

/** The stewards (slotKey) once `user`'s roles are `roles` (null: disabled). */
export function stewardsWith(db: Db, user: UserRow, roles: readonly string[] | null): Set<string> {
  const set = stewardSet(db, user.username);
  if (roles?.includes('steward') && user.status === 'active') set.add(slotKey(user.username));
  return set;
}

/**
 * An admin knew the temporary password whose slot held the sources key (and may have kept a copy of that slot):
 * once its owner replaces it, the key is rotated (by this session, which holds it, via settleSources).
 */
export function markTemporaryExposure(ws: Workspace, actor: string, slot: KeySlot | undefined): void {
  const kid = storedSourcesKid(ws.db);
  if (kid !== null && slot?.sources?.kid === kid) markRotationDue(ws.db, actor, slot.username, 'temporary password replaced', ws.now());
}
