// Turns what the export gate gathered into a bundle (docs/bundle-format.md). Everything is built and checked in
// memory first, so an inconsistent input is refused before a single file exists; a failure while writing
// takes away exactly what was written.
import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { AirlockError } from '../../errors';
import { canonicalBytes, MANIFEST_KIND, rawPublicKey, sha256Hex, signCanonical } from '../../govern/signature';
import type { Checkpoint } from '../../govern/checkpoints';
import { approvalsDocumentSchema, BUNDLE_FORMAT_VERSION, firstIssue, manifestDocumentSchema, type ApprovalsDocument, type ManifestDocument } from './approvals-doc';
import { bundleCheckpoint, CHECKPOINT_PATH, checkpointBytes, type ChainHead } from './checkpoint';
import { toCsv } from './csv';
import { imagesSha256 } from './images';
import { assertAbsent, assertSafeRelativePath, prepareDestination, removeMade, writeExclusive, type Made } from './paths';
import { approvalProblems, cardMismatches } from './verify-approvals';

export interface BundleInput {
  bundleId?: string;
  now: Date;
  app: { name: string; version: string };
  dataset: { id: number; version: number; kind: 'table' | 'images'; sha256: string; rows: number };
  table?: { header: string[]; rows: (string | null)[][] };
  images?: { dicom: Uint8Array[]; png: Uint8Array[] };
  /** Also write data/synthetic.csv (default true). */
  csv?: boolean;
  specContent: string;
  cardContent: string;
  cardHtml: string;
  cardPdf?: Uint8Array;
  report: { json: string; html: string };
  approvals: ApprovalsDocument;
  exporter: { username: string; printedName: string; privateKey: KeyObject };
  /** The workspace's audit chain at export: anchored by a checkpoint in the bundle, signed by the exporter. */
  chain: ChainHead;
}

export interface BundleWritten {
  bundleId: string;
  dir: string;
  zipPath: string | null;
  /** SHA-256 of manifest.json's bytes: the bundle's identity in the audit trail. */
  manifestSha256: string;
  files: { path: string; sha256: string; bytes: number }[];
  /** The checkpoint written into the bundle, for the workspace's own checkpoint files too. */
  checkpoint: Checkpoint;
}

const refuse = (sentence: string): AirlockError => new AirlockError('EXPORT_REFUSED', sentence);
const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The table as the bundle's JSONL: canonical header, then one canonical row per line, no trailing newline. */
export function tableJsonl(header: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  return [header, ...rows].map((r) => canonicalBytes(r).toString('utf8')).join('\n');
}

function jsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw refuse(`The ${what} is not valid JSON, so it cannot go into the bundle.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw refuse(`The ${what} is not a JSON object, so it cannot go into the bundle.`);
  return value as Record<string, unknown>;
}

function dataFiles(input: BundleInput): Map<string, Uint8Array> {
  const { dataset } = input;
  const files = new Map<string, Uint8Array>();
  if (dataset.kind === 'table') {
    if (!input.table || input.images) throw refuse('A table dataset is exported with its table and no images.');
    const { header, rows } = input.table;
    if (header.length === 0) throw refuse('The synthetic table has no columns, so there is nothing to export.');
    if (rows.length !== dataset.rows) throw refuse(`The dataset has ${dataset.rows} rows, but ${rows.length} were given to export.`);
    const jsonl = utf8(tableJsonl(header, rows));
    if (sha256Hex(jsonl) !== dataset.sha256) throw refuse('The synthetic rows to export do not hash to the dataset version’s recorded hash; the data changed, so nothing was exported.');
    files.set('data/synthetic.jsonl', jsonl);
    if (input.csv !== false) files.set('data/synthetic.csv', utf8(toCsv(header, rows)));
  } else {
    if (!input.images || input.table) throw refuse('An image dataset is exported with its images and no table.');
    const { dicom, png } = input.images;
    if (dicom.length === 0 || dicom.length !== dataset.rows || png.length !== dicom.length) {
      throw refuse(`The dataset has ${dataset.rows} images, but ${dicom.length} DICOM and ${png.length} PNG files were given to export.`);
    }
    let sha: string;
    try {
      sha = imagesSha256(dicom);
    } catch (err) {
      throw refuse(`A synthetic DICOM file to export cannot be read (${err instanceof Error ? err.message : String(err)}).`);
    }
    if (sha !== dataset.sha256) throw refuse('The synthetic images to export do not hash to the dataset version’s recorded hash; the images changed, so nothing was exported.');
    dicom.forEach((bytes, i) => files.set(`data/images/${String(i + 1).padStart(4, '0')}.dcm`, bytes));
    png.forEach((bytes, i) => files.set(`data/images/${String(i + 1).padStart(4, '0')}.png`, bytes));
  }
  return files;
}

/** Every file of the bundle but the manifest, checked against the approvals as verify will check them. */
function bundleFiles(input: BundleInput): Map<string, Uint8Array> {
  const parsed = approvalsDocumentSchema.safeParse(input.approvals);
  if (!parsed.success) throw refuse(`The approvals document is not in the bundle format (${firstIssue(parsed.error)}).`);
  const approvals = parsed.data;
  const { request } = approvals;
  const problems = approvalProblems(approvals);
  if (problems.length > 0) throw refuse(`The approvals would not verify: ${problems[0]}.`);
  if (input.dataset.sha256 !== request.datasetSha256) throw refuse('The dataset version to export is not the one that was approved.');
  if (sha256Hex(input.specContent) !== request.specHash) throw refuse('The spec to export is not the spec version that was approved.');
  jsonObject(input.specContent, 'spec');
  if (sha256Hex(input.cardContent) !== request.cardSha256) throw refuse('The dataset card to export is not the card that was approved.');
  const card = jsonObject(input.cardContent, 'dataset card');
  const wrong = cardMismatches(card, request);
  if (wrong.length > 0) throw refuse(`The dataset card’s identity does not name the approved ${wrong.join(', ')}.`);
  if (jsonObject(input.report.json, 'validation report').resultSha256 !== request.resultSha256) throw refuse('The validation report to export is not the report of the approved validation result.');

  const files = dataFiles(input);
  files.set('spec/spec.json', utf8(input.specContent));
  files.set('card/card.json', utf8(input.cardContent));
  files.set('card/card.html', utf8(input.cardHtml));
  if (input.cardPdf) files.set('card/card.pdf', input.cardPdf);
  files.set('report/validation.json', utf8(input.report.json));
  files.set('report/validation.html', utf8(input.report.html));
  files.set('approvals.json', utf8(`${JSON.stringify(approvals, null, 2)}\n`));
  for (const path of files.keys()) assertSafeRelativePath(path);
  return files;
}

function signedManifest(input: BundleInput, bundleId: string, files: Map<string, Uint8Array>): ManifestDocument {
  const key = input.exporter.privateKey;
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') throw refuse('The exporter’s signing key is not an Ed25519 private key.');
  const listed = [...files.entries()]
    .map(([path, bytes]) => ({ path, sha256: sha256Hex(bytes), bytes: bytes.length }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const unsigned = {
    kind: MANIFEST_KIND,
    formatVersion: BUNDLE_FORMAT_VERSION,
    bundleId,
    createdAt: input.now.toISOString(),
    app: { name: input.app.name, version: input.app.version },
    dataset: { id: input.dataset.id, version: input.dataset.version, kind: input.dataset.kind, sha256: input.dataset.sha256, rows: input.dataset.rows },
    files: listed,
    exporter: { username: input.exporter.username, printedName: input.exporter.printedName, publicKey: rawPublicKey(createPublicKey(key)) },
  };
  const manifest = manifestDocumentSchema.safeParse({ ...unsigned, signature: signCanonical(key, unsigned) });
  if (!manifest.success) throw refuse(`The bundle's manifest would not be valid (${firstIssue(manifest.error)}).`);
  return manifest.data;
}

/** Writes the bundle into `dest` (a new or empty folder) and, with `zip`, `<dest>.zip` beside it. */
export function writeBundle(dest: string, input: BundleInput, options: { zip?: boolean } = {}): BundleWritten {
  const bundleId = input.bundleId ?? randomUUID();
  if (!UUID_V4.test(bundleId)) throw refuse(`The bundle id “${bundleId}” is not a version 4 UUID.`);
  if (!Number.isFinite(input.now.getTime())) throw refuse('The export time is not a valid date.');
  // A zip records times from 1980 to 2099 only; a clock outside that is wrong, and is said before any file exists.
  const year = input.now.getFullYear();
  if (options.zip && (year < 1980 || year > 2099)) throw refuse(`The computer's clock says ${year}, which a zip file cannot record; set the clock, then export again.`);
  const files = bundleFiles(input);
  const checkpoint = bundleCheckpoint(input.chain, bundleId, input.now, input.exporter.privateKey);
  files.set(CHECKPOINT_PATH, checkpointBytes(checkpoint));
  const manifest = signedManifest(input, bundleId, files);
  const manifestBytes = utf8(`${JSON.stringify(manifest, null, 2)}\n`);
  const all = new Map([...files, ['manifest.json', manifestBytes] as const]);

  const { dir, created } = prepareDestination(dest);
  const made: Made[] = created ? [{ path: dir, folder: true }] : [];
  const zipPath = options.zip ? `${dir}.zip` : null;
  try {
    if (zipPath) assertAbsent(zipPath);
    for (const [path, bytes] of all) writeExclusive(dir, path, bytes, made);
    if (zipPath) {
      const mtime = input.now;
      const zipped = zipSync(Object.fromEntries([...all].map(([p, b]) => [p, [b, { mtime }] as const])), { level: 6 });
      writeFileSync(zipPath, zipped, { flag: 'wx', mode: 0o600 });
      made.push({ path: zipPath, folder: false });
    }
  } catch (err) {
    removeMade(made);
    if (err instanceof AirlockError) throw err;
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'permission was denied' : code === 'EEXIST' ? 'a file appeared there meanwhile' : err instanceof Error ? err.message : String(err);
    throw new AirlockError('FILE_UNWRITABLE', `The bundle could not be written to “${dir}” (${why}); nothing was left there.`, { cause: err });
  }
  return { bundleId, dir, zipPath, manifestSha256: sha256Hex(manifestBytes), files: manifest.files, checkpoint };
}
