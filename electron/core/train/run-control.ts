// Cancelling a run that trains in another process, and recording a run stopped with Ctrl-C.
//
// The process training a run holds the workspace's exclusive lock, so a second `airlock` cannot open the store, let
// alone log in. So the running process publishes a lease per run in <workspace>/run-control/ (its pid and a fresh
// X25519 public key, kept only in its memory) and watches that folder (fs.watch, and a poll in case watching is not
// available). A canceller first proves its password locally (a login attempt opens its key slot and then meets the
// lock; wrong passwords count as failed logins), then sends the password there, encrypted to the lease's key. The
// running process checks it as a login would, against the user's signing key inside the encrypted store — not the
// key-slot file, which whoever can write the folder could replace — and checks the account (active, not locked, own
// password, steward) before it cancels. Who asked is therefore proven, not claimed; a wrong password counts towards
// the lockout; the answer comes back encrypted under the same shared key, so it cannot be forged either.
import { createCipheriv, createDecipheriv, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors';
import type { RunView } from '../../shared/train-schemas';
import { AirlockError } from '../errors';
import { appendAudit } from '../govern/audit';
import { unlockSigningKey } from '../govern/signing-keys';
import { assertNotLocked, refuseWhileTemporary, refuseWrongPassword } from '../govern/users';
import { getUserRow } from '../govern/users-repo';
import type { Db } from '../store/database';
import type { Workspace } from '../store/workspace';
import { finishRun, getRunRow } from './runs-repo';

export const RUN_CONTROL_DIR = 'run-control';
const INFO = 'airlock run-control v1';
// A request older than this is refused: a copy of an old one cannot cancel anything later.
const FRESH_MS = 2 * 60_000;
const POLL_MS = 1000;

const b64 = z.string().regex(/^[A-Za-z0-9+/]+=*$/);
const hex = z.string().regex(/^[0-9a-f]{32}$/);
const leaseSchema = z.object({ version: z.literal(1), runId: z.number().int(), leaseId: hex, pid: z.number().int(), host: z.string(), startedAt: z.string(), publicKey: b64 });
const sealedSchema = z.object({ iv: b64, tag: b64, ciphertext: b64 });
const requestSchema = sealedSchema.extend({ version: z.literal(1), runId: z.number().int(), leaseId: hex, nonce: hex, publicKey: b64 });
const askSchema = z.object({ username: z.string().max(64), password: z.string().max(1024), requestedAt: z.string() });
const answerSchema = z.union([
  z.object({ ok: z.literal(true), status: z.string(), epochsDone: z.number().int(), by: z.string() }),
  z.object({ ok: z.literal(false), code: z.enum(ERROR_CODES), message: z.string() }),
]);
type Answer = z.infer<typeof answerSchema>;
type Lease = z.infer<typeof leaseSchema>;

const controlDir = (workspaceDir: string) => join(workspaceDir, RUN_CONTROL_DIR);
const leasePath = (workspaceDir: string, runId: number) => join(controlDir(workspaceDir), `run-${runId}.lease.json`);
const requestName = (runId: number, nonce: string) => `run-${runId}-${nonce}.cancel.json`;
const replyName = (runId: number, nonce: string) => `run-${runId}-${nonce}.reply.json`;

// Written whole or not at all: a watcher never reads half a file.
function writeAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
  renameSync(tmp, path);
}

