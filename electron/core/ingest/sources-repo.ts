// The read side of sources: tables with their columns and rows, the DICOM hierarchy and instance metadata.
import type { ColumnView, DicomNote, DicomTagView, InstanceView, PatientBasis, StudySummaryView, TableDetailView, TableSummaryView } from '../../shared/ingest-schemas';
import { AirlockError } from '../errors';
import type { Db } from '../store/database';
import { rowIdOf, type SourceCodec } from '../store/sources-seal';
import { storedHoldout } from './table/grouping';

interface TableRow {
  id: number;
  name: string;
  sha256: string;
  encoding: string;
  delimiter: string;
  row_count: number;
  holdout: string;
  imported_at: string;
}

interface ColumnRow {
  idx: number;
  name: string;
  inferred_type: ColumnView['type'];
  type: ColumnView['type'];
  profile: unknown;
  phi: string;
  table_id: number;
}

export const profileAt = (tableId: number, idx: number) => ({ table: 'table_columns', column: 'profile', rowId: rowIdOf(tableId, idx) });
export const cellsAt = (tableId: number, rowIdx: number) => ({ table: 'table_rows', column: 'cells', rowId: rowIdOf(tableId, rowIdx) });

export function columnView(codec: SourceCodec, r: ColumnRow): ColumnView {
  const p = JSON.parse(codec.getText(profileAt(r.table_id, r.idx), r.profile)) as { missing?: number; distinct?: number; distinctCapped?: boolean; stats?: Record<string, unknown>; date?: ColumnView['date'] };
  return {
    index: r.idx,
    name: r.name,
    inferredType: r.inferred_type,
    type: r.type,
    missing: p.missing ?? 0,
    distinct: p.distinct ?? 0,
    distinctCapped: p.distinctCapped ?? false,
    stats: p.stats ?? {},
    phi: JSON.parse(r.phi) as ColumnView['phi'],
    ...(p.date ? { date: p.date } : {}),
  };
}

/** Column names and types: readable without the sources key (they are not source values). */
export function columnTypes(db: Db, tableId: number): { name: string; index: number; type: ColumnView['type'] }[] {
  return db.prepare('SELECT name, idx AS "index", type FROM table_columns WHERE table_id = ? ORDER BY idx').all(tableId) as { name: string; index: number; type: ColumnView['type'] }[];
}

export function tableColumns(db: Db, codec: SourceCodec, tableId: number): ColumnView[] {
  return (db.prepare('SELECT * FROM table_columns WHERE table_id = ? ORDER BY idx').all(tableId) as ColumnRow[]).map((r) => columnView(codec, r));
}

function summary(db: Db, codec: SourceCodec, t: TableRow): TableSummaryView {
  const columns = tableColumns(db, codec, t.id);
  return {
    id: t.id,
    name: t.name,
    sha256: t.sha256,
    encoding: t.encoding,
    delimiter: t.delimiter,
    rowCount: t.row_count,
    columnCount: columns.length,
    holdout: storedHoldout(db, codec, t.id, t.holdout),
    identifyingColumns: columns.filter((c) => c.phi.identifying).length,
    importedAt: t.imported_at,
  };
}

const TABLE_SQL = `SELECT t.id, t.name, f.sha256, t.encoding, t.delimiter, t.row_count, t.holdout, f.imported_at
  FROM tables_ t JOIN source_files f ON f.id = t.file_id WHERE t.status = 'ready'`;

export function listTables(db: Db, codec: SourceCodec): TableSummaryView[] {
  return (db.prepare(`${TABLE_SQL} ORDER BY t.id`).all() as TableRow[]).map((t) => summary(db, codec, t));
}

export function getTable(db: Db, codec: SourceCodec, tableId: number, previewRows: number): TableDetailView {
  const t = db.prepare(`${TABLE_SQL} AND t.id = ?`).get(tableId) as TableRow | undefined;
  if (!t) throw new AirlockError('NOT_FOUND', `There is no table #${tableId} in this workspace.`);
  const rows = db.prepare('SELECT row_idx, holdout, cells FROM table_rows WHERE table_id = ? ORDER BY row_idx LIMIT ?').all(tableId, previewRows) as { row_idx: number; holdout: number; cells: unknown }[];
  return {
    ...summary(db, codec, t),
    columns: tableColumns(db, codec, tableId),
    preview: rows.map((r) => ({ row: r.row_idx, holdout: r.holdout === 1, cells: JSON.parse(codec.getText(cellsAt(tableId, r.row_idx), r.cells)) as (string | null)[] })),
  };
}

