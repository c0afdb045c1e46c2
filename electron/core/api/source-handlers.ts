// Handlers for the sources channels: imports, tables and DICOM browsing.
import type { z } from 'zod';
import type { Contract, ResultOf } from '../../shared/contract';
import { AirlockError } from '../errors';
import { appendAudit } from '../govern/audit';
import { applyHoldout } from '../ingest/table-import';
import { setDicomHoldout } from '../ingest/jobs';
import { columnValues, getTable, instanceTags, listStudies, listTables, seriesInstances, tableColumns } from '../ingest/sources-repo';
import { validateOverride } from '../ingest/table/types';
import { setColumnDate } from '../ingest/table-dates';
import { sessionCodec } from '../store/sources-seal';
import type { AirlockService, OpenSession } from './service';

type SourceChannel =
  | 'ingest:chooseFiles'
  | 'ingest:start'
  | 'ingest:status'
  | 'ingest:cancel'
  | 'sources:list'
  | 'sources:setDicomHoldout'
  | 'tables:get'
  | 'tables:setType'
  | 'tables:setDate'
  | 'tables:setHoldout'
  | 'dicom:instances'
  | 'dicom:tags'
  | 'dicom:render'
  | 'dicom:thumbnail';
type Args<C extends SourceChannel> = z.output<Contract[C]['args']>;
type Handler<C extends SourceChannel> = (svc: AirlockService, args: Args<C>, session: OpenSession) => Promise<ResultOf<C>> | ResultOf<C>;

export const sourceHandlers: { [C in SourceChannel]: Handler<C> } = {
  'ingest:chooseFiles': async (svc, a) => {
    if (!svc.options.chooseFiles) throw new AirlockError('NOT_AVAILABLE', 'The file picker is only available in the desktop app. Type the path instead.');
    return { paths: await svc.options.chooseFiles(a.folders) };
  },
  'ingest:start': (_svc, a, s) => s.imports.start(s.ws, s.user.username, a.paths, a.holdout),
  'ingest:status': (_svc, a, s) => s.imports.get(a.jobId),
  'ingest:cancel': (_svc, a, s) => s.imports.cancel(a.jobId),
  'sources:list': (_svc, _a, s) => ({ tables: listTables(s.ws.db, sessionCodec(s.ws)), studies: listStudies(s.ws.db, sessionCodec(s.ws)) }),
  'sources:setDicomHoldout': (_svc, a, s) => setDicomHoldout(s.ws, s.user.username, a),
  'tables:get': (_svc, a, s) => getTable(s.ws.db, sessionCodec(s.ws), a.tableId, a.previewRows),
  'tables:setType': (svc, a, s) => {
    const codec = sessionCodec(s.ws);
    const table = getTable(s.ws.db, codec, a.tableId, 0);
    const column = table.columns.find((c) => c.index === a.column);
    if (!column) throw new AirlockError('NOT_FOUND', `Table “${table.name}” has no column #${a.column}.`);
    const check = validateOverride(columnValues(s.ws.db, codec, a.tableId, a.column), a.type);
    if (!check.ok) {
      const bad = check.firstBad;
      throw new AirlockError('INVALID_ARGUMENT', `Column “${column.name}” cannot be ${a.type}: row ${(bad?.row ?? 0) + 1} holds “${bad?.value ?? ''}”.`);
    }
    s.ws.db.transaction(() => {
      s.ws.db.prepare('UPDATE table_columns SET type = ? WHERE table_id = ? AND idx = ?').run(a.type, a.tableId, a.column);
      appendAudit(s.ws.db, { actor: s.user.username, action: 'table.column_type_changed', subject: table.name, details: { column: column.name, from: column.type, to: a.type } }, svc.now());
    })();
    const updated = tableColumns(s.ws.db, codec, a.tableId).find((c) => c.index === a.column);
    if (!updated) throw new AirlockError('INTERNAL', 'The column vanished while it was being updated.');
    return updated;
  },
  'tables:setDate': (svc, a, s) => setColumnDate(s.ws.db, sessionCodec(s.ws), s.user.username, a, svc.now()),
  'tables:setHoldout': (svc, a, s) => {
    const codec = sessionCodec(s.ws);
    const table = getTable(s.ws.db, codec, a.tableId, 0);
    s.ws.db.transaction(() => {
      const stats = applyHoldout(s.ws.db, codec, a.tableId, a.holdout);
      appendAudit(s.ws.db, { actor: s.user.username, action: 'table.holdout_changed', subject: table.name, details: { from: table.holdout, to: { ...a.holdout, ...stats } } }, svc.now());
    })();
    const { columns: _c, preview: _p, ...summary } = getTable(s.ws.db, codec, a.tableId, 0);
    return summary;
  },
  'dicom:instances': (_svc, a, s) => seriesInstances(s.ws.db, a.seriesId),
  'dicom:tags': (_svc, a, s) => instanceTags(s.ws.db, sessionCodec(s.ws), a.instanceId),
  'dicom:render': (_svc, a, s) => s.previews.render(s.ws.db, sessionCodec(s.ws), a.instanceId, a.frame, a.window, a.maxSize),
  'dicom:thumbnail': (_svc, a, s) => s.previews.thumbnail(s.ws.db, sessionCodec(s.ws), a.seriesId),
};
