// Date treatments applied to real rows before a generator sees them, and to the real rows validation compares with,
// so both sides hold the same kind of value: generalise (a date becomes its year "YYYY" or month "YYYY-MM") and
// shift (every date of one patient moves by the same secret offset, so intervals within a patient are kept).
import { createHmac, randomBytes } from 'node:crypto';
import { isDateColumn, type DateForm } from '../../../shared/date-schema';
import type { ColumnType, ColumnView, TableDetailView } from '../../../shared/ingest-schemas';
import type { Spec } from '../../../shared/spec-schema';
import { InvalidArgumentError } from '../../errors';
import { DAY_MS, formToDays, isoOfDays } from '../../ingest/table/dates';
import { getTable } from '../../ingest/sources-repo';
import type { SourceCodec } from '../../store/sources-seal';
import { parseDate, parseNumber } from '../../ingest/table/values';
import type { Db } from '../../store/database';
import { createRng } from '../rng';

type Cells = (string | null)[];

export interface DateTreatment {
  index: number;
  name: string;
  /** 'iso': ISO or day-first date cells; otherwise the numeric form the column's numbers are read in. */
  form: DateForm | 'iso';
  treatment: { kind: 'generalise'; to: 'year' | 'month' } | { kind: 'shift' };
}

export interface ShiftKey {
  /** Source column index naming the patient; null: each row is its own patient. */
  patientIndex: number | null;
  /** The workspace's secret: offsets cannot be recomputed from anything that leaves the store. */
  secret: Buffer;
  seed: number;
  maxDays: number;
}

// The type a generalised column is modelled as: years are ordered whole numbers; months are labels a generator
// can only reproduce, never invent between (so no "1998-13").
const GENERALISED_TYPE: Record<'year' | 'month', ColumnType> = { year: 'integer', month: 'categorical' };

/** The date treatments a spec asks for, in source column order; throws when one names a column that is not dates. */
export function planTreatments(spec: Spec, columns: ColumnView[]): DateTreatment[] {
  const plan: DateTreatment[] = [];
  for (const c of spec.columns) {
    if (c.treatment !== 'generalise' && c.treatment !== 'shift') continue;
    const col = columns.find((x) => x.name === c.name);
    if (!col) throw new InvalidArgumentError(`The source table has no column “${c.name}”.`);
    if (!isDateColumn(col))
      throw new InvalidArgumentError(`Column “${c.name}” is not dates, so it cannot be ${c.treatment === 'generalise' ? 'generalised' : 'shifted'}. (A column of numbers offered as “date?” can be confirmed as dates in the table’s column list.)`);
    const form: DateForm | 'iso' = col.type === 'date' || col.type === 'datetime' || !col.date ? 'iso' : col.date.form;
    if (c.treatment === 'generalise' && c.to === 'month' && form !== 'iso' && form.unit === 'year')
      throw new InvalidArgumentError(`Column “${c.name}” holds whole years: it cannot be generalised to the month.`);
    plan.push({ index: col.index, name: c.name, form, treatment: c.treatment === 'generalise' ? { kind: 'generalise', to: c.to ?? 'year' } : { kind: 'shift' } });
  }
  return plan.sort((a, b) => a.index - b.index);
}

function decimalsOf(text: string): number {
  const m = /\.(\d+)$/.exec(text.trim());
  return m ? (m[1] ?? '').length : 0;
}

function bad(name: string, cell: string): InvalidArgumentError {
  return new InvalidArgumentError(`Column “${name}” holds “${cell.slice(0, 40)}”, which is not a date; fix the column’s type or its treatment.`);
}

// Days since 1970 of a cell, and how to write a shifted day count back in the cell's own form.
function readCell(t: DateTreatment, cell: string): { days: number; shifted: (offset: number) => string } {
  if (t.form === 'iso') {
    const d = parseDate(cell);
    if (!d) throw bad(t.name, cell);
    const days = Date.UTC(Number(d.iso.slice(0, 4)), Number(d.iso.slice(5, 7)) - 1, Number(d.iso.slice(8, 10))) / DAY_MS;
    return { days, shifted: (off) => `${isoOfDays(days + off)}${d.iso.slice(10)}` };
  }
  const x = parseNumber(cell);
  if (x === null) throw bad(t.name, cell);
  const form = t.form;
  const days = formToDays(x, form);
  return {
    days,
    shifted: (off) => {
      if (form.unit === 'days') return String(x + off);
      if (form.unit === 'year') return String(x + Math.round(off / 365.25));
      // At least three decimals (about nine hours), so a shift of a few days is not rounded away.
      return (x + off / 365.25).toFixed(Math.max(3, decimalsOf(cell)));
    },
  };
}

