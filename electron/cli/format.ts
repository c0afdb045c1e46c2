// Plain-text rendering of users and audit entries for the terminal.
import Table from 'cli-table3';
import type { AuditEntryView, AuditVerifyResult, UserView } from '../shared/contract';

export function usersTable(users: UserView[]): string {
  const t = new Table({ head: ['user', 'name', 'roles', 'status', 'last login'] });
  for (const u of users) t.push([u.username, u.displayName, u.roles.join(', '), u.lockedUntil ? `locked until ${u.lockedUntil}` : u.status, u.lastLoginAt ?? '—']);
  return t.toString();
}

export function auditTable(entries: AuditEntryView[]): string {
  const t = new Table({ head: ['#', 'time (UTC)', 'actor', 'action', 'subject', 'details'], wordWrap: true, colWidths: [6, 26, 12, 22, 16, 40] });
  for (const e of entries) {
    const details = Object.entries(e.details).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ');
    t.push([String(e.seq), e.ts, e.actor, e.action, e.subject ?? '', details]);
  }
  return t.toString();
}

export function verifyLine(r: AuditVerifyResult): string {
  return r.ok
    ? `Audit chain intact: ${r.checked} entries verified, head ${r.headHash ?? '(empty)'}`
    : `Audit chain BROKEN at entry #${r.brokenAt ?? '?'}: ${r.reason ?? ''} (${r.checked} entries before it verified)`;
}
