// Signed audit entries. While a session is open, every entry it writes is signed (Ed25519, over the entry's hash) by
// the session user's key: their own actions, and the system events they witness (recovery, lockouts). Entries
// written before a login (failed logins, the lockout, the login itself, a new workspace's first entries) cannot be
// signed and are accepted unsigned only for those actions. Keys are trusted only as the chain introduced them:
// a `signing_key.created` entry, itself signed by an admin after the first signed entry.
import type { KeyObject } from 'node:crypto';
import type { Db } from '../store/database';
import { keyFingerprint, signCanonical, verifyCanonical } from './signature';

export interface AuditSigner {
  username: string;
  fingerprint: string;
  key: KeyObject;
}

// Keyed by the open database: appendAudit is called from every domain with only `db`, inside its transaction.
const signers = new WeakMap<Db, AuditSigner>();

export function attachAuditSigner(db: Db, signer: AuditSigner): void {
  signers.set(db, signer);
}

export function detachAuditSigner(db: Db): void {
  signers.delete(db);
}

export function auditSignerOf(db: Db): AuditSigner | null {
  return signers.get(db) ?? null;
}

const payload = (hash: string) => ({ kind: 'airlock-audit-entry/1', hash });

export function signEntryHash(signer: AuditSigner, hash: string): string {
  return signCanonical(signer.key, payload(hash));
}

/** Actions that happen before anyone is logged in, so their entries carry no signature. */
export const PRE_LOGIN_ACTIONS: ReadonlySet<string> = new Set(['workspace.created', 'user.added', 'login.ok', 'login.failed', 'user.locked', 'audit.pending_refused', 'signing_key.created']);

interface KnownKey {
  username: string;
  publicKey: string;
}

interface EntryFacts {
  seq: number;
  actor: string;
  action: string;
  subject: string | null;
  details: unknown;
  hash: string;
  signer: string | null;
  signature: string | null;
}

/** Walks entries in order, learning keys from the chain itself; returns the first problem, or null. */
export class SignatureCheck {
  private readonly keys = new Map<string, KnownKey>();
  private readonly admins = new Set<string>();
  // Keys replaced by a newer one (reset, re-enable, first own password): nobody may sign with them any more.
  private readonly retired = new Map<string, number>();
  // Users added before the first signed entry (workspaces from before signatures), and users the chain gave a key.
  private readonly legacy = new Set<string>();
  private readonly keyed = new Set<string>();
  private signedSeen = false;
  signed = 0;
  unsigned = 0;

  check(e: EntryFacts): string | null {
    const problem = e.signature === null ? this.unsignedProblem(e) : this.signedProblem(e);
    if (problem) return problem;
    this.learn(e);
    return null;
  }

  private unsignedProblem(e: EntryFacts): string | null {
    this.unsigned++;
    if (e.signer !== null) return 'it names a signer but carries no signature';
    // Before the first signed entry the workspace predates signatures (or is being created): nothing to hold it to.
    if (!this.signedSeen) return null;
    if (!PRE_LOGIN_ACTIONS.has(e.action)) return `it is not signed, and only what happens before a login (${[...PRE_LOGIN_ACTIONS].join(', ')}) may be unsigned`;
    // A key introduced without a signature would let anyone sign as its owner from then on.
    if (e.action === 'signing_key.created') {
      if (detailOf(e.details, 'reason') !== 'first login') return 'a signing key was introduced without an admin’s signature';
      // Unsigned only for a user from before signatures, once: anyone else's key comes signed, by an admin or its owner.
      const who = (e.subject ?? '').toLowerCase();
      if (!this.legacy.has(who)) return `an unsigned “first login” key for ${e.subject ?? 'someone'}, who was added after signatures began`;
      if (this.keyed.has(who)) return `an unsigned “first login” key for ${e.subject ?? 'someone'}, who already had one`;
    }
    return null;
  }

  private signedProblem(e: EntryFacts): string | null {
    this.signed++;
    const key = e.signer ? this.keys.get(e.signer) : undefined;
    if (!key) return 'it is signed by a key the chain never introduced';
    const retiredAt = e.signer ? this.retired.get(e.signer) : undefined;
    if (retiredAt !== undefined) return `it is signed with ${key.username}’s key that entry #${retiredAt} replaced`;
    if (!verifyCanonical(key.publicKey, payload(e.hash), e.signature ?? '')) return 'its signature does not match its content';
    // Users sign their own actions; only system events may be signed by the user who witnessed them.
    if (e.actor !== key.username && e.actor !== 'system' && e.actor !== '(unauthenticated)') return `it is signed by ${key.username} but says ${e.actor} did it`;
    if (e.action === 'signing_key.created' && e.subject !== key.username && !this.admins.has(key.username)) return `${key.username} introduced a key for ${e.subject ?? 'someone'} without being an admin`;
    this.signedSeen = true;
    return null;
  }

  private learn(e: EntryFacts): void {
    if (e.action === 'signing_key.created' && e.subject) {
      const pub = detailOf(e.details, 'ed25519');
      const fp = detailOf(e.details, 'fingerprint');
      if (typeof pub === 'string' && typeof fp === 'string' && keyFingerprint(pub) === fp) this.keys.set(fp, { username: e.subject, publicKey: pub });
      const replaces = detailOf(e.details, 'replaces');
      if (typeof replaces === 'string') this.retired.set(replaces, e.seq);
      this.keyed.add(e.subject.toLowerCase());
    }
    if (e.action === 'user.added' && e.subject && !this.signedSeen) this.legacy.add(e.subject.toLowerCase());
    const roles = e.action === 'user.added' ? detailOf(e.details, 'roles') : e.action === 'user.roles_changed' ? detailOf(e.details, 'to') : undefined;
    if (Array.isArray(roles) && e.subject) {
      if (roles.includes('admin')) this.admins.add(e.subject);
      else this.admins.delete(e.subject);
    }
  }

  /** The public key the chain introduced under this fingerprint (checkpoints are verified against it). */
  keyOf(fingerprint: string): KnownKey | null {
    return this.keys.get(fingerprint) ?? null;
  }
}

function detailOf(details: unknown, key: string): unknown {
  return typeof details === 'object' && details !== null ? (details as Record<string, unknown>)[key] : undefined;
}
