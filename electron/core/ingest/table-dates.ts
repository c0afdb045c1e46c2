// The steward's answer to "date?": a numeric column holds dates (in a given form) or does not. The profile and the
// identifying flag are rewritten together, in one transaction with the audit event.
import type { DateForm } from '../../shared/date-schema';
import type { ColumnView } from '../../shared/ingest-schemas';
import { AirlockError } from '../errors';
import { appendAudit } from '../govern/audit';
import type { Db } from '../store/database';
import type { SourceCodec } from '../store/sources-seal';
import { getTable, profileAt, tableColumns } from './sources-repo';
import { chooseDate } from './table/dates';
import { flagIdentifying } from './table/phi';
import type { ColumnProfile } from './table/types';

export function setColumnDate(db: Db, codec: SourceCodec, actor: string, a: { tableId: number; column: number; form: DateForm | null }, now: Date): ColumnView {
  const table = getTable(db, codec, a.tableId, 0);
  const row = db.prepare('SELECT name, type, profile FROM table_columns WHERE table_id = ? AND idx = ?').get(a.tableId, a.column) as { name: string; type: ColumnView['type']; profile: unknown } | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `Table “${table.name}” has no column #${a.column}.`);
  const before = JSON.parse(codec.getText(profileAt(a.tableId, a.column), row.profile)) as ColumnProfile;
  const date = chooseDate(row.name, before.stats.numeric, before.date, a.form);
  const { date: _old, ...rest } = before;
  const profile: ColumnProfile = { ...rest, ...(date ? { date } : {}) };
  // A confirmed date must be numbers to be treated as one: a day count first typed as a code becomes whole numbers.
  const numeric = row.type === 'integer' || row.type === 'number';
  const type: ColumnView['type'] = date?.status === 'confirmed' && !numeric ? (before.stats.numeric?.integral ? 'integer' : 'number') : row.type;
  const changed = JSON.stringify(before.date ?? null) !== JSON.stringify(date ?? null) || type !== row.type;
  if (changed) {
    db.transaction(() => {
      db.prepare('UPDATE table_columns SET type = ?, profile = ?, phi = ? WHERE table_id = ? AND idx = ?').run(type, codec.putText(profileAt(a.tableId, a.column), JSON.stringify(profile)), JSON.stringify(flagIdentifying(profile)), a.tableId, a.column);
      appendAudit(
        db,
        {
          actor,
          action: 'table.column_date_set',
          subject: table.name,
          details: { column: row.name, dates: date?.status === 'confirmed', form: a.form, from: before.date ? { status: before.date.status, form: before.date.form } : null, ...(type !== row.type ? { type: { from: row.type, to: type } } : {}) },
        },
        now,
      );
    })();
  }
  const updated = tableColumns(db, codec, a.tableId).find((c) => c.index === a.column);
  if (!updated) throw new AirlockError('INTERNAL', 'The column vanished while it was being updated.');
  return updated;
}
