// `airlock verify`: checks a bundle offline with SHA-256 and Ed25519 alone, as docs/bundle-format.md lists
// ("What verify checks"). It never throws on a damaged bundle: every problem is one sentence naming the file.
import { basename } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { TIER_LABELS } from '../../../shared/criteria';
import { sha256Hex, verifyCanonical } from '../../govern/signature';
import { approvalsDocumentSchema, firstIssue, manifestDocumentSchema, type ApprovalsDocument, type ManifestDocument } from './approvals-doc';
import { bundleCheckpointProblems, CHECKPOINT_PATH } from './checkpoint';
import { protectCell } from './csv';
import { imagesSha256 } from './images';
import { unsafePathReason } from './paths';
import { failure, readBundle, type Failure } from './read-bundle';
import { approvalProblems, cardMismatches } from './verify-approvals';

export type { Failure } from './read-bundle';

export interface BundleSummary {
  datasetSha256: string;
  tier: string;
  approvals: { printedName: string; username: string; meaning: string; signedAt: string; keyFingerprint: string }[];
  requiredApprovals: number;
  /** Who exported it, with the fingerprint of the key that signed the manifest (null if unreadable). */
  exporter: { printedName: string; username: string; keyFingerprint: string } | null;
  /** The exporting workspace's audit chain as its checkpoint recorded it (null if unreadable). */
  checkpoint: { workspaceId: string; seq: number; headHash: string; ts: string } | null;
}

export interface BundleVerification {
  ok: boolean;
  bundleId: string | null;
  failures: Failure[];
  checked: { files: number; signatures: number };
  /** What the bundle says it is (from approvals.json), when that file could be read. */
  summary: BundleSummary | null;
}

export const JSONL = 'data/synthetic.jsonl';
export const CSV = 'data/synthetic.csv';
const IMAGE = /^data\/images\/(\d{4})\.dcm$/;

type Report = (file: string, sentence: string) => void;

function parseJson(bytes: Uint8Array | undefined): { ok: true; value: unknown } | { ok: false } {
  if (!bytes) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown };
  } catch {
    return { ok: false };
  }
}

function checkManifest(files: Map<string, Uint8Array>, report: Report, counts: { signatures: number }): ManifestDocument | null {
  const bytes = files.get('manifest.json');
  if (!bytes) return report('manifest.json', 'the bundle has no manifest, so none of its files can be checked'), null;
  const json = parseJson(bytes);
  if (!json.ok) return report('manifest.json', 'it is not valid JSON'), null;
  const raw = json.value as Record<string, unknown> | null;
  if (raw === null || typeof raw !== 'object' || raw.kind !== 'airlock-manifest/1' || raw.formatVersion !== 1) {
    return report('manifest.json', 'it is not an Airlock manifest of format 1 (kind “airlock-manifest/1”, formatVersion 1)'), null;
  }
  const parsed = manifestDocumentSchema.safeParse(raw);
  if (!parsed.success) return report('manifest.json', `it does not have the manifest's fields (${firstIssue(parsed.error)})`), null;
  const { signature, ...unsigned } = parsed.data;
  counts.signatures += 1;
  if (!verifyCanonical(parsed.data.exporter.publicKey, unsigned, signature)) {
    report('manifest.json', "the exporter's signature does not verify (the manifest was changed after export)");
  }
  return parsed.data;
}

function checkFiles(files: Map<string, Uint8Array>, manifest: ManifestDocument, report: Report, counts: { files: number }): Set<string> {
  const listed = new Set<string>();
  for (const f of manifest.files) {
    const reason = unsafePathReason(f.path);
    const name = JSON.stringify(f.path).slice(1, -1);
    if (reason) report(name, `the manifest lists this path, which is not safe (${reason})`);
    else if (f.path === 'manifest.json') report('manifest.json', 'it lists itself among the files, which it must not');
    else if (listed.has(f.path)) report(name, 'this file is listed twice in the manifest');
    else {
      listed.add(f.path);
      const bytes = files.get(f.path);
      if (!bytes) report(f.path, 'this file is listed in the manifest but is missing');
      else {
        counts.files += 1;
        if (bytes.length !== f.bytes) report(f.path, `its size (${bytes.length} bytes) is not the one in the manifest (${f.bytes}): the file was changed`);
        else if (sha256Hex(bytes) !== f.sha256) report(f.path, 'its SHA-256 is not the one in the manifest (the file was changed)');
      }
    }
  }
  for (const path of files.keys()) if (path !== 'manifest.json' && !listed.has(path)) report(path, 'this file is not listed in the manifest');
  return listed;
}

