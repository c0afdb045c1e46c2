// Electronic signatures (21 CFR Part 11 §11.50/§11.70 as the model): Ed25519 over the canonical JSON (RFC 8785)
// of what is signed. Pure and workspace-free, so the export gate and the offline bundle verifier share it.
import canonicalize from 'canonicalize';
import { createHash, createPrivateKey, createPublicKey, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import { RELEASE_TIERS, TIER_LABELS, type ReleaseTier } from '../../shared/criteria';

export const APPROVAL_KIND = 'airlock-approval/1';
export const REVOCATION_KIND = 'airlock-revocation/1';
export const MANIFEST_KIND = 'airlock-manifest/1';

/** The meanings a reviewer can sign, as printed wherever the signature is shown. */
export const REJECTED_MEANING = 'Rejected';
export function approvedMeaning(tier: ReleaseTier): string {
  return `Approved for ${TIER_LABELS[tier].toLowerCase()}`;
}
export const MEANINGS: readonly string[] = [...RELEASE_TIERS.map(approvedMeaning), REJECTED_MEANING];

export interface Signer {
  username: string;
  printedName: string;
}

/** Exactly what a reviewer signs: the four frozen hashes, the tier, the meaning and who/when. */
export interface ApprovalPayload {
  kind: typeof APPROVAL_KIND;
  datasetSha256: string;
  specHash: string;
  resultSha256: string;
  cardSha256: string;
  tier: ReleaseTier;
  meaning: string;
  comment: string;
  /** The justified exception a reviewer records to approve a failed verdict; null otherwise. */
  exception: string | null;
  signer: Signer;
  /** UTC, ISO 8601 with milliseconds and Z. */
  signedAt: string;
}

export interface RevocationPayload {
  kind: typeof REVOCATION_KIND;
  /** SHA-256 (hex) of the revoked approval's signature bytes. */
  approvalSignatureSha256: string;
  reason: string;
  signer: Signer;
  signedAt: string;
}

export function canonicalBytes(value: unknown): Buffer {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('The value cannot be canonicalised (RFC 8785).');
  return Buffer.from(text, 'utf8');
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A raw 32-byte Ed25519 public key (base64) as a KeyObject; throws on anything else. */
export function publicKeyFromRaw(rawB64: string): KeyObject {
  const raw = Buffer.from(rawB64, 'base64');
  if (raw.length !== 32) throw new Error('An Ed25519 public key has 32 bytes.');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

export function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('Not an Ed25519 key.');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

/** The fingerprint shown beside a key: SHA-256 of its raw bytes, hex. */
export function keyFingerprint(rawB64: string): string {
  return sha256Hex(Buffer.from(rawB64, 'base64'));
}

export function privateKeyFromPkcs8(der: Buffer): KeyObject {
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

export function signCanonical(privateKey: KeyObject, value: unknown): string {
  return edSign(null, canonicalBytes(value), privateKey).toString('base64');
}

/** True only for a well-formed Ed25519 signature by this key over the canonical form of `value`. */
export function verifyCanonical(publicKeyB64: string, value: unknown, signatureB64: string): boolean {
  try {
    const signature = Buffer.from(signatureB64, 'base64');
    if (signature.length !== 64) return false;
    return edVerify(null, canonicalBytes(value), publicKeyFromRaw(publicKeyB64), signature);
  } catch {
    return false;
  }
}
