// Workspace settings, stored as key/value rows; changes are audit events.
import type { Db } from '../store/database';
import { appendAudit } from './audit';

export interface Settings {
  idleTimeoutMinutes: number;
  auditAnchorFolder: string | null;
}

export function getSettings(db: Db): Settings {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'idleTimeoutMinutes'").get() as { value: string } | undefined;
  return { idleTimeoutMinutes: row ? Number(row.value) : 15, auditAnchorFolder: getAuditAnchorFolder(db) };
}

export function updateSettings(db: Db, actor: string, next: Pick<Settings, 'idleTimeoutMinutes'>, now: Date): Settings {
  const before = getSettings(db);
  db.transaction(() => {
    db.prepare("INSERT INTO settings (key, value) VALUES ('idleTimeoutMinutes', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(next.idleTimeoutMinutes));
    appendAudit(db, { actor, action: 'settings.changed', subject: 'idleTimeoutMinutes', details: { from: before.idleTimeoutMinutes, to: next.idleTimeoutMinutes } }, now);
  })();
  return getSettings(db);
}

/** The write-once folder (an archive share) that receives a copy of every audit checkpoint, if an admin set one. */
export function getAuditAnchorFolder(db: Db): string | null {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'auditAnchorFolder'").get() as { value: string } | undefined;
  return row && row.value !== '' ? row.value : null;
}

export function setAuditAnchorFolder(db: Db, actor: string, folder: string | null, now: Date): string | null {
  const before = getAuditAnchorFolder(db);
  db.transaction(() => {
    db.prepare("INSERT INTO settings (key, value) VALUES ('auditAnchorFolder', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(folder ?? '');
    appendAudit(db, { actor, action: 'settings.changed', subject: 'auditAnchorFolder', details: { from: before, to: folder } }, now);
  })();
  return getAuditAnchorFolder(db);
}
