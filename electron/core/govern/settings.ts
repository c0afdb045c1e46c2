// Workspace settings, stored as key/value rows; changes are audit events.
import type { Db } from '../store/database';
import { appendAudit } from './audit';

export interface Settings {
  idleTimeoutMinutes: number;
}

export function getSettings(db: Db): Settings {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'idleTimeoutMinutes'").get() as { value: string } | undefined;
  return { idleTimeoutMinutes: row ? Number(row.value) : 15 };
}

export function updateSettings(db: Db, actor: string, next: Settings, now: Date): Settings {
  const before = getSettings(db);
  db.transaction(() => {
    db.prepare("INSERT INTO settings (key, value) VALUES ('idleTimeoutMinutes', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(next.idleTimeoutMinutes));
    appendAudit(db, { actor, action: 'settings.changed', subject: 'idleTimeoutMinutes', details: { from: before.idleTimeoutMinutes, to: next.idleTimeoutMinutes } }, now);
  })();
  return getSettings(db);
}
