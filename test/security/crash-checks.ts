// What crash-stress.test.ts checks after each kill, on the real workspace the child left behind.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { unzipSync } from 'fflate';
import { expect } from 'vitest';
import { verifyBundle } from '../../electron/core/export/bundle/verify';
import type { Db } from '../../electron/core/store/database';
import { KEYSLOT_FILE } from '../../electron/core/store/keyslots';
import { unlockWorkspace } from '../../electron/core/store/workspace';
import { FAST_KDF } from '../helpers';
import { PASSWORDS, type Kind, type Who } from './crash-people';

export interface Acked {
  tables: Map<string, number>;
  specs: Set<number>;
  runs: Map<number, number>;
  requests: Set<number>;
  /** Signature id → request id (rita's approvals). */
  signatures: Map<number, number>;
  rejections: Set<number>;
  /** Export destination → its bundle; `checked` once its bundle verified after a kill. */
  exports: Map<string, { bundleId: string; zip: boolean; checked: boolean }>;
  /** tmp's status as of the last acknowledged rekey. */
  tmp: 'active' | 'disabled';
  counts: Record<Kind, number>;
}

export type HalfExport = 'absent' | 'refused' | 'complete, recorded' | 'complete, not recorded';

const open = (path: string, who: Who) => unlockWorkspace(path, who, PASSWORDS[who], { kdf: FAST_KDF });

/** Integrity, foreign keys, every acknowledged import, spec, run and sign-off step; returns the exports recorded. */
export async function checkStore(path: string, acked: Acked, where: string, learn: (bundle: string) => void): Promise<Set<string>> {
  const { workspace } = await open(path, 'sam');
  try {
    const db = workspace.db;
    expect(db.pragma('integrity_check', { simple: true }), where).toBe('ok');
    expect(db.pragma('foreign_key_check'), where).toEqual([]);
    for (const [name, rows] of acked.tables) {
      const t = db.prepare("SELECT id, row_count FROM tables_ WHERE name = ? AND status = 'ready'").get(name) as { id: number; row_count: number } | undefined;
      expect(t, `acknowledged table ${name}, ${where}`).toBeDefined();
      expect(t?.row_count).toBe(rows);
    }
    // A ready table holds exactly the rows it says; nothing else is shown as ready.
    const mismatched = db.prepare("SELECT t.name FROM tables_ t WHERE t.status = 'ready' AND t.row_count <> (SELECT count(*) FROM table_rows r WHERE r.table_id = t.id)").all();
    expect(mismatched, where).toEqual([]);
    for (const id of acked.specs) expect(db.prepare('SELECT 1 FROM specs WHERE id = ?').get(id), `acknowledged spec ${id}, ${where}`).toBeDefined();
    for (const [runId, datasetId] of acked.runs) {
      expect(db.prepare('SELECT status FROM runs WHERE id = ?').get(runId), where).toEqual({ status: 'done' });
      expect(db.prepare('SELECT count(*) AS n FROM dataset_rows WHERE dataset_id = ?').get(datasetId), where).toEqual({ n: 100 });
    }
    return checkSignOff(db, acked, where, learn);
  } finally {
    workspace.close();
  }
}

/**
 * tmp's status is the last acknowledged one (either one if the kill cut a rekey short); after a kill in a rekey, the
 * store opens for every remaining user and refuses tmp while disabled.
 */
export async function checkUsers(path: string, acked: Acked, killedInRekey: boolean, where: string): Promise<void> {
  const { workspace } = await open(path, 'ada');
  const status = (workspace.db.prepare("SELECT status FROM users WHERE username = 'tmp'").get() as { status: string }).status;
  workspace.close();
  if (killedInRekey) acked.tmp = status === 'active' ? 'active' : 'disabled';
  expect(status, `tmp's status, ${where}`).toBe(acked.tmp);
  // The other users' slots change only in a rekey: after a kill elsewhere, sam's and ada's opening says enough.
  if (!killedInRekey) return;
  for (const who of ['rita', 'remy'] as const) (await open(path, who)).workspace.close();
  const tmp = open(path, 'tmp');
  if (acked.tmp === 'active') (await tmp).workspace.close();
  else await expect(tmp, `disabled tmp, ${where}`).rejects.toMatchObject({ code: expect.stringMatching(/^(INVALID_CREDENTIALS|ACCOUNT_LOCKED)$/) });
}

