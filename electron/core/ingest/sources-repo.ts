// The read side of sources: tables with their columns and rows, the DICOM hierarchy and instance metadata.
import type { ColumnView, DicomNote, DicomTagView, InstanceView, PatientBasis, StudySummaryView, TableDetailView, TableSummaryView } from '../../shared/ingest-schemas';
import { AirlockError } from '../errors';
import type { Db } from '../store/database';
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
  profile: string;
  phi: string;
}

export function columnView(r: ColumnRow): ColumnView {
  const p = JSON.parse(r.profile) as { missing?: number; distinct?: number; distinctCapped?: boolean; stats?: Record<string, unknown>; date?: ColumnView['date'] };
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

export function tableColumns(db: Db, tableId: number): ColumnView[] {
  return (db.prepare('SELECT * FROM table_columns WHERE table_id = ? ORDER BY idx').all(tableId) as ColumnRow[]).map(columnView);
}

function summary(db: Db, t: TableRow): TableSummaryView {
  const columns = tableColumns(db, t.id);
  return {
    id: t.id,
    name: t.name,
    sha256: t.sha256,
    encoding: t.encoding,
    delimiter: t.delimiter,
    rowCount: t.row_count,
    columnCount: columns.length,
    holdout: storedHoldout(db, t.id, t.holdout),
    identifyingColumns: columns.filter((c) => c.phi.identifying).length,
    importedAt: t.imported_at,
  };
}

const TABLE_SQL = `SELECT t.id, t.name, f.sha256, t.encoding, t.delimiter, t.row_count, t.holdout, f.imported_at
  FROM tables_ t JOIN source_files f ON f.id = t.file_id WHERE t.status = 'ready'`;

export function listTables(db: Db): TableSummaryView[] {
  return (db.prepare(`${TABLE_SQL} ORDER BY t.id`).all() as TableRow[]).map((t) => summary(db, t));
}

export function getTable(db: Db, tableId: number, previewRows: number): TableDetailView {
  const t = db.prepare(`${TABLE_SQL} AND t.id = ?`).get(tableId) as TableRow | undefined;
  if (!t) throw new AirlockError('NOT_FOUND', `There is no table #${tableId} in this workspace.`);
  const rows = db.prepare('SELECT row_idx, holdout, cells FROM table_rows WHERE table_id = ? ORDER BY row_idx LIMIT ?').all(tableId, previewRows) as { row_idx: number; holdout: number; cells: string }[];
  return {
    ...summary(db, t),
    columns: tableColumns(db, tableId),
    preview: rows.map((r) => ({ row: r.row_idx, holdout: r.holdout === 1, cells: JSON.parse(r.cells) as (string | null)[] })),
  };
}

// Every stored value of one column, in row order, for checking a type override against the data.
export function* columnValues(db: Db, tableId: number, column: number): Generator<string | null> {
  const stmt = db.prepare('SELECT json_extract(cells, ?) AS v FROM table_rows WHERE table_id = ? ORDER BY row_idx');
  for (const r of stmt.iterate(`$[${column}]`, tableId) as IterableIterator<{ v: string | number | null }>) yield r.v === null ? null : String(r.v);
}

export function listStudies(db: Db): StudySummaryView[] {
  const studies = db
    .prepare(
      `SELECT s.id, s.study_uid, s.study_date, s.description, p.patient_key, p.patient_id, p.patient_name, p.holdout, p.identified_by
       FROM dicom_studies s JOIN dicom_patients p ON p.id = s.patient_id ORDER BY p.patient_key, s.study_date, s.id`,
    )
    .all() as { id: number; study_uid: string; study_date: string | null; description: string | null; patient_key: string; patient_id: string | null; patient_name: string | null; holdout: number; identified_by: PatientBasis }[];
  const seriesStmt = db.prepare(
    `SELECT se.id, se.series_uid, se.number, se.modality, se.description, se.body_part,
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
    series: (seriesStmt.all(s.id) as { id: number; series_uid: string; number: number | null; modality: string | null; description: string | null; body_part: string | null; instances: number; frames: number; burned: number | null; burned_unknown: number | null }[]).map((r) => ({
      id: r.id,
      seriesUid: r.series_uid,
      number: r.number,
      modality: r.modality,
      description: r.description,
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

export function instanceTags(db: Db, instanceId: number): { tags: DicomTagView[]; burnedIn: string | null } {
  const row = db.prepare('SELECT metadata, burned_in FROM dicom_instances WHERE id = ?').get(instanceId) as { metadata: string; burned_in: string | null } | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `There is no image #${instanceId} in this workspace.`);
  const meta = JSON.parse(row.metadata) as { tags: DicomTagView[] };
  return { tags: meta.tags, burnedIn: row.burned_in };
}

export function instanceFile(db: Db, instanceId: number): { fileId: number; frames: number } {
  const row = db.prepare('SELECT file_id, frames FROM dicom_instances WHERE id = ?').get(instanceId) as { file_id: number; frames: number } | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `There is no image #${instanceId} in this workspace.`);
  return { fileId: row.file_id, frames: row.frames };
}
