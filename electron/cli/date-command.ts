// `airlock columns TABLE`: a table's columns with their types, identifying flags and date readings ("date?" to
// confirm), and the steward's answer: --date COLUMN (it holds dates, in the offered or a given form) or --not-date.
import type { Command } from 'commander';
import { AirlockError } from '../core/errors';
import { DATE_EPOCHS, dateFormText, type DateForm } from '../shared/date-schema';
import type { ColumnView } from '../shared/ingest-schemas';
import type { Spec } from '../shared/spec-schema';
import { print, wholeNumber, withSession, type GlobalOptions } from './context';
import { table } from './format';

type Globals = () => GlobalOptions;

interface ColumnsOptions {
  date?: string;
  notDate?: string;
  form?: string;
}

const FORMS = ['decimal-year', 'year', ...DATE_EPOCHS.map((e) => `days:${e}`)];

function parseForm(v: string): DateForm {
  if (v === 'decimal-year' || v === 'year') return { unit: v };
  const epoch = DATE_EPOCHS.find((e) => v === `days:${e}`);
  if (epoch) return { unit: 'days', epoch };
  throw new AirlockError('INVALID_ARGUMENT', `--form takes one of ${FORMS.join(', ')}; “${v}” is not one.`);
}

export function dateCell(c: ColumnView): string {
  if (!c.date) return c.type === 'date' || c.type === 'datetime' ? 'dates' : '';
  const what = `${dateFormText(c.date.form)}, ${c.date.range.from} to ${c.date.range.to}`;
  return { recognised: `dates (${what})`, confirmed: `dates, confirmed (${what})`, candidate: `date? (${what})`, rejected: 'not dates (said by a steward)' }[c.date.status];
}

function columnsTable(columns: ColumnView[]): string {
  const t = table({ head: ['#', 'column', 'type', 'identifying', 'dates'], wordWrap: true, colWidths: [5, 24, 13, 28, 52] });
  for (const c of columns) t.push([c.index, c.name, c.type, c.phi.identifying ? `${c.phi.kind ?? 'yes'} → ${c.phi.suggested}` : '', dateCell(c)]);
  const offered = columns.filter((c) => c.date?.status === 'candidate');
  const hint = offered.length > 0 ? `\n${offered.length} column${offered.length === 1 ? '' : 's'} may hold dates (date?): \`airlock columns TABLE --date COLUMN\` confirms, \`--not-date COLUMN\` rejects.` : '';
  return `${t.toString()}${hint}`;
}

export function addColumnsCommand(program: Command, globals: Globals): void {
  program
    .command('columns <table>')
    .description('a table’s columns: types, identifying flags, dates written as numbers ("date?" to confirm)')
    .option('--date <column>', 'confirm that this column holds dates (audited)')
    .option('--form <form>', `with --date, the form when it is not the one offered: ${FORMS.join(', ')}`)
    .option('--not-date <column>', 'say that this column does not hold dates (audited)')
    .action(async (ref: string, o: ColumnsOptions) => {
      const g = globals();
      if (o.date !== undefined && o.notDate !== undefined) throw new AirlockError('INVALID_ARGUMENT', 'Give --date or --not-date, not both.');
      if (o.form !== undefined && o.date === undefined) throw new AirlockError('INVALID_ARGUMENT', '--form goes with --date COLUMN.');
      const tableId = wholeNumber('The table', ref.replace(/^#/, ''));
      const out = await withSession(g, async (svc) => {
        const named = o.date ?? o.notDate;
        if (named !== undefined) {
          const { columns } = await svc.call('tables:get', { tableId, previewRows: 0 });
          const col = columns.find((c) => c.name === named || String(c.index) === named);
          if (!col) throw new AirlockError('NOT_FOUND', `Table #${tableId} has no column “${named}”; \`airlock columns ${tableId}\` lists them.`);
          const form = o.notDate !== undefined ? null : o.form !== undefined ? parseForm(o.form) : col.date?.form;
          if (form === undefined) throw new AirlockError('INVALID_ARGUMENT', `Column “${col.name}” was not offered as a date; say its form with --form (${FORMS.join(', ')}).`);
          await svc.call('tables:setDate', { tableId, column: col.index, form });
        }
        return (await svc.call('tables:get', { tableId, previewRows: 0 })).columns;
      });
      print(g, out, () => columnsTable(out));
    });
}

/** The column treatments of a table spec, one line each, for `spec show`. */
export function treatmentsText(spec: Spec): string {
  const width = Math.max(...spec.columns.map((c) => c.name.length));
  const lines = spec.columns.map((c) => `  ${c.name.padEnd(width)}  ${c.treatment === 'generalise' ? `generalise to ${c.to ?? 'year'}` : c.treatment === 'shift' ? 'shift per patient' : c.treatment}`);
  if (spec.columns.some((c) => c.treatment === 'shift')) {
    const who = spec.dateShift?.patientColumn ? `patient = “${spec.dateShift.patientColumn}”` : 'patient = the holdout’s group column (each row its own patient if there is none)';
    lines.push(`  Shifted dates move by one secret offset per patient (${who}), up to ${spec.dateShift?.maxDays ?? 365} days either way.`);
  }
  return `Column treatments:\n${lines.join('\n')}`;
}