/** Whether the kill left a key change half done (its record still in the key-slot file) for the next login to settle. */
export function rekeyLeft(path: string): boolean {
  return (JSON.parse(readFileSync(join(path, KEYSLOT_FILE), 'utf8')) as { rekey?: unknown }).rekey !== undefined;
}

function files(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n), root) : [relative(root, join(dir, n))]));
}

// Whether the writer finished the folder: a manifest that parses, listing exactly the files there, at their sizes.
function folderComplete(dir: string): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: { path: string; bytes: number }[] };
    const there = files(dir).filter((p) => p !== 'manifest.json').sort();
    return there.join('\n') === m.files.map((f) => f.path).sort().join('\n') && m.files.every((f) => statSync(join(dir, f.path)).size === f.bytes);
  } catch {
    return false;
  }
}

function zipComplete(path: string): boolean {
  try {
    return 'manifest.json' in unzipSync(new Uint8Array(readFileSync(path)));
  } catch {
    return false;
  }
}

/** An export the kill cut short: its folder and zip each absent, or refused by verify unless the writer finished it. */
export function halfExport(recorded: ReadonlySet<string>, dest: string): HalfExport[] {
  return [dest, `${dest}.zip`].map((p) => {
    if (!existsSync(p)) return 'absent';
    const v = verifyBundle(p);
    const complete = p.endsWith('.zip') ? zipComplete(p) : folderComplete(p);
    expect(v.ok, `${p} ${complete ? 'was finished' : 'was cut short'}: ${v.failures.map((f) => f.message).join('; ')}`).toBe(complete);
    if (!v.ok) return 'refused';
    return recorded.has(v.bundleId ?? '') ? 'complete, recorded' : 'complete, not recorded';
  });
}

/**
 * Every acknowledged request, approval, rejection and export is in the store; every acknowledged bundle verifies
 * (each once, after the kill that followed it; `learn` gets it). Returns the bundle ids the store recorded.
 */
function checkSignOff(db: Db, acked: Acked, where: string, learn: (bundle: string) => void): Set<string> {
    for (const id of acked.requests) expect(db.prepare('SELECT 1 AS x FROM approval_requests WHERE id = ?').get(id), `request #${id}, ${where}`).toEqual({ x: 1 });
    for (const [sid, rid] of acked.signatures) {
      expect(db.prepare('SELECT request_id, signer, decision FROM approval_signatures WHERE id = ?').get(sid), `signature #${sid}, ${where}`).toEqual({ request_id: rid, signer: 'rita', decision: 'approved' });
    }
    for (const rid of acked.rejections) {
      expect(db.prepare("SELECT 1 AS x FROM approval_signatures WHERE request_id = ? AND signer = 'remy' AND decision = 'rejected'").get(rid), `rejection of #${rid}, ${where}`).toEqual({ x: 1 });
    }
    const recorded = new Set((db.prepare('SELECT bundle_id FROM exports').all() as { bundle_id: string }[]).map((r) => r.bundle_id));
    for (const [dir, e] of acked.exports) {
      expect(recorded.has(e.bundleId), `export ${e.bundleId} recorded, ${where}`).toBe(true);
      if (e.checked) continue;
      for (const p of [dir, ...(e.zip ? [`${dir}.zip`] : [])]) expect(verifyBundle(p).failures, `${p}, ${where}`).toEqual([]);
      learn(dir);
      e.checked = true;
    }
    return recorded;
}
