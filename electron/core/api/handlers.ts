// One handler per contract channel, over the core services. Arguments arrive already validated.
import { configureAuditAnchor, verifyWorkspaceAudit } from '../govern/audit-session';
import type { z } from 'zod';
import type { Channel, Contract, ResultOf } from '../../shared/contract';
import { AirlockError } from '../errors';
import { appendAudit, listAudit } from '../govern/audit';
import { getSettings, updateSettings } from '../govern/settings';
import { addUser, changeOwnPassword, disableUser, enableUser, listUsers, resetPassword, setRoles } from '../govern/users';
import { requireUser } from '../govern/users-repo';
import { createWorkspace, probeWorkspace, unlockWorkspace } from '../store/workspace';
import { APP_NAME, APP_VERSION } from '../version';
import type { AirlockService, OpenSession } from './service';
import { sourceHandlers } from './source-handlers';
import { governHandlers } from './govern-handlers';
import { datasetImage, datasetRows, getDatasetRow } from '../train/runs-repo';
import { listImageSpecs, saveImageSpec } from '../train/specs';
import { runLossChart } from '../validate/report/loss-chart';
import { memorisationPairs } from '../validate/image/pairs-view';
import { sessionCodec } from '../store/sources-seal';
import { suggestRules } from '../train/rules/suggest';
import { diffSpecVersions, draftSpec, getSpecVersion, listSpecVersions, listSpecs, saveSpec } from '../train/specs';

type Args<C extends Channel> = z.output<Contract[C]['args']>;
type Handler<C extends Channel> = (svc: AirlockService, args: Args<C>, session: OpenSession | null) => Promise<ResultOf<C>> | ResultOf<C>;

function must(session: OpenSession | null): OpenSession {
  // The dispatcher has already checked access; this only narrows the type.
  if (!session) throw new AirlockError('UNAUTHENTICATED', 'You are not logged in. Unlock the workspace first.');
  return session;
}

// After a user change, refresh the session's own row so role changes to oneself apply at once.
function refreshActor(s: OpenSession): void {
  s.user = requireUser(s.ws.db, s.user.username);
}

// Source handlers always run with a session (their channels need the steward role).
function withSession<A, R>(h: (svc: AirlockService, args: A, session: OpenSession) => R) {
  return (svc: AirlockService, args: A, session: OpenSession | null): R => h(svc, args, must(session));
}

