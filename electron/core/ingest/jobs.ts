// Import jobs: walk the chosen paths and import file by file, reporting progress and a result per file.
// A refused file never stops the rest; cancel stops between files (and inside a long table), rolling back
// the file in hand. Each import is one audit event with its counts.
import type { FileResult, HoldoutSpec, ImportJobView } from '../../shared/ingest-schemas';
import { AirlockError } from '../errors';
import { appendAudit } from '../govern/audit';
import { importCache } from '../store/import-cache';
import { rowIdOf, sessionCodec } from '../store/sources-seal';
import { storageProblem, type StorageProblem } from '../store/storage-errors';
import type { Workspace } from '../store/workspace';
import { DicomBatch, ReadAhead } from './dicom-batch';
import { ReadPool } from './read-pool';
import { patientInHoldout, type DicomHoldout } from './dicom-import';
import { finishImportRow, startImportRow } from './files-repo';
import { DEFAULT_HOLDOUT, importTableFile } from './table-import';
import { expandPaths } from './walk';

interface Job {
  view: ImportJobView;
  controller: AbortController;
  done: Promise<void>;
}

// Storage failures (a full disk, a read-only one), said as what was not kept and what the steward can do.
const STORAGE_CAUSES: Record<StorageProblem, string> = {
  full: 'The disk holding the workspace is full',
  readonly: 'The workspace can only be read (a read-only disk or folder)',
  write: 'Writing to the disk holding the workspace failed',
};

function storageMessage(problem: StorageProblem, lost: string): string {
  return `${STORAGE_CAUSES[problem]}, so ${lost}.${problem === 'full' ? ' Free some space, then import it again.' : ''}`;
}

function refusal(path: string, kind: FileResult['kind'], bytes: number, err: unknown): FileResult {
  if (err instanceof AirlockError) return { path, kind, bytes, status: 'refused', code: err.code, message: err.message };
  const problem = storageProblem(err);
  if (problem) return { path, kind, bytes, status: 'refused', code: 'FILE_UNWRITABLE', message: storageMessage(problem, 'this file was not stored') };
  const msg = err instanceof Error ? err.message : String(err);
  return { path, kind, bytes, status: 'refused', code: 'INTERNAL', message: `Airlock could not import this file: ${msg}` };
}

export function dicomHoldoutOf(ws: Workspace): DicomHoldout {
  const row = ws.db.prepare("SELECT value FROM settings WHERE key = 'dicomHoldout'").get() as { value: string } | undefined;
  if (row) return JSON.parse(row.value) as DicomHoldout;
  // Recorded on first use, so every later import splits patients the same way.
  const h = { fraction: DEFAULT_HOLDOUT.fraction, seed: DEFAULT_HOLDOUT.seed };
  ws.db.prepare("INSERT INTO settings (key, value) VALUES ('dicomHoldout', ?)").run(JSON.stringify(h));
  return h;
}

