const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const dateTimeShort = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function parse(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDateTime(iso: string): string {
  const d = parse(iso);
  return d ? dateTime.format(d) : iso;
}

export function formatDateTimeShort(iso: string): string {
  const d = parse(iso);
  return d ? dateTimeShort.format(d) : iso;
}

// Today's times need no date; other days do.
export function formatTime(iso: string): string {
  const d = parse(iso);
  if (!d) return iso;
  return d.toDateString() === new Date().toDateString() ? `Today, ${timeOnly.format(d)}` : dateTimeShort.format(d);
}

export function toUtcIso(iso: string): string {
  const d = parse(iso);
  return d ? d.toISOString() : iso;
}

export function isFuture(iso: string | null): boolean {
  if (!iso) return false;
  const d = parse(iso);
  return d !== null && d.getTime() > Date.now();
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map(formatValue).join(', ') || '(none)';
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 2 && 'from' in record && 'to' in record) return `${formatValue(record.from)} → ${formatValue(record.to)}`;
    return `(${keys.map((k) => `${k}: ${formatValue(record[k])}`).join(', ')})`;
  }
  if (typeof value === 'string') return ISO_TIMESTAMP.test(value) ? formatDateTimeShort(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return '';
}

export function formatDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${formatValue(value)}`)
    .join(' · ');
}