function readJson<T>(path: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function sharedKey(own: KeyObject, otherSpki: string, leaseId: string, nonce: string): Buffer {
  const other = createPublicKey({ key: Buffer.from(otherSpki, 'base64'), format: 'der', type: 'spki' });
  return Buffer.from(hkdfSync('sha256', diffieHellman({ privateKey: own, publicKey: other }), Buffer.from(leaseId + nonce, 'hex'), INFO, 32));
}

function seal(key: Buffer, aad: string, value: unknown): z.infer<typeof sealedSchema> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

function open<T>(key: Buffer, aad: string, sealed: z.infer<typeof sealedSchema>, schema: z.ZodType<T>): T | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64')).setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    const parsed = schema.safeParse(JSON.parse(plain));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const aadOf = (kind: 'request' | 'reply', runId: number, leaseId: string, nonce: string) => `airlock-run-control|${kind}|${runId}|${leaseId}|${nonce}`;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// A lease whose process is gone (a crash, a kill) on this machine answers nobody.
function liveLease(workspaceDir: string, runId: number): Lease | null {
  const lease = readJson(leasePath(workspaceDir, runId), leaseSchema);
  if (!lease) return null;
  if (lease.host === hostname() && !pidAlive(lease.pid)) {
    rmSync(leasePath(workspaceDir, runId), { force: true });
    return null;
  }
  return lease;
}

/**
 * In the process that trains: publishes the run's lease and answers verified cancel requests until `done` settles.
 * `cancel` stops the run as the in-process cancel does (it resolves once the run has stopped).
 */
export function watchRunControl(ws: Workspace, runId: number, done: Promise<unknown>, cancel: () => Promise<RunView>): void {
  const dir = controlDir(ws.dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const lease: Lease = { version: 1, runId, leaseId: randomBytes(16).toString('hex'), pid: process.pid, host: hostname(), startedAt: ws.now().toISOString(), publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') };
  writeAtomic(leasePath(ws.dir, runId), lease);
  const seen = new Set<string>();
  let stopped = false;
  // How the run ended, read as soon as it did: the command that waited for it may close the store right after.
  let ended: Pick<RunView, 'status' | 'epochsDone'> | null = null;

  const answer = async (name: string): Promise<void> => {
    const path = join(dir, name);
    const request = readJson(path, requestSchema);
    rmSync(path, { force: true });
    if (!request || request.runId !== runId || request.leaseId !== lease.leaseId) return;
    const key = sharedKey(privateKey, request.publicKey, lease.leaseId, request.nonce);
    const ask = open(key, aadOf('request', runId, lease.leaseId, request.nonce), request, askSchema);
    const reply = (a: Answer) => writeAtomic(join(dir, replyName(runId, request.nonce)), seal(key, aadOf('reply', runId, lease.leaseId, request.nonce), a));
    if (!ask) return;
    try {
      reply(await verifyAndCancel(ws, runId, ask, () => cancel().catch((err: unknown) => (ended ? ended : Promise.reject(err instanceof Error ? err : new Error(String(err)))))));
    } catch (err) {
      const code: ErrorCode = err instanceof AirlockError ? err.code : 'INTERNAL';
      reply({ ok: false, code, message: err instanceof AirlockError ? err.message : 'The run could not be cancelled.' });
    } finally {
      key.fill(0);
    }
  };
  const scan = () => {
    if (stopped || !ws.isOpen) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (!name.startsWith(`run-${runId}-`) || !name.endsWith('.cancel.json') || seen.has(name)) continue;
      seen.add(name);
      void answer(name);
    }
  };
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dir, () => scan());
    watcher.unref();
  } catch {
    watcher = null; // Some file systems cannot be watched; the poll below still answers within a second.
  }
  const poll = setInterval(scan, POLL_MS);
  poll.unref();
  const removeLease = () => rmSync(leasePath(ws.dir, runId), { force: true });
  // Ctrl-C and other exits leave no lease behind (a crash may; the next canceller sees its process is gone).
  process.on('exit', removeLease);
  const stop = () => {
    if (ws.isOpen) {
      const row = getRunRow(ws.db, runId);
      ended = { status: row.status, epochsDone: row.epochs_done };
    }
    stopped = true;
    watcher?.close();
    clearInterval(poll);
    process.off('exit', removeLease);
    removeLease();
  };
  done.then(stop, stop);
}

// The same checks a login and the runs:cancel channel make, with the password checked inside the store.
async function verifyAndCancel(ws: Workspace, runId: number, ask: z.infer<typeof askSchema>, cancel: () => Promise<Pick<RunView, 'status' | 'epochsDone'>>): Promise<Answer> {
  const age = ws.now().getTime() - Date.parse(ask.requestedAt);
  if (!(Math.abs(age) < FRESH_MS)) throw new AirlockError('INVALID_ARGUMENT', 'The cancel request is too old; send it again.');
  const user = getUserRow(ws.db, ask.username);
  if (!user || user.status !== 'active') {
    appendAudit(ws.db, { actor: '(unauthenticated)', action: 'run.cancel_refused', subject: `run #${runId}`, details: { reason: 'unknown or disabled user' } }, ws.now());
    throw new AirlockError('INVALID_CREDENTIALS', 'The user name or password is not correct.');
  }
  assertNotLocked(ws, user);
  try {
    await unlockSigningKey(ws.db, ws.workspaceId, user.username, ask.password);
  } catch (err) {
    if (err instanceof AirlockError && err.code === 'INVALID_CREDENTIALS') refuseWrongPassword(ws, user, { action: 'run.cancel_refused', subject: `run #${runId}`, details: { reason: 'wrong password' } });
    throw err;
  }
  refuseWhileTemporary(user, 'runs:cancel');
  if (!user.roles.includes('steward')) throw new AirlockError('FORBIDDEN', 'Cancelling a run needs the data steward role, which your account does not have.');
  const before = getRunRow(ws.db, runId);
  appendAudit(ws.db, { actor: user.username, action: 'run.cancel_requested', subject: `run #${runId}`, details: { from: 'another process', epochsDone: before.epochs_done } }, ws.now());
  const view = await cancel();
  return { ok: true, status: view.status, epochsDone: view.epochsDone, by: user.username };
}

