// User management on an open workspace: every change updates the database, the key slots and the audit
// chain together (the key-slot file is written inside the transaction, so a failure rolls both back).
// Taking access away (disable, reset, a role removed) also rotates the database key (store/rekey.ts).
import { displayNameSchema, rolesSchema, type Role, type UserView } from '../../shared/contract';
import { AccountLockedError, AirlockError, ForbiddenError, InvalidCredentialsError } from '../errors';
import { findSlot, putSlot, readKeySlots, slotKey, unwrapKey, wrapKey, type KeySlot, type KeySlotFile } from '../store/keyslots';
import { newDatabaseKey, type RekeyProgress, type RekeyReason } from '../store/rekey';
import { recordSlotCreated } from '../store/slot-trust';
import { isSteward, markTemporaryExposure, planSourcesRotation, rotateWithSources, settleSources, sourcesForExistingSlot, sourcesForSteward, stewardsWith, type StewardSlot } from '../store/sources-keys';
import { LOCKOUT_MINUTES, MAX_FAILED_LOGINS, type Workspace } from '../store/workspace';
import { parseOrThrow } from '../validate-input';
import { appendAudit } from './audit';
import { beginSignedSession } from './audit-session';
import { installSigningKey, prepareSigningKey, rewrapSigningKey, storeRewrapped } from './signing-keys';
import {
  assertNewPassword,
  assertUsername,
  countActiveAdmins,
  insertUser,
  listUserRows,
  markPasswordChanged,
  requireUser,
  setPasswordTemporary,
  setRoleRows,
  setStatus,
  toView,
  type UserRow,
} from './users-repo';

export function requireAdmin(actor: UserRow): void {
  if (!actor.roles.includes('admin')) throw new ForbiddenError('Only an admin can manage users.');
}

const noSources = (slot: KeySlot): StewardSlot => ({ slot, record: () => undefined, settle: () => undefined });

// The change, the sources key's part of it, then (committed or not) what the session keeps of a key it created.
function inTransaction(sources: StewardSlot, change: () => void, ws: Workspace): void {
  let committed = false;
  try {
    ws.db.transaction(() => {
      change();
      sources.record();
    })();
    committed = true;
  } finally {
    sources.settle(committed);
  }
}

// A rekey that takes `subject`'s access away, with the sources key rotated (or its rotation recorded as due) if they held it.
function rotateFor(ws: Workspace, actor: UserRow, subject: UserRow, reason: RekeyReason, rolesAfter: readonly string[] | null, req: { keepSubject: boolean; nextKey: Buffer; replacement?: KeySlot; fileChange?: (f: KeySlotFile) => KeySlotFile; onProgress?: ((p: RekeyProgress) => void) | undefined }, commit: () => void): void {
  const stewardsAfter = stewardsWith(ws.db, subject, rolesAfter);
  const subjectLoses = rolesAfter === null || !rolesAfter.includes('steward');
  const actorStewardAfter = actor.id === subject.id ? stewardsAfter.has(slotKey(actor.username)) : isSteward(actor);
  const plan = planSourcesRotation(ws, actor.username, subject.username, subjectLoses, stewardsAfter, actorStewardAfter, reason);
  rotateWithSources(ws, { actor: actor.username, reason, subject: subject.username, ...req }, commit, plan);
}

function lockedUntil(ws: Workspace, username: string): string | null {
  const until = readKeySlots(ws.keySlotPath).lockouts[slotKey(username)]?.lockedUntil ?? null;
  return until && new Date(until) > ws.now() ? until : null;
}

function view(ws: Workspace, username: string): UserView {
  const u = requireUser(ws.db, username);
  return toView(u, lockedUntil(ws, u.username));
}

export function listUsers(ws: Workspace, actor: UserRow): UserView[] {
  requireAdmin(actor);
  const file = readKeySlots(ws.keySlotPath);
  const now = ws.now();
  return listUserRows(ws.db).map((u) => {
    const until = file.lockouts[slotKey(u.username)]?.lockedUntil ?? null;
    return toView(u, until && new Date(until) > now ? until : null);
  });
}

export interface NewUser {
  username: string;
  displayName: string;
  roles: Role[];
  password: string;
}

