// The service behind every IPC channel: validates arguments against the contract, checks the session,
// its idle time and the caller's roles, runs the handler, validates the result, and returns an Envelope.
// Main's ipcMain handlers and the end-to-end bridge both call dispatch(), so they behave the same.
import { checkpointIfDue, endSignedSession } from '../govern/audit-session';
import { contract, type Channel, type Envelope, type ResultOf, type Role, type SessionInfo } from '../../shared/contract';
import { AirlockError, ForbiddenError, toWireError } from '../errors';
import { appendAudit } from '../govern/audit';
import { getSettings } from '../govern/settings';
import { refuseWhileTemporary } from '../govern/users';
import type { UserRow } from '../govern/users-repo';
import type { Workspace, WorkspaceOptions } from '../store/workspace';
import { sourcesAccess } from '../store/sources-keys';
import { ImportJobs } from '../ingest/jobs';
import { PreviewCache } from '../ingest/preview';
import { TrainingRuns } from '../train/runs';
import { recoverInterruptedRuns } from '../train/runs-repo';
import { recoverInterruptedValidations, Validations } from '../validate/validations';
import { recoverInterruptedImports } from '../ingest/files-repo';
import { storageProblem } from '../store/storage-errors';
import { handlers } from './handlers';

export interface ServiceOptions extends WorkspaceOptions {
  // The native folder picker; only the Electron main process has one.
  chooseFolder?: () => Promise<string | null>;
  // The native file picker for imports (files, or folders when `folders` is set).
  chooseFiles?: (folders: boolean) => Promise<string[]>;
  // Saves a report where the user chooses (the desktop app: a save dialog; PDF through printToPDF); null if cancelled.
  saveReport?: (report: { fileName: string; mime: string; content: string }, format: 'html' | 'json' | 'pdf') => Promise<string | null>;
  // Prints a dataset card's HTML to PDF for export bundles (the desktop app: printToPDF; the CLI: Chromium).
  renderPdf?: (html: string) => Promise<Uint8Array>;
  // The native picker for a bundle to verify: a folder, or a .zip when `zip` is set; null if cancelled.
  chooseBundle?: (zip: boolean) => Promise<string | null>;
  // Unexpected errors go here (never to the renderer, which gets a generic sentence).
  logError?: (err: unknown) => void;
}

export interface OpenSession {
  ws: Workspace;
  user: UserRow;
  lastActivity: number;
  imports: ImportJobs;
  previews: PreviewCache;
  runs: TrainingRuns;
  validations: Validations;
  /** The last audit entry anchored by a checkpoint (one every CHECKPOINT_EVERY entries). */
  lastAnchored: number;
}

const ROLE_NAMES: Record<Role, string> = { steward: 'data steward', reviewer: 'reviewer', admin: 'admin' };

export class AirlockService {
  private session: OpenSession | null = null;
  private idleLockedAfter: number | null = null;

  // Set when the last session ended by idling out, so the lock screen can say why.
  get idleLockedAfterMinutes(): number | null {
    return this.idleLockedAfter;
  }
  private closing: Promise<void> = Promise.resolve();

  constructor(readonly options: ServiceOptions = {}) {}

