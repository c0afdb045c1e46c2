// The one IPC contract: every channel `domain:verb`, its argument and result schemas, and who may call it.
// Main validates every call against this; the preload and the e2e bridge build `window.airlock` from it.
import { z } from 'zod';
import type { Channel } from './channels';
import {
  columnViewSchema,
  dicomTagSchema,
  holdoutSchema,
  importJobSchema,
  instanceSchema,
  renderResultSchema,
  studySummarySchema,
  tableDetailSchema,
  tableSummarySchema,
  windowRequestSchema,
  columnTypeSchema,
} from './ingest-schemas';
import { specSchema, specSummarySchema, specVersionSchema } from './spec-schema';
import { ruleSuggestionSchema } from './rules-schema';
import { datasetPreviewSchema, datasetSummarySchema, runSchema } from './train-schemas';
import { imageSpecSchema } from './image-spec-schema';
import { dateFormSchema } from './date-schema';
import { findingsSchema, memorisationPairsSchema, reportDocumentSchema, validationSchema } from './validation-schemas';
import {
  exportResultSchema,
  exportableDatasetSchema,
  gateAnswerSchema,
  policySchema,
  requestDetailSchema,
  requestViewSchema,
  sectionInputSchema,
  tierSchema,
  verificationSchema,
  REQUEST_STATUSES,
} from './approval-schemas';

export { CHANNELS, type Channel } from './channels';
export { ERROR_CODES, type Envelope, type ErrorCode, type WireError } from './errors';

