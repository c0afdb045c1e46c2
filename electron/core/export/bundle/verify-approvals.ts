// The checks of approvals.json (docs/bundle-format.md, "What verify checks" 3), shared by the verifier and by
// the writer, which refuses to write a bundle whose approvals would not verify.
import { TIER_LABELS, type ReleaseTier } from '../../../shared/criteria';
import { approvedMeaning, keyFingerprint, verifyCanonical } from '../../govern/signature';
import type { ApprovalsDocument } from './approvals-doc';

const tierName = (tier: ReleaseTier): string => TIER_LABELS[tier].toLowerCase();
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Every problem with the approvals, each one sentence (without the file name); empty when they open the gate. */
export function approvalProblems(doc: ApprovalsDocument): string[] {
  const { request, separation, policy } = doc;
  const problems: string[] = [];
  if (policy.tier !== request.tier) problems.push(`the policy is for the ${tierName(policy.tier)} tier, but the request is for ${tierName(request.tier)}`);
  // Usernames are compared without case, as the store compares them.
  const roles = new Map<string, string[]>();
  const addRole = (who: string, role: string): void => {
    const key = who.toLowerCase();
    roles.set(key, [...(roles.get(key) ?? []).filter((r) => r !== role), role]);
  };
  for (const who of separation.specAuthors) addRole(who, 'wrote the spec');
  for (const who of separation.runStartedBy) addRole(who, 'started the training');
  addRole(separation.requestedBy, 'requested the approval');

  const expectedMeaning = approvedMeaning(request.tier);
  const seenUsers = new Set<string>();
  const seenKeys = new Set<string>();
  let valid = 0;
  for (const a of doc.approvals) {
    const p = a.payload;
    const who = p.signer.printedName;
    const before = problems.length;
    const covers: [boolean, string][] = [
      [p.datasetSha256 === request.datasetSha256, 'this dataset'],
      [p.specHash === request.specHash, 'this spec'],
      [p.resultSha256 === request.resultSha256, 'this validation result'],
      [p.cardSha256 === request.cardSha256, 'this dataset card'],
    ];
    for (const [ok, what] of covers) if (!ok) problems.push(`the approval signed by ${who} does not cover ${what}`);
    if (p.tier !== request.tier) problems.push(`the approval signed by ${who} is for the ${tierName(p.tier)} tier, not the requested ${tierName(request.tier)} tier`);
    if (p.meaning !== expectedMeaning) problems.push(`the approval signed by ${who} means “${p.meaning}”, not “${expectedMeaning}”`);
    if (keyFingerprint(a.publicKey) !== a.keyFingerprint) problems.push(`the key fingerprint recorded for ${who} is not the fingerprint of their public key`);
    if (!verifyCanonical(a.publicKey, p, a.signature)) problems.push(`the signature of ${who} does not verify (the approval was changed after it was signed, or signed with another key)`);
    const user = p.signer.username.toLowerCase();
    const conflicts = roles.get(user);
    if (conflicts) problems.push(`${who} (${p.signer.username}) cannot approve this dataset because they ${conflicts.join(' and ')}`);
    if (seenUsers.has(user)) problems.push(`${who} (${p.signer.username}) signed more than once; each reviewer counts once`);
    else if (seenKeys.has(a.publicKey)) problems.push(`the approval signed by ${who} uses the same key as an earlier approval; distinct reviewers have distinct keys`);
    seenUsers.add(user);
    seenKeys.add(a.publicKey);
    if (problems.length === before) valid += 1;
  }
  if (valid < policy.requiredApprovals) {
    problems.push(`the ${tierName(request.tier)} tier needs ${plural(policy.requiredApprovals, 'approval')} from distinct reviewers, and this bundle has ${valid} valid`);
  }
  return problems;
}

const CARD_FIELDS = ['datasetSha256', 'specHash', 'resultSha256', 'tier'] as const;

/** Which of the request's hashes and tier the card's `identity` does not name (all of them if it has none). */
export function cardMismatches(card: unknown, request: ApprovalsDocument['request']): string[] {
  const identity = card !== null && typeof card === 'object' ? (card as Record<string, unknown>).identity : undefined;
  if (identity === null || typeof identity !== 'object') return [...CARD_FIELDS];
  return CARD_FIELDS.filter((f) => (identity as Record<string, unknown>)[f] !== request[f]);
}
