// The audit checkpoint every bundle carries (audit/checkpoint.json): verify refuses any change to it, even under a
// re-signed manifest, in Airlock's verifier and in the Python one; and `airlock audit verify --checkpoint BUNDLE`
// names a workspace chain cut back, or an older copy of the workspace put back, after the export.
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import type { ManifestDocument } from '../../electron/core/export/bundle/approvals-doc';
import { verifyBundle } from '../../electron/core/export/bundle/verify';
import { writeBundle } from '../../electron/core/export/bundle/write';
import { CHECKPOINT_FILE, signCheckpoint, type Checkpoint } from '../../electron/core/govern/checkpoints';
import { sha256Hex, signCanonical } from '../../electron/core/govern/signature';
import { unlockWorkspace } from '../../electron/core/store/workspace';
import { main } from '../../electron/cli/index';
import { FAST_KDF, tempDir } from '../helpers';
import { approval, exportableWorkspace, PASSWORDS, type Exportable } from '../security/crash-fixture';
import { ADA, person, pythonVerify, tableBuilt } from './bundle-fixtures';

const CP = 'audit/checkpoint.json';
// Folders that outlive one test (tempDir's are removed after each).
const kept: string[] = [];
const keep = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'airlock-cp-'));
  kept.push(d);
  return d;
};
afterAll(() => kept.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Rewrites one file and has the exporter re-sign the manifest, so only the file's own checks can catch it. */
function resign(dir: string, path: string, bytes: Buffer, change: (m: ManifestDocument) => void = () => {}): void {
  writeFileSync(join(dir, path), bytes);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ManifestDocument;
  const entry = manifest.files.find((f) => f.path === path)!;
  entry.sha256 = sha256Hex(bytes);
  entry.bytes = bytes.length;
  change(manifest);
  const { signature: _old, ...unsigned } = manifest;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...unsigned, signature: signCanonical(ADA.privateKey, unsigned) }, null, 2));
}

const copyOf = (dir: string): string => {
  const to = join(tempDir(), 'bundle');
  cpSync(dir, to, { recursive: true });
  return to;
};
const cpMessages = (dir: string): string[] => verifyBundle(dir).failures.filter((f) => f.file === CP).map((f) => f.message);

