// The one IPC contract: every channel `domain:verb`, its argument and result schemas, and who may call it.
// Main validates every call against this; the preload and the e2e bridge build `window.airlock` from it.
import { z } from 'zod';
import type { Channel } from './channels';

export { CHANNELS, type Channel } from './channels';

export const ROLES = ['steward', 'reviewer', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const PASSWORD_MIN_LENGTH = 12;

// 'public': callable on the lock screen; 'session': any logged-in user; a role list: any one of them.
export type Access = 'public' | 'session' | readonly Role[];

const workspacePath = z.string().trim().min(1, 'Choose a folder for the workspace.');
export const usernameSchema = z
  .string()
  .trim()
  .min(2, 'User names have at least 2 characters.')
  .max(64, 'User names have at most 64 characters.')
  .regex(/^[A-Za-z0-9._-]+$/, 'User names use letters, digits, dot, dash and underscore only.');
export const displayNameSchema = z.string().trim().min(1, 'Enter the person’s full name.').max(120);
// Only length is checked here; the store checks it again, since the CLI does not come through IPC.
export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Passwords have at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(1024);
const anyPassword = z.string().min(1, 'Enter the password.').max(1024);
export const rolesSchema = z.array(roleSchema).min(1, 'Give the user at least one role.');
const empty = z.object({}).strict();

export const sessionInfoSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  workspacePath: z.string(),
  workspaceId: z.string(),
  idleTimeoutMinutes: z.number(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const userSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  status: z.enum(['active', 'disabled']),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  lockedUntil: z.string().nullable(),
});
export type UserView = z.infer<typeof userSchema>;

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  ts: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  headHash: z.string().nullable(),
  brokenAt: z.number().int().nullable(),
  reason: z.string().nullable(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifySchema>;

const ok = z.object({ ok: z.literal(true) });

export interface ChannelSpec {
  access: Access;
  args: z.ZodType;
  result: z.ZodType;
  summary: string;
}

function channel<A extends z.ZodType, R extends z.ZodType>(access: Access, args: A, result: R, summary: string) {
  return { access, args, result, summary };
}

export const contract = {
  'app:info': channel('public', empty, z.object({ name: z.string(), version: z.string() }), 'App name and version.'),
  'workspace:probe': channel(
    'public',
    z.object({ path: workspacePath }),
    z.object({ state: z.enum(['workspace', 'empty-folder', 'missing', 'not-a-workspace']) }),
    'Tells the lock screen whether a folder holds a workspace.',
  ),
  'workspace:create': channel(
    'public',
    z.object({ path: workspacePath, username: usernameSchema, displayName: displayNameSchema, password: newPasswordSchema }),
    sessionInfoSchema,
    'Creates an encrypted workspace with its first admin, and logs that admin in.',
  ),
  'workspace:chooseFolder': channel(
    'public',
    empty,
    z.object({ path: z.string().nullable() }),
    'Native folder picker (main process only).',
  ),
  'session:login': channel(
    'public',
    z.object({ path: workspacePath, username: z.string().trim().min(1, 'Enter your user name.'), password: anyPassword }),
    sessionInfoSchema,
    'Unlocks the workspace with a user’s password.',
  ),
  'session:logout': channel('public', empty, ok, 'Locks the workspace.'),
  'session:status': channel(
    'public',
    empty,
    z.object({ session: sessionInfoSchema.nullable(), idleSecondsLeft: z.number().nullable() }),
    'The current session, if any, and how long until it idles out.',
  ),
  'session:touch': channel('session', empty, ok, 'Marks user activity, postponing the idle lock.'),
  'session:changePassword': channel(
    'session',
    z.object({ currentPassword: anyPassword, newPassword: newPasswordSchema }),
    ok,
    'Changes the logged-in user’s own password (rewraps their key slot).',
  ),
  'users:list': channel(['admin'], empty, z.array(userSchema), 'All users with roles and status.'),
  'users:add': channel(
    ['admin'],
    z.object({ username: usernameSchema, displayName: displayNameSchema, roles: rolesSchema, password: newPasswordSchema }),
    userSchema,
    'Adds a user with a temporary password and a key slot.',
  ),
  'users:disable': channel(['admin'], z.object({ username: usernameSchema }), userSchema, 'Disables a user and removes their key slot.'),
  'users:enable': channel(
    ['admin'],
    z.object({ username: usernameSchema, password: newPasswordSchema }),
    userSchema,
    'Re-enables a user with a new temporary password.',
  ),
  'users:resetPassword': channel(
    ['admin'],
    z.object({ username: usernameSchema, password: newPasswordSchema }),
    userSchema,
    'Sets a new temporary password (issues a new key slot).',
  ),
  'users:setRoles': channel(['admin'], z.object({ username: usernameSchema, roles: rolesSchema }), userSchema, 'Replaces a user’s roles.'),
  'audit:list': channel(
    'session',
    z.object({
      text: z.string().max(200).optional(),
      action: z.string().max(100).optional(),
      limit: z.number().int().min(1).max(5000).default(500),
    }),
    z.array(auditEntrySchema),
    'Audit entries, newest first, optionally filtered.',
  ),
  'audit:verify': channel('session', empty, auditVerifySchema, 'Walks the hash chain and names the first broken row.'),
  'settings:get': channel('session', empty, z.object({ idleTimeoutMinutes: z.number() }), 'Workspace settings.'),
  'settings:update': channel(
    ['admin'],
    z.object({ idleTimeoutMinutes: z.number().int().min(1, 'At least 1 minute.').max(240, 'At most 240 minutes.') }),
    z.object({ idleTimeoutMinutes: z.number() }),
    'Changes workspace settings.',
  ),
} as const satisfies { [C in Channel]: ChannelSpec };

export type Contract = typeof contract;
export type ArgsOf<C extends Channel> = z.input<Contract[C]['args']>;
export type ResultOf<C extends Channel> = z.output<Contract[C]['result']>;

export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNKNOWN_CHANNEL',
  'UNTRUSTED_SENDER',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'FORBIDDEN',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'WEAK_PASSWORD',
  'USER_EXISTS',
  'USER_NOT_FOUND',
  'LAST_ADMIN',
  'SELF_ACTION',
  'WORKSPACE_EXISTS',
  'WORKSPACE_NOT_FOUND',
  'WORKSPACE_BUSY',
  'WORKSPACE_CORRUPT',
  'WORKSPACE_TOO_NEW',
  'KEYSLOTS_DAMAGED',
  'NOT_AVAILABLE',
  'NOT_FOUND',
  'NOT_DICOM',
  'DICOM_TRUNCATED',
  'DICOM_MALFORMED',
  'DICOM_NO_PIXELS',
  'DICOM_UNSUPPORTED',
  'TABLE_MALFORMED',
  'TABLE_RAGGED',
  'TABLE_EMPTY',
  'FILE_UNREADABLE',
  'IMPORT_CANCELLED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WireError {
  code: ErrorCode;
  message: string;
}
// What crosses IPC: Electron drops custom error fields, so errors travel as data.
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: WireError };
