// Who made a synthetic dataset: every author of its spec, whoever started or resumed its run, whoever drew the
// version. Separation of duties reads this, never the UI, so nobody on the list can approve the dataset.
import type { Db } from '../store/database';
import { getDatasetRow, getRunRow } from '../train/runs-repo';

export interface DatasetMakers {
  /** Everyone who saved any version of the dataset's spec. */
  specAuthors: string[];
  /** Whoever started the run, and anyone who resumed it. */
  runStartedBy: string[];
  /** Whoever drew this dataset version (a later `runs:sample`), if not the run's starter. */
  datasetCreatedBy: string;
}

const sorted = (names: Iterable<string>): string[] => [...new Set([...names].map((n) => n.toLowerCase()))].sort();

export function datasetMakers(db: Db, datasetId: number): DatasetMakers {
  const dataset = getDatasetRow(db, datasetId);
  const run = getRunRow(db, dataset.run_id);
  const authors = db.prepare('SELECT DISTINCT created_by AS who FROM spec_versions WHERE spec_id = ?').all(run.spec_id) as { who: string }[];
  const spec = db.prepare('SELECT created_by AS who FROM specs WHERE id = ?').get(run.spec_id) as { who: string } | undefined;
  const resumers = db.prepare("SELECT DISTINCT actor AS who FROM audit_log WHERE action = 'run.resumed' AND subject = ?").all(`run #${run.id}`) as { who: string }[];
  return {
    specAuthors: sorted([...authors.map((a) => a.who), ...(spec ? [spec.who] : [])]),
    runStartedBy: sorted([run.actor, ...resumers.map((r) => r.who)]),
    datasetCreatedBy: dataset.created_by.toLowerCase(),
  };
}
