// Plain-text rendering of users and audit entries for the terminal.
import Table, { type TableConstructorOptions } from 'cli-table3';
import type { AuditEntryView, AuditVerifyResult, UserView } from '../shared/contract';

// Colour only on a terminal and never under NO_COLOR (https://no-color.org): piped output is for scripts.
export function colourWanted(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !('NO_COLOR' in env && env.NO_COLOR !== '');
}

/** A terminal table, in colour only where colour is wanted. */
export function table(options: TableConstructorOptions): Table.Table {
  return new Table(colourWanted() ? options : { ...options, style: { ...options.style, head: [], border: [] } });
}

export function usersTable(users: UserView[]): string {
  const t = table({ head: ['user', 'name', 'roles', 'status', 'last login'] });
  for (const u of users) t.push([u.username, u.displayName, u.roles.join(', '), u.lockedUntil ? `locked until ${u.lockedUntil}` : u.status, u.lastLoginAt ?? '—']);
  return t.toString();
}

export function auditTable(entries: AuditEntryView[]): string {
  const t = table({ head: ['#', 'time (UTC)', 'actor', 'action', 'subject', 'details'], wordWrap: true, colWidths: [6, 26, 12, 22, 16, 40] });
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