export const handlers: { [C in Channel]: Handler<C> } = {
  'ingest:chooseFiles': withSession(sourceHandlers['ingest:chooseFiles']),
  'ingest:start': withSession(sourceHandlers['ingest:start']),
  'ingest:status': withSession(sourceHandlers['ingest:status']),
  'ingest:cancel': withSession(sourceHandlers['ingest:cancel']),
  'sources:list': withSession(sourceHandlers['sources:list']),
  'sources:setDicomHoldout': withSession(sourceHandlers['sources:setDicomHoldout']),
  'tables:get': withSession(sourceHandlers['tables:get']),
  'tables:setType': withSession(sourceHandlers['tables:setType']),
  'tables:setDate': withSession(sourceHandlers['tables:setDate']),
  'tables:setHoldout': withSession(sourceHandlers['tables:setHoldout']),
  'dicom:instances': withSession(sourceHandlers['dicom:instances']),
  'dicom:tags': withSession(sourceHandlers['dicom:tags']),
  'dicom:render': withSession(sourceHandlers['dicom:render']),
  'dicom:thumbnail': withSession(sourceHandlers['dicom:thumbnail']),
  'specs:list': (_svc, _a, session) => listSpecs(must(session).ws.db),
  'specs:get': (_svc, a, session) => {
    const db = must(session).ws.db;
    const current = getSpecVersion(db, a.specId, a.version);
    return { current, versions: listSpecVersions(db, a.specId).map(({ spec: _s, ...v }) => v) };
  },
  'specs:draft': (_svc, a, session) => draftSpec(must(session).ws.db, sessionCodec(must(session).ws), a.tableId),
  'specs:suggestRules': (_svc, a, session) => suggestRules(must(session).ws.db, sessionCodec(must(session).ws), a.tableId),
  'specs:save': (svc, a, session) => {
    const s = must(session);
    return saveSpec(s.ws.db, sessionCodec(s.ws), s.user.username, a.specId, a.spec, svc.now());
  },
  'specs:diff': (_svc, a, session) => diffSpecVersions(must(session).ws.db, a.specId, a.from, a.to),
  'runs:start': (_svc, a, session) => {
    const s = must(session);
    return s.runs.start(s.user.username, a.specId, a.version);
  },
  'runs:list': (_svc, _a, session) => must(session).runs.list(),
  'runs:get': (_svc, a, session) => must(session).runs.view(a.runId),
  'runs:cancel': (_svc, a, session) => must(session).runs.cancel(a.runId),
  'runs:resume': (_svc, a, session) => {
    const s = must(session);
    return s.runs.resume(s.user.username, a.runId);
  },
  'runs:sample': async (_svc, a, session) => {
    const s = must(session);
    const d = await s.runs.sample(s.user.username, a.runId, a.rows);
    const row = getDatasetRow(s.ws.db, d.id);
    return { id: row.id, runId: row.run_id, version: row.version, rows: row.row_count, sha256: row.sha256, createdAt: row.created_at, createdBy: row.created_by };
  },
  'imagespecs:save': (svc, a, session) => {
    const s = must(session);
    return saveImageSpec(s.ws.db, sessionCodec(s.ws), s.user.username, a.specId, a.spec, svc.now());
  },
  'imagespecs:list': (_svc, _a, session) => listImageSpecs(must(session).ws.db),
  'datasets:image': (_svc, a, session) => {
    const s = must(session);
    return s.previews.renderBytes(`dataset:${a.datasetId}:${a.index}`, datasetImage(s.ws.db, a.datasetId, a.index), a.window, a.maxSize);
  },
  'datasets:preview': (_svc, a, session) => {
    const db = must(session).ws.db;
    const row = getDatasetRow(db, a.datasetId);
    if (row.kind === 'images') throw new AirlockError('INVALID_ARGUMENT', `Dataset #${row.id} holds ${row.row_count} synthetic images, not rows: look at them in the Training screen.`);
    return {
      id: row.id,
      runId: row.run_id,
      version: row.version,
      rows: row.row_count,
      sha256: row.sha256,
      createdAt: row.created_at,
      createdBy: row.created_by,
      header: JSON.parse(row.header) as string[],
      preview: datasetRows(db, row.id, a.limit, a.offset),
    };
  },
  'validations:start': (_svc, a, session) => {
    const s = must(session);
    return s.validations.start(s.user.username, a.datasetId, a.seed);
  },
  'validations:list': (_svc, a, session) => must(session).validations.list(a.datasetId),
  'validations:get': (_svc, a, session) => must(session).validations.get(a.validationId),
  'validations:cancel': (_svc, a, session) => must(session).validations.cancel(a.validationId),
  'validations:report': (_svc, a, session) => must(session).validations.report(a.validationId, a.format),
  'validations:save': async (svc, a, session) => {
    const s = must(session);
    if (!svc.options.saveReport) throw new AirlockError('NOT_AVAILABLE', 'Saving a report to a file is done in the desktop app. From the command line, use “airlock report N --html FILE” (or --json-report, --pdf).');
    const report = s.validations.report(a.validationId, a.format === 'json' ? 'json' : 'html');
    const path = await svc.options.saveReport(report, a.format);
    if (path) appendAudit(s.ws.db, { actor: s.user.username, action: 'validation.report_saved', subject: `validation #${a.validationId}`, details: { format: a.format, path } }, svc.now());
    return { path };
  },
  'validations:memorisationPairs': (svc, a, session) => {
    const s = must(session);
    return memorisationPairs(s.ws.db, sessionCodec(s.ws), s.user.username, a.validationId, a.limit, svc.now());
  },
  'runs:lossChart': (_svc, a, session) => runLossChart(must(session).ws.db, a.runId),
  'approvals:datasets': withSession(governHandlers['approvals:datasets']),
  'approvals:preview': withSession(governHandlers['approvals:preview']),
  'approvals:request': withSession(governHandlers['approvals:request']),
  'approvals:list': withSession(governHandlers['approvals:list']),
  'approvals:get': withSession(governHandlers['approvals:get']),
  'approvals:sign': withSession(governHandlers['approvals:sign']),
  'approvals:revoke': withSession(governHandlers['approvals:revoke']),
  'approvals:policy': withSession(governHandlers['approvals:policy']),
  'approvals:setPolicy': withSession(governHandlers['approvals:setPolicy']),
  'datasets:retire': withSession(governHandlers['datasets:retire']),
  'export:check': withSession(governHandlers['export:check']),
  'export:chooseFolder': withSession(governHandlers['export:chooseFolder']),
  'export:run': withSession(governHandlers['export:run']),
  'bundles:choose': withSession(governHandlers['bundles:choose']),
  'bundles:verify': withSession(governHandlers['bundles:verify']),
  'app:info': () => ({ name: APP_NAME, version: APP_VERSION }),
  'workspace:probe': (_svc, { path }) => ({ state: probeWorkspace(path) }),
  'workspace:create': async (svc, a) => {
    svc.end();
    await svc.settled();
    // createWorkspace and unlockWorkspace begin the signed session themselves (what a login settles is signed too).
    const { workspace, user } = await createWorkspace(a.path, { username: a.username, displayName: a.displayName, password: a.password }, svc.options);
    return svc.start(workspace, user);
  },
  'workspace:chooseFolder': async (svc) => {
    if (!svc.options.chooseFolder) throw new AirlockError('NOT_AVAILABLE', 'The folder picker is only available in the desktop app. Type the folder path instead.');
    return { path: await svc.options.chooseFolder() };
  },
  'session:login': async (svc, a) => {
    // One session at a time: unlocking again (say, after a reload) first closes the open store.
    svc.end();
    await svc.settled();
    // From the login on, every entry of the session is signed with the user's key (unlocked by the same password).
    const { workspace, user } = await unlockWorkspace(a.path, a.username, a.password, svc.options);
    return svc.start(workspace, user);
  },
  'session:logout': (svc) => {
    svc.end('logout');
    return { ok: true as const };
  },
  'session:status': (svc) => {
    const s = svc.checkIdle();
    return { session: s ? svc.info(s) : null, idleSecondsLeft: s ? svc.idleSecondsLeft(s) : null, idleLockedAfterMinutes: s ? null : svc.idleLockedAfterMinutes };
  },
  'session:touch': () => ({ ok: true as const }),
  'session:changePassword': async (_svc, a, session) => {
    const s = must(session);
    // It also moves the session's signing to the (possibly new) key pair.
    await changeOwnPassword(s.ws, s.user, a.currentPassword, a.newPassword);
    refreshActor(s);
    return { ok: true as const };
  },
  'users:list': (_svc, _a, session) => {
    const s = must(session);
    return listUsers(s.ws, s.user);
  },
  'users:add': async (_svc, a, session) => {
    const s = must(session);
    return addUser(s.ws, s.user, a);
  },
  'users:disable': (_svc, a, session) => {
    const s = must(session);
    return disableUser(s.ws, s.user, a.username);
  },
  'users:enable': async (_svc, a, session) => {
    const s = must(session);
    return enableUser(s.ws, s.user, a.username, a.password);
  },
  'users:resetPassword': async (_svc, a, session) => {
    const s = must(session);
    return resetPassword(s.ws, s.user, a.username, a.password);
  },
  'users:setRoles': (_svc, a, session) => {
    const s = must(session);
    const result = setRoles(s.ws, s.user, a.username, a.roles);
    refreshActor(s);
    return result;
  },
  'audit:list': (_svc, a, session) => listAudit(must(session).ws.db, a),
  'audit:verify': (_svc, _a, session) => verifyWorkspaceAudit(must(session).ws),
  'settings:get': (_svc, _a, session) => getSettings(must(session).ws.db),
  'settings:update': (svc, a, session) => {
    const s = must(session);
    return updateSettings(s.ws.db, s.user.username, a, svc.now());
  },
  'settings:setAuditAnchor': (_svc, a, session) => {
    const s = must(session);
    return { auditAnchorFolder: configureAuditAnchor(s.ws, s.user.username, a.folder) };
  },
};