// Every stored value of one column, in row order, for checking a type override against the data.
export function* columnValues(db: Db, codec: SourceCodec, tableId: number, column: number): Generator<string | null> {
  const stmt = db.prepare('SELECT row_idx, cells FROM table_rows WHERE table_id = ? ORDER BY row_idx');
  for (const r of stmt.iterate(tableId) as IterableIterator<{ row_idx: number; cells: unknown }>) {
    const v = (JSON.parse(codec.getText(cellsAt(tableId, r.row_idx), r.cells)) as (string | number | null)[])[column];
    yield v === null || v === undefined ? null : String(v);
  }
}

/** Every row of a table, opened, in row order (with `holdout` 0 or 1 to keep to one side). */
export function tableRows(db: Db, codec: SourceCodec, tableId: number, holdout?: 0 | 1): { row: number; holdout: number; cells: (string | null)[] }[] {
  const sql = `SELECT row_idx, holdout, cells FROM table_rows WHERE table_id = ?${holdout === undefined ? '' : ' AND holdout = ?'} ORDER BY row_idx`;
  const rows = (holdout === undefined ? db.prepare(sql).all(tableId) : db.prepare(sql).all(tableId, holdout)) as { row_idx: number; holdout: number; cells: unknown }[];
  return rows.map((r) => ({ row: r.row_idx, holdout: r.holdout, cells: JSON.parse(codec.getText(cellsAt(tableId, r.row_idx), r.cells)) as (string | null)[] }));
}

type Sealed = unknown;
const at = (table: string, column: string, rowId: number) => ({ table, column, rowId });
/** A UNIQUE identity's value: sealed beside its lookup once sealing, the column itself before. */
export const identityOf = (codec: SourceCodec, table: string, column: string, rowId: number, lookup: string, sealed: Sealed): string =>
  codec.sealing ? codec.getText(at(table, column, rowId), sealed) : lookup;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
// SQLite's ORDER BY puts NULL first.
const cmpNull = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : cmp(a, b));

export function listStudies(db: Db, codec: SourceCodec): StudySummaryView[] {
  const rows = db
    .prepare(
      `SELECT s.id, s.study_uid, s.study_uid_sealed, s.study_date, s.description, p.id AS pid, p.patient_key, p.patient_key_sealed, p.patient_id, p.patient_name, p.holdout, p.identified_by
       FROM dicom_studies s JOIN dicom_patients p ON p.id = s.patient_id ORDER BY p.id, s.id`,
    )
    .all() as { id: number; study_uid: string; study_uid_sealed: Sealed; study_date: Sealed; description: Sealed; pid: number; patient_key: string; patient_key_sealed: Sealed; patient_id: Sealed; patient_name: Sealed; holdout: number; identified_by: PatientBasis }[];
  // Sorted in JS: the sealed keys and dates do not sort in SQL.
  const studies = rows
    .map((r) => ({
      id: r.id,
      study_uid: identityOf(codec, 'dicom_studies', 'study_uid', r.id, r.study_uid, r.study_uid_sealed),
      study_date: codec.getMaybe(at('dicom_studies', 'study_date', r.id), r.study_date),
      description: codec.getMaybe(at('dicom_studies', 'description', r.id), r.description),
      patient_key: identityOf(codec, 'dicom_patients', 'patient_key', r.pid, r.patient_key, r.patient_key_sealed),
      patient_id: codec.getMaybe(at('dicom_patients', 'patient_id', r.pid), r.patient_id),
      patient_name: codec.getMaybe(at('dicom_patients', 'patient_name', r.pid), r.patient_name),
      holdout: r.holdout,
      identified_by: r.identified_by,
    }))
    .sort((a, b) => cmp(a.patient_key, b.patient_key) || cmpNull(a.study_date, b.study_date) || a.id - b.id);
  const seriesStmt = db.prepare(
    `SELECT se.id, se.series_uid, se.series_uid_sealed, se.number, se.modality, se.description, se.body_part,
            count(i.id) AS instances, coalesce(sum(i.frames), 0) AS frames, max(i.burned_in = 'YES') AS burned,
            max(instr(i.notes, '"burned-in-unknown"') > 0) AS burned_unknown
     FROM dicom_series se LEFT JOIN dicom_instances i ON i.series_id = se.id WHERE se.study_id = ? GROUP BY se.id ORDER BY se.number, se.id`,
  );
  return studies.map((s) => ({
    id: s.id,
    studyUid: s.study_uid,
    date: s.study_date,
    description: s.description,
    patient: { key: s.patient_key, patientId: s.patient_id, name: s.patient_name, holdout: s.holdout === 1, identifiedBy: s.identified_by },
    series: (seriesStmt.all(s.id) as { id: number; series_uid: string; series_uid_sealed: Sealed; number: number | null; modality: string | null; description: Sealed; body_part: string | null; instances: number; frames: number; burned: number | null; burned_unknown: number | null }[]).map((r) => ({
      id: r.id,
      seriesUid: identityOf(codec, 'dicom_series', 'series_uid', r.id, r.series_uid, r.series_uid_sealed),
      number: r.number,
      modality: r.modality,
      description: codec.getMaybe(at('dicom_series', 'description', r.id), r.description),
      bodyPart: r.body_part,
      instances: r.instances,
      frames: r.frames,
      burnedIn: r.burned === 1,
      burnedInUnknown: r.burned_unknown === 1,
    })),
  }));
}