function checkApprovals(files: Map<string, Uint8Array>, report: Report, counts: { signatures: number }): ApprovalsDocument | null {
  const json = parseJson(files.get('approvals.json'));
  if (!files.has('approvals.json')) return report('approvals.json', 'the bundle has no approvals, so nothing says it may be released'), null;
  if (!json.ok) return report('approvals.json', 'it is not valid JSON'), null;
  const parsed = approvalsDocumentSchema.safeParse(json.value);
  if (!parsed.success) return report('approvals.json', `it is not an Airlock approvals document of format 1 (${firstIssue(parsed.error)})`), null;
  counts.signatures += parsed.data.approvals.length;
  for (const problem of approvalProblems(parsed.data)) report('approvals.json', problem);
  return parsed.data;
}

/** The JSONL table (header first) or null with the problem reported. */
function readJsonl(bytes: Uint8Array, report: Report): (string | null)[][] | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return report(JSONL, 'it is not UTF-8 text'), null;
  }
  const lines = text.split('\n');
  const out: (string | null)[][] = [];
  for (const [i, line] of lines.entries()) {
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      row = undefined;
    }
    const cells = Array.isArray(row) && row.every((c) => typeof c === 'string' || (c === null && i > 0));
    if (!cells) return report(JSONL, `line ${i + 1} is not a JSON array of ${i === 0 ? 'column names' : 'text cells or nulls'}`), null;
    out.push(row as (string | null)[]);
  }
  return out;
}

function checkCsv(bytes: Uint8Array, table: (string | null)[][], report: Report): void {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return report(CSV, 'it starts with a byte-order mark, which the format does not allow');
  let records: string[][];
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    records = parseCsv(text, { bom: false, relax_column_count: true, skip_empty_lines: false, record_delimiter: '\r\n' });
  } catch (err) {
    return report(CSV, `it is not valid UTF-8 RFC 4180 CSV (${err instanceof Error ? err.message : String(err)})`);
  }
  if (records.length !== table.length) return report(CSV, `it has ${records.length} records, but the JSONL has ${table.length} lines`);
  for (const [r, cells] of table.entries()) {
    const record = records[r] ?? [];
    const expected = cells.map((c) => (c === null ? '' : protectCell(c)));
    const bad = expected.length !== record.length ? -1 : expected.findIndex((c, i) => record[i] !== c);
    if (bad !== -1 || expected.length !== record.length) {
      const where = bad === -1 ? `has ${record.length} fields where the JSONL has ${expected.length}` : `field ${bad + 1} is not the JSONL cell after formula protection`;
      return report(CSV, `record ${r + 1}${r === 0 ? ' (the header)' : ''} ${where}`);
    }
  }
}

function checkAnchors(files: Map<string, Uint8Array>, manifest: ManifestDocument | null, approvals: ApprovalsDocument, missing: (p: string) => boolean, report: Report): void {
  const request = approvals.request;
  const need = (path: string, what: string): Uint8Array | null => {
    const bytes = files.get(path);
    if (!bytes && !missing(path)) report(path, `this file is missing: the bundle must hold ${what}`);
    return bytes ?? null;
  };
  if (manifest && manifest.dataset.sha256 !== request.datasetSha256) report('manifest.json', 'the dataset hash it names is not the approved dataset hash');
  const kind = manifest?.dataset.kind ?? (files.has(JSONL) ? 'table' : 'images');
  if (kind === 'table') {
    const jsonl = need(JSONL, 'the synthetic table as JSON Lines');
    if (jsonl) {
      if (sha256Hex(jsonl) !== request.datasetSha256) report(JSONL, 'its SHA-256 is not the approved dataset hash');
      const table = readJsonl(jsonl, report);
      if (table && manifest && manifest.dataset.rows !== table.length - 1) report('manifest.json', `it says the dataset has ${manifest.dataset.rows} rows, but ${JSONL} has ${table.length - 1}`);
      const csv = files.get(CSV);
      if (table && csv) checkCsv(csv, table, report);
    }
  } else {
    const names = [...files.keys()].filter((p) => IMAGE.test(p)).sort();
    if (names.length === 0) report('data/images', 'the bundle has no synthetic images');
    else if (names.some((n, i) => n !== `data/images/${String(i + 1).padStart(4, '0')}.dcm`)) report('data/images', `the images are not numbered 0001 to ${String(names.length).padStart(4, '0')} without gaps`);
    else {
      if (manifest && manifest.dataset.rows !== names.length) report('manifest.json', `it says the dataset has ${manifest.dataset.rows} images, but data/images has ${names.length}`);
      const unreadable = names.find((n) => {
        try {
          imagesSha256([files.get(n) ?? new Uint8Array()]);
          return false;
        } catch (err) {
          report(n, `its pixel data cannot be read (${err instanceof Error ? err.message : String(err)})`);
          return true;
        }
      });
      if (!unreadable && imagesSha256(names.map((n) => files.get(n) ?? new Uint8Array())) !== request.datasetSha256) {
        report('data/images', "the images' pixels do not hash to the approved dataset hash");
      }
    }
  }
  const spec = need('spec/spec.json', 'the spec');
  if (spec && sha256Hex(spec) !== request.specHash) report('spec/spec.json', 'its SHA-256 is not the approved spec hash');
  const card = need('card/card.json', 'the dataset card');
  if (card) {
    if (sha256Hex(card) !== request.cardSha256) report('card/card.json', 'its SHA-256 is not the approved card hash');
    const json = parseJson(card);
    const wrong = json.ok ? cardMismatches(json.value, request) : ['datasetSha256', 'specHash', 'resultSha256', 'tier'];
    if (wrong.length > 0) report('card/card.json', `its identity does not name the approved ${wrong.join(', ')}`);
  }
  const validation = need('report/validation.json', 'the validation report');
  if (validation) {
    const json = parseJson(validation);
    const named = json.ok && json.value !== null && typeof json.value === 'object' ? (json.value as Record<string, unknown>).resultSha256 : undefined;
    if (named !== request.resultSha256) report('report/validation.json', 'its resultSha256 is not the approved validation result hash');
  }
}

