// Tampering with a bundle: every change must fail in Airlock's verifier AND in the independent Python one, and
// each failure must name the file. Changes the manifest could hide (re-signed by the exporter) still fail on
// the reviewers' signatures or the anchors.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalsDocument, ManifestDocument } from '../../electron/core/export/bundle/approvals-doc';
import { verifyBundle } from '../../electron/core/export/bundle/verify';
import { writeBundle } from '../../electron/core/export/bundle/write';
import { sha256Hex, signCanonical } from '../../electron/core/govern/signature';
import { tempDir } from '../helpers';
import { ADA, imagesBuilt, person, pythonVerify, RITA, signApproval, tableBuilt } from './bundle-fixtures';

// The pristine bundles, written once; every case works on its own copy.
const root = mkdtempSync(join(tmpdir(), 'airlock-tamper-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const TABLE = join(root, 'table');
const IMAGES = join(root, 'images');
const OTHER = join(root, 'other');
let tableFiles: string[] = [];
let imageFiles: string[] = [];

beforeAll(async () => {
  tableFiles = [...writeBundle(TABLE, tableBuilt({ rows: 40 }).input, { zip: true }).files.map((f) => f.path), 'manifest.json'];
  imageFiles = [...writeBundle(IMAGES, (await imagesBuilt(8)).input).files.map((f) => f.path), 'manifest.json'];
  writeBundle(OTHER, tableBuilt({ rows: 40, seed: 'another spec' }).input);
});

function copy(of: string): string {
  const dir = join(tempDir(), 'bundle');
  cpSync(of, dir, { recursive: true });
  return dir;
}

/** Both verifiers fail, and each names `file` (Airlock on a failure's file, Python at the start of a line). */
function expectFailure(dir: string, file: string, message?: RegExp): string[] {
  const v = verifyBundle(dir);
  expect(v.ok).toBe(false);
  const messages = v.failures.map((f) => f.message);
  expect(v.failures.map((f) => f.file), messages.join('\n')).toContain(file);
  for (const f of v.failures) expect(f.message.startsWith(`${f.file}: `)).toBe(true);
  if (message) expect(messages.some((m) => message.test(m)), messages.join('\n')).toBe(true);
  const py = pythonVerify(dir);
  expect(py.status, py.out).toBe(1);
  expect(py.out.split('\n').some((l) => l.startsWith(`${file}: `)), py.out).toBe(true);
  return messages;
}

/** Rewrites one file and has the exporter's key re-sign the manifest, so only deeper checks can catch it. */
function rewriteAndResign(dir: string, path: string, change: (text: string) => string): void {
  const text = change(readFileSync(join(dir, path), 'utf8'));
  writeFileSync(join(dir, path), text);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ManifestDocument;
  const entry = manifest.files.find((f) => f.path === path)!;
  entry.sha256 = sha256Hex(text);
  entry.bytes = Buffer.byteLength(text);
  const { signature: _old, ...unsigned } = manifest;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...unsigned, signature: signCanonical(ADA.privateKey, unsigned) }, null, 2));
}

const editApprovals = (dir: string, change: (doc: ApprovalsDocument) => void): void =>
  rewriteAndResign(dir, 'approvals.json', (text) => {
    const doc = JSON.parse(text) as ApprovalsDocument;
    change(doc);
    return JSON.stringify(doc, null, 2);
  });

describe('one changed byte in any file fails, naming that file', () => {
  it('the pristine bundles verify', () => {
    for (const dir of [TABLE, `${TABLE}.zip`, IMAGES, OTHER]) {
      expect(verifyBundle(dir).failures).toEqual([]);
      expect(pythonVerify(dir).status).toBe(0);
    }
  });

  it('every file of a table bundle, manifest.json included', () => {
    expect(tableFiles).toHaveLength(11);
    for (const path of tableFiles) {
      const dir = copy(TABLE);
      const bytes = readFileSync(join(dir, path));
      const at = Math.floor(bytes.length / 2);
      bytes[at] = (bytes[at] ?? 0) ^ 0x01;
      writeFileSync(join(dir, path), bytes);
      expectFailure(dir, path);
    }
  });

  it('every file of an image bundle, DICOM and PNG alike', () => {
    for (const path of imageFiles.filter((p) => p.startsWith('data/'))) {
      const dir = copy(IMAGES);
      const bytes = readFileSync(join(dir, path));
      bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0x01;
      writeFileSync(join(dir, path), bytes);
      expectFailure(dir, path, /SHA-256 is not the one in the manifest/);
    }
  });

  it('a changed byte in the zip fails too', () => {
    const zip = join(tempDir(), 'bundle.zip');
    const entries = unzipSync(new Uint8Array(readFileSync(`${TABLE}.zip`)));
    const csv = entries['data/synthetic.csv']!;
    csv[100] = (csv[100] ?? 0) ^ 0x01;
    writeFileSync(zip, zipSync(entries));
    expect(verifyBundle(zip).failures.map((f) => f.message)).toContain('data/synthetic.csv: its SHA-256 is not the one in the manifest (the file was changed)');
    expect(pythonVerify(zip).status).toBe(1);
  });
});

