// What a validation reads from the store: the synthetic rows of a dataset version, and the real rows split into
// training and holdout exactly as they were when the generator trained (a holdout redrawn later must not turn
// training rows into "unseen" controls), with the source column types.
import type { Spec, SpecVersionView } from '../../shared/spec-schema';
import { AirlockError } from '../errors';
import { holdoutAssignment } from '../ingest/table/holdout';
import { treatedSource } from '../train/tabular/treatments';
import type { Db } from '../store/database';
import type { SourceCodec } from '../store/sources-seal';
import { tableRows } from '../ingest/sources-repo';
import { getDatasetRow, getRunRow, type DatasetRow, type RunRow } from '../train/runs-repo';
import { getSpecVersion } from '../train/specs';
import type { Cells, FrameColumnSpec } from './frames';

export interface ValidationInputs {
  dataset: DatasetRow;
  run: RunRow;
  spec: Spec;
  specVersion: SpecVersionView;
  columns: FrameColumnSpec[];
  header: string[];
  train: Cells;
  holdout: Cells;
  synthetic: Cells;
  /** How the split was found, for the report. */
  split: string;
}

interface HoldoutSpecJson {
  fraction: number;
  seed: string | number;
  groupColumn: string | null;
}

// The split in force when the run started: the `from` of the first holdout change after the run began, if any.
function holdoutAtRun(db: Db, codec: SourceCodec, tableId: number, tableName: string, runId: number): { flags: boolean[] | null; note: string } {
  const started = db.prepare("SELECT seq FROM audit_log WHERE action = 'run.started' AND subject = ?").get(`run #${runId}`) as { seq: number } | undefined;
  const change = db
    .prepare("SELECT details FROM audit_log WHERE action = 'table.holdout_changed' AND subject = ? AND seq > ? ORDER BY seq LIMIT 1")
    .get(tableName, started?.seq ?? 0) as { details: string } | undefined;
  if (!change) return { flags: null, note: 'The holdout is the one the run trained against (unchanged since).' };
  const from = (JSON.parse(change.details) as { from: HoldoutSpecJson }).from;
  const rows = tableRows(db, codec, tableId);
  let groupKeys: (string | null)[] | undefined;
  if (from.groupColumn !== null) {
    const col = db.prepare('SELECT idx FROM table_columns WHERE table_id = ? AND name = ?').get(tableId, from.groupColumn) as { idx: number } | undefined;
    if (!col) throw new AirlockError('CONFLICT', `The holdout this run trained against was grouped by “${from.groupColumn}”, which the table no longer has.`);
    groupKeys = rows.map((r) => r.cells[col.idx] ?? null);
  }
  const split = holdoutAssignment(rows.length, { fraction: from.fraction, seed: from.seed, groupKeys });
  return { flags: split.isHoldout, note: `The holdout was redrawn after this run trained; validation uses the split the run trained against (seed ${String(from.seed)}, ${Math.round(from.fraction * 100)}%${from.groupColumn ? `, grouped by ${from.groupColumn}` : ''}).` };
}

export function loadInputs(db: Db, codec: SourceCodec, datasetId: number): ValidationInputs {
  const dataset = getDatasetRow(db, datasetId);
  const kind = (db.prepare('SELECT kind FROM datasets WHERE id = ?').get(datasetId) as { kind: string }).kind;
  if (kind !== 'table') throw new AirlockError('INVALID_ARGUMENT', `Dataset #${datasetId} holds images; table validation applies to synthetic tables only.`);
  const run = getRunRow(db, dataset.run_id);
  const specVersion = getSpecVersion(db, run.spec_id, run.spec_version);
  const spec = specVersion.spec;
  const { table, treat } = treatedSource(db, codec, spec); // the run's date treatments, so real and synthetic cells compare like with like
  const header = JSON.parse(dataset.header) as string[];
  const columns = header.map((name) => {
    const col = table.columns.find((c) => c.name === name);
    if (!col) throw new AirlockError('CONFLICT', `The synthetic column “${name}” is no longer in the source table “${table.name}”.`);
    return { name, type: col.type, index: col.index };
  });
  const { flags, note } = holdoutAtRun(db, codec, table.id, table.name, run.id);
  const train: Cells = [];
  const holdout: Cells = [];
  for (const r of tableRows(db, codec, table.id)) {
    const cells = treat(r.cells);
    const picked = columns.map((c) => cells[c.index] ?? null);
    const isHoldout = flags ? flags[r.row] === true : r.holdout === 1;
    (isHoldout ? holdout : train).push(picked);
  }
  if (holdout.length === 0) throw new AirlockError('INVALID_ARGUMENT', `Table “${table.name}” has no holdout rows: validation needs real rows the generator never saw. Redraw the holdout with a share above 0 and train again.`);
  const synthetic = (db.prepare('SELECT cells FROM dataset_rows WHERE dataset_id = ? ORDER BY row_idx').all(datasetId) as { cells: string }[]).map((r) => JSON.parse(r.cells) as (string | null)[]);
  return { dataset, run, spec, specVersion, columns: columns.map(({ name, type }) => ({ name, type })), header, train, holdout, synthetic, split: note };
}
