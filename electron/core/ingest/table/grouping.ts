// Which column says "these rows are one patient", and whether the current split keeps each such column's values on
// one side. Candidates come from the name and the inferred type, and count only when their values repeat.
import type { HoldoutLeak, TableSummaryView } from '../../../shared/ingest-schemas';
import type { Db } from '../../store/database';
import { rowIdOf, type SourceCodec } from '../../store/sources-seal';
import { looksLikeIdName, nameWords } from './names';

export interface GroupCandidate {
  column: string;
  index: number;
  /** How plainly the column names a patient: 3 patient words, 2 a bare id, 1 another id, 0 only the values. */
  strength: number;
  /** Distinct non-missing values. */
  values: number;
  /** Rows with a value. */
  rows: number;
  missing: number;
}

export interface GroupingScan {
  /** Identifier-like columns whose values repeat, the best first. */
  candidates: GroupCandidate[];
  /** Identifier-like columns with one row per value. */
  unique: GroupCandidate[];
}

// Fewer distinct values than this and a column looks like a category (site, arm) more than a patient key.
const MIN_GROUPS = 10;
// Beyond this share of rows without a value, grouping by the column leaves many rows split one by one.
const MISSING_DOUBT = 0.05;

const PATIENT_WORDS = new Set(['patient', 'patients', 'pat', 'pt', 'subject', 'subj', 'participant', 'person', 'mrn', 'pid', 'nhs', 'chi', 'ssn', 'urn', 'ptid', 'patid', 'patientid', 'subjectid']);
const BARE_ID = new Set(['id', 'ids', 'identifier', 'key', 'case', 'caseid', 'record', 'recordid']);
// Keys of places and studies, not people: patients are nested in them, so they are not holdout groups.
const ORG_WORDS = new Set(['site', 'centre', 'center', 'ward', 'clinic', 'unit', 'study', 'trial', 'lab', 'device', 'department', 'dept', 'practice', 'region', 'country', 'batch', 'plate']);

function strengthOf(name: string, inferredType: string): number | null {
  const words = nameWords(name);
  if (words.some((w) => PATIENT_WORDS.has(w))) return 3;
  if (words.length > 0 && words.every((w) => BARE_ID.has(w))) return 2;
  if (words.some((w) => ORG_WORDS.has(w))) return null;
  if (looksLikeIdName(name)) return 1;
  return inferredType === 'identifier' ? 0 : null;
}

interface ValueCounts {
  values: number;
  rows: number;
  /** Values with rows both in training and in the holdout, their rows, and how many of those are held out. */
  mixed: number;
  mixedRows: number;
  mixedHeld: number;
}

function countValues(values: readonly (string | null)[], holdout: readonly number[]): ValueCounts {
  const by = new Map<string, { n: number; h: number }>();
  values.forEach((v, i) => {
    if (v === null) return;
    const c = by.get(v) ?? { n: 0, h: 0 };
    c.n += 1;
    c.h += holdout[i] ?? 0;
    by.set(v, c);
  });
  const out: ValueCounts = { values: by.size, rows: 0, mixed: 0, mixedRows: 0, mixedHeld: 0 };
  for (const c of by.values()) {
    out.rows += c.n;
    if (c.h > 0 && c.h < c.n) {
      out.mixed += 1;
      out.mixedRows += c.n;
      out.mixedHeld += c.h;
    }
  }
  return out;
}

// Values are sealed per row, so columns are read in JS (one pass, one opening per row), not with json_extract.
function readColumns(db: Db, codec: SourceCodec, tableId: number, indices: readonly number[]): { holdout: number[]; values: Map<number, (string | null)[]> } {
  const holdout: number[] = [];
  const values = new Map(indices.map((i) => [i, [] as (string | null)[]]));
  if (indices.length === 0) return { holdout, values };
  const stmt = db.prepare('SELECT row_idx, holdout, cells FROM table_rows WHERE table_id = ? ORDER BY row_idx');
  for (const r of stmt.iterate(tableId) as IterableIterator<{ row_idx: number; holdout: number; cells: unknown }>) {
    const cells = JSON.parse(codec.getText({ table: 'table_rows', column: 'cells', rowId: rowIdOf(tableId, r.row_idx) }, r.cells)) as (string | number | null)[];
    holdout.push(r.holdout);
    for (const [i, out] of values) {
      const v = cells[i];
      out.push(v === null || v === undefined ? null : String(v));
    }
  }
  return { holdout, values };
}

/** One column's values in row order (null when missing). */
export function columnOf(db: Db, codec: SourceCodec, tableId: number, index: number): (string | null)[] {
  return readColumns(db, codec, tableId, [index]).values.get(index) ?? [];
}

export function scanGrouping(db: Db, codec: SourceCodec, tableId: number): GroupingScan {
  const total = (db.prepare('SELECT count(*) AS n FROM table_rows WHERE table_id = ?').get(tableId) as { n: number }).n;
  const columns = db.prepare('SELECT idx, name, inferred_type FROM table_columns WHERE table_id = ? ORDER BY idx').all(tableId) as { idx: number; name: string; inferred_type: string }[];
  const named = columns.flatMap((c) => {
    const strength = strengthOf(c.name, c.inferred_type);
    return strength === null ? [] : [{ ...c, strength }];
  });
  const read = readColumns(db, codec, tableId, named.map((c) => c.idx));
  const candidates: GroupCandidate[] = [];
  const unique: GroupCandidate[] = [];
  for (const c of named) {
    const { values, rows } = countValues(read.values.get(c.idx) ?? [], read.holdout);
    const candidate = { column: c.name, index: c.idx, strength: c.strength, values, rows, missing: total - rows };
    // A vaguely named key with few values is a category; a patient-named one stays, flagged as doubtful.
    if (values >= 2 && values < rows && (values >= MIN_GROUPS || c.strength >= 2)) candidates.push(candidate);
    else if (values >= 2 && values === rows && c.strength >= 2) unique.push(candidate);
  }
  // Plainest name first; between equals the coarser key, which keeps more rows together.
  candidates.sort((a, b) => b.strength - a.strength || a.values - b.values || a.index - b.index);
  return { candidates, unique };
}