export async function addUser(ws: Workspace, actor: UserRow, input: NewUser): Promise<UserView> {
  requireAdmin(actor);
  assertUsername(input.username);
  const displayName = parseOrThrow(displayNameSchema, input.displayName);
  const roles = parseOrThrow(rolesSchema, input.roles);
  assertNewPassword(input.password);
  const base = await ws.wrapFor(input.username, input.password);
  const signing = await prepareSigningKey(ws.workspaceId, input.username, input.password, ws.kdf);
  // A steward's slot carries the sources key: created now for the first steward, granted at once or later for others.
  const sources = roles.includes('steward') ? sourcesForSteward(ws, actor.username, base, isSteward(actor)) : noSources(base);
  const { slot } = sources;
  inTransaction(sources, () => {
    const ts = ws.now().toISOString();
    const row = insertUser(ws.db, { username: input.username, displayName, roles, createdBy: actor.username }, ts);
    setPasswordTemporary(ws.db, row.id, true);
    appendAudit(ws.db, { actor: actor.username, action: 'user.added', subject: input.username, details: { roles, displayName, temporary: true } }, ws.now());
    installSigningKey(ws.db, actor.username, signing, 'user created', ws.now());
    recordSlotCreated(ws.db, actor.username, slot, ws.now());
    ws.assertCurrentSlot(slot);
    ws.updateKeySlots((f) => putSlot(f, slot));
  }, ws);
  return view(ws, input.username);
}

// The last active admin cannot be disabled or lose the role: the workspace would become unmanageable.
function assertKeepsAnAdmin(ws: Workspace, target: UserRow): void {
  if (target.status === 'active' && target.roles.includes('admin') && countActiveAdmins(ws.db) <= 1) {
    throw new AirlockError('LAST_ADMIN', `“${target.username}” is the only active admin. Give another user the admin role first.`);
  }
}

/** Disables the account and rotates the database key: the user's slot goes, and any kept copy unlocks nothing current. */
export function disableUser(ws: Workspace, actor: UserRow, username: string, onProgress?: (p: RekeyProgress) => void): UserView {
  requireAdmin(actor);
  const target = requireUser(ws.db, username);
  if (target.id === actor.id) throw new AirlockError('SELF_ACTION', 'You cannot disable your own account.');
  if (target.status === 'disabled') return view(ws, username);
  assertKeepsAnAdmin(ws, target);
  const nextKey = newDatabaseKey();
  try {
    rotateFor(ws, actor, target, 'user disabled', null, { keepSubject: false, nextKey, onProgress }, () => {
      setStatus(ws.db, target.id, 'disabled');
      appendAudit(ws.db, { actor: actor.username, action: 'user.disabled', subject: target.username }, ws.now());
    });
  } finally {
    nextKey.fill(0);
  }
  return view(ws, username);
}

// `signing`: an admin-set password gets a new signing key pair (nobody else may hold the old one's password);
// a user's own change keeps the pair and rewraps it under the new password.
// 'own': the first password a user chooses after an admin-set one gets a new key pair — the admin knew the old password.
type SigningChange = { kind: 'new'; reason: 'password reset' | 'account enabled' } | { kind: 'rewrap'; oldPassword: string } | { kind: 'own' };

