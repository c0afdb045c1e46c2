import { describe, expect, it } from 'vitest';
import { appendAudit, listAudit, verifyAudit } from '../../electron/core/govern/audit';
import { createWorkspace } from '../../electron/core/store/workspace';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';

async function openWs() {
  const { workspace } = await createWorkspace(tempDir(), ADMIN, { kdf: FAST_KDF });
  return workspace;
}

describe('the audit chain', () => {
  it('links every row to the one before and verifies', async () => {
    const ws = await openWs();
    for (let i = 0; i < 5; i++) appendAudit(ws.db, { actor: 'ada', action: 'test.event', subject: `s${i}`, details: { i } });
    const rows = listAudit(ws.db, { limit: 100 }).reverse();
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_r, i) => i + 1));
    rows.slice(1).forEach((r, i) => expect(r.prevHash).toBe(rows[i]?.hash));
    const result = verifyAudit(ws.db);
    expect(result).toMatchObject({ ok: true, checked: rows.length, brokenAt: null });
    expect(result.headHash).toBe(rows.at(-1)?.hash);
    ws.close();
  });

  it('names exactly the row edited behind the triggers’ back', async () => {
    const ws = await openWs();
    for (let i = 0; i < 6; i++) appendAudit(ws.db, { actor: 'ada', action: 'test.event', subject: `s${i}`, details: { i } });
    expect(() => ws.db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 5").run()).toThrow(/append-only/);
    ws.db.exec('DROP TRIGGER audit_log_no_update');
    ws.db.prepare("UPDATE audit_log SET details = ? WHERE seq = 5").run('{"i":99}');
    const result = verifyAudit(ws.db);
    expect(result).toMatchObject({ ok: false, brokenAt: 5 });
    expect(result.reason).toBe('it was changed after it was written');
    ws.close();
  });

  it('names a row whose hash was recomputed by the next row’s broken link', async () => {
    const ws = await openWs();
    for (let i = 0; i < 4; i++) appendAudit(ws.db, { actor: 'ada', action: 'test.event', details: { i } });
    ws.db.exec('DROP TRIGGER audit_log_no_update');
    ws.db.prepare("UPDATE audit_log SET hash = ? WHERE seq = 3").run('f'.repeat(64));
    expect(verifyAudit(ws.db)).toMatchObject({ ok: false, brokenAt: 3 });
    ws.close();
  });

  it('refuses details that look like secrets', async () => {
    const ws = await openWs();
    expect(() => appendAudit(ws.db, { actor: 'ada', action: 'x', details: { password: 'hunter2' } })).toThrow(/secrets/);
    ws.close();
  });

  it('filters by action and free text', async () => {
    const ws = await openWs();
    appendAudit(ws.db, { actor: 'ada', action: 'user.added', subject: 'rita' });
    appendAudit(ws.db, { actor: 'ada', action: 'settings.changed', subject: 'idleTimeoutMinutes' });
    expect(listAudit(ws.db, { action: 'settings.changed' }).map((r) => r.subject)).toEqual(['idleTimeoutMinutes']);
    expect(listAudit(ws.db, { text: 'rita' }).map((r) => r.action)).toEqual(['user.added']);
    ws.close();
  });
});
