// Migration 9: temporary passwords an admin set.
// A password an admin set (new user, reset, re-enable) must be replaced by its owner at the next login. Existing
// users are flagged from the audit chain: when the last password event about them was done by someone else
// (user.added / user.password_reset / user.enabled by an admin, not user.password_changed by themselves), the
// password they hold is one an admin knows. The workspace creator added themselves, so theirs is never temporary.
import type { Migration } from '../migrations';

export const migration009: Migration = {
  version: 9,
  name: 'temporary passwords an admin set',
  up: (db) => {
    db.exec(`
      ALTER TABLE users ADD COLUMN password_temporary INTEGER NOT NULL DEFAULT 0 CHECK (password_temporary IN (0, 1));
      UPDATE users SET password_temporary = 1
       WHERE (SELECT a.actor FROM audit_log a
               WHERE a.subject = users.username COLLATE NOCASE
                 AND a.action IN ('user.added', 'user.password_reset', 'user.enabled', 'user.password_changed')
               ORDER BY a.seq DESC LIMIT 1) <> users.username COLLATE NOCASE;
    `);
  },
};
