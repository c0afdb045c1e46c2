// Helpers for the tabular-generator tests: load a real table with its profiled types, and hash outputs.
import { createHash } from 'node:crypto';
import { readTable } from '../../electron/core/ingest/table';
import { prepareColumns, type PreparedColumn, type TableSchema } from '../../electron/core/train/tabular/schema';

export const DATA = '/work/shared/data';

export interface LoadedTable {
  header: string[];
  rows: (string | null)[][];
  /** Every profiled column except identifiers and free text, typed as the profiler inferred. */
  schema: TableSchema;
  columns: PreparedColumn[];
}

export async function loadTable(file: string): Promise<LoadedTable> {
  const rows: (string | null)[][] = [];
  const summary = await readTable(`${DATA}/${file}`, { onRows: (batch) => void rows.push(...batch) });
  const schema: TableSchema = {
    columns: summary.profiles
      .filter((p) => p.type !== 'identifier' && p.type !== 'text')
      .map((p) => ({ name: p.name, type: p.type, role: 'synthesise' as const })),
  };
  return { header: summary.header, rows, schema, columns: prepareColumns(rows, summary.header, schema) };
}

/** Re-reads generated cells with the source schema: the same parsing, so they must fit the source's types. */
export function reprepare(rows: (string | null)[][], schema: TableSchema): PreparedColumn[] {
  return prepareColumns(rows, schema.columns.map((c) => c.name), schema);
}

export function sha256(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export function byName(columns: PreparedColumn[], name: string): PreparedColumn {
  const col = columns.find((c) => c.name === name);
  if (!col) throw new Error(`no column ${name}`);
  return col;
}