export const ROLES = ['steward', 'reviewer', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const PASSWORD_MIN_LENGTH = 12;

// 'public': callable on the lock screen; 'session': any logged-in user; a role list: any one of them.
export type Access = 'public' | 'session' | readonly Role[];

const workspacePath = z.string().trim().min(1, 'Choose a folder for the workspace.').max(4096, 'That folder path is too long.');
export const usernameSchema = z
  .string()
  .trim()
  .min(2, 'User names have at least 2 characters.')
  .max(64, 'User names have at most 64 characters.')
  .regex(/^[A-Za-z0-9._-]+$/, 'User names use letters, digits, dot, dash and underscore only.');
export const displayNameSchema = z.string().trim().min(1, 'Enter the person’s full name.').max(120);
// Only length is checked here; the store checks it again, since the CLI does not come through IPC.
export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Passwords have at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(1024);
const anyPassword = z.string().min(1, 'Enter the password.').max(1024);
export const rolesSchema = z.array(roleSchema).min(1, 'Give the user at least one role.');
const empty = z.object({}).strict();

export const sessionInfoSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  workspacePath: z.string(),
  workspaceId: z.string(),
  idleTimeoutMinutes: z.number(),
  // The password was set by an admin: only session:changePassword (and logout) work until the user chooses their own.
  mustChangePassword: z.boolean(),
  // Source data: this session reads it ('active'), is a steward waiting for the sources key ('pending'), or has no part in it.
  sourcesAccess: z.enum(['active', 'pending', 'none']),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const userSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  status: z.enum(['active', 'disabled']),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  lockedUntil: z.string().nullable(),
  passwordTemporary: z.boolean(),
});
export type UserView = z.infer<typeof userSchema>;

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  ts: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  headHash: z.string().nullable(),
  brokenAt: z.number().int().nullable(),
  reason: z.string().nullable(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifySchema>;

const ok = z.object({ ok: z.literal(true) });

export interface ChannelSpec {
  access: Access;
  args: z.ZodType;
  result: z.ZodType;
  summary: string;
}

function channel<A extends z.ZodType, R extends z.ZodType>(access: Access, args: A, result: R, summary: string) {
  return { access, args, result, summary };
}

export const contract = {
  'app:info': channel('public', empty, z.object({ name: z.string(), version: z.string() }), 'App name and version.'),
  'workspace:probe': channel(
    'public',
    z.object({ path: workspacePath }),
    z.object({ state: z.enum(['workspace', 'empty-folder', 'missing', 'not-a-workspace']) }),
    'Tells the lock screen whether a folder holds a workspace.',
  ),
  'workspace:create': channel(
    'public',
    z.object({ path: workspacePath, username: usernameSchema, displayName: displayNameSchema, password: newPasswordSchema }),
    sessionInfoSchema,
    'Creates an encrypted workspace with its first admin, and logs that admin in.',
  ),
  'workspace:chooseFolder': channel(
    'public',
    empty,
    z.object({ path: z.string().nullable() }),
    'Native folder picker (main process only).',
  ),
  'session:login': channel(
    'public',
    z.object({ path: workspacePath, username: z.string().trim().min(1, 'Enter your user name.').max(64, 'User names have at most 64 characters.'), password: anyPassword }),
    sessionInfoSchema,
    'Unlocks the workspace with a user’s password.',
  ),
  'session:logout': channel('public', empty, ok, 'Locks the workspace.'),
  'session:status': channel(
    'public',
    empty,
    z.object({ session: sessionInfoSchema.nullable(), idleSecondsLeft: z.number().nullable(), idleLockedAfterMinutes: z.number().nullable() }),
    'The current session, if any, and how long until it idles out.',
  ),
  'session:touch': channel('session', empty, ok, 'Marks user activity, postponing the idle lock.'),
  'session:changePassword': channel(
    'session',
    z.object({ currentPassword: anyPassword, newPassword: newPasswordSchema }),
    ok,
    'Changes the logged-in user’s own password (rewraps their key slot).',
  ),
  'users:list': channel(['admin'], empty, z.array(userSchema), 'All users with roles and status.'),
  'users:add': channel(
    ['admin'],
    z.object({ username: usernameSchema, displayName: displayNameSchema, roles: rolesSchema, password: newPasswordSchema }),
    userSchema,
    'Adds a user with a temporary password and a key slot.',
  ),
  'users:disable': channel(['admin'], z.object({ username: usernameSchema }), userSchema, 'Disables a user and removes their key slot.'),
  'users:enable': channel(
    ['admin'],
    z.object({ username: usernameSchema, password: newPasswordSchema }),
    userSchema,
    'Re-enables a user with a new temporary password.',
  ),
  'users:resetPassword': channel(
    ['admin'],
    z.object({ username: usernameSchema, password: newPasswordSchema }),
    userSchema,
    'Sets a new temporary password (issues a new key slot).',
  ),
  'users:setRoles': channel(['admin'], z.object({ username: usernameSchema, roles: rolesSchema }), userSchema, 'Replaces a user’s roles.'),
  'audit:list': channel(
    'session',
    z.object({
      text: z.string().max(200).optional(),
      action: z.string().max(100).optional(),
      limit: z.number().int().min(1).max(5000).default(500),
    }),
    z.array(auditEntrySchema),
    'Audit entries, newest first, optionally filtered.',
  ),
  'audit:verify': channel('session', empty, auditVerifySchema, 'Walks the hash chain and names the first broken row.'),
  'settings:get': channel('session', empty, z.object({ idleTimeoutMinutes: z.number(), auditAnchorFolder: z.string().nullable() }), 'Workspace settings.'),
  'settings:update': channel(
    ['admin'],
    z.object({ idleTimeoutMinutes: z.number().int().min(1, 'At least 1 minute.').max(240, 'At most 240 minutes.') }),
    z.object({ idleTimeoutMinutes: z.number() }),
    'Changes workspace settings.',
  ),
  'settings:setAuditAnchor': channel(
    ['admin'],
    z.object({ folder: z.string().min(1).max(4096).nullable() }),
    z.object({ auditAnchorFolder: z.string().nullable() }),
    'Sets (or clears) the write-once folder that receives a copy of every signed audit checkpoint.',
  ),
  'ingest:chooseFiles': channel(
    ['steward'],
    z.object({ folders: z.boolean().default(false) }),
    z.object({ paths: z.array(z.string()) }),
    'Native file or folder picker for imports (main process only).',
  ),
  'ingest:start': channel(
    ['steward'],
    z.object({ paths: z.array(z.string().min(1).max(4096, 'That path is too long.')).min(1, 'Choose at least one file or folder.').max(10_000, 'Import at most 10,000 files and folders at once.'), holdout: holdoutSchema.optional() }),
    importJobSchema,
    'Starts importing files and folders (recursive) into the store; returns the job.',
  ),
  'ingest:status': channel(['steward'], z.object({ jobId: z.number().int() }), importJobSchema, 'Progress and per-file results of an import.'),
  'ingest:cancel': channel(['steward'], z.object({ jobId: z.number().int() }), importJobSchema, 'Cancels an import; the file being read is rolled back.'),
  'sources:list': channel(
    ['steward'],
    empty,
    z.object({ tables: z.array(tableSummarySchema), studies: z.array(studySummarySchema) }),
    'Imported tables and DICOM studies.',
  ),
  'sources:setDicomHoldout': channel(
    ['steward'],
    z.object({ fraction: z.number().min(0).max(0.5, 'Hold out at most 50% of the patients.'), seed: z.string().min(1).max(64) }),
    z.object({ fraction: z.number(), seed: z.string(), patients: z.number().int(), heldOut: z.number().int() }),
    'Redraws which DICOM patients are held out (per patient, from a seed).',
  ),
  'tables:get': channel(
    ['steward'],
    z.object({ tableId: z.number().int(), previewRows: z.number().int().min(0).max(500).default(50) }),
    tableDetailSchema,
    'A table’s columns, types, statistics, identifying flags and first rows.',
  ),
  'tables:setType': channel(
    ['steward'],
    z.object({ tableId: z.number().int(), column: z.number().int().min(0), type: columnTypeSchema }),
    columnViewSchema,
    'Overrides a column’s type after checking every value fits it.',
  ),
  'tables:setDate': channel(
    ['steward'],
    z.object({ tableId: z.number().int(), column: z.number().int().min(0), form: dateFormSchema.nullable() }),
    columnViewSchema,
    'Says whether a numeric column holds dates (and in which form: decimal years, years, days since an epoch), or not (null).',
  ),
  'tables:setHoldout': channel(
    ['steward'],
    z.object({ tableId: z.number().int(), holdout: holdoutSchema }),
    tableSummarySchema,
    'Re-draws the holdout split (fraction, seed, grouping column).',
  ),
  'dicom:instances': channel(['steward'], z.object({ seriesId: z.number().int() }), z.array(instanceSchema), 'A series’ instances in slice order.'),
  'dicom:tags': channel(
    ['steward'],
    z.object({ instanceId: z.number().int() }),
    z.object({ tags: z.array(dicomTagSchema), burnedIn: z.string().nullable() }),
    'An instance’s metadata with the identifying attributes flagged.',
  ),
  'dicom:render': channel(
    ['steward'],
    z.object({ instanceId: z.number().int(), frame: z.number().int().min(0).default(0), window: windowRequestSchema, maxSize: z.number().int().min(16).max(4096).optional() }),
    renderResultSchema,
    'Renders a frame with a window/level to PNG.',
  ),
  'dicom:thumbnail': channel(['steward'], z.object({ seriesId: z.number().int() }), renderResultSchema, 'A series thumbnail (its middle slice).'),
  'specs:list': channel(['steward', 'reviewer'], empty, z.array(specSummarySchema), 'All generation specs, newest first.'),
  'specs:get': channel(
    ['steward', 'reviewer'],
    z.object({ specId: z.number().int(), version: z.number().int().optional() }),
    z.object({ current: specVersionSchema, versions: z.array(specVersionSchema.omit({ spec: true })) }),
    'One spec version (the latest by default) and the list of its versions.',
  ),
  'specs:draft': channel(['steward'], z.object({ tableId: z.number().int() }), specSchema, 'A starting spec for a table, with identifying columns dropped.'),
  'specs:suggestRules': channel(['steward'], z.object({ tableId: z.number().int() }), z.array(ruleSuggestionSchema), 'Rules that hold in every training row of a table, strongest first, for the steward to accept or dismiss.'),
  'specs:save': channel(
    ['steward'],
    z.object({ specId: z.number().int().nullable(), spec: specSchema }),
    specVersionSchema,
    'Saves a new spec or a new version of one (frozen versions never change).',
  ),
  'specs:diff': channel(
    ['steward', 'reviewer'],
    z.object({ specId: z.number().int(), from: z.number().int(), to: z.number().int() }),
    z.array(z.object({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), from: z.unknown(), to: z.unknown() })),
    'What changed between two versions of a spec.',
  ),
  'runs:start': channel(
    ['steward'],
    z.object({ specId: z.number().int(), version: z.number().int().optional() }),
    runSchema,
    'Starts training a spec version (the latest by default) off the main thread; the version is frozen.',
  ),
  'runs:list': channel(['steward', 'reviewer'], empty, z.array(runSchema), 'All training runs, newest first.'),
  'runs:get': channel(['steward', 'reviewer'], z.object({ runId: z.number().int() }), runSchema, 'A run with its live progress and losses.'),
  'runs:cancel': channel(['steward'], z.object({ runId: z.number().int() }), runSchema, 'Cancels a running run; it can be resumed from its last checkpoint.'),
  'runs:resume': channel(['steward'], z.object({ runId: z.number().int() }), runSchema, 'Resumes a cancelled or interrupted run from its last checkpoint.'),
  'runs:sample': channel(
    ['steward'],
    z.object({ runId: z.number().int(), rows: z.number().int().min(1).max(10_000_000) }),
    datasetSummarySchema,
    'Samples a new dataset version from a finished run’s model.',
  ),
  'datasets:preview': channel(
    ['steward', 'reviewer'],
    z.object({ datasetId: z.number().int(), limit: z.number().int().min(0).max(1000).default(100), offset: z.number().int().min(0).default(0) }),
    datasetPreviewSchema,
    'A synthetic dataset’s header and a page of its rows (from `offset`).',
  ),
  'imagespecs:save': channel(
    ['steward'],
    z.object({ specId: z.number().int().nullable(), spec: imageSpecSchema }),
    z.object({ specId: z.number().int(), version: z.number().int(), hash: z.string(), frozen: z.boolean(), createdAt: z.string(), createdBy: z.string(), spec: imageSpecSchema }),
    'Saves a new image spec or a new version of one.',
  ),
  'imagespecs:list': channel(
    ['steward', 'reviewer'],
    empty,
    z.array(z.object({ specId: z.number().int(), name: z.string(), latestVersion: z.number().int(), generator: z.string(), seriesIds: z.array(z.number().int()), updatedAt: z.string() })),
    'Image generation specs, newest first.',
  ),
  'datasets:image': channel(
    ['steward', 'reviewer'],
    z.object({ datasetId: z.number().int(), index: z.number().int().min(0), window: windowRequestSchema, maxSize: z.number().int().min(16).max(4096).optional() }),
    renderResultSchema,
    'Renders one synthetic image of an image dataset, like a source image.',
  ),
  'validations:start': channel(
    ['steward'],
    z.object({ datasetId: z.number().int(), seed: z.string().trim().min(1).max(64).optional() }),
    validationSchema,
    'Validates a synthetic table or image dataset against its spec’s acceptance criteria, off the main thread; returns the running validation.',
  ),
  'validations:list': channel(['steward', 'reviewer'], z.object({ datasetId: z.number().int().optional() }), z.array(validationSchema), 'Validations, newest first, optionally of one dataset.'),
  'validations:get': channel(
    ['steward', 'reviewer'],
    z.object({ validationId: z.number().int() }),
    z.object({ validation: validationSchema, document: reportDocumentSchema.nullable(), findings: findingsSchema.nullable() }),
    'A validation with its progress and, when done, its report and in-app findings.',
  ),
  'validations:cancel': channel(['steward'], z.object({ validationId: z.number().int() }), validationSchema, 'Cancels a running validation.'),
  'validations:report': channel(
    ['steward', 'reviewer'],
    z.object({ validationId: z.number().int(), format: z.enum(['html', 'json']) }),
    z.object({ fileName: z.string(), mime: z.string(), content: z.string() }),
    'The report of a finished validation as a self-contained HTML page or JSON (aggregates only).',
  ),
  'validations:save': channel(
    ['steward', 'reviewer'],
    z.object({ validationId: z.number().int(), format: z.enum(['html', 'json', 'pdf']) }),
    z.object({ path: z.string().nullable() }),
    'Saves the report (aggregates only) where the user chooses, PDF through Chromium’s printing (desktop app only).',
  ),
  'validations:memorisationPairs': channel(
    ['steward', 'reviewer'],
    z.object({ validationId: z.number().int(), limit: z.number().int().min(1).max(50).default(12) }),
    memorisationPairsSchema,
    'The worst memorisation pairs of an image validation, real frame beside synthetic image (in-app only, never written out; audited).',
  ),
  'runs:lossChart': channel(['steward', 'reviewer'], z.object({ runId: z.number().int() }), z.object({ svg: z.string().nullable() }), 'A run’s losses per epoch as an SVG chart.'),
  'approvals:datasets': channel(['steward', 'reviewer', 'admin'], empty, z.array(exportableDatasetSchema), 'Synthetic datasets with their latest approval request and whether they are retired.'),
  'approvals:preview': channel(
    ['steward'],
    z.object({ datasetId: z.number().int(), validationId: z.number().int().optional(), sections: z.array(sectionInputSchema).max(20) }),
    z.object({ cardJson: z.string(), cardHtml: z.string() }),
    'The dataset card a request would freeze, built from lineage and the validation result, with the steward’s sections.',
  ),
  'approvals:request': channel(
    ['steward'],
    z.object({ datasetId: z.number().int(), validationId: z.number().int().optional(), sections: z.array(sectionInputSchema).max(20) }),
    requestViewSchema,
    'Requests approval of a validated dataset for its spec’s tier, freezing dataset, spec, result and card by their hashes.',
  ),
  'approvals:list': channel(['steward', 'reviewer', 'admin'], z.object({ status: z.enum(REQUEST_STATUSES).optional() }), z.array(requestViewSchema), 'Approval requests, newest first; whether the caller may sign each.'),
  'approvals:get': channel(['steward', 'reviewer', 'admin'], z.object({ requestId: z.number().int() }), requestDetailSchema, 'A request with its card, report and signatures.'),
  'approvals:sign': channel(
    ['reviewer'],
    z.object({
      requestId: z.number().int(),
      meaning: z.string().min(1, 'Choose what your signature means.').max(200),
      comment: z.string().trim().min(1, 'Write a comment: what you checked, or why you reject it.').max(4000),
      exception: z.string().trim().max(4000).optional(),
      password: anyPassword,
    }),
    requestDetailSchema,
    'Signs a request (Ed25519, password re-entered every time) with the chosen meaning and a comment.',
  ),
  'approvals:revoke': channel(
    ['reviewer', 'admin'],
    z.object({ signatureId: z.number().int(), reason: z.string().trim().min(1, 'Give the reason for revoking.').max(4000), password: anyPassword }),
    requestDetailSchema,
    'Revokes an approval (its signer or an admin), signed; a revoked approval no longer opens the export gate.',
  ),
  'approvals:policy': channel('session', empty, policySchema, 'How many distinct reviewers each release tier needs.'),
  'approvals:setPolicy': channel(['admin'], z.object({ tier: tierSchema, requiredApprovals: z.number().int().min(1).max(5) }), policySchema, 'Changes one tier’s approval policy (audited).'),
  'datasets:retire': channel(['steward', 'admin'], z.object({ datasetId: z.number().int(), reason: z.string().trim().min(1, 'Give the reason for retiring the dataset.').max(4000) }), gateAnswerSchema, 'Retires a dataset: it can no longer be approved or exported.'),
  'export:check': channel(['steward'], z.object({ datasetId: z.number().int() }), gateAnswerSchema, 'The export gate’s answer for a dataset, with every reason it refuses.'),
  'export:chooseFolder': channel(['steward'], empty, z.object({ path: z.string().nullable() }), 'The native folder picker for an export destination (desktop app only).'),
  'export:run': channel(
    ['steward'],
    z.object({ datasetId: z.number().int(), destination: z.string().trim().min(1, 'Choose a new or empty folder for the bundle.').max(4096, 'That folder path is too long.'), zip: z.boolean().default(false), csv: z.boolean().default(true), password: anyPassword }),
    exportResultSchema,
    'Exports an approved dataset as a signed, verifiable bundle (the gate is checked again, every signature verified).',
  ),
  'bundles:choose': channel('session', z.object({ zip: z.boolean() }), z.object({ path: z.string().nullable() }), 'The native picker for a bundle folder or zip (desktop app only).'),
  'bundles:verify': channel('session', z.object({ path: z.string().trim().min(1, 'Choose a bundle folder or zip.').max(4096, 'That path is too long.') }), verificationSchema, 'Checks a bundle offline: hashes, files, signatures, policy, coverage.'),
} as const satisfies { [C in Channel]: ChannelSpec };

