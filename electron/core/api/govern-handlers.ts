// Handlers for sign-off and export: requests, signatures, policy, retirement, the export gate and verify.
import type { z } from 'zod';
import type { Contract, ResultOf } from '../../shared/contract';
import { AirlockError } from '../errors';
import { listRequests, previewCard, requestApproval, requestDetail, requestView, retireDataset, revokeApproval, signRequest } from '../govern/approvals';
import { listRequestRows, retirementOf } from '../govern/approvals-repo';
import { exportGate } from '../govern/gate';
import { getPolicy, setPolicy } from '../govern/policy';
import { exportDataset } from '../export/export-dataset';
import { verifyBundle } from '../export/bundle/verify';
import { specName } from '../train/specs';
import { getRunRow } from '../train/runs-repo';
import type { AirlockService, OpenSession } from './service';

type GovernChannel =
  | 'approvals:datasets'
  | 'approvals:preview'
  | 'approvals:request'
  | 'approvals:list'
  | 'approvals:get'
  | 'approvals:sign'
  | 'approvals:revoke'
  | 'approvals:policy'
  | 'approvals:setPolicy'
  | 'datasets:retire'
  | 'export:check'
  | 'export:chooseFolder'
  | 'export:run'
  | 'bundles:choose'
  | 'bundles:verify';
type Args<C extends GovernChannel> = z.output<Contract[C]['args']>;
type Handler<C extends GovernChannel> = (svc: AirlockService, args: Args<C>, session: OpenSession) => Promise<ResultOf<C>> | ResultOf<C>;

const publicGate = (g: ReturnType<typeof exportGate>) => {
  const { request: _r, evaluation: _e, ...answer } = g;
  return answer;
};

export const governHandlers: { [C in GovernChannel]: Handler<C> } = {
  'approvals:datasets': (_svc, _a, s) => {
    const rows = s.ws.db.prepare('SELECT id, run_id, version, kind, row_count FROM datasets ORDER BY id DESC').all() as { id: number; run_id: number; version: number; kind: 'table' | 'images'; row_count: number }[];
    return rows.map((d) => {
      const run = getRunRow(s.ws.db, d.run_id);
      const [latest] = listRequestRows(s.ws.db, d.id);
      return {
        datasetId: d.id,
        datasetVersion: d.version,
        runId: d.run_id,
        specName: specName(s.ws.db, run.spec_id, run.spec_version),
        kind: d.kind,
        rows: d.row_count,
        retired: retirementOf(s.ws.db, d.id) !== null,
        latestRequest: latest ? requestView(s.ws, s.user, latest.id) : null,
      };
    });
  },
  'approvals:preview': (_svc, a, s) => previewCard(s.ws, s.user, a.datasetId, a.validationId, a.sections),
  'approvals:request': (_svc, a, s) => requestApproval(s.ws, s.user, a.datasetId, a.validationId, a.sections),
  'approvals:list': (_svc, a, s) => listRequests(s.ws, s.user, a.status),
  'approvals:get': (_svc, a, s) => requestDetail(s.ws, s.user, a.requestId),
  'approvals:sign': (_svc, a, s) => signRequest(s.ws, s.user, a),
  'approvals:revoke': (_svc, a, s) => revokeApproval(s.ws, s.user, a.signatureId, a.reason, a.password),
  'approvals:policy': (_svc, _a, s) => getPolicy(s.ws.db),
  'approvals:setPolicy': (svc, a, s) => setPolicy(s.ws.db, s.user, a.tier, a.requiredApprovals, svc.now()),
  'datasets:retire': (_svc, a, s) => {
    retireDataset(s.ws, s.user, a.datasetId, a.reason);
    return publicGate(exportGate(s.ws.db, a.datasetId));
  },
  'export:check': (_svc, a, s) => publicGate(exportGate(s.ws.db, a.datasetId)),
  'export:chooseFolder': async (svc) => {
    if (!svc.options.chooseFolder) throw new AirlockError('NOT_AVAILABLE', 'The folder picker is only available in the desktop app. Type the folder path instead.');
    return { path: await svc.options.chooseFolder() };
  },
  'export:run': (svc, a, s) => exportDataset(s.ws, s.user, s.validations, a, { renderPdf: svc.options.renderPdf }),
  'bundles:choose': async (svc, a) => {
    if (!svc.options.chooseBundle) throw new AirlockError('NOT_AVAILABLE', 'The bundle picker is only available in the desktop app. Type the bundle’s path instead.');
    return { path: await svc.options.chooseBundle(a.zip) };
  },
  'bundles:verify': (_svc, a) => verifyBundle(a.path),
};