async function issueSlot(ws: Workspace, actor: UserRow, username: string, password: string, action: string, mutate: (target: UserRow) => void, signing: SigningChange): Promise<UserView> {
  const target = requireUser(ws.db, username);
  assertNewPassword(password);
  // A reset takes the old password's access away, so the slot for the new one is sealed under a new database key.
  const nextKey = action === 'user.password_reset' ? newDatabaseKey() : null;
  // A steward's own new slot keeps the sources key; a reset's slot (a new database key) waits for a steward's grant.
  const own = signing.kind !== 'new';
  const slot = nextKey ? await wrapKey(nextKey, password, ws.workspaceId, target.username, ws.kdf, ws.now()) : await ws.wrapFor(target.username, password, own && isSteward(target));
  const fresh = signing.kind === 'new' || signing.kind === 'own' ? await prepareSigningKey(ws.workspaceId, target.username, password, ws.kdf) : null;
  const rewrapped = signing.kind === 'rewrap' ? await rewrapSigningKey(ws.db, ws.workspaceId, target.username, signing.oldPassword, password, ws.kdf) : null;
  // The temporary slot a first own password replaces: if it held the sources key, that key must rotate.
  const replaced = signing.kind === 'own' ? findSlot(readKeySlots(ws.keySlotPath), target.username) : undefined;
  const apply = () => {
    mutate(target);
    markPasswordChanged(ws.db, target.id, ws.now().toISOString());
    // An admin-set password is temporary; the owner's own choice ends that.
    setPasswordTemporary(ws.db, target.id, signing.kind === 'new');
    const details = signing.kind === 'new' ? { temporary: true } : target.passwordTemporary ? { temporaryReplaced: true } : undefined;
    appendAudit(ws.db, { actor: actor.username, action, subject: target.username, ...(details ? { details } : {}) }, ws.now());
    // Before a new signing key for the actor, which retires the key these entries are signed with.
    recordSlotCreated(ws.db, actor.username, slot, ws.now());
    markTemporaryExposure(ws, actor.username, replaced);
    if (fresh) installSigningKey(ws.db, actor.username, fresh, signing.kind === 'new' ? signing.reason : 'password chosen', ws.now());
    if (rewrapped) storeRewrapped(ws.db, target.username, rewrapped, ws.now());
  };
  const clearLockout = (f: KeySlotFile): KeySlotFile => {
    const { [slotKey(target.username)]: _cleared, ...lockouts } = f.lockouts;
    return { ...f, lockouts };
  };
  if (nextKey) {
    try {
      rotateFor(ws, actor, target, 'password reset', null, { keepSubject: false, nextKey, replacement: slot, fileChange: clearLockout }, apply);
    } finally {
      nextKey.fill(0);
    }
    return view(ws, username);
  }
  // Re-enabled stewards get the sources key like new ones (at once from a steward's session, else later).
  const sources = action === 'user.enabled' && target.roles.includes('steward') ? sourcesForSteward(ws, actor.username, slot, isSteward(actor)) : noSources(slot);
  inTransaction(sources, () => {
    apply();
    ws.assertCurrentSlot(sources.slot);
    ws.updateKeySlots((f) => putSlot(clearLockout(f), sources.slot));
  }, ws);
  return view(ws, username);
}

export function enableUser(ws: Workspace, actor: UserRow, username: string, password: string): Promise<UserView> {
  requireAdmin(actor);
  return issueSlot(ws, actor, username, password, 'user.enabled', (t) => setStatus(ws.db, t.id, 'active'), { kind: 'new', reason: 'account enabled' });
}

export function resetPassword(ws: Workspace, actor: UserRow, username: string, password: string): Promise<UserView> {
  requireAdmin(actor);
  const target = requireUser(ws.db, username);
  if (target.status !== 'active') throw new AirlockError('INVALID_ARGUMENT', `“${target.username}” is disabled. Enable the account, which sets a new password.`);
  return issueSlot(ws, actor, username, password, 'user.password_reset', () => undefined, { kind: 'new', reason: 'password reset' });
}

// A wrong password typed inside a session (a password change, a signature, an export) counts like a failed login
// and locks the account the same way: an open session must not be a place to guess passwords without limit.
export function refuseWrongPassword(ws: Workspace, actor: UserRow, event: { action: string; subject: string; details: Record<string, unknown> }): never {
  const who = slotKey(actor.username);
  const now = ws.now();
  let locked: Date | null = null;
  let left = MAX_FAILED_LOGINS;
  ws.db.transaction(() => {
    ws.updateKeySlots((f) => {
      const failures = (f.lockouts[who]?.failures ?? 0) + 1;
      locked = failures >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : null;
      left = MAX_FAILED_LOGINS - failures;
      appendAudit(ws.db, { actor: actor.username, action: event.action, subject: event.subject, details: { ...event.details, failures } }, now);
      if (locked) appendAudit(ws.db, { actor: 'system', action: 'user.locked', subject: actor.username, details: { failures, lockedUntil: locked.toISOString() } }, now);
      return { ...f, lockouts: { ...f.lockouts, [who]: { failures: locked ? 0 : failures, lockedUntil: locked ? locked.toISOString() : null } } };
    });
  })();
  if (locked) throw new AccountLockedError(locked, now);
  throw new InvalidCredentialsError(left);
}

