// Real-looking inputs for the bundle writer: Ed25519 keys made here, approvals signed with signCanonical, 200
// rows of pbc.csv with the cells a spreadsheet would misread, and synthetic DICOM/PNG from the real writers.
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { parse } from 'csv-parse/sync';
import type { ReleaseTier } from '../../electron/shared/criteria';
import type { ApprovalsDocument, SignedApproval } from '../../electron/core/export/bundle/approvals-doc';
import type { BundleInput } from '../../electron/core/export/bundle/write';
import { writeSyntheticDicom } from '../../electron/core/export/dicom-writer';
import { writeSyntheticPng } from '../../electron/core/export/png-writer';
import { APPROVAL_KIND, approvedMeaning, keyFingerprint, rawPublicKey, sha256Hex, signCanonical, type ApprovalPayload } from '../../electron/core/govern/signature';
import { datasetHash } from '../../electron/core/train/runs-repo';
import { PYTHON } from '../imaging/pydicom';
import { META, phantom } from './fixtures';

export interface Person {
  username: string;
  printedName: string;
  privateKey: KeyObject;
  publicKey: string;
}

export function person(username: string, printedName: string): Person {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { username, printedName, privateKey, publicKey: rawPublicKey(publicKey) };
}

export const ADA = person('ada', 'Ada Steward');
export const RITA = person('rita', 'Rita Reviewer');
export const RAJ = person('raj', 'Raj Reviewer');

/** Cells a spreadsheet would evaluate or a CSV writer could get wrong, put into the first rows. */
export const TRICKY = ['=SUM(A1)', '+1', '-2', '@x', '\tx', 'a, "quoted"\nnext line', '', null, '\rcr', ' padded '] as const;

export function pbcTable(n = 200): { header: string[]; rows: (string | null)[][] } {
  const records = parse(readFileSync(join(process.cwd(), '../shared/data/pbc.csv'), 'utf8'), { bom: true });
  const [header, ...body] = records;
  const rows = body.slice(0, n).map((r) => r.map((c) => (c === 'NA' ? null : c)));
  TRICKY.forEach((cell, i) => {
    const row = rows[i];
    if (row) row[5] = cell;
  });
  return { header: header ?? [], rows };
}

interface Anchors {
  datasetSha256: string;
  specHash: string;
  resultSha256: string;
  cardSha256: string;
  tier: ReleaseTier;
}

export function signApproval(signer: Person, a: Anchors, change: Partial<ApprovalPayload> = {}, at = '2026-11-22T10:15:30.000Z'): SignedApproval {
  const payload: ApprovalPayload = {
    kind: APPROVAL_KIND,
    datasetSha256: a.datasetSha256,
    specHash: a.specHash,
    resultSha256: a.resultSha256,
    cardSha256: a.cardSha256,
    tier: a.tier,
    meaning: approvedMeaning(a.tier),
    comment: 'Fidelity and privacy criteria met; fine for this tier.',
    exception: null,
    signer: { username: signer.username, printedName: signer.printedName },
    signedAt: at,
    ...change,
  };
  return { payload, signature: signCanonical(signer.privateKey, payload), publicKey: signer.publicKey, keyFingerprint: keyFingerprint(signer.publicKey) };
}

/** The exporting workspace's audit head the fixtures' bundles record (no workspace stands behind it). */
export const CHAIN = { workspaceId: '6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c', seq: 42, headHash: sha256Hex('the head of a chain') };

export interface Built {
  input: BundleInput;
  anchors: Anchors;
}

function documents(datasetSha256: string, kind: 'table' | 'images', rows: number, tier: ReleaseTier, seed: string) {
  const specContent = canonicalize({ name: `pbc synthetic ${seed}`, version: 1, seed, generator: { kind: 'gaussian-copula' } }) ?? '';
  const specHash = sha256Hex(specContent);
  const resultSha256 = sha256Hex(`result of ${seed}`);
  const cardContent =
    canonicalize({
      kind: 'airlock-card/1',
      identity: { datasetId: 3, datasetVersion: 1, datasetKind: kind, datasetSha256, rows, specHash, resultSha256, tier, verdict: 'pass' },
      sections: { motivation: { purpose: 'Prototype a survival model without patient data.' } },
    }) ?? '';
  const anchors: Anchors = { datasetSha256, specHash, resultSha256, cardSha256: sha256Hex(cardContent), tier };
  return { specContent, cardContent, anchors };
}

function base(kind: 'table' | 'images', datasetSha256: string, rows: number, tier: ReleaseTier, signers: Person[], seed: string): Built {
  const { specContent, cardContent, anchors } = documents(datasetSha256, kind, rows, tier, seed);
  const approvals: ApprovalsDocument = {
    kind: 'airlock-approvals/1',
    request: { id: 1, ...anchors, requestedBy: 'ada', requestedAt: '2026-11-22T09:45:00.000Z' },
    separation: { specAuthors: ['ada'], runStartedBy: ['ada'], requestedBy: 'ada' },
    policy: { tier, requiredApprovals: tier === 'external-sharing' ? 2 : 1 },
    approvals: signers.map((s, i) => signApproval(s, anchors, {}, `2026-11-22T10:1${i}:30.000Z`)),
  };
  const input: BundleInput = {
    now: new Date('2026-11-22T11:00:00.000Z'),
    app: { name: 'Airlock', version: '0.1.0' },
    dataset: { id: 3, version: 1, kind, sha256: datasetSha256, rows },
    specContent,
    cardContent,
    cardHtml: '<!doctype html><title>Dataset card</title><p>Approved for model development by Rita Reviewer, 2026-11-22 10:10:30 UTC</p>',
    cardPdf: new Uint8Array(Buffer.from('%PDF-1.4\n% a stand-in card PDF\n%%EOF\n')),
    report: { json: `${JSON.stringify({ resultSha256: anchors.resultSha256, verdict: 'pass', criteria: [] }, null, 2)}\n`, html: '<!doctype html><title>Validation report</title>' },
    approvals,
    exporter: { username: ADA.username, printedName: ADA.printedName, privateKey: ADA.privateKey },
    chain: CHAIN,
  };
  return { input, anchors };
}

/** A table bundle input whose hash is the store's datasetHash of the rows. */
export function tableBuilt(options: { tier?: ReleaseTier; signers?: Person[]; seed?: string; rows?: number } = {}): Built {
  const table = pbcTable(options.rows);
  const tier = options.tier ?? 'model-development';
  const built = base('table', datasetHash(table.header, table.rows), table.rows.length, tier, options.signers ?? [RITA], options.seed ?? 'seed-1');
  built.input.table = table;
  return built;
}

/** An image bundle input: 3 phantoms through the real writers; the hash is over the pixel buffers, as the store's. */
export async function imagesBuilt(bits: 8 | 16 = 8): Promise<Built> {
  const pictures = [1, 2, 3].map((seed) => phantom(bits === 8 ? 33 : 16, bits, seed));
  const hash = createHash('sha256');
  for (const p of pictures) hash.update(p.pixels);
  const built = base('images', hash.digest('hex'), pictures.length, 'model-development', [RITA], `images-${bits}`);
  built.input.images = { dicom: writeSyntheticDicom(pictures, META), png: await writeSyntheticPng(pictures, META) };
  return built;
}

/** The independent Python verifier: its exit status and what it printed. */
export function pythonVerify(path: string): { status: number | null; out: string } {
  const r = spawnSync(PYTHON, [join(process.cwd(), 'test/export/verify_bundle.py'), path], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
