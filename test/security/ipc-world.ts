// The real workspace the IPC table test acts in: an admin, a data steward and a reviewer, each with a password of
// their own, and arguments for any channel made from its schema (paths point into a temp folder, never the cwd).
import { join } from 'node:path';
import { expect } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { CHANNELS, contract, type Channel, type Role } from '../../electron/shared/contract';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { loginOwn } from '../own-password';
import { invalidVariants, jsonSchemaOf, sampleOf, type Variant } from './zod-args';

export const PW = 'a password of their own';
export const PEOPLE: Record<Role, { username: string; displayName: string; password: string }> = {
  admin: { username: ADMIN.username, displayName: ADMIN.displayName, password: ADMIN.password },
  steward: { username: 'sam', displayName: 'Sam Steward', password: PW },
  reviewer: { username: 'rita', displayName: 'Rita Reviewer', password: PW },
};

const PATH_KEYS = new Set(['path', 'destination']);

/** Valid arguments for a channel, from its schema; path-like keys are pointed at a fresh temp folder. */
export function validArgs(channel: Channel): Record<string, unknown> {
  const value = sampleOf(jsonSchemaOf(contract[channel].args)) as Record<string, unknown>;
  for (const key of Object.keys(value)) if (PATH_KEYS.has(key)) value[key] = join(tempDir('airlock-ipc-'), 'nothing-here');
  if (Array.isArray(value.paths)) value.paths = [join(tempDir('airlock-ipc-'), 'nothing-here')];
  return value;
}

export function invalidArgs(channel: Channel): Variant[] {
  return invalidVariants(jsonSchemaOf(contract[channel].args), validArgs(channel));
}

export const accessOf = (c: Channel) => contract[c].access;
export const roleChannels = CHANNELS.filter((c) => Array.isArray(accessOf(c)));
export const sessionChannels = CHANNELS.filter((c) => accessOf(c) !== 'public');

/** A workspace with one user per role, every password the user's own; the service is left logged out. */
export async function threeRoleWorkspace(options: ConstructorParameters<typeof AirlockService>[0] = {}) {
  const path = join(tempDir('airlock-ipc-'), 'ws');
  const svc = new AirlockService({ kdf: FAST_KDF, ...options });
  await svc.call('workspace:create', { path, ...ADMIN });
  for (const role of ['steward', 'reviewer'] as const) await svc.call('users:add', { ...PEOPLE[role], roles: [role] });
  for (const role of ['steward', 'reviewer'] as const) await loginOwn(svc, path, PEOPLE[role].username, PEOPLE[role].password);
  svc.end();
  await svc.settled();
  const as = async (role: Role) => {
    const r = await svc.dispatch('session:login', { path, username: PEOPLE[role].username, password: PEOPLE[role].password });
    expect(r, `log in as ${role}`).toMatchObject({ ok: true });
    return svc;
  };
  return { svc, path, as };
}

/** The audit log's last sequence number, read from the open store (the test's own eyes, not an API call). */
export function headSeq(svc: AirlockService): number | null {
  const db = svc.current?.ws.db;
  if (!db) return null;
  return (db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM audit_log').get() as { seq: number }).seq;
}