describe('the checkpoint in a bundle', () => {
  const pristine = join(keep(), 'bundle');
  beforeAll(() => void writeBundle(pristine, tableBuilt({ rows: 20 }).input));

  it('every single-byte flip is refused, even with the manifest re-signed by the exporter; Python agrees', () => {
    const bytes = readFileSync(join(pristine, CP));
    const manifest = readFileSync(join(pristine, 'manifest.json'));
    // One copy, put back after each flip (a copy per flip would cost more than the checks).
    const plain = copyOf(pristine);
    let python = 0;
    for (let at = 0; at < bytes.length; at++) {
      const flipped = Buffer.from(bytes);
      flipped[at] = (flipped[at] ?? 0) ^ 0x01;
      writeFileSync(join(plain, CP), flipped);
      expect(verifyBundle(plain).failures.map((f) => f.message)).toContain(`${CP}: its SHA-256 is not the one in the manifest (the file was changed)`);
      resign(plain, CP, flipped);
      const messages = cpMessages(plain);
      expect(messages.length, `byte ${at} of ${bytes.length} (${String.fromCharCode(bytes[at] ?? 0)})`).toBeGreaterThan(0);
      // The independent verifier, on every 41st position (each run starts a Python).
      if (at % 41 === 0) {
        const py = pythonVerify(plain);
        expect(py.status, py.out).toBe(1);
        expect(py.out.split('\n').some((l) => l.startsWith(`${CP}: `)), py.out).toBe(true);
        python++;
      }
      writeFileSync(join(plain, 'manifest.json'), manifest);
    }
    writeFileSync(join(plain, CP), bytes);
    expect(verifyBundle(plain).failures).toEqual([]);
    expect(python).toBeGreaterThanOrEqual(10);
  });

  it('is the exporter’s, for this bundle, at its export time, after its approvals', () => {
    const c = JSON.parse(readFileSync(join(pristine, CP), 'utf8')) as Checkpoint;
    const manifest = JSON.parse(readFileSync(join(pristine, 'manifest.json'), 'utf8')) as ManifestDocument;
    const { signature: _s, kind: _k, ...body } = c;
    const cases: [string, (dir: string) => void, RegExp][] = [
      ['signed by another key', (d) => resign(d, CP, json(signCheckpoint({ ...body, signer: sha256Hex('x') }, person('eve', 'Eve').privateKey))), /not signed with the exporter’s key/],
      ['of another bundle', (d) => resign(d, CP, json(signCheckpoint({ ...body, reason: 'bundle 00000000-0000-4000-8000-000000000000' }, ADA.privateKey))), /made for another bundle/],
      ['at another time', (d) => resign(d, CP, json(signCheckpoint({ ...body, ts: '2026-11-22T11:30:00.000Z' }, ADA.privateKey))), /is not the bundle’s export time/],
      [
        'older than the approvals (export time moved back too)',
        (d) => resign(d, CP, json(signCheckpoint({ ...body, ts: '2026-11-22T10:00:00.000Z' }, ADA.privateKey)), (m) => void (m.createdAt = '2026-11-22T10:00:00.000Z')),
        /before the approval request or an approval it should include/,
      ],
      ['missing from the bundle and the manifest', (d) => {
        unlinkSync(join(d, CP));
        const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as ManifestDocument;
        m.files = m.files.filter((f) => f.path !== CP);
        const { signature: _o, ...unsigned } = m;
        writeFileSync(join(d, 'manifest.json'), JSON.stringify({ ...unsigned, signature: signCanonical(ADA.privateKey, unsigned) }));
      }, /holds no checkpoint of the audit chain/],
    ];
    expect(manifest.createdAt).toBe(c.ts);
    for (const [what, change, message] of cases) {
      const dir = copyOf(pristine);
      change(dir);
      const messages = cpMessages(dir);
      expect(messages.some((m) => message.test(m)), `${what}: ${messages.join('\n')}`).toBe(true);
      const py = pythonVerify(dir);
      expect(py.status, `${what}: ${py.out}`).toBe(1);
      expect(py.out.split('\n').some((l) => l.startsWith(`${CP}: `)), py.out).toBe(true);
    }
  });
});

const json = (c: Checkpoint): Buffer => Buffer.from(`${JSON.stringify(c, null, 2)}\n`);

async function cli(args: string[], who: 'ada' | 'sam', ws: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  process.env.AIRLOCK_PASSWORD = PASSWORDS[who];
  process.exitCode = undefined;
  try {
    const code = await main(['-w', ws, '-u', who, ...args]);
    return { code, out, err };
  } finally {
    vi.restoreAllMocks();
    delete process.env.AIRLOCK_PASSWORD;
    process.exitCode = undefined;
  }
}