const perValue = (rows: number, values: number): string => {
  const mean = rows / values;
  return Number.isInteger(mean) ? String(mean) : mean.toFixed(1);
};

// The one-line reasons a guessed key may be wrong, for the steward to check.
function doubts(c: GroupCandidate): string[] {
  const out: string[] = [];
  if (c.strength === 0) out.push(`its name does not say patient, but its values look like codes that repeat`);
  if (c.strength === 1) out.push(`its name says it identifies something, not necessarily a patient`);
  if (c.values < MIN_GROUPS) out.push(`it has only ${c.values} distinct values, so it may be a category rather than a patient`);
  if (c.missing > 0 && c.missing / (c.rows + c.missing) > MISSING_DOUBT) out.push(`${c.missing} rows have no value there, and each of them is split on its own`);
  return out;
}

const HOW_TO_CHANGE = 'To change it, redraw the holdout with another group column (Redraw holdout in the table view, or `airlock holdout <table#> --group-column NAME`).';

function whyFirst(c: GroupCandidate, next: GroupCandidate): string {
  if (next.strength < c.strength) return 'its name says patient most plainly';
  if (next.values > c.values) return 'it has the fewest distinct values, so it keeps the most rows together';
  return 'it comes first in the table';
}

/** The sentence shown with the split: what it is grouped by and why, or why rows are split one by one. */
export function groupingNote(scan: GroupingScan, groupColumn: string | null, auto: boolean): string | null {
  if (groupColumn !== null) {
    const c = scan.candidates.find((x) => x.column === groupColumn);
    if (!c) return `Rows are grouped by “${groupColumn}”, so rows sharing a value stay on one side of the holdout.`;
    const unit = c.strength >= 2 ? 'patients' : 'groups';
    const what = c.strength >= 2 ? "a patient's rows" : 'rows sharing a value';
    let note = `Rows are grouped by “${c.column}” (${c.values} ${unit}, ${perValue(c.rows, c.values)} rows each on average) so ${what} stay on one side of the holdout.`;
    if (!auto) return note;
    const others = scan.candidates.filter((x) => x.column !== c.column);
    const worries = doubts(c);
    if (worries.length > 0) note += ` This was chosen automatically and is a guess: ${worries.join('; ')}.`;
    else if (others[0]) note += ` It was chosen automatically: ${whyFirst(c, others[0])}.`;
    if (others.length > 0) note += ` Other columns that could identify patients: ${others.map((o) => `“${o.column}” (${o.values} values)`).join(', ')}.`;
    if (worries.length > 0 || others.length > 0) note += ` ${HOW_TO_CHANGE}`;
    return note;
  }
  if (scan.candidates.length > 0) return null; // the leak check speaks for an ungrouped split with repeating keys
  const [u] = scan.unique;
  return u ? `“${u.column}” is unique (one row per value), so rows are independent and are split one by one.` : null;
}

/**
 * Identifier-like columns with values on both sides of the current split, each with a sentence on how to fix it.
 * A key coarser than the grouping and less plainly a patient (a hospital_id over patients) is skipped: it holds
 * several groups by design.
 */
export function holdoutLeaks(db: Db, codec: SourceCodec, tableId: number, scan: GroupingScan, grouping: { groupColumn: string | null; groups: number }): HoldoutLeak[] {
  const leaks: HoldoutLeak[] = [];
  const by = scan.candidates.find((c) => c.column === grouping.groupColumn);
  const checked = scan.candidates.filter((c) => !(by && c !== by && c.values < grouping.groups && c.strength < by.strength));
  const read = readColumns(db, codec, tableId, checked.map((c) => c.index));
  for (const c of checked) {
    const n = countValues(read.values.get(c.index) ?? [], read.holdout);
    if (n.mixed === 0) continue;
    const unit = c.strength >= 2 ? 'patients' : 'values';
    leaks.push({
      column: c.column,
      values: n.mixed,
      of: n.values,
      rows: n.mixedRows,
      holdoutRows: n.mixedHeld,
      message:
        `${n.mixed} of ${n.values} ${unit} in “${c.column}” have rows on both sides of the holdout (${n.mixedRows} rows, ${n.mixedHeld} of them held out): ` +
        `validation would test the generator on ${unit === 'patients' ? 'patients' : 'rows'} it has partly seen. Redraw the holdout grouped by “${c.column}”.`,
    });
  }
  return leaks;
}

/** The stored split as shown; a table imported before the leak check gets its note and leaks worked out now. */
export function storedHoldout(db: Db, codec: SourceCodec, tableId: number, json: string): TableSummaryView['holdout'] {
  const h = JSON.parse(json) as Omit<TableSummaryView['holdout'], 'note' | 'leaks'> & Partial<Pick<TableSummaryView['holdout'], 'note' | 'leaks'>>;
  if (h.leaks !== undefined && h.note !== undefined) return { ...h, note: h.note, leaks: h.leaks };
  const scan = scanGrouping(db, codec, tableId);
  return { ...h, note: h.note ?? groupingNote(scan, h.groupColumn, false), leaks: holdoutLeaks(db, codec, tableId, scan, h) };
}
