// Helpers for the table-ingest tests: read a whole (small) table, write temp files byte-exactly.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTable } from '../../electron/core/ingest/table';
import type { ReadTableOptions, TableSummary } from '../../electron/core/ingest/table';
import { tempDir } from '../helpers';

export const DATA = '/work/shared/data';
export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'tables');

/** Reads a table and keeps its rows (fine for test-sized files; the reader itself never does). */
export async function readAll(path: string, options: Partial<ReadTableOptions> = {}): Promise<{ summary: TableSummary; rows: (string | null)[][]; batches: number }> {
  const rows: (string | null)[][] = [];
  let batches = 0;
  const summary = await readTable(path, {
    ...options,
    onRows: (batch) => {
      batches++;
      rows.push(...batch);
    },
  });
  return { summary, rows, batches };
}

export function writeTemp(name: string, content: string | Uint8Array): string {
  const path = join(tempDir('airlock-table-'), name);
  writeFileSync(path, content);
  return path;
}

export function column(summary: TableSummary, name: string) {
  const profile = summary.profiles.find((p) => p.name === name);
  if (!profile) throw new Error(`no column ${name}`);
  return profile;
}