export interface CancelledElsewhere {
  runId: number;
  status: string;
  epochsDone: number;
  by: string;
  pid: number;
}

/**
 * In the cancelling process, after its own login met the lock (so its password opened its key slot): asks the process
 * that trains `runId` to cancel it, and waits for the answer.
 */
export async function requestCancel(workspaceDir: string, username: string, password: string, runId: number, timeoutMs = 60_000): Promise<CancelledElsewhere> {
  const lease = liveLease(workspaceDir, runId);
  if (!lease) {
    throw new AirlockError('CONFLICT', `Run #${runId} is not running in the Airlock that has this workspace open; \`airlock runs show ${runId}\` tells its state once that Airlock is closed.`);
  }
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const nonce = randomBytes(16).toString('hex');
  const key = sharedKey(privateKey, lease.publicKey, lease.leaseId, nonce);
  const dir = controlDir(workspaceDir);
  const sealed = seal(key, aadOf('request', runId, lease.leaseId, nonce), { username, password, requestedAt: new Date().toISOString() });
  writeAtomic(join(dir, requestName(runId, nonce)), { version: 1, runId, leaseId: lease.leaseId, nonce, publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), ...sealed });
  const replyPath = join(dir, replyName(runId, nonce));
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      if (!existsSync(replyPath) || statSync(replyPath).size === 0) continue;
      const answer = readJson(replyPath, sealedSchema);
      const opened = answer ? open(key, aadOf('reply', runId, lease.leaseId, nonce), answer, answerSchema) : null;
      rmSync(replyPath, { force: true });
      if (!opened) throw new AirlockError('INTERNAL', 'The answer to the cancel request could not be read.');
      if (!opened.ok) throw new AirlockError(opened.code, opened.message);
      return { runId, status: opened.status, epochsDone: opened.epochsDone, by: opened.by, pid: lease.pid };
    }
    throw new AirlockError('NOT_AVAILABLE', `The Airlock training run #${runId} (process ${lease.pid}) did not answer within ${Math.round(timeoutMs / 1000)} s. Stop it there, or try again.`);
  } finally {
    key.fill(0);
    rmSync(join(dir, requestName(runId, nonce)), { force: true });
  }
}

function lastCheckpointEpoch(db: Db, runId: number): number | null {
  return (db.prepare('SELECT max(epoch) AS e FROM run_checkpoints WHERE run_id = ?').get(runId) as { e: number | null }).e;
}

/** A run stopped with Ctrl-C (or a termination signal): interrupted, audited with the epoch it reached, resumable. */
export function recordInterruption(ws: Workspace, runId: number, actor: string, epochReached: number, how: string): { resumesFrom: number | null } {
  const resumesFrom = lastCheckpointEpoch(ws.db, runId);
  ws.db.transaction(() => {
    if (getRunRow(ws.db, runId).status !== 'running') return;
    const next = resumesFrom === null ? 'It has no checkpoint yet: start it again.' : `Resume it from its last checkpoint (epoch ${resumesFrom}), or start it again.`;
    finishRun(ws.db, runId, 'failed', ws.now(), { code: 'INTERRUPTED', message: `Training was ${how} at epoch ${epochReached}. ${next}` });
    appendAudit(ws.db, { actor, action: 'run.interrupted', subject: `run #${runId}`, details: { epochsDone: epochReached, resumesFrom, code: 'INTERRUPTED', reason: how } }, ws.now());
  })();
  return { resumesFrom };
}

/** Why a run cannot be cancelled because nothing runs it, and what to do next. */
export function notRunningMessage(run: RunView): string {
  const what =
    run.status === 'done'
      ? 'it finished'
      : run.status === 'cancelled'
        ? `it was cancelled at epoch ${run.epochsDone}`
        : run.error?.code === 'INTERRUPTED'
          ? `it was interrupted at epoch ${run.epochsDone}`
          : `it failed at epoch ${run.epochsDone}`;
  const next = run.status === 'done' ? '' : run.canResume ? `; \`airlock runs resume ${run.id}\` continues it` : '; it has no checkpoint to resume from, so train its spec again';
  return `Run #${run.id} is not running (${what})${next}.`;
}
