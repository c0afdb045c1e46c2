// Events written into the key-slot file before anyone could open the database (failed logins, lockouts) reach
// the audit chain at the next unlock. That file is writable by anyone with file access, so only what the
// unauthenticated path itself writes is admitted; anything else is refused, and the refusal is what is audited.
import type { Db } from './database';
import type { PendingEvent } from './keyslots';
import { getUserRow } from '../govern/users-repo';

const UNKNOWN_USER = '(unknown user)';
const REASONS = new Set(['wrong password', 'unknown or disabled user', 'account locked']);
// Clocks drift between the moment of the attempt and the unlock; more than this is not drift.
const SKEW_MS = 5 * 60_000;

const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 1_000_000;
const onlyKeys = (d: Record<string, unknown>, keys: string[]) => Object.keys(d).every((k) => keys.includes(k));

// Null when the event is one the login path writes; otherwise why it is refused (never its content).
function problem(db: Db, e: PendingEvent, since: number, now: Date): string | null {
  const ts = Date.parse(e.ts);
  if (!Number.isFinite(ts) || ts > now.getTime() + SKEW_MS) return 'a time outside the workspace’s life';
  // Each unlock admits and clears the pending list, so nothing pending can be older than the last one (a replayed list is).
  if (ts < since - SKEW_MS) return 'a time before the last unlock';
  if (e.subject !== UNKNOWN_USER && (e.subject === null || !getUserRow(db, e.subject))) return 'a subject that is not a user';
  const d = e.details;
  if (e.actor === '(unauthenticated)' && e.action === 'login.failed') {
    if (!onlyKeys(d, ['reason', 'failures']) || typeof d.reason !== 'string' || !REASONS.has(d.reason) || (d.failures !== undefined && !isCount(d.failures))) return 'details a failed login does not have';
    return null;
  }
  if (e.actor === 'system' && e.action === 'user.locked') {
    if (!onlyKeys(d, ['failures', 'lockedUntil']) || !isCount(d.failures) || typeof d.lockedUntil !== 'string' || !Number.isFinite(Date.parse(d.lockedUntil))) return 'details a lockout does not have';
    return null;
  }
  return 'an actor or action the login path never writes';
}

export function admitPending(db: Db, events: readonly PendingEvent[], now: Date): { admitted: PendingEvent[]; refused: { count: number; reasons: string[] } | null } {
  const meta = db.prepare('SELECT created_at FROM workspace_meta WHERE id = 1').get() as { created_at: string } | undefined;
  const lastUnlock = db.prepare("SELECT ts FROM audit_log WHERE action = 'login.ok' ORDER BY seq DESC LIMIT 1").get() as { ts: string } | undefined;
  const since = Math.max(meta ? Date.parse(meta.created_at) : 0, lastUnlock ? Date.parse(lastUnlock.ts) : 0);
  const admitted: PendingEvent[] = [];
  const reasons = new Set<string>();
  let count = 0;
  for (const e of events) {
    const why = problem(db, e, since, now);
    if (why === null) admitted.push(e);
    else {
      count += 1;
      reasons.add(why);
    }
  }
  return { admitted, refused: count > 0 ? { count, reasons: [...reasons].sort() } : null };
}