// Redraws the per-patient DICOM split for the whole workspace (audited); later imports use the new rule.
export function setDicomHoldout(ws: Workspace, actor: string, next: DicomHoldout): DicomHoldout & { patients: number; heldOut: number } {
  const before = dicomHoldoutOf(ws);
  return ws.db.transaction(() => {
    ws.db.prepare("INSERT INTO settings (key, value) VALUES ('dicomHoldout', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify(next));
    const codec = sessionCodec(ws);
    const patients = ws.db.prepare('SELECT id, patient_key, patient_key_sealed FROM dicom_patients').all() as { id: number; patient_key: string; patient_key_sealed: unknown }[];
    const update = ws.db.prepare('UPDATE dicom_patients SET holdout = ? WHERE id = ?');
    let heldOut = 0;
    for (const p of patients) {
      // The split is drawn from the real key (as at import), not from its lookup.
      const key = codec.sealing ? codec.getText({ table: 'dicom_patients', column: 'patient_key', rowId: rowIdOf(p.id) }, p.patient_key_sealed) : p.patient_key;
      const h = patientInHoldout(key, next);
      if (h) heldOut += 1;
      update.run(h ? 1 : 0, p.id);
    }
    appendAudit(ws.db, { actor, action: 'dicom.holdout_changed', subject: 'DICOM patients', details: { from: before, to: next, patients: patients.length, heldOut } }, ws.now());
    return { ...next, patients: patients.length, heldOut };
  })();
}

export class ImportJobs {
  private jobs = new Map<number, Job>();

  start(ws: Workspace, actor: string, paths: string[], holdout: HoldoutSpec = DEFAULT_HOLDOUT): ImportJobView {
    const codec = sessionCodec(ws);
    // Refused before anything is written: a session without the sources key cannot seal what it would import.
    codec.requireKey();
    const now = ws.now();
    const id = startImportRow(ws.db, actor, now);
    const view: ImportJobView = {
      id,
      status: 'running',
      filesTotal: 0,
      filesDone: 0,
      bytesTotal: 0,
      bytesDone: 0,
      current: null,
      counts: { imported: 0, duplicates: 0, refused: 0 },
      results: [],
      startedAt: now.toISOString(),
      finishedAt: null,
    };
    const record = (r: FileResult) => {
      view.results.push(r);
      view.filesDone += 1;
      if (r.status === 'imported') view.counts.imported += 1;
      else if (r.status === 'duplicate') view.counts.duplicates += 1;
      else view.counts.refused += 1;
    };
    const controller = new AbortController();
    const restoreCache = importCache(ws.db);
    const run = async () => {
      // Listing folders is part of the job: it can take long on a share, and a cancel must stop it.
      const { files, unreadable } = await expandPaths(paths, { signal: controller.signal, onProgress: (found) => (view.filesTotal = found) });
      view.filesTotal = files.length + unreadable.length;
      view.bytesTotal = files.reduce((s, f) => s + f.bytes, 0);
      for (const u of unreadable) record({ path: u.path, kind: 'unknown', bytes: 0, status: 'refused', code: 'FILE_UNREADABLE', message: u.reason });
      const pool = new ReadPool();
      const batch = new DicomBatch(ws.db, codec, id, dicomHoldoutOf(ws), () => ws.now(), (path, bytes, err) => refusal(path, 'dicom', bytes, err), record, pool);
      // A batch whose commit fails (a full disk) reports each of its files as refused, none lost from the results.
      const ahead = new ReadAhead(files, pool);
      for (const [index, f] of files.entries()) {
        if (controller.signal.aborted || !ws.isOpen) break;
        view.current = f.path;
        const before = view.bytesDone;
        try {
          if (f.kind === 'dicom') {
            await batch.add(f.path, f.bytes, ahead.take(index));
            view.bytesDone = before + f.bytes;
            continue;
          }
          // Results stay in the order of the files.
          batch.flush();
          if (f.kind === 'table') {
            record(await importTableFile(ws.db, codec, id, f.path, f.bytes, { holdout, signal: controller.signal, onProgress: (read) => (view.bytesDone = before + read) }, ws.now()));
          } else {
            record({ path: f.path, kind: 'unknown', bytes: f.bytes, status: 'refused', code: 'NOT_DICOM', message: 'Neither a DICOM file nor a CSV/TSV table.' });
          }
        } catch (err) {
          if (err instanceof AirlockError && err.code === 'IMPORT_CANCELLED') break;
          record(refusal(f.path, f.kind, f.bytes, err));
        }
        view.bytesDone = before + f.bytes;
      }
      if (controller.signal.aborted || !ws.isOpen) batch.discard();
      else batch.flush();
      view.current = null;
      view.status = controller.signal.aborted ? 'cancelled' : 'done';
    };
    const done = run()
      .catch((err: unknown) => {
        if (err instanceof AirlockError && err.code === 'IMPORT_CANCELLED') view.status = 'cancelled';
        else {
          view.status = 'failed';
          // Said in the job's results, so the steward sees why nothing was imported.
          if (err instanceof AirlockError) view.results.push({ path: paths.join(', '), kind: 'unknown', bytes: 0, status: 'refused', code: err.code, message: err.message });
        }
      })
      .finally(() => {
        view.finishedAt = ws.now().toISOString();
        restoreCache();
        if (!ws.isOpen) return;
        try {
          // Counts only: the per-file results name files and series (source values), and are shown from memory.
          ws.db.transaction(() => {
            finishImportRow(ws.db, id, view.status === 'running' ? 'failed' : view.status, { counts: view.counts }, ws.now());
            appendAudit(ws.db, { actor, action: view.status === 'cancelled' ? 'ingest.cancelled' : 'ingest.finished', subject: `import #${id}`, details: { ...view.counts, files: view.filesTotal, holdout } }, ws.now());
          })();
        } catch (err) {
          // A full disk can refuse even the closing record: the per-file results stand, and the next open marks the import cut off.
          const problem = storageProblem(err);
          if (!problem) throw err;
          view.results.push({ path: paths.join(', '), kind: 'unknown', bytes: 0, status: 'refused', code: 'FILE_UNWRITABLE', message: storageMessage(problem, 'the end of this import was not recorded (the files above are as listed)') });
        }
      });
    this.jobs.set(id, { view, controller, done });
    return view;
  }

  get(id: number): ImportJobView {
    const job = this.jobs.get(id);
    if (!job) throw new AirlockError('NOT_FOUND', `There is no import #${id} in this session.`);
    return job.view;
  }

  async cancel(id: number): Promise<ImportJobView> {
    const job = this.jobs.get(id);
    if (!job) throw new AirlockError('NOT_FOUND', `There is no import #${id} in this session.`);
    job.controller.abort();
    await job.done;
    return job.view;
  }

  // Waits for a job to end (the CLI and tests use it; the UI polls instead).
  async wait(id: number): Promise<ImportJobView> {
    const job = this.jobs.get(id);
    if (!job) throw new AirlockError('NOT_FOUND', `There is no import #${id} in this session.`);
    await job.done;
    return job.view;
  }

  // Called before a session ends: stop every running job so nothing writes to a closing store.
  async cancelAll(): Promise<void> {
    for (const job of this.jobs.values()) job.controller.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.done));
    this.jobs.clear();
  }
}
