// An audit trail no insider can rewrite unseen: entries signed by their actor's key, checkpoints outside the database.
// Each attack is played by someone holding the database key (a user's own password) and file access to the workspace.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { hashEntry } from '../../electron/core/govern/audit';
import { CHECKPOINT_EVERY, CHECKPOINT_FILE } from '../../electron/core/govern/checkpoints';
import { keyFingerprint, privateKeyFromPkcs8, signCanonical } from '../../electron/core/govern/signature';
import { openUnderPassword, slotKey, type PasswordSealed } from '../../electron/core/store/keyslots';
import { openEncrypted, type Db } from '../../electron/core/store/database';
import { MIGRATIONS, migrate } from '../../electron/core/store/migrations';
import { unlockWorkspace } from '../../electron/core/store/workspace';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { loginOwn } from '../own-password';

const MALLORY = { username: 'mallory', displayName: 'Mallory', roles: ['reviewer' as const], password: 'reviewer password 1' };

async function workspaceWithUsers() {
  const path = tempDir();
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path, ...ADMIN });
  await svc.call('users:add', MALLORY);
  await svc.call('settings:update', { idleTimeoutMinutes: 20 });
  svc.end('logout');
  await svc.settled();
  await loginOwn(svc, path, 'mallory', MALLORY.password);
  svc.end('logout');
  await svc.settled();
  return { path, svc };
}

async function verifyAs(svc: AirlockService, path: string) {
  await svc.call('session:login', { path, username: ADMIN.username, password: ADMIN.password });
  const r = await svc.call('audit:verify', {});
  svc.end('logout');
  await svc.settled();
  return r;
}

// The insider's raw access: the database opened with the key their own password unwraps, triggers dropped.
async function asInsider<T>(path: string, f: (db: Db) => T | Promise<T>): Promise<T> {
  const { workspace } = await unlockWorkspace(path, 'mallory', MALLORY.password, { kdf: FAST_KDF });
  try {
    workspace.db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete');
    return await f(workspace.db);
  } finally {
    workspace.close();
  }
}

interface Row {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

// Rehashes every entry from `from` on, as a forger who knows the (keyless) hash rule would.
function rehashFrom(db: Db, from: number): void {
  const rows = db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(from) as Row[];
  let prev = (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(from - 1) as { hash: string }).hash;
  for (const r of rows) {
    const hash = hashEntry({ seq: r.seq, ts: r.ts, actor: r.actor, action: r.action, subject: r.subject, details: JSON.parse(r.details) as unknown, prevHash: prev });
    db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r.seq);
    prev = hash;
  }
}

