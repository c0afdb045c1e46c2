// Sign-off and the export gate on a real workspace: who may sign, what a signature covers, and every way the
// gate refuses (no request, rejection, too few reviewers, a new version, makers, revocation, retirement,
// forgery, replay), each with its reason. Then a real export whose bundle verifies.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../electron/core/export/bundle/verify';
import { insertDataset, insertImageDataset } from '../../electron/core/train/runs-repo';
import { writeSyntheticDicom } from '../../electron/core/export/dicom-writer';
import { META, phantom } from '../export/fixtures';
import type { AirlockService } from '../../electron/core/api/service';
import { ADMIN } from '../helpers';
import { PW, signOffWorkspace } from './approvals-setup';

type Setup = Awaited<ReturnType<typeof signOffWorkspace>>;
let s: Setup;
const out: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'airlock-bundle-'));
  out.push(d);
  return join(d, 'bundle');
};
const err = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a refusal');
};
let d1: number;
let d2: number;
let r1: number;
const exception = (verdict: string) => (verdict === 'fail' ? 'Reviewed the failing criteria with the data protection officer; acceptable for model development.' : undefined);
const approve = (svc: AirlockService, requestId: number, verdict: string, password = PW) =>
  svc.call('approvals:sign', { requestId, meaning: 'Approved for model development', comment: 'Checked card and report.', exception: exception(verdict), password });

beforeAll(async () => {
  s = await signOffWorkspace();
  d1 = s.run.datasets[0]!.id;
  await s.validate(d1);
  const sampled = await s.svc.call('runs:sample', { runId: s.run.id, rows: 200 });
  d2 = sampled.id;
  await s.validate(d2);
}, 240_000);
afterAll(() => {
  for (const d of [s.dir, ...out]) rmSync(d, { recursive: true, force: true });
});

