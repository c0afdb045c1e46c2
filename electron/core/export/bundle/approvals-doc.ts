// The two JSON documents of an export bundle (docs/bundle-format.md): approvals.json and manifest.json. Strict
// schemas, so a key the format does not know is an error rather than something silently ignored.
import { z } from 'zod';
import { RELEASE_TIERS } from '../../../shared/criteria';
import { APPROVAL_KIND, MANIFEST_KIND, type ApprovalPayload } from '../../govern/signature';

export const APPROVALS_KIND = 'airlock-approvals/1';
export const BUNDLE_FORMAT_VERSION = 1;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256');
const utcIso = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, 'a UTC ISO 8601 time ending in Z');
const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');
const name = z.string().min(1);

const signerSchema = z.strictObject({ username: name, printedName: name });

export const approvalPayloadSchema: z.ZodType<ApprovalPayload> = z.strictObject({
  kind: z.literal(APPROVAL_KIND),
  datasetSha256: hex64,
  specHash: hex64,
  resultSha256: hex64,
  cardSha256: hex64,
  tier: z.enum(RELEASE_TIERS),
  meaning: name,
  comment: z.string(),
  exception: z.string().nullable(),
  signer: signerSchema,
  signedAt: utcIso,
});

export const signedApprovalSchema = z.strictObject({
  payload: approvalPayloadSchema,
  signature: base64,
  publicKey: base64,
  keyFingerprint: hex64,
});
export type SignedApproval = z.infer<typeof signedApprovalSchema>;

export const approvalsDocumentSchema = z.strictObject({
  kind: z.literal(APPROVALS_KIND),
  request: z.strictObject({
    id: z.number().int().positive(),
    datasetSha256: hex64,
    specHash: hex64,
    resultSha256: hex64,
    cardSha256: hex64,
    tier: z.enum(RELEASE_TIERS),
    requestedBy: name,
    requestedAt: utcIso,
  }),
  separation: z.strictObject({ specAuthors: z.array(name), runStartedBy: z.array(name), requestedBy: name }),
  policy: z.strictObject({ tier: z.enum(RELEASE_TIERS), requiredApprovals: z.number().int().min(1) }),
  approvals: z.array(signedApprovalSchema),
});
export type ApprovalsDocument = z.infer<typeof approvalsDocumentSchema>;

export const manifestFileSchema = z.strictObject({ path: z.string().min(1), sha256: hex64, bytes: z.number().int().nonnegative() });
export type ManifestFile = z.infer<typeof manifestFileSchema>;

export const manifestDocumentSchema = z.strictObject({
  kind: z.literal(MANIFEST_KIND),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  bundleId: z.uuid({ version: 'v4' }),
  createdAt: utcIso,
  app: z.strictObject({ name, version: name }),
  dataset: z.strictObject({
    id: z.number().int().positive(),
    version: z.number().int().positive(),
    kind: z.enum(['table', 'images']),
    sha256: hex64,
    rows: z.number().int().nonnegative(),
  }),
  files: z.array(manifestFileSchema),
  exporter: z.strictObject({ username: name, printedName: name, publicKey: base64 }),
  signature: base64,
});
export type ManifestDocument = z.infer<typeof manifestDocumentSchema>;

/** A zod error as one short clause: the first problem and where it is. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'it does not have the expected shape';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the top level';
  return `${where}: ${issue.message}`;
}
