// Users and roles in the database: plain repository functions, `db` first, parameters only.
import { ROLES, newPasswordSchema, usernameSchema, type Role, type UserView } from '../../shared/contract';
import { AirlockError } from '../errors';
import type { Db } from '../store/database';
import { parseOrThrow } from '../validate-input';

export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  status: 'active' | 'disabled';
  roles: Role[];
  createdAt: string;
  createdBy: string | null;
  lastLoginAt: string | null;
  // Set by an admin (new user, reset, re-enable): its owner must choose a new one before anything else.
  passwordTemporary: boolean;
}

interface RawUser {
  id: number;
  username: string;
  display_name: string;
  status: 'active' | 'disabled';
  created_at: string;
  created_by: string | null;
  last_login_at: string | null;
  password_temporary: number;
}

export function assertUsername(username: string): void {
  parseOrThrow(usernameSchema, username);
}

export function assertNewPassword(password: string): void {
  const result = newPasswordSchema.safeParse(password);
  if (!result.success) throw new AirlockError('WEAK_PASSWORD', result.error.issues[0]?.message ?? 'Password too short.');
}

function rolesOf(db: Db, userId: number): Role[] {
  const rows = db.prepare('SELECT role FROM user_roles WHERE user_id = ?').all(userId) as { role: Role }[];
  // Report roles in the canonical order, whatever order they were stored in.
  return ROLES.filter((r) => rows.some((x) => x.role === r));
}

function fromRaw(db: Db, r: RawUser): UserRow {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    status: r.status,
    roles: rolesOf(db, r.id),
    createdAt: r.created_at,
    createdBy: r.created_by,
    lastLoginAt: r.last_login_at,
    passwordTemporary: r.password_temporary === 1,
  };
}

export function getUserRow(db: Db, username: string): UserRow | null {
  const raw = db.prepare('SELECT * FROM users WHERE username = ?').get(username) as RawUser | undefined;
  return raw ? fromRaw(db, raw) : null;
}

export function requireUser(db: Db, username: string): UserRow {
  const user = getUserRow(db, username);
  if (!user) throw new AirlockError('USER_NOT_FOUND', `There is no user called “${username}”.`);
  return user;
}

export function listUserRows(db: Db): UserRow[] {
  const raws = db.prepare('SELECT * FROM users ORDER BY username COLLATE NOCASE').all() as RawUser[];
  return raws.map((r) => fromRaw(db, r));
}

export function insertUser(db: Db, u: { username: string; displayName: string; roles: Role[]; createdBy: string | null }, ts: string): UserRow {
  if (getUserRow(db, u.username)) throw new AirlockError('USER_EXISTS', `A user called “${u.username}” already exists.`);
  const info = db
    .prepare("INSERT INTO users (username, display_name, status, created_at, created_by, password_changed_at) VALUES (?, ?, 'active', ?, ?, ?)")
    .run(u.username, u.displayName, ts, u.createdBy, ts);
  const id = Number(info.lastInsertRowid);
  setRoleRows(db, id, u.roles);
  return requireUser(db, u.username);
}

export function setRoleRows(db: Db, userId: number, roles: Role[]): void {
  db.prepare('DELETE FROM user_roles WHERE user_id = ?').run(userId);
  const insert = db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)');
  for (const role of new Set(roles)) insert.run(userId, role);
}

export function setStatus(db: Db, userId: number, status: 'active' | 'disabled'): void {
  db.prepare('UPDATE users SET status = ? WHERE id = ?').run(status, userId);
}

export function markPasswordChanged(db: Db, userId: number, ts: string): void {
  db.prepare('UPDATE users SET password_changed_at = ? WHERE id = ?').run(ts, userId);
}

export function setPasswordTemporary(db: Db, userId: number, temporary: boolean): void {
  db.prepare('UPDATE users SET password_temporary = ? WHERE id = ?').run(temporary ? 1 : 0, userId);
}

export function countActiveAdmins(db: Db): number {
  const row = db
    .prepare("SELECT count(*) AS n FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.status = 'active' AND r.role = 'admin'")
    .get() as { n: number };
  return row.n;
}

export function toView(u: UserRow, lockedUntil: string | null): UserView {
  return {
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    status: u.status,
    createdAt: u.createdAt,
    createdBy: u.createdBy,
    lastLoginAt: u.lastLoginAt,
    lockedUntil,
    passwordTemporary: u.passwordTemporary,
  };
}

/** The active users holding the steward role (the only ones whose slots may carry the sources key). */
export function activeStewardNames(db: Db): string[] {
  const rows = db
    .prepare("SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.status = 'active' AND r.role = 'steward' ORDER BY u.username")
    .all() as { username: string }[];
  return rows.map((r) => r.username);
}
