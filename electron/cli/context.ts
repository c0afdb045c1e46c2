// What every CLI command shares: where the workspace is, who is acting, how passwords are read.
import password from '@inquirer/password';
import { AirlockService, type ServiceOptions } from '../core/api/service';
import { AirlockError } from '../core/errors';

export interface GlobalOptions {
  workspace?: string;
  user?: string;
  json?: boolean;
}

export function workspaceDir(opts: GlobalOptions): string {
  const dir = opts.workspace ?? process.env.AIRLOCK_WORKSPACE;
  if (!dir) throw new AirlockError('INVALID_ARGUMENT', 'Say which workspace: --workspace DIR (or set AIRLOCK_WORKSPACE).');
  return dir;
}

export function userName(opts: GlobalOptions): string {
  const user = opts.user ?? process.env.AIRLOCK_USER;
  if (!user) throw new AirlockError('INVALID_ARGUMENT', 'Say who you are: --user NAME (or set AIRLOCK_USER).');
  return user;
}

// Passwords come from the environment (for scripts) or a hidden prompt; never from a command-line flag,
// which would leave them in shell history and the process list.
export async function readPassword(envName: string, question: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new AirlockError('INVALID_ARGUMENT', `No terminal to ask for the password: set ${envName} for scripted use.`);
  }
  return password({ message: question, mask: true });
}

// Signing and export re-enter the password every time: a second prompt, or AIRLOCK_SIGN_PASSWORD for scripts
// (AIRLOCK_PASSWORD when neither a terminal nor AIRLOCK_SIGN_PASSWORD is there).
export async function readSigningPassword(username: string, what: string): Promise<string> {
  const fromEnv = process.env.AIRLOCK_SIGN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) return password({ message: `Password for ${username} again, to ${what}:`, mask: true });
  return readPassword('AIRLOCK_PASSWORD', `Password for ${username}:`);
}

// A password an admin set must be replaced before anything else: from AIRLOCK_NEW_PASSWORD in scripts, else a prompt.
async function chooseOwnPassword(svc: AirlockService, username: string, current: string): Promise<void> {
  const fromEnv = process.env.AIRLOCK_NEW_PASSWORD;
  if (!fromEnv && !process.stdin.isTTY) {
    throw new AirlockError(
      'PASSWORD_CHANGE_REQUIRED',
      `The password of ${username} was set by an admin and is temporary: choose your own first, with \`airlock passwd\` on a terminal or AIRLOCK_NEW_PASSWORD in a script.`,
    );
  }
  if (!fromEnv) process.stderr.write(`The password of ${username} was set by an admin and is temporary: choose a new one now.\n`);
  const next = fromEnv ?? (await password({ message: `New password for ${username} (at least 12 characters):`, mask: true }));
  await svc.call('session:changePassword', { currentPassword: current, newPassword: next });
  process.stderr.write(`Password of ${username} changed; use the new one from now on.\n`);
}

// Logs in through the same service the desktop app uses, so the audit trail and checks are identical.
// `ownPasswordChange`: the command changes the password itself (`passwd`), so a temporary one is not replaced first.
export async function withSession<T>(opts: GlobalOptions, run: (svc: AirlockService) => Promise<T>, options: ServiceOptions = {}, ownPasswordChange = false): Promise<T> {
  const pass = await readPassword('AIRLOCK_PASSWORD', `Password for ${userName(opts)}:`);
  return withSessionUsing(opts, pass, run, options, ownPasswordChange);
}

/** withSession with a password already read (a command that needs it again, e.g. to cancel a run elsewhere). */
export async function withSessionUsing<T>(opts: GlobalOptions, pass: string, run: (svc: AirlockService) => Promise<T>, options: ServiceOptions = {}, ownPasswordChange = false): Promise<T> {
  const svc = new AirlockService(options);
  const path = workspaceDir(opts);
  const username = userName(opts);
  const info = await svc.call('session:login', { path, username, password: pass });
  try {
    if (info.mustChangePassword && !ownPasswordChange) await chooseOwnPassword(svc, info.username, pass);
    return await run(svc);
  } finally {
    svc.end('logout');
    await svc.settled();
  }
}

export function print(opts: GlobalOptions, value: unknown, human: () => string): void {
  process.stdout.write(`${opts.json ? JSON.stringify(value, null, 2) : human()}\n`);
}

/** A whole-number argument, or a sentence naming it (`--rows takes a whole number; “abc” is not one.`). */
export function wholeNumber(what: string, v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new AirlockError('INVALID_ARGUMENT', `${what} takes a whole number; “${v}” is not one.`);
  return Number(v);
}

export const optionalWhole = (what: string, v: string | undefined): number | undefined => (v === undefined ? undefined : wholeNumber(what, v));
