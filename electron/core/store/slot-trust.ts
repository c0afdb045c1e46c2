// Slot public keys recorded in the signed audit chain. Anyone who once held the database key can write a slot for
// another user with their own X25519 key and a valid publicMac; a rekey would then seal the new key to them. So every
// slot creation appends `keyslot.created` (the SHA-256 of its public key), signed by the session user, and a slot is
// resealed only when its key matches the latest such entry signed by its owner or an admin, as the chain proves it.
import type { Db } from './database';
import { appendAudit, hashEntry, GENESIS_HASH, type AuditRow } from '../govern/audit';
import { SignatureCheck } from '../govern/audit-signing';
import { slotFingerprint, slotKey, type KeySlot } from './keyslots';

export const SLOT_CREATED = 'keyslot.created';

/** Appends `keyslot.created` for a new slot; call inside the transaction that writes the slot. */
export function recordSlotCreated(db: Db, actor: string, slot: KeySlot, now: Date): void {
  const fingerprint = slotFingerprint(slot);
  if (!fingerprint) return;
  // "x25519", not "publicKey": audit details may not carry fields named like keys (audit.ts's secret guard).
  appendAudit(db, { actor, action: SLOT_CREATED, subject: slot.username, details: { user: slot.username, x25519: fingerprint } }, now);
}

/** Whether any `keyslot.created` names this user (slots made before this change have none until their owner logs in). */
export function hasSlotRecord(db: Db, username: string): boolean {
  return db.prepare('SELECT 1 FROM audit_log WHERE action = ? AND subject = ? COLLATE NOCASE LIMIT 1').get(SLOT_CREATED, username) !== undefined;
}

function detail(details: unknown, key: string): unknown {
  return typeof details === 'object' && details !== null ? (details as Record<string, unknown>)[key] : undefined;
}

interface Walk {
  sigs: SignatureCheck;
  admins: Set<string>;
  latest: Map<string, string>;
  prev: string;
  next: number;
  broken: boolean;
}

// The chain only grows (triggers refuse UPDATE and DELETE), so a session's walk resumes where it stopped, once the
// last entry it checked is seen unchanged; otherwise it starts again from the first entry.
const walks = new WeakMap<Db, Walk>();

function freshWalk(): Walk {
  return { sigs: new SignatureCheck(), admins: new Set(), latest: new Map(), prev: GENESIS_HASH, next: 1, broken: false };
}

function resume(db: Db): Walk {
  const w = walks.get(db);
  if (!w) return freshWalk();
  const last = w.next > 1 ? (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(w.next - 1) as { hash: string } | undefined) : undefined;
  return w.next === 1 || last?.hash === w.prev ? w : freshWalk();
}

/**
 * Walks the chain as verify does (links, hashes, signatures) up to its first problem, and returns, per user, the public
 * key fingerprint of the latest `keyslot.created` signed by that user or by someone the chain made an admin.
 */
export function recordedSlotKeys(db: Db): Map<string, string> {
  const w = resume(db);
  if (!w.broken) {
    for (const r of db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').iterate(w.next) as IterableIterator<AuditRow>) {
      if (!learn(w, r)) {
        // Nothing after a broken entry is trusted: its slots are dropped from a rekey, never sealed to.
        w.broken = true;
        break;
      }
    }
  }
  walks.set(db, w);
  return w.latest;
}

function learn(w: Walk, r: AuditRow): boolean {
  if (r.seq !== w.next || r.prev_hash !== w.prev) return false;
  let details: unknown;
  try {
    details = JSON.parse(r.details);
  } catch {
    return false;
  }
  if (hashEntry({ seq: r.seq, ts: r.ts, actor: r.actor, action: r.action, subject: r.subject, details, prevHash: r.prev_hash }) !== r.hash) return false;
  if (w.sigs.check({ seq: r.seq, actor: r.actor, action: r.action, subject: r.subject, details, hash: r.hash, signer: r.signer, signature: r.signature })) return false;
  const signerName = r.signer && r.signature ? w.sigs.keyOf(r.signer)?.username : undefined;
  const fp = detail(details, 'x25519');
  if (r.action === SLOT_CREATED && r.subject && signerName && typeof fp === 'string') {
    if (slotKey(signerName) === slotKey(r.subject) || w.admins.has(slotKey(signerName))) w.latest.set(slotKey(r.subject), fp);
  }
  const roles = r.action === 'user.added' ? detail(details, 'roles') : r.action === 'user.roles_changed' ? detail(details, 'to') : undefined;
  if (Array.isArray(roles) && r.subject) {
    if (roles.includes('admin')) w.admins.add(slotKey(r.subject));
    else w.admins.delete(slotKey(r.subject));
  }
  w.prev = r.hash;
  w.next += 1;
  return true;
}

/** A test for slots at reseal time: trusted when its key is the one the chain recorded for its owner, or none was ever recorded. */
export function slotTrust(db: Db): (slot: KeySlot) => boolean {
  const recorded = recordedSlotKeys(db);
  const named = new Set((db.prepare('SELECT DISTINCT lower(subject) AS u FROM audit_log WHERE action = ? AND subject IS NOT NULL').all(SLOT_CREATED) as { u: string }[]).map((r) => r.u));
  return (slot) => {
    const who = slotKey(slot.username);
    const fp = recorded.get(who);
    if (fp !== undefined) return fp === slotFingerprint(slot);
    // Made before slots were recorded: trusted by its publicMac alone, until its owner's next login records it.
    return !named.has(who);
  };
}