describe('airlock audit verify --checkpoint BUNDLE', () => {
  let fx: Exportable;
  let before = '';
  let bundle = '';
  let bundleId = '';
  let seq = 0;
  const svc = new AirlockService({ kdf: FAST_KDF });
  const as = async (who: 'sam' | 'rita') => {
    await svc.call('session:login', { path: fx.path, username: who, password: PASSWORDS[who] });
    return svc;
  };
  const out = async () => {
    svc.end('logout');
    await svc.settled();
  };

  beforeAll(async () => {
    fx = await exportableWorkspace(keep(), keep());
    const request = await (await as('sam')).call('approvals:request', { datasetId: fx.datasetId, sections: [] });
    await out();
    await (await as('rita')).call('approvals:sign', approval(fx.verdict, request.id, PASSWORDS.rita));
    await out();
    // The whole workspace folder as it was before the export: what an insider could put back later.
    before = join(keep(), 'before');
    cpSync(fx.path, before, { recursive: true });
    bundle = join(keep(), 'bundle');
    const exported = await (await as('sam')).call('export:run', { datasetId: fx.datasetId, destination: bundle, zip: true, password: PASSWORDS.sam });
    bundleId = exported.bundleId;
    await out();
  }, 120_000);
  afterAll(() => svc.end());

  it('the export put a checkpoint of the chain into the bundle and into the workspace’s checkpoint file', async () => {
    const v = verifyBundle(bundle);
    expect(v.failures).toEqual([]);
    expect(pythonVerify(`${bundle}.zip`).status).toBe(0);
    const c = JSON.parse(readFileSync(join(bundle, CP), 'utf8')) as Checkpoint;
    seq = c.seq;
    expect(c.reason).toBe(`bundle ${bundleId}`);
    expect(v.summary?.checkpoint).toMatchObject({ seq: c.seq, headHash: c.headHash });
    const local = readFileSync(join(fx.path, CHECKPOINT_FILE), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Checkpoint);
    expect(local).toContainEqual(c);
    const { workspace } = await unlockWorkspace(fx.path, 'ada', PASSWORDS.ada, { kdf: FAST_KDF });
    // The chain's head at export is the entry before the export's own, and the export is recorded right after it.
    expect(workspace.db.prepare('SELECT seq, hash, action FROM audit_log WHERE seq IN (?, ?) ORDER BY seq').all(c.seq, c.seq + 1)).toEqual([
      expect.objectContaining({ seq: c.seq, hash: c.headHash }),
      expect.objectContaining({ action: 'dataset.exported' }),
    ]);
    workspace.close();
    const ok = await cli(['audit', 'verify', '--checkpoint', bundle, '--checkpoint', `${bundle}.zip`], 'ada', fx.path);
    expect(ok, ok.err).toMatchObject({ code: 0, out: expect.stringContaining('Audit chain intact') });
  });

  it('names an older copy of the whole workspace put back, which its own checkpoints cannot see', async () => {
    const ws = join(tempDir(), 'restored');
    cpSync(before, ws, { recursive: true });
    const plain = await cli(['audit', 'verify'], 'ada', ws);
    expect(plain, plain.err).toMatchObject({ code: 0, out: expect.stringContaining('Audit chain intact') });
    const held = await cli(['audit', 'verify', '--checkpoint', `${bundle}.zip`], 'ada', ws);
    expect(held.code, held.err).toBe(3);
    expect(held.out).toContain(`the checkpoint in bundle ${bundleId}`);
    expect(held.out).toMatch(/an older copy of the database was put back/);
  });

  it('names a chain whose tail was cut (and the checkpoint file with it), from the bundle or its checkpoint.json', async () => {
    const ws = join(tempDir(), 'cut');
    cpSync(fx.path, ws, { recursive: true });
    const { workspace } = await unlockWorkspace(ws, 'ada', PASSWORDS.ada, { kdf: FAST_KDF });
    workspace.db.exec('DROP TRIGGER audit_log_no_delete');
    workspace.db.prepare('DELETE FROM audit_log WHERE seq > ?').run(seq - 4);
    workspace.close();
    rmSync(join(ws, CHECKPOINT_FILE));
    const plain = await cli(['audit', 'verify'], 'ada', ws);
    expect(plain, plain.err).toMatchObject({ code: 0 });
    const held = await cli(['audit', 'verify', '--checkpoint', bundle], 'ada', ws);
    expect(held.code, held.err).toBe(3);
    expect(held.out).toMatch(new RegExp(`the chain ends at entry #\\d+, but the checkpoint in bundle ${bundleId} \\(.*\\) saw #${seq}`));
    const file = await cli(['audit', 'verify', '--checkpoint', join(bundle, CP)], 'ada', ws);
    expect(file.code).toBe(3);
    expect(file.out).toContain(`the checkpoint in checkpoint file ${join(bundle, CP)}`);
  });

  it('refuses a bundle that does not verify, and one from another workspace, before asking for a password', async () => {
    const bad = copyOf(bundle);
    const bytes = readFileSync(join(bad, CP));
    bytes[10] = (bytes[10] ?? 0) ^ 0x01;
    writeFileSync(join(bad, CP), bytes);
    const refused = await cli(['audit', 'verify', '--checkpoint', bad], 'ada', fx.path);
    expect(refused).toMatchObject({ code: 1, err: expect.stringMatching(/does not verify, so its checkpoint cannot be trusted.*\[BUNDLE_INVALID\]/) });
    const other = join(tempDir(), 'other');
    writeBundle(other, tableBuilt({ rows: 5 }).input);
    const foreign = await cli(['audit', 'verify', '--checkpoint', other], 'ada', fx.path);
    expect(foreign).toMatchObject({ code: 1, err: expect.stringMatching(/is of another workspace .*\[INVALID_ARGUMENT\]/) });
  });
});
