// The source a dataset was learned from, described without identifying values: counts, column names and types,
// file hashes and sizes (never names or paths), dates coarsened to the year, DICOM counts and modalities (never
// UIDs, names or descriptions). What the card's "Collection and source" section holds.
import type { DatasetCard } from '../../../shared/card-schema';
import type { ColumnType } from '../../../shared/ingest-schemas';
import type { Spec } from '../../../shared/spec-schema';
import { AirlockError } from '../../errors';
import { tableColumns } from '../../ingest/sources-repo';
import type { Db } from '../../store/database';
import type { SourceCodec } from '../../store/sources-seal';

export type SourceSection = DatasetCard['sections']['source'];
type YearRange = { from: number; to: number } | null;

const yearOf = (text: string | null | undefined): number | null => {
  const m = /^(\d{4})/.exec(text ?? '');
  return m ? Number(m[1]) : null;
};

function span(years: (number | null)[]): YearRange {
  const ys = years.filter((y): y is number => y !== null);
  return ys.length ? { from: Math.min(...ys), to: Math.max(...ys) } : null;
}

const yearsText = (r: YearRange): string => (r === null ? '' : r.from === r.to ? `${r.from}` : `${r.from}–${r.to}`);

/** The training/holdout split in force for the validation, when the stored result recorded it. */
export interface SplitCounts {
  train: number;
  holdout: number;
}

export function tableSource(db: Db, codec: SourceCodec, spec: Spec, split: SplitCounts | null): SourceSection {
  const t = db
    .prepare('SELECT t.row_count, t.holdout, f.sha256, f.bytes FROM tables_ t JOIN source_files f ON f.id = t.file_id WHERE t.id = ?')
    .get(spec.source.tableId) as { row_count: number; holdout: string; sha256: string; bytes: number } | undefined;
  if (!t) throw new AirlockError('CONFLICT', `The source table #${spec.source.tableId} of spec “${spec.name}” is no longer in this workspace, so its card cannot describe it.`);
  const holdout = JSON.parse(t.holdout) as { groupColumn?: string | null };
  const counted = db.prepare('SELECT sum(holdout = 1) AS h, count(*) AS n FROM table_rows WHERE table_id = ?').get(spec.source.tableId) as { h: number | null; n: number };
  const holdoutRows = split?.holdout ?? counted.h ?? 0;
  const trainingRows = split?.train ?? counted.n - holdoutRows;
  const treatment = new Map(spec.columns.map((c) => [c.name, c.treatment]));
  const columns = tableColumns(db, codec, spec.source.tableId).map((c) => {
    const dates = c.stats.dates as { min?: string; max?: string } | undefined;
    const dated: ColumnType[] = ['date', 'datetime'];
    return {
      name: c.name,
      type: c.type,
      treatment: treatment.get(c.name) ?? null,
      identifying: c.phi.identifying,
      years: dated.includes(c.type) && dates ? span([yearOf(dates.min), yearOf(dates.max)]) : null,
    };
  });
  const identifying = columns.filter((c) => c.identifying).length;
  const dated = columns.filter((c) => c.years !== null);
  return {
    kind: 'table',
    table: { rows: t.row_count, columns: columns.length, trainingRows, holdoutRows, holdoutGroupedBy: holdout.groupColumn ?? null, identifyingColumns: identifying, columnDetails: columns },
    dicom: null,
    files: [{ sha256: t.sha256, bytes: t.bytes }],
    text: [
      `The generator learned from one clinical table of ${t.row_count} rows and ${columns.length} columns, imported into the locked store of this workstation (file SHA-256 ${t.sha256}, ${t.bytes} bytes).`,
      `${trainingRows} rows were used for training; ${holdoutRows} rows were held out${holdout.groupColumn ? ` (grouped by “${holdout.groupColumn}”, so all rows of one patient fall on the same side)` : ''} and never seen by the generator: validation compares against them.`,
      `${identifying} source column${identifying === 1 ? ' was' : 's were'} flagged as identifying at import.`,
      ...(dated.length ? [`Dates in the source, coarsened to the year: ${dated.map((c) => `${c.name} ${yearsText(c.years)}`).join('; ')}.`] : []),
      'No source value, file name or path is recorded on this card.',
    ],
  };
}

export function dicomSource(db: Db, codec: SourceCodec, seriesIds: number[]): SourceSection {
  const ids = JSON.stringify([...new Set(seriesIds)].sort((a, b) => a - b));
  const inSeries = 'se.id IN (SELECT value FROM json_each(?))';
  const counts = db
    .prepare(
      `SELECT count(DISTINCT p.id) AS patients, count(DISTINCT CASE WHEN p.holdout = 1 THEN p.id END) AS holdout,
              count(DISTINCT st.id) AS studies, count(DISTINCT se.id) AS series
       FROM dicom_series se JOIN dicom_studies st ON st.id = se.study_id JOIN dicom_patients p ON p.id = st.patient_id WHERE ${inSeries}`,
    )
    .get(ids) as { patients: number; holdout: number; studies: number; series: number };
  if (counts.series === 0) throw new AirlockError('CONFLICT', 'The DICOM series this image spec names are no longer in this workspace, so its card cannot describe them.');
  const modalities = (db.prepare(`SELECT DISTINCT se.modality AS m FROM dicom_series se WHERE ${inSeries} AND se.modality IS NOT NULL ORDER BY m`).all(ids) as { m: string }[]).map((r) => r.m);
  // Study dates are sealed: opened one by one, only their year reaches the card.
  const dates = (db.prepare(`SELECT DISTINCT st.id, st.study_date AS d FROM dicom_series se JOIN dicom_studies st ON st.id = se.study_id WHERE ${inSeries}`).all(ids) as { id: number; d: unknown }[]).map((r) => ({
    d: codec.getMaybe({ table: 'dicom_studies', column: 'study_date', rowId: r.id }, r.d),
  }));
  const files = db
    .prepare(`SELECT f.sha256, f.bytes FROM dicom_instances i JOIN dicom_series se ON se.id = i.series_id JOIN source_files f ON f.id = i.file_id WHERE ${inSeries} ORDER BY f.sha256`)
    .all(ids) as { sha256: string; bytes: number }[];
  const studyYears = span(dates.map((r) => yearOf(r.d)));
  const bytes = files.reduce((s, f) => s + f.bytes, 0);
  return {
    kind: 'dicom',
    table: null,
    dicom: { patients: counts.patients, trainingPatients: counts.patients - counts.holdout, holdoutPatients: counts.holdout, studies: counts.studies, series: counts.series, instances: files.length, modalities, studyYears },
    files,
    text: [
      `The generator learned from ${files.length} DICOM instances (${bytes} bytes) in ${counts.series} series of ${counts.studies} studies of ${counts.patients} patients, imported into the locked store of this workstation.`,
      `${counts.patients - counts.holdout} patients were available for training; ${counts.holdout} were held out for validation.`,
      `Modalities: ${modalities.length ? modalities.join(', ') : 'not recorded'}.${studyYears ? ` Study dates, coarsened to the year: ${yearsText(studyYears)}.` : ''}`,
      'No UID, patient name, identifier, description, file name or path is recorded on this card; each file appears only by its SHA-256 and size.',
    ],
  };
}
