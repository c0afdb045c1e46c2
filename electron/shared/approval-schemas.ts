// What crosses IPC about sign-off and export: approval requests, signatures, the tier policy, the export
// gate's answer and a bundle's verification. Shared so the renderer, the CLI and the core agree.
import { z } from 'zod';
import { MAX_SECTION_BODY, MAX_SECTION_TITLE } from './limits';
import { RELEASE_TIERS } from './criteria';

export const tierSchema = z.enum(RELEASE_TIERS);
export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'retired'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const sectionInputSchema = z.object({ title: z.string().max(MAX_SECTION_TITLE), body: z.string().max(MAX_SECTION_BODY) });

export const signatureViewSchema = z.object({
  id: z.number().int(),
  requestId: z.number().int(),
  username: z.string(),
  printedName: z.string(),
  decision: z.enum(['approved', 'rejected']),
  meaning: z.string(),
  comment: z.string(),
  exception: z.string().nullable(),
  signedAt: z.string(),
  keyFingerprint: z.string(),
  revoked: z.object({ by: z.string(), printedName: z.string(), reason: z.string(), at: z.string() }).nullable(),
});
export type SignatureView = z.infer<typeof signatureViewSchema>;

export const requestViewSchema = z.object({
  id: z.number().int(),
  datasetId: z.number().int(),
  datasetVersion: z.number().int(),
  datasetKind: z.enum(['table', 'images']),
  runId: z.number().int(),
  specName: z.string(),
  validationId: z.number().int(),
  verdict: z.enum(['pass', 'fail']),
  tier: tierSchema,
  datasetSha256: z.string(),
  specHash: z.string(),
  resultSha256: z.string(),
  cardSha256: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  status: z.enum(REQUEST_STATUSES),
  requiredApprovals: z.number().int(),
  approvals: z.number().int(),
  /** Whether the caller may sign it now, and if not, why, in a sentence. */
  canSign: z.boolean(),
  cannotSignBecause: z.string().nullable(),
});
export type RequestView = z.infer<typeof requestViewSchema>;

export const requestDetailSchema = z.object({
  request: requestViewSchema,
  signatures: z.array(signatureViewSchema),
  /** The card as stored (canonical JSON text: its SHA-256 is cardSha256). */
  cardJson: z.string(),
  /** The card rendered with its signatures, and the validation report, as self-contained HTML. */
  cardHtml: z.string(),
  reportHtml: z.string(),
  /** The meanings this caller can sign on this request. */
  meanings: z.array(z.string()),
});
export type RequestDetail = z.infer<typeof requestDetailSchema>;

export const policySchema = z.record(tierSchema, z.number().int().min(1).max(5));
export type ApprovalPolicy = z.infer<typeof policySchema>;

export const gateAnswerSchema = z.object({
  datasetId: z.number().int(),
  allowed: z.boolean(),
  /** Every reason export is refused, each a sentence; empty when allowed. */
  reasons: z.array(z.string()),
  requestId: z.number().int().nullable(),
  tier: tierSchema.nullable(),
  approvals: z.array(signatureViewSchema),
  requiredApprovals: z.number().int().nullable(),
  retired: z.object({ by: z.string(), reason: z.string(), at: z.string() }).nullable(),
});
export type GateAnswer = z.infer<typeof gateAnswerSchema>;

export const exportResultSchema = z.object({
  bundleId: z.string(),
  dir: z.string(),
  zipPath: z.string().nullable(),
  manifestSha256: z.string(),
  files: z.array(z.object({ path: z.string(), sha256: z.string(), bytes: z.number().int() })),
});
export type ExportResult = z.infer<typeof exportResultSchema>;

export const verificationSchema = z.object({
  ok: z.boolean(),
  bundleId: z.string().nullable(),
  failures: z.array(z.object({ file: z.string(), message: z.string() })),
  checked: z.object({ files: z.number().int(), signatures: z.number().int() }),
  summary: z
    .object({
      datasetSha256: z.string(),
      tier: z.string(),
      requiredApprovals: z.number().int(),
      approvals: z.array(z.object({ printedName: z.string(), username: z.string(), meaning: z.string(), signedAt: z.string(), keyFingerprint: z.string() })),
      exporter: z.object({ printedName: z.string(), username: z.string(), keyFingerprint: z.string() }).nullable(),
    })
    .nullable(),
});
export type VerificationView = z.infer<typeof verificationSchema>;

export const exportableDatasetSchema = z.object({
  datasetId: z.number().int(),
  datasetVersion: z.number().int(),
  runId: z.number().int(),
  specName: z.string(),
  kind: z.enum(['table', 'images']),
  rows: z.number().int(),
  retired: z.boolean(),
  latestRequest: requestViewSchema.nullable(),
});
export type ExportableDataset = z.infer<typeof exportableDatasetSchema>;
