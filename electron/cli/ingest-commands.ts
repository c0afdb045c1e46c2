// `airlock ingest` and `airlock sources`: import files and folders, list what the store holds.
import type { Command } from 'commander';
import type { AirlockService } from '../core/api/service';
import { AirlockError } from '../core/errors';
import type { ImportJobView } from '../shared/ingest-schemas';
import { print, withSession, type GlobalOptions } from './context';
import { dicomSplitLines, patientCell } from './dicom-lines';
import { table } from './format';
import { holdoutCell, leakLines } from './holdout-command';

type Globals = () => GlobalOptions;

export function resultsTable(job: ImportJobView): string {
  const t = table({ head: ['file', 'kind', 'result', 'details'], wordWrap: true, colWidths: [40, 8, 11, 70] });
  for (const r of job.results) t.push([r.path, r.kind, r.status, r.code ? `${r.message} [${r.code}]` : r.message]);
  return t.toString();
}

export async function runImport(svc: AirlockService, paths: string[], holdout: { fraction: number; seed: string; groupColumn: string | null } | undefined, onTick?: (job: ImportJobView) => void): Promise<ImportJobView> {
  const job = await svc.call('ingest:start', { paths, holdout });
  const session = svc.current;
  if (!session) throw new AirlockError('UNAUTHENTICATED', 'The session ended during the import.');
  const timer = onTick ? setInterval(() => onTick(session.imports.get(job.id)), 500) : null;
  try {
    return await session.imports.wait(job.id);
  } finally {
    if (timer) clearInterval(timer);
  }
}

export function addIngestCommands(program: Command, globals: Globals): void {
  program
    .command('ingest <paths...>')
    .description('import DICOM files/folders (recursive) and CSV/TSV tables into the store; exit 4 if any file was refused')
    .option('--holdout <fraction>', 'share of each table held out for validation', '0.2')
    .option('--seed <seed>', 'seed of the holdout split (recorded)', 'airlock')
    .option('--group-column <name>', 'keep all rows with the same value here on one side (default: a patient-id column whose values repeat, if any)')
    .action(async (paths: string[], o: { holdout: string; seed: string; groupColumn?: string }) => {
      const g = globals();
      const holdout = { fraction: Number(o.holdout), seed: o.seed, groupColumn: o.groupColumn ?? null };
      const tty = process.stderr.isTTY && !g.json;
      const job = await withSession(g, (svc) =>
        runImport(svc, paths, holdout, tty ? (j) => process.stderr.write(`\r${j.filesDone}/${j.filesTotal} files, ${(j.bytesDone / 1e6).toFixed(1)} of ${(j.bytesTotal / 1e6).toFixed(1)} MB `) : undefined),
      );
      if (tty) process.stderr.write('\n');
      print(g, job, () => `${resultsTable(job)}\nImported ${job.counts.imported}, already present ${job.counts.duplicates}, refused ${job.counts.refused}.`);
      if (job.counts.refused > 0) process.exitCode = 4;
    });
  program
    .command('sources')
    .description('list the tables and DICOM studies in the store')
    .option('--dicom-holdout <fraction>', 'first redraw which DICOM patients are held out (0–0.5)')
    .option('--dicom-seed <seed>', 'seed of that redraw (recorded)', 'airlock')
    .action(async (o: { dicomHoldout?: string; dicomSeed: string }) => {
      const g = globals();
      const list = await withSession(g, async (svc) => {
        if (o.dicomHoldout !== undefined) await svc.call('sources:setDicomHoldout', { fraction: Number(o.dicomHoldout), seed: o.dicomSeed });
        return svc.call('sources:list', {});
      });
      print(g, list, () => {
        const tables = table({ head: ['#', 'table', 'rows', 'columns', 'identifying', 'holdout rows'] });
        for (const t of list.tables) tables.push([t.id, t.name, t.rowCount, t.columnCount, t.identifyingColumns, holdoutCell(t)]);
        // "id" is what image specs name in seriesIds; "series #" is the scanner's Series Number.
        const series = table({ head: ['id', 'patient', 'study', 'series #', 'modality', 'description', 'images', 'holdout'] });
        for (const s of list.studies) for (const se of s.series) series.push([se.id, patientCell(s.patient), s.description ?? s.studyUid, se.number ?? '', se.modality ?? '', se.description ?? '', se.instances, s.patient.holdout ? 'yes' : 'no']);
        return `Tables\n${tables.toString()}\n${list.tables.flatMap(leakLines).map((l) => `${l}\n`).join('')}DICOM series\n${series.toString()}${dicomSplitLines(list.studies).map((l) => `\n${l}`).join('')}`;
      });
    });
}
