// `airlock holdout TABLE`: show a table's holdout split with its leak check, or redraw it (group column, share, seed).
import type { Command } from 'commander';
import type { AirlockService } from '../core/api/service';
import { AirlockError } from '../core/errors';
import type { TableSummaryView } from '../shared/ingest-schemas';
import { print, withSession, type GlobalOptions } from './context';

type Globals = () => GlobalOptions;

interface HoldoutOptions {
  fraction?: string;
  seed?: string;
  groupColumn?: string;
  group: boolean;
}

export const EARLIER_RUNS = 'Runs already trained on this table keep the split they trained against when they are validated; runs started from now on use the new one.';

async function findTable(svc: AirlockService, ref: string): Promise<TableSummaryView> {
  const { tables } = await svc.call('sources:list', {});
  const byId = /^#?\d+$/.test(ref.trim()) ? tables.find((t) => t.id === Number(ref.trim().replace('#', ''))) : undefined;
  const found = byId ?? tables.find((t) => t.name === ref);
  if (!found) throw new AirlockError('NOT_FOUND', `There is no table “${ref}” in this workspace; \`airlock sources\` lists the tables and their numbers.`);
  return found;
}

function fractionOf(v: string): number {
  const n = Number(v.trim().replace(/%$/, ''));
  const fraction = v.trim().endsWith('%') ? n / 100 : n;
  if (v.trim() === '' || !Number.isFinite(fraction) || fraction < 0 || fraction > 0.5)
    throw new AirlockError('INVALID_ARGUMENT', `--fraction takes a share between 0 and 0.5 (or 0% to 50%); “${v}” is not one.`);
  return fraction;
}

/** Warnings for splits that put one patient's rows on both sides, one line each. */
export function leakLines(t: TableSummaryView): string[] {
  return t.holdout.leaks.map((l) => `Warning (table #${t.id} ${t.name}): ${l.message} \`airlock holdout ${t.id} --group-column ${l.column}\``);
}

export function holdoutText(t: TableSummaryView): string {
  const h = t.holdout;
  const lines = [
    `Table #${t.id} ${t.name}: ${h.rows} of ${t.rowCount} rows held out (${Math.round(h.fraction * 1000) / 10}%, seed ${h.seed})`,
    `  grouped by: ${h.groupColumn ? `${h.groupColumn} (${h.holdoutGroups} of ${h.groups} groups held out)` : 'no grouping (rows split one by one)'}`,
  ];
  if (h.note) lines.push(`  ${h.note}`);
  return [...lines, ...leakLines(t)].join('\n');
}

export function addHoldoutCommand(program: Command, globals: Globals): void {
  program
    .command('holdout <table>')
    .description('show a table’s holdout split and check it for patients on both sides; with an option, redraw it (audited)')
    .option('--group-column <name>', 'redraw keeping all rows with the same value here on one side (e.g. a patient id)')
    .option('--no-group', 'redraw with rows split one by one')
    .option('--fraction <share>', 'redraw holding out this share, 0–0.5 (or 0%–50%)')
    .option('--seed <seed>', 'redraw from this seed (recorded)')
    .action(async (ref: string, o: HoldoutOptions) => {
      const g = globals();
      if (o.groupColumn !== undefined && !o.group) throw new AirlockError('INVALID_ARGUMENT', 'Give either --group-column NAME or --no-group, not both.');
      const redraw = o.groupColumn !== undefined || !o.group || o.fraction !== undefined || o.seed !== undefined;
      const fraction = o.fraction === undefined ? undefined : fractionOf(o.fraction);
      const result = await withSession(g, async (svc) => {
        const table = await findTable(svc, ref);
        if (!redraw) return { table, redrawn: false };
        const h = table.holdout;
        const holdout = { fraction: fraction ?? h.fraction, seed: (o.seed ?? h.seed).trim(), groupColumn: o.groupColumn ?? (o.group ? h.groupColumn : null) };
        return { table: await svc.call('tables:setHoldout', { tableId: table.id, holdout }), redrawn: true, from: h };
      });
      print(g, result, () => (result.redrawn ? `Holdout redrawn.\n${holdoutText(result.table)}\n${EARLIER_RUNS}` : holdoutText(result.table)));
    });
}

/** The holdout cell of `airlock sources`: rows held out, the grouping, and a mark when patients leak across. */
export function holdoutCell(t: TableSummaryView): string {
  const h = t.holdout;
  return `${h.rows}${h.groupColumn ? ` (by ${h.groupColumn})` : ''}${h.leaks.length > 0 ? ' LEAKS: see below' : ''}`;
}