// Slice order: position along the normal when every instance has one, else InstanceNumber, else import order.
export function seriesInstances(db: Db, seriesId: number): InstanceView[] {
  const rows = db
    .prepare('SELECT id, instance_number, slice_position, frames, rows_, columns_, transfer_syntax, burned_in, notes FROM dicom_instances WHERE series_id = ?')
    .all(seriesId) as { id: number; instance_number: number | null; slice_position: number | null; frames: number; rows_: number; columns_: number; transfer_syntax: string; burned_in: string | null; notes: string }[];
  if (rows.length === 0) throw new AirlockError('NOT_FOUND', `There is no series #${seriesId} in this workspace.`);
  const byPosition = rows.every((r) => r.slice_position !== null);
  rows.sort((a, b) =>
    byPosition ? (a.slice_position ?? 0) - (b.slice_position ?? 0) || a.id - b.id : (a.instance_number ?? Infinity) - (b.instance_number ?? Infinity) || a.id - b.id,
  );
  return rows.map((r) => ({ id: r.id, instanceNumber: r.instance_number, slicePosition: r.slice_position, frames: r.frames, rows: r.rows_, columns: r.columns_, transferSyntax: r.transfer_syntax, burnedIn: r.burned_in, notes: JSON.parse(r.notes) as DicomNote[] }));
}

/** An instance's parsed fields and tags, opened. */
export function instanceMetadata<T>(codec: SourceCodec, instanceId: number, stored: Sealed): T {
  return JSON.parse(codec.getText(at('dicom_instances', 'metadata', instanceId), stored)) as T;
}

export function instanceTags(db: Db, codec: SourceCodec, instanceId: number): { tags: DicomTagView[]; burnedIn: string | null } {
  const row = db.prepare('SELECT metadata, burned_in FROM dicom_instances WHERE id = ?').get(instanceId) as { metadata: Sealed; burned_in: string | null } | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `There is no image #${instanceId} in this workspace.`);
  const meta = instanceMetadata<{ tags: DicomTagView[] }>(codec, instanceId, row.metadata);
  return { tags: meta.tags, burnedIn: row.burned_in };
}

export function instanceFile(db: Db, instanceId: number): { fileId: number; frames: number } {
  const row = db.prepare('SELECT file_id, frames FROM dicom_instances WHERE id = ?').get(instanceId) as { file_id: number; frames: number } | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `There is no image #${instanceId} in this workspace.`);
  return { fileId: row.file_id, frames: row.frames };
}