describe('the export gate and sign-off', () => {
  it('refuses a dataset with no approval request, saying so', async () => {
    const svc = await s.as('tess');
    const gate = await svc.call('export:check', { datasetId: d1 });
    expect(gate.allowed).toBe(false);
    expect(gate.reasons.join(' ')).toMatch(/has no approval request/);
    expect(await err(svc.call('export:run', { datasetId: d1, destination: fresh(), password: PW }))).toMatchObject({ code: 'APPROVAL_REQUIRED' });
  });

  it('freezes the four hashes in a request, and nobody who made the dataset can sign it', async () => {
    const svc = await s.as('tess');
    const req = await svc.call('approvals:request', { datasetId: d1, sections: [{ title: 'Contact', body: 'Ward 4 data office.' }] });
    r1 = req.id;
    const v = (await svc.call('validations:list', { datasetId: d1 }))[0]!;
    expect(req).toMatchObject({ status: 'pending', requiredApprovals: 1, approvals: 0, tier: 'model-development', datasetSha256: v.datasetSha256, specHash: v.specHash, resultSha256: v.resultSha256 });
    expect(await err(svc.call('approvals:request', { datasetId: d1, sections: [] }))).toMatchObject({ code: 'CONFLICT' });
    for (const [who, why] of [['sam', /wrote the spec/], ['rex', /trained/], ['tess', /requested this approval/]] as const) {
      const me = await s.as(who);
      const view = (await me.call('approvals:list', {})).find((r) => r.id === r1)!;
      expect(view.canSign).toBe(false);
      expect(view.cannotSignBecause).toMatch(why);
      const e = await err(approve(me, r1, req.verdict));
      expect(e.code).toBe('SEPARATION_OF_DUTIES');
    }
    const admin = await s.as(ADMIN.username);
    expect(await err(approve(admin, r1, req.verdict))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('signs nothing on a wrong password or a meaning for another tier, and audits the failed attempt', async () => {
    const svc = await s.as('rita');
    const verdict = (await svc.call('approvals:get', { requestId: r1 })).request.verdict;
    expect(await err(approve(svc, r1, verdict, 'not the password at all'))).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await err(svc.call('approvals:sign', { requestId: r1, meaning: 'Approved for external sharing', comment: 'x', password: PW }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await svc.call('approvals:get', { requestId: r1 })).signatures).toHaveLength(0);
    const admin = await s.as(ADMIN.username);
    expect((await admin.call('audit:list', { action: 'signature.failed' })).some((e) => e.actor === 'rita')).toBe(true);
  });

  it('needs two distinct reviewers when the policy says two, then exports a bundle that verifies', async () => {
    let svc = await s.as('rita');
    const detail = await approve(svc, r1, (await svc.call('approvals:get', { requestId: r1 })).request.verdict);
    expect(detail.request.status).toBe('approved');
    expect(detail.signatures[0]).toMatchObject({ printedName: 'Rita Reviewer', meaning: 'Approved for model development', decision: 'approved' });
    expect(detail.cardHtml).toContain('Rita Reviewer');
    svc = await s.as(ADMIN.username);
    await svc.call('approvals:setPolicy', { tier: 'model-development', requiredApprovals: 2 });
    expect((await svc.call('audit:list', { action: 'policy.changed' }))[0]?.details).toMatchObject({ from: 1, to: 2 });
    svc = await s.as('tess');
    const gate = await svc.call('export:check', { datasetId: d1 });
    expect(gate.allowed).toBe(false);
    expect(gate.reasons.join(' ')).toMatch(/needs 2 distinct reviewers’ approval; request #\d+ has 1 that counts/);
    svc = await s.as('remy');
    await approve(svc, r1, detail.request.verdict);
    svc = await s.as('tess');
    expect((await svc.call('export:check', { datasetId: d1 })).allowed).toBe(true);
    // A destination that is not new or empty is refused, and nothing is recorded.
    const used = mkdtempSync(join(tmpdir(), 'airlock-used-'));
    out.push(used);
    writeFileSync(join(used, 'notes.txt'), 'mine');
    expect(await err(svc.call('export:run', { datasetId: d1, destination: used, password: PW }))).toMatchObject({ code: 'EXPORT_REFUSED' });
    expect(readdirSync(used)).toEqual(['notes.txt']);
    const dest = fresh();
    const exported = await svc.call('export:run', { datasetId: d1, destination: dest, zip: true, password: PW });
    const check = verifyBundle(exported.dir);
    expect(check.failures).toEqual([]);
    expect(check.ok).toBe(true);
    expect(check.summary?.approvals.map((a) => a.printedName).sort()).toEqual(['Remy Reviewer', 'Rita Reviewer']);
    expect(verifyBundle(exported.zipPath!).ok).toBe(true);
    // The fingerprints a recipient compares with the hospital's published keys are the store's recorded ones.
    const recorded = (await svc.call('approvals:get', { requestId: r1 })).signatures.map((x) => x.keyFingerprint).sort();
    expect(check.summary?.approvals.map((a) => a.keyFingerprint).sort()).toEqual(recorded);
    expect(check.summary?.exporter).toMatchObject({ username: 'tess', printedName: 'Tess Requester', keyFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const admin = await s.as(ADMIN.username);
    const event = (await admin.call('audit:list', { action: 'dataset.exported' }))[0];
    expect(event?.details).toMatchObject({ bundleId: exported.bundleId, manifestSha256: exported.manifestSha256 });
    expect((await admin.call('audit:verify', {})).ok).toBe(true);
  });

  it('closes the gate when an approval is revoked', async () => {
    const svc = await s.as('rita');
    const sig = (await svc.call('approvals:get', { requestId: r1 })).signatures.find((x) => x.username === 'rita')!;
    const after = await svc.call('approvals:revoke', { signatureId: sig.id, reason: 'The holdout was found to overlap.', password: PW });
    expect(after.request).toMatchObject({ status: 'pending', approvals: 1 });
    expect(after.signatures.find((x) => x.id === sig.id)?.revoked).toMatchObject({ by: 'rita', reason: 'The holdout was found to overlap.' });
    const tess = await s.as('tess');
    const gate = await tess.call('export:check', { datasetId: d1 });
    expect(gate.allowed).toBe(false);
    expect(gate.reasons.join(' ')).toMatch(/has 1 that counts/);
    expect(await err(tess.call('export:run', { datasetId: d1, destination: fresh(), password: PW }))).toMatchObject({ code: 'APPROVAL_REQUIRED' });
    const admin = await s.as(ADMIN.username);
    await admin.call('approvals:setPolicy', { tier: 'model-development', requiredApprovals: 1 });
  });

  it('ends a request with a rejection, and refuses a new version that was never approved', async () => {
    let svc = await s.as('tess');
    const req = await svc.call('approvals:request', { datasetId: d2, sections: [] });
    svc = await s.as('remy');
    const rejected = await svc.call('approvals:sign', { requestId: req.id, meaning: 'Rejected', comment: 'Too few rows for the intended model.', password: PW });
    expect(rejected.request.status).toBe('rejected');
    svc = await s.as('rita');
    expect(await err(approve(svc, req.id, rejected.request.verdict))).toMatchObject({ code: 'CONFLICT' });
    svc = await s.as('tess');
    const gate = await svc.call('export:check', { datasetId: d2 });
    expect(gate.reasons.join(' ')).toMatch(/Remy Reviewer rejected request #\d+ .*Too few rows/);
    const sampled = await svc.call('runs:sample', { runId: s.run.id, rows: 50 });
    expect((await svc.call('export:check', { datasetId: sampled.id })).reasons.join(' ')).toMatch(/has no approval request/);
  });

  it('refuses a forged signature and an approval replayed from another dataset', async () => {
    let svc = await s.as('tess');
    const req = await svc.call('approvals:request', { datasetId: d2, sections: [] });
    const db = svc.current!.ws.db;
    const remyOnD1 = db.prepare("SELECT * FROM approval_signatures WHERE request_id = ? AND signer = 'remy'").get(r1) as Record<string, unknown>;
    const insert = db.prepare('INSERT INTO approval_signatures (request_id, signer, key_id, decision, payload, signature, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    // Replay: remy's genuine signature over dataset 1, attached to the request for dataset 2.
    insert.run(req.id, 'remy', remyOnD1.key_id, 'approved', remyOnD1.payload, remyOnD1.signature, remyOnD1.signed_at);
    let gate = await svc.call('export:check', { datasetId: d2 });
    expect(gate.allowed).toBe(false);
    expect(gate.reasons.join(' ')).toMatch(/Remy Reviewer \(remy\) was made for another dataset, spec, result or card/);
    // Forgery: a payload for dataset 2 under a signature that was made over something else.
    const forgedPayload = JSON.stringify({ ...JSON.parse(remyOnD1.payload as string), datasetSha256: req.datasetSha256, resultSha256: req.resultSha256, cardSha256: req.cardSha256, signer: { username: 'rita', printedName: 'Rita Reviewer' } });
    const ritaKey = (db.prepare("SELECT id FROM signing_keys WHERE username = 'rita' AND retired_at IS NULL").get() as { id: number }).id;
    insert.run(req.id, 'rita', ritaKey, 'approved', forgedPayload, remyOnD1.signature, remyOnD1.signed_at);
    gate = await svc.call('export:check', { datasetId: d2 });
    expect(gate.reasons.join(' ')).toMatch(/Rita Reviewer \(rita\) does not verify against their recorded public key/);
    expect(await err(svc.call('export:run', { datasetId: d2, destination: fresh(), password: PW }))).toMatchObject({ code: 'APPROVAL_REQUIRED' });
    svc = await s.as('rita');
    expect((await svc.call('approvals:get', { requestId: req.id })).request.approvals).toBe(0);
  });

  it('needs a justified exception to approve a failed validation, prints it on the card, and refuses a retired dataset', async () => {
    let svc = await s.as('rex');
    const header = (await svc.call('datasets:preview', { datasetId: d1, limit: 1 })).header;
    const first = (await svc.call('datasets:preview', { datasetId: d1, limit: 1 })).preview[0]!;
    // Every row the same: no column keeps its distribution, so the validation fails.
    const bad = insertDataset(svc.current!.ws.db, s.run.id, header, Array.from({ length: 200 }, () => first), 'rex', new Date()).id;
    const v = await s.validate(bad);
    expect(v.verdict).toBe('fail');
    svc = await s.as('tess');
    const req = await svc.call('approvals:request', { datasetId: bad, sections: [] });
    svc = await s.as('rita');
    const plain = await err(svc.call('approvals:sign', { requestId: req.id, meaning: 'Approved for model development', comment: 'Fine.', password: PW }));
    expect(plain.message).toMatch(/justified exception/);
    const signed = await svc.call('approvals:sign', { requestId: req.id, meaning: 'Approved for model development', comment: 'Fine for a smoke test.', exception: 'Used only to test the pipeline, never to train a model.', password: PW });
    expect(signed.signatures[0]?.exception).toBe('Used only to test the pipeline, never to train a model.');
    expect(signed.cardHtml).toContain('Used only to test the pipeline, never to train a model.');
    svc = await s.as('tess');
    const retired = await svc.call('datasets:retire', { datasetId: bad, reason: 'Smoke test only.' });
    expect(retired.allowed).toBe(false);
    expect(retired.reasons[0]).toMatch(/was retired by tess .*Smoke test only/);
    expect(await err(svc.call('export:run', { datasetId: bad, destination: fresh(), password: PW }))).toMatchObject({ code: 'DATASET_RETIRED' });
    expect(await err(svc.call('approvals:request', { datasetId: bad, sections: [] }))).toMatchObject({ code: 'DATASET_RETIRED' });
  });
});

describe('image datasets beside tables', () => {
  it('are listed with their status, and nothing on the way parses an image spec as a table spec', async () => {
    const svc = await s.as('tess');
    const db = svc.current!.ws.db;
    const spec = Number(db.prepare("INSERT INTO specs (name, kind, table_id, created_at, created_by) VALUES ('MR brain DCGAN', 'image', NULL, 't', 'sam')").run().lastInsertRowid);
    db.prepare("INSERT INTO spec_versions (spec_id, version, content, hash, created_at, created_by) VALUES (?, 1, '{\"name\":\"MR brain DCGAN\"}', 'h', 't', 'sam')").run(spec);
    const run = Number(db.prepare("INSERT INTO runs (spec_id, spec_version, spec_hash, source_sha256, generator, seed, status, actor, hyperparameters, started_at) VALUES (?, 1, 'h', 's', 'dcgan', 1, 'done', 'rex', '{}', 't')").run(spec).lastInsertRowid);
    const images = [phantom(16, 8, 1)];
    const dataset = insertImageDataset(db, run, 16, images.map((i) => i.pixels as Uint8Array), writeSyntheticDicom(images, { ...META, runId: run }), 'rex', new Date()).id;
    const listed = (await svc.call('approvals:datasets', {})).find((d) => d.datasetId === dataset);
    expect(listed).toMatchObject({ kind: 'images', specName: 'MR brain DCGAN', latestRequest: null, retired: false });
    expect(await err(svc.call('approvals:request', { datasetId: dataset, sections: [] }))).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/has no finished validation/) });
    expect(await err(svc.call('specs:get', { specId: spec }))).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/is an image spec/) });
    expect((await svc.call('export:check', { datasetId: dataset })).reasons.join(' ')).toMatch(/has no approval request/);
  });
});

describe('signing keys', () => {
  it('records every public key in the audit chain, rewraps on a password change and replaces on a reset', async () => {
    let svc = await s.as(ADMIN.username);
    const db = () => svc.current!.ws.db;
    const created = await svc.call('audit:list', { action: 'signing_key.created' });
    const keys = db().prepare('SELECT username, public_key, fingerprint FROM signing_keys').all() as { username: string; public_key: string; fingerprint: string }[];
    // Six people, and a new pair for each who replaced an admin-set password with their own (the admin knew the old one).
    expect(keys.length).toBe(created.length);
    expect(new Set(keys.map((k) => k.username)).size).toBe(6);
    for (const k of keys) expect(created.some((e) => e.subject === k.username && e.details.ed25519 === k.public_key && e.details.fingerprint === k.fingerprint)).toBe(true);
    const fingerprint = (u: string) => (db().prepare('SELECT fingerprint FROM signing_keys WHERE username = ? AND retired_at IS NULL').get(u) as { fingerprint: string }).fingerprint;
    svc = await s.as('remy');
    const before = fingerprint('remy');
    await svc.call('session:changePassword', { currentPassword: PW, newPassword: 'a brand new passphrase' });
    expect(fingerprint('remy')).toBe(before);
    await svc.call('session:login', { path: s.dir, username: 'remy', password: 'a brand new passphrase' });
    svc = await s.as(ADMIN.username);
    await svc.call('users:resetPassword', { username: 'remy', password: PW });
    const after = fingerprint('remy');
    expect(after).not.toBe(before);
    expect((db().prepare('SELECT retired_reason FROM signing_keys WHERE fingerprint = ?').get(before) as { retired_reason: string }).retired_reason).toBe('password reset');
    // remy's approval of dataset 1 was made before the reset: it still verifies and still counts.
    svc = await s.as('tess');
    expect((await svc.call('export:check', { datasetId: d1 })).allowed).toBe(true);
  });

  it('counts wrong signing passwords like failed logins: five lock the account and end the session', async () => {
    const svc = await s.as('remy');
    const mine = (await svc.call('approvals:get', { requestId: r1 })).signatures.find((x) => x.username === 'remy')!;
    const revoke = (password: string) => svc.call('approvals:revoke', { signatureId: mine.id, reason: 'Testing the lockout.', password });
    for (let i = 1; i <= 4; i += 1) expect(await err(revoke(`wrong guess ${i}`))).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await err(revoke('wrong guess 5'))).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(svc.current).toBeNull();
    expect(await err(svc.call('session:login', { path: s.dir, username: 'remy', password: PW }))).toMatchObject({ code: 'ACCOUNT_LOCKED' });
  });
});