function generalised(days: number, to: 'year' | 'month'): string {
  const iso = isoOfDays(days);
  return to === 'year' ? String(Number(iso.slice(0, 4))) : iso.slice(0, 7);
}

/** A patient's offset in days: ±1…maxDays, never 0, from a generator seeded by the secret, the spec seed and the patient. */
export function shiftOffset(key: ShiftKey, patient: string): number {
  const seed = createHmac('sha256', key.secret).update(`${key.seed}\u0000${patient}`).digest('hex');
  const rng = createRng(seed);
  const magnitude = 1 + rng.int(key.maxDays);
  return rng.int(2) === 0 ? -magnitude : magnitude;
}

/** A function from a source row (all columns) to the same row with its date treatments applied. */
export function rowTreatment(plan: DateTreatment[], shift: ShiftKey | null): (cells: Cells) => Cells {
  if (plan.length === 0) return (cells) => cells;
  const offsets = new Map<string, number>();
  return (cells) => {
    const out = cells.slice();
    let offset: number | null = null;
    for (const t of plan) {
      const cell = cells[t.index] ?? null;
      if (cell === null) continue;
      const read = readCell(t, cell);
      if (t.treatment.kind === 'generalise') {
        out[t.index] = generalised(read.days, t.treatment.to);
        continue;
      }
      if (!shift) throw new InvalidArgumentError('Shifting dates needs the shift settings; this is a bug.');
      if (offset === null) {
        const id = shift.patientIndex === null ? null : (cells[shift.patientIndex] ?? null);
        // No patient named: the row is its own patient, keyed by its content (the same row always moves the same way).
        const patient = id === null ? `row:${JSON.stringify(cells)}` : `id:${id}`;
        offset = offsets.get(patient) ?? shiftOffset(shift, patient);
        offsets.set(patient, offset);
      }
      out[t.index] = read.shifted(offset);
    }
    return out;
  };
}

const SECRET_KEY = 'dateShiftSecret';

// Created once per workspace, inside the encrypted store; it is never in a spec, a run record, a card or a bundle.
function shiftSecret(db: Db): Buffer {
  db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(SECRET_KEY, randomBytes(32).toString('hex'));
  return Buffer.from((db.prepare('SELECT value FROM settings WHERE key = ?').get(SECRET_KEY) as { value: string }).value, 'hex');
}

/** The column that says which patient a row is: the spec's, else the holdout's group column, else none. */
export function shiftPatientColumn(spec: Spec, table: TableDetailView): string | null {
  return spec.dateShift?.patientColumn ?? table.holdout.groupColumn ?? null;
}

/**
 * The spec's source table as the generator (and validation) must see it: generalised columns retyped, and a
 * function that applies the spec's date treatments to a full source row.
 */
export function treatedSource(db: Db, codec: SourceCodec, spec: Spec): { table: TableDetailView; treat: (cells: Cells) => Cells } {
  const table = getTable(db, codec, spec.source.tableId, 0);
  const plan = planTreatments(spec, table.columns);
  if (plan.length === 0) return { table, treat: (cells) => cells };
  let shift: ShiftKey | null = null;
  if (plan.some((t) => t.treatment.kind === 'shift')) {
    const name = shiftPatientColumn(spec, table);
    const col = name === null ? undefined : table.columns.find((c) => c.name === name);
    if (name !== null && !col) throw new InvalidArgumentError(`The patient column “${name}” for shifting dates is not in table “${table.name}”.`);
    shift = { patientIndex: col?.index ?? null, secret: shiftSecret(db), seed: spec.seed, maxDays: spec.dateShift?.maxDays ?? 365 };
  }
  const retyped = new Map(plan.flatMap((t) => (t.treatment.kind === 'generalise' ? [[t.index, GENERALISED_TYPE[t.treatment.to]] as const] : [])));
  const columns = table.columns.map((c) => {
    const type = retyped.get(c.index);
    return type ? { ...c, type } : c;
  });
  return { table: { ...table, columns }, treat: rowTreatment(plan, shift) };
}

/** On save: date treatments name date columns (ISO, or numbers read as dates), and a named patient column exists. */
export function checkDateTreatments(spec: Spec, table: TableDetailView): void {
  const plan = planTreatments(spec, table.columns);
  const name = spec.dateShift?.patientColumn;
  if (name !== undefined && !table.columns.some((c) => c.name === name)) throw new InvalidArgumentError(`The patient column “${name}” for shifting dates is not in table “${table.name}”.`);
  const patient = shiftPatientColumn(spec, table);
  if (plan.some((t) => t.treatment.kind === 'shift' && t.name === patient))
    throw new InvalidArgumentError(`Column “${patient ?? ''}” cannot both be shifted and name the patient whose dates are shifted.`);
}
