// The audit chain: one row per state-changing action, each carrying the previous row's hash and its own
// SHA-256 over a canonical (RFC 8785) form. Triggers refuse UPDATE and DELETE; verify() walks the chain.
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import type { AuditEntryView, AuditVerifyResult } from '../../shared/contract';
import type { Db } from '../store/database';
import { auditSignerOf, signEntryHash, SignatureCheck } from './audit-signing';
import { checkpointProblems, type Checkpoint } from './checkpoints';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEvent {
  actor: string;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
  ts?: string;
}

/** One audit_log row as stored. */
export interface AuditRow {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
  signer: string | null;
  signature: string | null;
}

const SECRET_KEYS = /pass|secret|key|token/i;

// A guard, not a filter: callers must never put secrets in details, so fail loudly if one tries.
function assertNoSecrets(details: Record<string, unknown>): void {
  for (const k of Object.keys(details)) {
    if (SECRET_KEYS.test(k)) throw new Error(`audit details must not carry secrets (field "${k}")`);
  }
}

export function hashEntry(e: { seq: number; ts: string; actor: string; action: string; subject: string | null; details: unknown; prevHash: string }): string {
  const canonical = canonicalize({
    seq: e.seq,
    ts: e.ts,
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    details: e.details,
    prevHash: e.prevHash,
  });
  if (canonical === undefined) throw new Error('audit entry cannot be canonicalised');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

// Appends one row; call inside the caller's transaction so the event and the change commit together.
export function appendAudit(db: Db, event: AuditEvent, now: Date = new Date()): AuditEntryView {
  const details = event.details ?? {};
  assertNoSecrets(details);
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const ts = event.ts ?? now.toISOString();
  const subject = event.subject ?? null;
  // Store details in canonical form so what is hashed and what is stored are the same text.
  const detailsJson = canonicalize(details) ?? '{}';
  const hash = hashEntry({ seq, ts, actor: event.actor, action: event.action, subject, details: JSON.parse(detailsJson) as unknown, prevHash });
  // Signed by the session's user when there is one (migration 13); entries before a login cannot be.
  const signer = auditSignerOf(db);
  db.prepare(
    'INSERT INTO audit_log (seq, ts, actor, action, subject, details, prev_hash, hash, signer, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(seq, ts, event.actor, event.action, subject, detailsJson, prevHash, hash, signer?.fingerprint ?? null, signer ? signEntryHash(signer, hash) : null);
  return { seq, ts, actor: event.actor, action: event.action, subject, details, prevHash, hash };
}

function toView(r: AuditRow): AuditEntryView {
  return { seq: r.seq, ts: r.ts, actor: r.actor, action: r.action, subject: r.subject, details: JSON.parse(r.details) as Record<string, unknown>, prevHash: r.prev_hash, hash: r.hash };
}

export interface AuditFilter {
  text?: string | undefined;
  action?: string | undefined;
  limit?: number | undefined;
}

export function listAudit(db: Db, filter: AuditFilter = {}): AuditEntryView[] {
  const text = filter.text?.trim() ? `%${filter.text.trim()}%` : null;
  const action = filter.action?.trim() || null;
  const rows = db
    .prepare(
      `SELECT * FROM audit_log
       WHERE (@action IS NULL OR action = @action)
         AND (@text IS NULL OR actor LIKE @text OR action LIKE @text OR subject LIKE @text OR details LIKE @text)
       ORDER BY seq DESC LIMIT @limit`,
    )
    .all({ action, text, limit: filter.limit ?? 500 }) as AuditRow[];
  return rows.map(toView);
}

// Walks the whole chain in order; names the first row whose link, content or signature does not check out, then
// holds the chain to every checkpoint it was given (a shorter or different chain than one saw is named).
export function verifyAudit(db: Db, checkpoints: readonly Checkpoint[] = []): AuditVerifyResult {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const sigs = new SignatureCheck();
  const hashes = new Map<number, string>();
  const wanted = new Set(checkpoints.map((c) => c.seq));
  const broken = (seq: number, reason: string): AuditVerifyResult => ({ ok: false, checked, headHash: null, brokenAt: seq, reason });
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    if (r.seq !== expectedSeq) return broken(expectedSeq, 'the entry is missing');
    if (r.prev_hash !== prev) return broken(r.seq, 'it does not link to the entry before it');
    let details: unknown;
    try {
      details = JSON.parse(r.details);
    } catch {
      return broken(r.seq, 'its details are unreadable');
    }
    const hash = hashEntry({ seq: r.seq, ts: r.ts, actor: r.actor, action: r.action, subject: r.subject, details, prevHash: r.prev_hash });
    if (hash !== r.hash) return broken(r.seq, 'it was changed after it was written');
    const sigProblem = sigs.check({ seq: r.seq, actor: r.actor, action: r.action, subject: r.subject, details, hash: r.hash, signer: r.signer ?? null, signature: r.signature ?? null });
    if (sigProblem) return broken(r.seq, sigProblem);
    if (wanted.has(r.seq)) hashes.set(r.seq, r.hash);
    prev = r.hash;
    expectedSeq += 1;
    checked += 1;
  }
  const problem = checkpointProblems(checkpoints, checked, hashes, sigs)[0];
  if (problem) return { ok: false, checked, headHash: null, brokenAt: problem.seq, reason: problem.reason };
  return { ok: true, checked, headHash: checked > 0 ? prev : null, brokenAt: null, reason: null };
}