// Whether a successful call changes what the workspace holds: each such call leaves an audit event naming its actor
// (test/security/ipc-table.test.ts checks it). Typed over every channel, so a new channel must be classified here.
export const MUTATES = {
  'app:info': false,
  'workspace:probe': false,
  'workspace:create': true,
  'workspace:chooseFolder': false,
  'session:login': true,
  'session:logout': true,
  'session:status': false,
  'session:touch': false,
  'session:changePassword': true,
  'users:list': false,
  'users:add': true,
  'users:disable': true,
  'users:enable': true,
  'users:resetPassword': true,
  'users:setRoles': true,
  'audit:list': false,
  'audit:verify': false,
  'settings:get': false,
  'settings:update': true,
  'settings:setAuditAnchor': true,
  'ingest:chooseFiles': false,
  'ingest:start': true,
  'ingest:status': false,
  'ingest:cancel': true,
  'sources:list': false,
  'sources:setDicomHoldout': true,
  'tables:get': false,
  'tables:setType': true,
  'tables:setDate': true,
  'tables:setHoldout': true,
  'dicom:instances': false,
  'dicom:tags': false,
  'dicom:render': false,
  'dicom:thumbnail': false,
  'specs:list': false,
  'specs:get': false,
  'specs:draft': false,
  'specs:suggestRules': false,
  'specs:save': true,
  'specs:diff': false,
  'runs:start': true,
  'runs:list': false,
  'runs:get': false,
  'runs:cancel': true,
  'runs:resume': true,
  'runs:sample': true,
  'datasets:preview': false,
  'imagespecs:save': true,
  'datasets:image': false,
  'imagespecs:list': false,
  'validations:start': true,
  'validations:list': false,
  'validations:get': false,
  'validations:cancel': true,
  'validations:report': false,
  'validations:save': true,
  'validations:memorisationPairs': false,
  'runs:lossChart': false,
  'approvals:datasets': false,
  'approvals:preview': false,
  'approvals:request': true,
  'approvals:list': false,
  'approvals:get': false,
  'approvals:sign': true,
  'approvals:revoke': true,
  'approvals:policy': false,
  'approvals:setPolicy': true,
  'datasets:retire': true,
  'export:check': false,
  'export:chooseFolder': false,
  'export:run': true,
  'bundles:choose': false,
  'bundles:verify': false,
} as const satisfies { [C in Channel]: boolean };

export type Contract = typeof contract;
export type ArgsOf<C extends Channel> = z.input<Contract[C]['args']>;
export type ResultOf<C extends Channel> = z.output<Contract[C]['result']>;