// The recipient compares these with the keys the hospital publishes: the bundle alone cannot vouch for its keys.
const fingerprintOf = (publicKey: string): string => sha256Hex(Buffer.from(publicKey, 'base64'));

/** Verifies the bundle folder or .zip at `path`. */
export function verifyBundle(path: string): BundleVerification {
  const failures: Failure[] = [];
  const report: Report = (file, sentence) => void failures.push(failure(file, sentence));
  const counts = { files: 0, signatures: 0 };
  let bundleId: string | null = null;
  let summary: BundleSummary | null = null;
  try {
    const tree = readBundle(path);
    failures.push(...tree.failures);
    if (tree.files.size === 0 && tree.failures.length > 0) return { ok: false, bundleId, failures, checked: counts, summary };
    const manifest = checkManifest(tree.files, report, counts);
    bundleId = manifest?.bundleId ?? null;
    const listed = manifest ? checkFiles(tree.files, manifest, report, counts) : new Set<string>();
    const approvals = checkApprovals(tree.files, report, counts);
    const anchor = bundleCheckpointProblems(tree.files.get(CHECKPOINT_PATH), manifest, approvals);
    if (anchor.checkpoint) counts.signatures += 1;
    // A missing checkpoint that the manifest lists is already reported as missing.
    if (tree.files.has(CHECKPOINT_PATH) || !listed.has(CHECKPOINT_PATH)) for (const p of anchor.problems) report(CHECKPOINT_PATH, p);
    if (approvals) {
      const { request, policy } = approvals;
      summary = {
        datasetSha256: request.datasetSha256,
        tier: request.tier,
        approvals: approvals.approvals.map(({ payload: p, publicKey }) => ({ printedName: p.signer.printedName, username: p.signer.username, meaning: p.meaning, signedAt: p.signedAt, keyFingerprint: fingerprintOf(publicKey) })),
        requiredApprovals: policy.requiredApprovals,
        exporter: manifest ? { printedName: manifest.exporter.printedName, username: manifest.exporter.username, keyFingerprint: fingerprintOf(manifest.exporter.publicKey) } : null,
        checkpoint: anchor.checkpoint ? { workspaceId: anchor.checkpoint.workspaceId, seq: anchor.checkpoint.seq, headHash: anchor.checkpoint.headHash, ts: anchor.checkpoint.ts } : null,
      };
      checkAnchors(tree.files, manifest, approvals, (p) => listed.has(p), report);
    }
  } catch (err) {
    // A bug or an unreadable disk, not a verdict on the bundle; said as a failure all the same.
    report(basename(path), `it could not be checked to the end (${err instanceof Error ? err.message : String(err)})`);
  }
  return { ok: failures.length === 0, bundleId, failures, checked: counts, summary };
}

/** The tier's name as printed ("model development"). */
export function tierText(tier: string): string {
  return tier in TIER_LABELS ? TIER_LABELS[tier as keyof typeof TIER_LABELS].toLowerCase() : tier;
}
