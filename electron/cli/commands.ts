// The CLI's commands over the core service: workspace, users, audit, settings.
import type { Command } from 'commander';
import { AirlockService } from '../core/api/service';
import { AirlockError } from '../core/errors';
import { ROLES, type Role } from '../shared/contract';
import { print, readPassword, userName, withSession, workspaceDir, type GlobalOptions, wholeNumber } from './context';
import { auditTable, usersTable, verifyLine } from './format';
import { bundleCheckpoints, collectCheckpoint, verifyAuditAgainst } from './verify-command';

type Globals = () => GlobalOptions;

function parseRoles(value: string): Role[] {
  const roles = value.split(',').map((r) => r.trim()).filter(Boolean);
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length > 0) throw new AirlockError('INVALID_ARGUMENT', `Unknown role ${bad.join(', ')}: use ${ROLES.join(', ')}.`);
  return roles as Role[];
}

const newPassword = (who: string) => readPassword('AIRLOCK_NEW_PASSWORD', `New password for ${who} (at least 12 characters):`);

export function addWorkspaceCommands(program: Command, globals: Globals): void {
  program
    .command('init')
    .description('create an encrypted workspace; you become its first admin')
    .requiredOption('--name <full name>', 'your full name')
    .action(async (o: { name: string }) => {
      const g = globals();
      const svc = new AirlockService();
      const password = await readPassword('AIRLOCK_PASSWORD', 'Choose your password (at least 12 characters):');
      const info = await svc.call('workspace:create', { path: workspaceDir(g), username: userName(g), displayName: o.name, password });
      svc.end('logout');
      await svc.settled();
      print(g, info, () => `Created workspace ${info.workspacePath} (${info.workspaceId}); ${info.username} is its admin.`);
    });
}

export function addUserCommands(program: Command, globals: Globals): void {
  const users = program.command('users').description('manage users (admins only)');
  users.command('list').action(async () => {
    const g = globals();
    const list = await withSession(g, (svc) => svc.call('users:list', {}));
    print(g, list, () => usersTable(list));
  });
  users
    .command('add <username>')
    .requiredOption('--name <full name>', 'the person’s full name')
    .requiredOption('--roles <roles>', `comma-separated: ${ROLES.join(', ')}`)
    .description('add a user with a temporary password (AIRLOCK_NEW_PASSWORD or a prompt)')
    .action(async (username: string, o: { name: string; roles: string }) => {
      const g = globals();
      const roles = parseRoles(o.roles);
      const user = await withSession(g, async (svc) => svc.call('users:add', { username, displayName: o.name, roles, password: await newPassword(username) }));
      print(g, user, () => `Added ${user.username} (${user.roles.join(', ')}) with a temporary password: they choose their own at first login.`);
    });
  users.command('disable <username>').action(async (username: string) => {
    const g = globals();
    const user = await withSession(g, (svc) => svc.call('users:disable', { username }));
    print(g, user, () => `Disabled ${user.username}; their key slot is removed.`);
  });
  users.command('enable <username>').description('re-enable with a new temporary password').action(async (username: string) => {
    const g = globals();
    const user = await withSession(g, async (svc) => svc.call('users:enable', { username, password: await newPassword(username) }));
    print(g, user, () => `Enabled ${user.username} with a new temporary password.`);
  });
  users.command('reset-password <username>').action(async (username: string) => {
    const g = globals();
    const user = await withSession(g, async (svc) => svc.call('users:resetPassword', { username, password: await newPassword(username) }));
    print(g, user, () => `New temporary password set for ${user.username}: they choose their own at their next login.`);
  });
  users.command('set-roles <username> <roles>').action(async (username: string, roles: string) => {
    const g = globals();
    const user = await withSession(g, (svc) => svc.call('users:setRoles', { username, roles: parseRoles(roles) }));
    print(g, user, () => `${user.username} now has: ${user.roles.join(', ')}.`);
  });
  program.command('passwd').description('change your own password').action(async () => {
    const g = globals();
    await withSession(
      g,
      async (svc) => {
        const currentPassword = await readPassword('AIRLOCK_PASSWORD', 'Current password:');
        return svc.call('session:changePassword', { currentPassword, newPassword: await newPassword(userName(g)) });
      },
      {},
      true,
    );
    print(g, { ok: true }, () => 'Password changed.');
  });
}

export function addAuditCommands(program: Command, globals: Globals): void {
  const audit = program.command('audit').description('read and verify the audit chain');
  audit
    .command('verify')
    .description('walk the hash chain; exit code 3 if it is broken')
    .option('--checkpoint <bundle>', 'also hold the chain to the checkpoint in this export bundle (folder, .zip or checkpoint.json); repeatable', collectCheckpoint, [])
    .action(async (o: { checkpoint: string[] }) => {
      const g = globals();
      const extra = bundleCheckpoints(o.checkpoint);
      const result = await withSession(g, async (svc) => (extra.length > 0 ? verifyAuditAgainst(svc, extra) : svc.call('audit:verify', {})));
      print(g, result, () => verifyLine(result));
      if (!result.ok) process.exitCode = 3;
    });
  audit
    .command('list')
    .description('the newest entries first')
    .option('--action <action>', 'only this action, e.g. login.failed')
    .option('--text <text>', 'free-text filter')
    .option('--limit <n>', 'at most this many, newest first', '200')
    .action(async (o: { action?: string; text?: string; limit: string }) => {
      const g = globals();
      const entries = await withSession(g, (svc) => svc.call('audit:list', { action: o.action, text: o.text, limit: wholeNumber('--limit', o.limit) }));
      // Newest first, as the help says (the service returns them so).
      print(g, entries, () => auditTable(entries));
    });
  program
    .command('settings')
    .option('--idle-timeout <minutes>', 'lock the app after this many idle minutes (admins only)')
    .option('--audit-archive <folder>', 'also write every signed audit checkpoint to this write-once folder, e.g. a mounted archive share (admins only; "none" clears it)')
    .action(async (o: { idleTimeout?: string; auditArchive?: string }) => {
      const g = globals();
      const result = await withSession(g, async (svc) => {
        if (o.idleTimeout !== undefined) await svc.call('settings:update', { idleTimeoutMinutes: wholeNumber('--idle-timeout', o.idleTimeout) });
        if (o.auditArchive !== undefined) await svc.call('settings:setAuditAnchor', { folder: o.auditArchive === 'none' ? null : o.auditArchive });
        return svc.call('settings:get', {});
      });
      print(g, result, () => `Idle timeout: ${result.idleTimeoutMinutes} minutes.\nAudit archive folder: ${result.auditAnchorFolder ?? 'none (checkpoints are kept in the workspace only)'}.`);
    });
}