export function assertNotLocked(ws: Workspace, actor: UserRow): void {
  const until = lockedUntil(ws, actor.username);
  if (until) throw new AccountLockedError(new Date(until), ws.now());
}

export async function changeOwnPassword(ws: Workspace, actor: UserRow, currentPassword: string, newPassword: string): Promise<void> {
  assertNotLocked(ws, actor);
  const slot = findSlot(readKeySlots(ws.keySlotPath), actor.username);
  const key = slot ? await unwrapKey(slot, currentPassword, ws.workspaceId) : null;
  if (!key) refuseWrongPassword(ws, actor, { action: 'password_change.failed', subject: actor.username, details: { reason: 'wrong current password' } });
  key.fill(0);
  // A temporary password "changed" to itself would stay known to the admin who set it.
  if (newPassword === currentPassword) throw new AirlockError('WEAK_PASSWORD', 'Choose a new password different from the current one.');
  await issueSlot(ws, actor, actor.username, newPassword, 'user.password_changed', () => undefined, actor.passwordTemporary ? { kind: 'own' } : { kind: 'rewrap', oldPassword: currentPassword });
  // After a first own password the key pair is new: the rest of the session signs with it.
  await beginSignedSession(ws, actor.username, newPassword);
  // A replaced temporary slot that held the sources key makes its rotation due: this session holds the key and does it.
  settleSources(ws, requireUser(ws.db, actor.username), null);
}

// What a session whose password an admin set may still do: choose a new password, and see or end the session.
const ALLOWED_WITH_TEMPORARY_PASSWORD: ReadonlySet<string> = new Set(['session:changePassword', 'session:status', 'session:touch', 'session:logout', 'app:info']);

/** Refuses every other request while the user's password is one an admin set. */
export function refuseWhileTemporary(user: UserRow, channel: string): void {
  if (user.passwordTemporary && !ALLOWED_WITH_TEMPORARY_PASSWORD.has(channel)) {
    throw new AirlockError('PASSWORD_CHANGE_REQUIRED', 'Your password was set by an admin and is temporary: choose a new password of your own before doing anything else.');
  }
}

// The steward role given to a user with a slot: the sources key sealed to it now, or left for a later steward login.
function grantSteward(ws: Workspace, actor: UserRow, username: string, actorIsSteward: boolean, apply: () => void): void {
  const sources = sourcesForExistingSlot(ws, actor.username, requireUser(ws.db, username), actorIsSteward);
  if (!sources) {
    ws.db.transaction(apply)();
    return;
  }
  inTransaction(sources, () => {
    apply();
    ws.updateKeySlots((f) => putSlot(f, sources.slot));
  }, ws);
}

/** Replaces a user's roles; removing one rotates the database key (the user's slot follows, old copies do not). */
export function setRoles(ws: Workspace, actor: UserRow, username: string, roles: Role[], onProgress?: (p: RekeyProgress) => void): UserView {
  requireAdmin(actor);
  const next = parseOrThrow(rolesSchema, roles);
  const target = requireUser(ws.db, username);
  if (!next.includes('admin')) assertKeepsAnAdmin(ws, target);
  const apply = () => {
    setRoleRows(ws.db, target.id, next);
    appendAudit(ws.db, { actor: actor.username, action: 'user.roles_changed', subject: target.username, details: { from: target.roles, to: next } }, ws.now());
  };
  const becomesSteward = target.status === 'active' && !target.roles.includes('steward') && next.includes('steward');
  const actorStewardAfter = actor.id === target.id ? next.includes('steward') : isSteward(actor);
  if (target.roles.some((r) => !next.includes(r))) {
    const nextKey = newDatabaseKey();
    try {
      rotateFor(ws, actor, target, 'role removed', next, { keepSubject: true, nextKey, onProgress }, apply);
    } finally {
      nextKey.fill(0);
    }
    // Unless the rotation already sealed a new sources key to them, the new steward's slot gets the key now or later.
    if (becomesSteward) grantSteward(ws, actor, target.username, actorStewardAfter, () => undefined);
    return view(ws, username);
  }
  if (becomesSteward) grantSteward(ws, actor, target.username, actorStewardAfter, apply);
  else ws.db.transaction(apply)();
  return view(ws, username);
}