describe('files dropped, added, swapped', () => {
  it('a dropped file', () => {
    const dir = copy(TABLE);
    unlinkSync(join(dir, 'data/synthetic.csv'));
    expectFailure(dir, 'data/synthetic.csv', /listed in the manifest but is missing/);
  });

  it('a dropped manifest', () => {
    const dir = copy(TABLE);
    unlinkSync(join(dir, 'manifest.json'));
    expectFailure(dir, 'manifest.json', /has no manifest/);
  });

  it('an added file', () => {
    const dir = copy(TABLE);
    writeFileSync(join(dir, 'extra.txt'), 'not from Airlock');
    expect(expectFailure(dir, 'extra.txt')).toEqual(['extra.txt: this file is not listed in the manifest']);
  });

  it('an added symlink', () => {
    const dir = copy(TABLE);
    symlinkSync('/etc/passwd', join(dir, 'data/passwd'));
    expectFailure(dir, 'data/passwd', /symbolic link/);
  });

  it('an added file with an unsafe path in the zip', () => {
    const zip = join(tempDir(), 'bundle.zip');
    const entries = unzipSync(new Uint8Array(readFileSync(`${TABLE}.zip`)));
    writeFileSync(zip, zipSync({ ...entries, '../evil.sh': new Uint8Array(Buffer.from('#!/bin/sh\n')) }));
    const v = verifyBundle(zip);
    expect(v.failures.map((f) => f.message)).toContain('../evil.sh: this path in the zip is not safe (it climbs out of the bundle with “..”)');
    expect(pythonVerify(zip).status).toBe(1);
  });

  it('approvals.json swapped from another bundle', () => {
    const dir = copy(TABLE);
    cpSync(join(OTHER, 'approvals.json'), join(dir, 'approvals.json'));
    expectFailure(dir, 'approvals.json', /SHA-256 is not the one in the manifest/);
  });

  it('approvals.json swapped from another bundle, with the manifest re-signed: the anchors still fail', () => {
    const dir = copy(TABLE);
    rewriteAndResign(dir, 'approvals.json', () => readFileSync(join(OTHER, 'approvals.json'), 'utf8'));
    // The other bundle holds the same rows from another spec: the spec, card and report no longer match.
    const messages = expectFailure(dir, 'spec/spec.json', /^spec\/spec\.json: its SHA-256 is not the approved spec hash$/);
    expect(messages).toContain('card/card.json: its SHA-256 is not the approved card hash');
    expect(messages).toContain('report/validation.json: its resultSha256 is not the approved validation result hash');
  });
});

describe('the manifest edited', () => {
  it('a file hash changed in the manifest breaks the exporter’s signature', () => {
    const dir = copy(TABLE);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ManifestDocument;
    manifest.files[0]!.sha256 = '0'.repeat(64);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const messages = expectFailure(dir, 'manifest.json', /exporter's signature does not verify/);
    expect(messages).toContain(`${manifest.files[0]!.path}: its SHA-256 is not the one in the manifest (the file was changed)`);
  });

  it('changed data with a re-signed manifest fails on the approved dataset hash', () => {
    const dir = copy(TABLE);
    rewriteAndResign(dir, 'data/synthetic.jsonl', (t) => t.replace('"f"', '"m"'));
    expectFailure(dir, 'data/synthetic.jsonl', /its SHA-256 is not the approved dataset hash/);
  });

  it('a CSV that no longer matches the JSONL, re-signed, fails cell for cell', () => {
    const dir = copy(TABLE);
    rewriteAndResign(dir, 'data/synthetic.csv', (t) => t.replace("'=SUM(A1)", '=SUM(A1)'));
    expectFailure(dir, 'data/synthetic.csv', /record 2 field 6 is not the JSONL cell after formula protection/);
  });
});

describe('the approvals', () => {
  it('a forged signature: the payload changed after signing', () => {
    const dir = copy(TABLE);
    editApprovals(dir, (doc) => void (doc.approvals[0]!.payload.comment = 'I never wrote this'));
    expect(expectFailure(dir, 'approvals.json')).toEqual([
      'approvals.json: the signature of Rita Reviewer does not verify (the approval was changed after it was signed, or signed with another key)',
      'approvals.json: the model development tier needs 1 approval from distinct reviewers, and this bundle has 0 valid',
    ]);
  });

  it('an approval replayed from another dataset', () => {
    const dir = copy(TABLE);
    const other = JSON.parse(readFileSync(join(OTHER, 'approvals.json'), 'utf8')) as ApprovalsDocument;
    editApprovals(dir, (doc) => void (doc.approvals = other.approvals));
    expectFailure(dir, 'approvals.json', /^approvals\.json: the approval signed by Rita Reviewer does not cover this spec$/);
  });

  it('too few distinct signers for the policy: the same reviewer twice', () => {
    const dir = copy(TABLE);
    editApprovals(dir, (doc) => {
      doc.policy.requiredApprovals = 2;
      doc.approvals.push(signApproval(RITA, doc.request, {}, '2026-11-22T10:30:00.000Z'));
    });
    const messages = expectFailure(dir, 'approvals.json', /Rita Reviewer \(rita\) signed more than once/);
    expect(messages).toContain('approvals.json: the model development tier needs 2 approvals from distinct reviewers, and this bundle has 1 valid');
  });

  it('a signer who is in separation (the spec’s author), even with a valid signature', () => {
    const dir = copy(TABLE);
    editApprovals(dir, (doc) => void doc.approvals.push(signApproval(person('ADA', 'Ada Steward'), doc.request)));
    expectFailure(dir, 'approvals.json', /Ada Steward \(ADA\) cannot approve this dataset because they wrote the spec and started the training and requested the approval/);
  });

  it('a key fingerprint that is not the key’s', () => {
    const dir = copy(TABLE);
    editApprovals(dir, (doc) => void (doc.approvals[0]!.keyFingerprint = sha256Hex('another key')));
    expectFailure(dir, 'approvals.json', /fingerprint recorded for Rita Reviewer/);
  });

  it('a rejection is not an approval', () => {
    const dir = copy(TABLE);
    editApprovals(dir, (doc) => void (doc.approvals = [signApproval(RITA, doc.request, { meaning: 'Rejected' })]));
    expectFailure(dir, 'approvals.json', /means “Rejected”, not “Approved for model development”/);
  });
});
