// How many distinct reviewers each release tier needs before export. Defaults: one for internal prototyping and
// model development, two for external sharing. Only an admin changes it, and every change is an audit event.
import { RELEASE_TIERS, TIER_LABELS, type ReleaseTier } from '../../shared/criteria';
import type { ApprovalPolicy } from '../../shared/approval-schemas';
import { AirlockError, ForbiddenError } from '../errors';
import type { Db } from '../store/database';
import type { UserRow } from './users-repo';
import { appendAudit } from './audit';

export const DEFAULT_POLICY: Readonly<Record<ReleaseTier, number>> = { 'internal-prototyping': 1, 'model-development': 1, 'external-sharing': 2 };
const settingKey = (tier: ReleaseTier) => `approvalPolicy.${tier}`;

export function getPolicy(db: Db): ApprovalPolicy {
  const policy = { ...DEFAULT_POLICY };
  for (const tier of RELEASE_TIERS) {
    const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(settingKey(tier)) as { value: string } | undefined;
    if (row) policy[tier] = Number(row.value);
  }
  return policy;
}

export function setPolicy(db: Db, actor: UserRow, tier: ReleaseTier, requiredApprovals: number, now: Date): ApprovalPolicy {
  if (!actor.roles.includes('admin')) throw new ForbiddenError('Only an admin can change the approval policy.');
  if (!Number.isInteger(requiredApprovals) || requiredApprovals < 1 || requiredApprovals > 5) {
    throw new AirlockError('INVALID_ARGUMENT', 'A tier needs from 1 to 5 distinct reviewers.');
  }
  const before = getPolicy(db)[tier];
  db.transaction(() => {
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(settingKey(tier), String(requiredApprovals));
    appendAudit(db, { actor: actor.username, action: 'policy.changed', subject: tier, details: { tier: TIER_LABELS[tier], from: before, to: requiredApprovals } }, now);
  })();
  return getPolicy(db);
}
