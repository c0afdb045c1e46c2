// Export: the gate is asked again (every signature verified now), the exporter's password unlocks the key that
// signs the manifest, and the bundle is written from the store: synthetic data, spec, card, aggregate report,
// approvals. Nothing from the sources goes in. The export is an audit event naming the bundle and its manifest.
import type { ExportResult } from '../../shared/approval-schemas';
import { AirlockError } from '../errors';
import { signatureView, exportGate } from '../govern/gate';
import { datasetMakers } from '../govern/lineage';
import * as repo from '../govern/approvals-repo';
import { appendAudit } from '../govern/audit';
import { recordCheckpoint } from '../govern/audit-session';
import { renderCardHtml } from '../govern/card/html';
import { keyById } from '../govern/signing-keys';
import { unlockOrAudit } from '../govern/approvals';
import type { UserRow } from '../govern/users-repo';
import type { Workspace } from '../store/workspace';
import { getDatasetRow, getRunRow } from '../train/runs-repo';
import { APP_NAME, APP_VERSION } from '../version';
import { renderReportHtml, type ReportDocument } from '../validate/report/html';
import { getResultRow } from '../validate/validations-repo';
import type { Validations } from '../validate/validations';
import type { ApprovalsDocument } from './bundle/approvals-doc';
import { prepareDestination } from './bundle/paths';
import { writeBundle, type BundleInput } from './bundle/write';
import { bundleImages } from './bundle-images';

export interface ExportInput {
  datasetId: number;
  destination: string;
  zip: boolean;
  csv: boolean;
  password: string;
}

export interface ExportOptions {
  /** Prints the card's HTML to PDF (the desktop app: printToPDF; the CLI: Chromium); no PDF when absent. */
  renderPdf?: ((html: string) => Promise<Uint8Array>) | undefined;
}

function refuse(gate: ReturnType<typeof exportGate>): never {
  const code = gate.retired ? 'DATASET_RETIRED' : gate.requestId === null || gate.approvals.length < (gate.requiredApprovals ?? 1) ? 'APPROVAL_REQUIRED' : 'EXPORT_REFUSED';
  throw new AirlockError(code, `Dataset #${gate.datasetId} cannot be exported. ${gate.reasons.join(' ')}`);
}

export async function exportDataset(ws: Workspace, actor: UserRow, validations: Validations, input: ExportInput, options: ExportOptions = {}): Promise<ExportResult> {
  const first = exportGate(ws.db, input.datasetId);
  if (!first.allowed) refuse(first);
  prepareDestination(input.destination, { dryRun: true });
  const exporterKey = await unlockOrAudit(ws, actor, input.password, `dataset #${input.datasetId}`, { for: 'export' });
  // Asked again after the password: an approval may have been revoked while the key was being unlocked.
  const gate = exportGate(ws.db, input.datasetId);
  if (!gate.allowed || !gate.request || !gate.evaluation) refuse(gate);
  const req = gate.request;
  const dataset = getDatasetRow(ws.db, input.datasetId);
  const run = getRunRow(ws.db, dataset.run_id);
  const makers = datasetMakers(ws.db, dataset.id);
  const result = getResultRow(ws.db, req.validation_id);
  if (!result) throw new AirlockError('EXPORT_REFUSED', `Validation #${req.validation_id} has no stored result.`);
  const document = JSON.parse(result.document) as ReportDocument;
  const approvals: ApprovalsDocument = {
    kind: 'airlock-approvals/1',
    request: { id: req.id, datasetSha256: req.dataset_sha256, specHash: req.spec_hash, resultSha256: req.result_sha256, cardSha256: req.card_sha256, tier: req.tier, requestedBy: req.requested_by, requestedAt: req.requested_at },
    separation: { specAuthors: makers.specAuthors, runStartedBy: [...new Set([...makers.runStartedBy, makers.datasetCreatedBy])].sort(), requestedBy: req.requested_by.toLowerCase() },
    policy: { tier: req.tier, requiredApprovals: gate.evaluation.required },
    approvals: gate.evaluation.valid.map((s) => {
      const key = keyById(ws.db, s.key_id);
      if (!key) throw new AirlockError('EXPORT_REFUSED', `The key of signature #${s.id} is missing.`);
      return { payload: JSON.parse(s.payload) as ApprovalsDocument['approvals'][number]['payload'], signature: s.signature, publicKey: key.public_key, keyFingerprint: key.fingerprint };
    }),
  };
  const cardHtml = renderCardHtml(JSON.parse(req.card) as Parameters<typeof renderCardHtml>[0], gate.evaluation.valid.map((s) => signatureView(ws.db, s)), { requiredApprovals: gate.evaluation.required });
  const cardPdf = options.renderPdf ? await options.renderPdf(cardHtml) : undefined;
  const spec = ws.db.prepare('SELECT content FROM spec_versions WHERE spec_id = ? AND version = ?').get(req.spec_id, req.spec_version) as { content: string };
  const validation = validations.view(req.validation_id);
  const bundleInput: BundleInput = {
    now: ws.now(),
    app: { name: APP_NAME, version: APP_VERSION },
    dataset: { id: dataset.id, version: dataset.version, kind: dataset.kind, sha256: req.dataset_sha256, rows: dataset.row_count },
    csv: input.csv,
    specContent: spec.content,
    cardContent: req.card,
    cardHtml,
    ...(cardPdf ? { cardPdf } : {}),
    report: { json: `${JSON.stringify({ resultSha256: req.result_sha256, validation, report: document }, null, 2)}\n`, html: renderReportHtml(document) },
    approvals,
    exporter: { username: actor.username, printedName: actor.displayName, privateKey: exporterKey.key },
    chain: { workspaceId: ws.workspaceId, ...(ws.db.prepare('SELECT seq, hash AS headHash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; headHash: string }) },
  };
  if (dataset.kind === 'images') bundleInput.images = await bundleImages(ws.db, dataset.id, run);
  else {
    const rows = (ws.db.prepare('SELECT cells FROM dataset_rows WHERE dataset_id = ? ORDER BY row_idx').all(dataset.id) as { cells: string }[]).map((r) => JSON.parse(r.cells) as (string | null)[]);
    bundleInput.table = { header: JSON.parse(dataset.header) as string[], rows };
  }
  const written = writeBundle(input.destination, bundleInput, { zip: input.zip });
  ws.db.transaction(() => {
    repo.insertExport(ws.db, { bundle_id: written.bundleId, dataset_id: dataset.id, request_id: req.id, manifest_sha256: written.manifestSha256, path: written.dir, exported_by: actor.username, exported_at: ws.now().toISOString() });
    appendAudit(
      ws.db,
      { actor: actor.username, action: 'dataset.exported', subject: `dataset #${dataset.id}`, details: { bundleId: written.bundleId, manifestSha256: written.manifestSha256, requestId: req.id, tier: req.tier, approvals: approvals.approvals.length, files: written.files.length, path: written.dir, zip: written.zipPath } },
      ws.now(),
    );
  })();
  try {
    // The bundle's checkpoint also goes where the workspace keeps its own, so either one anchors the chain.
    recordCheckpoint(ws, written.checkpoint);
  } catch {
    // The bundle holds it already, and the session's end writes the next one: a full disk must not undo an export.
  }
  return written;
}