  now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }

  get current(): OpenSession | null {
    return this.session;
  }

  start(ws: Workspace, user: UserRow): SessionInfo {
    this.end();
    recoverInterruptedImports(ws.db, this.now());
    recoverInterruptedRuns(ws.db, this.now());
    recoverInterruptedValidations(ws.db, this.now());
    const lastAnchored = (ws.db.prepare('SELECT coalesce(max(seq), 0) AS n FROM audit_log').get() as { n: number }).n;
    this.session = { ws, user, lastActivity: this.now().getTime(), imports: new ImportJobs(), previews: new PreviewCache(), runs: new TrainingRuns(ws), validations: new Validations(ws), lastAnchored };
    this.idleLockedAfter = null;
    return this.info(this.session);
  }

  info(s: OpenSession): SessionInfo {
    return {
      username: s.user.username,
      displayName: s.user.displayName,
      roles: s.user.roles,
      workspacePath: s.ws.dir,
      workspaceId: s.ws.workspaceId,
      idleTimeoutMinutes: getSettings(s.ws.db).idleTimeoutMinutes,
      mustChangePassword: s.user.passwordTemporary,
      sourcesAccess: sourcesAccess(s.ws, s.user),
    };
  }

  // Ends the session at once (no call can use it after this); running imports are cancelled and the store
  // closes (the key is zeroed) as soon as they have rolled back. `reason` goes into the audit chain.
  end(reason: 'logout' | 'idle' | 'shutdown' = 'logout'): void {
    const s = this.session;
    if (!s) return;
    this.session = null;
    let failure: Error | null = null;
    try {
      appendAudit(s.ws.db, { actor: s.user.username, action: reason === 'logout' ? 'logout' : 'session.locked', subject: s.user.username, details: { reason } }, this.now());
    } catch (err) {
      // On a full or read-only disk the session still ends; only its closing event is not recorded.
      if (!storageProblem(err)) failure = err instanceof Error ? err : new Error(String(err));
    }
    const previous = this.closing;
    // The last checkpoint anchors what the cancelled work wrote too; then the key is no longer used.
    const close = (): void => {
      endSignedSession(s.ws);
      s.ws.close();
    };
    this.closing = Promise.all([previous, s.imports.cancelAll(), s.runs.cancelAll(), s.validations.cancelAll()]).then(close, close);
    if (failure) throw failure;
  }

  // Resolves once the last ended session's store is closed (the CLI and tests wait for it).
  settled(): Promise<void> {
    return this.closing;
  }

  idleSecondsLeft(s: OpenSession): number {
    const timeoutMs = getSettings(s.ws.db).idleTimeoutMinutes * 60_000;
    return Math.max(0, Math.floor((s.lastActivity + timeoutMs - this.now().getTime()) / 1000));
  }

  // Locks an idle session; returns the still-live session or null.
  checkIdle(): OpenSession | null {
    const s = this.session;
    if (!s) return null;
    if (this.idleSecondsLeft(s) > 0) return s;
    this.idleLockedAfter = getSettings(s.ws.db).idleTimeoutMinutes;
    this.end('idle');
    return null;
  }

  private requireSession(access: 'session' | readonly Role[]): OpenSession {
    const s = this.checkIdle();
    if (!s) {
      if (this.idleLockedAfter !== null) {
        throw new AirlockError('SESSION_EXPIRED', `Airlock locked after ${this.idleLockedAfter} minutes without activity. Log in again.`);
      }
      throw new AirlockError('UNAUTHENTICATED', 'You are not logged in. Unlock the workspace first.');
    }
    if (access !== 'session' && !access.some((r) => s.user.roles.includes(r))) {
      throw new ForbiddenError(`This needs the ${access.map((r) => ROLE_NAMES[r]).join(' or ')} role, which your account does not have.`);
    }
    return s;
  }

  async dispatch(channel: string, rawArgs: unknown): Promise<Envelope<unknown>> {
    try {
      if (!Object.hasOwn(contract, channel)) throw new AirlockError('UNKNOWN_CHANNEL', `Unknown request “${channel}”.`);
      const value = await this.call(channel as Channel, rawArgs);
      return { ok: true, value };
    } catch (err) {
      if (!(err instanceof AirlockError)) this.options.logError?.(err);
      return { ok: false, error: toWireError(err) };
    }
  }

  // Typed entry for in-process callers (CLI, tests): throws AirlockError instead of returning an envelope.
  async call<C extends Channel>(channel: C, rawArgs: unknown): Promise<ResultOf<C>> {
    const spec = contract[channel];
    const parsed = spec.args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      throw new AirlockError('INVALID_ARGUMENT', `${where}${issue?.message ?? 'invalid request'}`);
    }
    const session = spec.access === 'public' ? null : this.requireSession(spec.access);
    if (session && channel !== 'session:status') session.lastActivity = this.now().getTime();
    if (session) refuseWhileTemporary(session.user, channel);
    const handler = handlers[channel] as (svc: AirlockService, args: unknown, session: OpenSession | null) => Promise<unknown>;
    let result: unknown;
    try {
      result = await handler(this, parsed.data, session);
    } catch (err) {
      // A wrong password typed inside a session (a change, a signature, an export) can lock the account: the session ends with it.
      if (session && err instanceof AirlockError && err.code === 'ACCOUNT_LOCKED' && this.session === session) this.end('logout');
      throw err;
    }
    if (session && this.session === session) session.lastAnchored = checkpointIfDue(session.ws, session.lastAnchored);
    // Results are checked too, so nothing outside the contract (a key, a path) can slip through.
    return spec.result.parse(result) as ResultOf<C>;
  }
}