describe('signed audit entries', () => {
  it('signs every entry of a session with its user’s key, and verifies them all', async () => {
    const { path, svc } = await workspaceWithUsers();
    const rows = await asInsider(path, (db) => db.prepare('SELECT seq, actor, action, signer, signature FROM audit_log ORDER BY seq').all() as { seq: number; actor: string; action: string; signer: string | null; signature: string | null }[]);
    const roles = rows.find((r) => r.action === 'settings.changed');
    expect(roles).toMatchObject({ actor: 'ada', signer: expect.stringMatching(/^[0-9a-f]{64}$/) as string, signature: expect.any(String) as string });
    // Only what happens before a login is unsigned.
    for (const r of rows.filter((x) => x.signature === null)) expect(['workspace.created', 'user.added', 'login.ok', 'signing_key.created', 'login.failed']).toContain(r.action);
    expect(await verifyAs(svc, path)).toMatchObject({ ok: true });
  });

  it('names an entry rewritten and rehashed by an insider: its signature no longer matches', async () => {
    const { path, svc } = await workspaceWithUsers();
    const seq = await asInsider(path, (db) => {
      const s = (db.prepare("SELECT seq FROM audit_log WHERE action = 'settings.changed'").get() as { seq: number }).seq;
      db.prepare('UPDATE audit_log SET details = ? WHERE seq = ?').run('{"from":15,"to":600}', s);
      rehashFrom(db, s);
      return s;
    });
    expect(await verifyAs(svc, path)).toMatchObject({ ok: false, brokenAt: seq, reason: 'its signature does not match its content' });
  });

  it('refuses an unsigned entry, and one the insider signed in another user’s name', async () => {
    const { path, svc } = await workspaceWithUsers();
    const forged = await asInsider(path, (db) => {
      const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      const ts = new Date().toISOString();
      const details = { from: ['reviewer'], to: ['admin', 'reviewer'] };
      const hash = hashEntry({ seq: last.seq + 1, ts, actor: 'ada', action: 'user.roles_changed', subject: 'mallory', details, prevHash: last.hash });
      db.prepare('INSERT INTO audit_log (seq, ts, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(last.seq + 1, ts, 'ada', 'user.roles_changed', 'mallory', JSON.stringify(details), last.hash, hash);
      return last.seq + 1;
    });
    const r = await verifyAs(svc, path);
    expect(r).toMatchObject({ ok: false, brokenAt: forged });
    expect(r.reason).toMatch(/^it is not signed/);
  });

  it('refuses an unsigned “first login” key for a user who was added after signatures began, or who already had one', async () => {
    const forge = (path: string, subject: string) =>
      asInsider(path, (db) => {
        const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
        const ts = new Date().toISOString();
        const pub = randomBytes(32).toString('base64');
        const details = { reason: 'first login', ed25519: pub, fingerprint: keyFingerprint(pub) };
        const hash = hashEntry({ seq: last.seq + 1, ts, actor: subject, action: 'signing_key.created', subject, details, prevHash: last.hash });
        db.prepare('INSERT INTO audit_log (seq, ts, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(last.seq + 1, ts, subject, 'signing_key.created', subject, JSON.stringify(details), last.hash, hash);
        return last.seq + 1;
      });
    for (const [subject, reason] of [['mallory', /added after signatures began/], [ADMIN.username, /added after signatures began|already had one/]] as const) {
      const { path, svc } = await workspaceWithUsers();
      const forged = await forge(path, subject);
      const r = await verifyAs(svc, path);
      expect(r).toMatchObject({ ok: false, brokenAt: forged });
      expect(r.reason).toMatch(reason);
    }
  });

  it('refuses an entry signed by a key the chain never introduced', async () => {
    const { path, svc } = await workspaceWithUsers();
    const seq = await asInsider(path, (db) => {
      const s = (db.prepare("SELECT seq FROM audit_log WHERE action = 'settings.changed'").get() as { seq: number }).seq;
      db.prepare('UPDATE audit_log SET signer = ? WHERE seq = ?').run(randomBytes(32).toString('hex'), s);
      return s;
    });
    expect(await verifyAs(svc, path)).toMatchObject({ ok: false, brokenAt: seq, reason: 'it is signed by a key the chain never introduced' });
  });
});

describe('replaced keys', () => {
  it('refuses an entry signed with a key an admin could know: the one wrapped under the temporary password, replaced at the first own password', async () => {
    const { path, svc } = await workspaceWithUsers();
    const seq = await asInsider(path, async (db) => {
      const retired = db.prepare("SELECT fingerprint, wrapped FROM signing_keys WHERE username = 'mallory' AND retired_reason = 'password chosen'").get() as { fingerprint: string; wrapped: string };
      const workspaceId = (db.prepare('SELECT workspace_id AS id FROM workspace_meta WHERE id = 1').get() as { id: string }).id;
      // The admin set that password, so the old key opens with it.
      const pkcs8 = await openUnderPassword(JSON.parse(retired.wrapped) as PasswordSealed, MALLORY.password, Buffer.from(`airlock-signing|${workspaceId}|${slotKey('mallory')}|${retired.fingerprint}`, 'utf8'));
      if (!pkcs8) throw new Error('the retired key did not open');
      const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      const ts = new Date().toISOString();
      const hash = hashEntry({ seq: last.seq + 1, ts, actor: 'mallory', action: 'approvals.signed', subject: 'request #1', details: {}, prevHash: last.hash });
      const signature = signCanonical(privateKeyFromPkcs8(pkcs8), { kind: 'airlock-audit-entry/1', hash });
      db.prepare('INSERT INTO audit_log (seq, ts, actor, action, subject, details, prev_hash, hash, signer, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(last.seq + 1, ts, 'mallory', 'approvals.signed', 'request #1', '{}', last.hash, hash, retired.fingerprint, signature);
      return last.seq + 1;
    });
    const r = await verifyAs(svc, path);
    expect(r).toMatchObject({ ok: false, brokenAt: seq });
    expect(r.reason).toMatch(/^it is signed with mallory’s key that entry #\d+ replaced$/);
  });
});

describe('checkpoints outside the database', () => {
  it('writes a signed checkpoint at every session end, and one every 100 entries', async () => {
    const { path, svc } = await workspaceWithUsers();
    const lines = () => readFileSync(join(path, CHECKPOINT_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; reason: string });
    expect(lines().length).toBeGreaterThanOrEqual(2);
    expect(new Set(lines().map((c) => c.reason))).toEqual(new Set(['session end']));
    await svc.call('session:login', { path, username: ADMIN.username, password: ADMIN.password });
    for (let i = 0; i < CHECKPOINT_EVERY + 5; i++) await svc.call('settings:update', { idleTimeoutMinutes: 10 + (i % 5) });
    expect(lines().filter((c) => c.reason === 'every 100 entries')).toHaveLength(1);
    svc.end('logout');
    await svc.settled();
  });

  it('names a truncated tail: the chain is shorter than a checkpoint saw', async () => {
    const { path, svc } = await workspaceWithUsers();
    await asInsider(path, (db) => {
      const head = (db.prepare('SELECT max(seq) AS n FROM audit_log').get() as { n: number }).n;
      // The last entries removed (mallory's own login among them), as if the WAL had lost its last commits.
      db.prepare('DELETE FROM audit_log WHERE seq > ?').run(head - 6);
    });
    const r = await verifyAs(svc, path);
    expect(r.ok).toBe(false);
    const [, ends, saw] = /^the chain ends at entry #(\d+), but a checkpoint of .* saw #(\d+)/.exec(r.reason ?? '') ?? [];
    expect(Number(ends)).toBeLessThan(Number(saw));
  });

  it('names an older copy of the whole database put back, even when the local checkpoints are rolled back too, from the archive folder', async () => {
    const { path, svc } = await workspaceWithUsers();
    const archive = tempDir();
    await svc.call('session:login', { path, username: ADMIN.username, password: ADMIN.password });
    await expect(svc.call('settings:setAuditAnchor', { folder: 'archive' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(svc.call('settings:setAuditAnchor', { folder: join(archive, 'not-mounted') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await svc.call('settings:setAuditAnchor', { folder: archive })).toEqual({ auditAnchorFolder: archive });
    // A first checkpoint is written there at once, so an unwritable share is refused, not found out later.
    expect(readdirSync(archive)).toHaveLength(1);
    expect((await svc.call('settings:get', {})).auditAnchorFolder).toBe(archive);
    svc.end('logout');
    await svc.settled();
    const files = ['airlock.db', 'airlock.keys.json', CHECKPOINT_FILE].filter((f) => existsSync(join(path, f)));
    const saved = tempDir();
    for (const f of files) copyFileSync(join(path, f), join(saved, f));
    // Later work, anchored locally and in the archive.
    await svc.call('session:login', { path, username: ADMIN.username, password: ADMIN.password });
    await svc.call('settings:update', { idleTimeoutMinutes: 30 });
    svc.end('logout');
    await svc.settled();
    expect(readFileSync(join(archive, readdirName(archive)), 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(2);
    // The whole folder put back as it was: database, key slots and local checkpoints.
    for (const f of files) copyFileSync(join(saved, f), join(path, f));
    const r = await verifyAs(svc, path);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/an older copy of the database was put back/);
  });

  it('says so when a checkpoint file was edited', async () => {
    const { path, svc } = await workspaceWithUsers();
    const file = join(path, CHECKPOINT_FILE);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"seq":(\d+)/, (_m, n: string) => `"seq":${Number(n) + 1}`));
    const r = await verifyAs(svc, path);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/not signed by a key of this chain|differs from what the checkpoint/);
  });
});

describe('migration 13', () => {
  it('adds signer and signature to the audit log; older entries stay valid unsigned', () => {
    const db = openEncrypted(join(tempDir(), 'm.db'), randomBytes(32), { create: true });
    migrate(db, MIGRATIONS.slice(0, 12));
    db.prepare("INSERT INTO audit_log (seq, ts, actor, action, subject, details, prev_hash, hash) VALUES (1, 't', 'ada', 'x', NULL, '{}', ?, ?)").run('0'.repeat(64), 'a'.repeat(64));
    migrate(db);
    const cols = (db.prepare("SELECT name FROM pragma_table_info('audit_log')").all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(expect.arrayContaining(['signer', 'signature']));
    expect(db.prepare('SELECT signer, signature FROM audit_log WHERE seq = 1').get()).toEqual({ signer: null, signature: null });
    // A signature needs its signer; a signer is a fingerprint.
    expect(() => db.prepare("INSERT INTO audit_log (seq, ts, actor, action, subject, details, prev_hash, hash, signature) VALUES (2, 't', 'ada', 'x', NULL, '{}', ?, ?, 'sig')").run('a'.repeat(64), 'b'.repeat(64))).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO audit_log (seq, ts, actor, action, subject, details, prev_hash, hash, signer) VALUES (2, 't', 'ada', 'x', NULL, '{}', ?, ?, 'short')").run('a'.repeat(64), 'b'.repeat(64))).toThrow(/CHECK/);
    db.close();
  });
});

function readdirName(dir: string): string {
  return readdirSync(dir)[0] ?? '';
}
