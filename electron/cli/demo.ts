// `npm run demo`: the headless main job on an embedded default. It creates a workspace under --out, adds
// the three kinds of user, ingests, trains, validates, requests approval (steward), approves (reviewer, after a
// refused login), exports the signed bundle (steward), verifies it offline, and prints the verified audit log.
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AirlockService } from '../core/api/service';
import { AirlockError } from '../core/errors';
import { auditTable, usersTable, verifyLine } from './format';
import { resultsTable, runImport } from './ingest-commands';
import { runSummary, trainAndWait } from './train-commands';
import { validateAndWait, verdictText } from './validate-commands';
import { verifyBundle } from '../core/export/bundle/verify';
import { verificationText } from './verify-command';
import { detailText, gateText, pdfRenderer } from './approval-commands';
import { acceptable, rulesText, suggestionsTable } from './spec-commands';

const SAMPLE = resolve(import.meta.dirname, '../../resources/sample');

const DEMO_USERS = [
  { username: 'sam', displayName: 'Sam Steward', roles: ['steward' as const] },
  { username: 'rita', displayName: 'Rita Reviewer', roles: ['reviewer' as const] },
];

const temporaryPassword = (password: string): string => `${password} (temporary)`;

// First login with the admin-set temporary password, then the user's own (the demo password).
async function firstLogin(svc: AirlockService, path: string, username: string, password: string): Promise<void> {
  const temporary = temporaryPassword(password);
  await svc.call('session:login', { path, username, password: temporary });
  await svc.call('session:changePassword', { currentPassword: temporary, newPassword: password });
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

export async function runDemo(outDir: string, password: string, log: (line: string) => void): Promise<{ workspace: string; verified: boolean }> {
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  // A fresh workspace per run: the demo never touches an earlier one.
  const path = join(out, `workspace-${stamp(new Date())}`);
  // The card's PDF goes into the bundle when Chromium is there to print it.
  const renderPdf = await pdfRenderer();
  const svc = new AirlockService(renderPdf ? { renderPdf } : {});
  const done: string[] = [];
  let requested: { requestId: number; datasetId: number } | null = null;

  log(`Creating an encrypted workspace in ${path}`);
  const admin = await svc.call('workspace:create', { path, username: 'avery', displayName: 'Avery Admin', password });
  done.push(`created workspace ${admin.workspaceId} with admin “avery”`);
  for (const u of DEMO_USERS) {
    // An admin-set password is temporary: each user replaces it with the demo password at first login.
    await svc.call('users:add', { ...u, password: temporaryPassword(password) });
    done.push(`added ${u.username} (${u.roles.join(', ')})`);
  }
  await svc.call('settings:update', { idleTimeoutMinutes: 10 });
  done.push('set the idle lock to 10 minutes');
  log(usersTable(await svc.call('users:list', {})));
  svc.end('logout');

  log('Logging in as the steward and importing the bundled sample: a real MR series and a real clinical table.');
  await firstLogin(svc, path, 'sam', password);
  done.push('sam replaced the temporary password the admin set');
  const job = await runImport(svc, [join(SAMPLE, 'mr-brain'), join(SAMPLE, 'tables', 'pbc.csv')], { fraction: 0.2, seed: 'demo', groupColumn: 'id' });
  log(resultsTable(job));
  done.push(`imported ${job.counts.imported} files (${job.counts.refused} refused) into the encrypted store`);
  const sources = await svc.call('sources:list', {});
  for (const t of sources.tables) {
    const detail = await svc.call('tables:get', { tableId: t.id, previewRows: 0 });
    log(`Table ${t.name}: ${t.rowCount} rows, ${t.holdout.rows} held out (seed “${t.holdout.seed}”, grouped by ${t.holdout.groupColumn ?? 'row'})`);
    for (const c of detail.columns) log(`  ${c.name.padEnd(10)} ${c.type.padEnd(12)} missing ${String(c.missing).padStart(4)}${c.phi.identifying ? `  ⚑ ${c.phi.kind ?? 'identifying'} → ${c.phi.suggested}` : ''}`);
    done.push(`profiled ${t.name}: ${detail.columns.length} columns, ${t.identifyingColumns} flagged as identifying`);
  }
  for (const t of sources.tables) {
    const draft = await svc.call('specs:draft', { tableId: t.id });
    // The rules every real training row keeps, proposed with the draft; the steward accepts them all here.
    const suggestions = await svc.call('specs:suggestRules', { tableId: t.id });
    log(`Rules that hold in every training row of ${t.name}, strongest first:`);
    log(suggestionsTable(suggestions));
    // Missingness rules are left to the steward here: the copula keeps them by rejecting rows, which shifts the
    // columns' missing shares enough for validation to fail the dataset (the generators do not yet model them jointly).
    const rules = acceptable(draft, suggestions).filter((r) => r.kind !== 'missing-together' && r.kind !== 'presence');
    if (rules.length < suggestions.length) log(`Accepting ${rules.length} of them; the ${suggestions.length - rules.length} missingness rules are left for the steward to weigh (the copula would keep them by rejection, shifting the missing shares).`);
    // 334 training rows make the utility ratio noisy (its 95% interval spans about ±0.3): the demo asks for 0.75, which
    // the card and report show as a changed default.
    const copulaSpec = await svc.call('specs:save', { specId: null, spec: { ...draft, rules, name: 'PBC copula baseline', acceptance: { ...draft.acceptance, utility: { target: 'status', minScoreRatio: 0.75 } } } });
    log(rulesText(copulaSpec.spec.rules));
    done.push(`accepted ${rules.length} of ${suggestions.length} suggested rules into the spec`);
    done.push(`wrote spec #${copulaSpec.specId} “${copulaSpec.spec.name}” v${copulaSpec.version} (sha256 ${copulaSpec.hash.slice(0, 12)}…)`);
    const run = await trainAndWait(svc, copulaSpec.specId, undefined);
    log(runSummary(run));
    const broken = run.ruleChecks.reduce((n, c) => n + c.violations, 0);
    done.push(`run #${run.id} kept every one of its ${run.ruleChecks.length} rules: ${broken === 0 ? 'no synthetic row breaks any' : `${broken} rule breaks in the synthetic rows`}`);
    const dataset = run.datasets[0];
    if (dataset) {
      const preview = await svc.call('datasets:preview', { datasetId: dataset.id, limit: 5 });
      log(`  ${preview.header.join(' | ')}`);
      for (const r of preview.preview) log(`  ${r.map((c) => c ?? '·').join(' | ')}`);
    }
    done.push(`trained run #${run.id} (${run.generator}): ${run.status}, ${dataset?.rows ?? 0} synthetic rows kept in the store, sha256 ${dataset?.sha256.slice(0, 12) ?? '-'}…`);
    if (dataset) {
      // The evidence: every criterion of the spec's tier, checked against the holdout the generator never saw.
      const v = await validateAndWait(svc, dataset.id, undefined);
      const got = await svc.call('validations:get', { validationId: v.id });
      log(verdictText(got.validation, got.document));
      const reportPath = join(out, `validation-${v.id}.html`);
      if (got.document) writeFileSync(reportPath, (await svc.call('validations:report', { validationId: v.id, format: 'html' })).content, { mode: 0o600 });
      done.push(`validated dataset #${dataset.id}: ${v.verdict === 'pass' ? 'PASS' : v.verdict === 'fail' ? 'FAIL' : v.status} (${got.document?.verdict.headline ?? v.errorMessage ?? ''}); report (aggregates only) at ${reportPath}`);
      if (v.verdict === 'pass' && !requested) {
        const req = await svc.call('approvals:request', { datasetId: dataset.id, sections: [{ title: 'Contact and scope', body: 'Prepared by the hepatology data office for model development on primary biliary cholangitis; questions to the data steward.' }] });
        requested = { requestId: req.id, datasetId: dataset.id };
        done.push(`sam requested approval #${req.id} of dataset #${dataset.id} for ${req.tier} (card sha256 ${req.cardSha256.slice(0, 12)}…)`);
      }
    }
    // A short TVAE run: a few epochs show the engine (worker, backend ladder, losses), not a finished model.
    const tvaeSpec = await svc.call('specs:save', {
      specId: copulaSpec.specId,
      spec: { ...copulaSpec.spec, name: 'PBC TVAE (short demo run)', generator: { kind: 'tvae', epochs: 5, batchSize: 200, embeddingDim: 32, hiddenDims: [64, 64], learningRate: 1e-3, l2scale: 1e-5, lossFactor: 2, checkpointEvery: 1 } },
    });
    const tvaeRun = await trainAndWait(svc, tvaeSpec.specId, tvaeSpec.version);
    log(runSummary(tvaeRun));
    done.push(`spec #${tvaeSpec.specId} v${tvaeSpec.version} (TVAE): run #${tvaeRun.id} ${tvaeRun.status} on ${tvaeRun.backend?.name ?? '?'}, ${tvaeRun.losses.length} epochs of losses, ${tvaeRun.datasets[0]?.rows ?? 0} rows`);
  }
  for (const st of sources.studies) for (const se of st.series) {
    const thumb = await svc.call('dicom:thumbnail', { seriesId: se.id });
    done.push(`series “${se.description ?? se.seriesUid}”: ${se.instances} slices, thumbnail ${thumb.width}×${thumb.height} rendered in memory`);
  }
  svc.end('logout');
  log('Then a mistyped password for the reviewer, then the reviewer.');
  const refused = await svc.dispatch('session:login', { path, username: 'rita', password: `${password}-typo` });
  if (refused.ok) throw new AirlockError('INTERNAL', 'A wrong password was accepted.');
  done.push(`refused a wrong password for rita (“${refused.error.message}”)`);
  await firstLogin(svc, path, 'rita', password);
  done.push('logged in as rita after the refusal');
  let bundlePath: string | null = null;
  if (requested) {
    const inbox = await svc.call('approvals:list', { status: 'pending' });
    const detail = await svc.call('approvals:get', { requestId: requested.requestId });
    const cardPath = join(out, `card-request-${requested.requestId}.html`);
    writeFileSync(cardPath, detail.cardHtml, { mode: 0o600 });
    log(`Rita's inbox: ${inbox.length} request(s) to review; she reads the card (${cardPath}) and the report, then signs with her password.`);
    const signed = await svc.call('approvals:sign', { requestId: requested.requestId, meaning: detail.meanings[0] ?? '', comment: 'Card and validation report reviewed; every criterion passes for this tier.', password });
    log(detailText(signed));
    done.push(`rita signed “${signed.signatures[0]?.meaning ?? ''}” on request #${requested.requestId} (Ed25519, key ${signed.signatures[0]?.keyFingerprint.slice(0, 12) ?? ''}…)`);
    svc.end('logout');
    await svc.call('session:login', { path, username: 'sam', password });
    log(gateText(await svc.call('export:check', { datasetId: requested.datasetId })));
    bundlePath = join(out, `bundle-dataset-${requested.datasetId}`);
    const exported = await svc.call('export:run', { datasetId: requested.datasetId, destination: bundlePath, zip: true, csv: true, password });
    done.push(`sam exported dataset #${requested.datasetId} as bundle ${exported.bundleId} (${exported.files.length} files, manifest sha256 ${exported.manifestSha256.slice(0, 12)}…) to ${exported.dir} and ${exported.zipPath ?? ''}`);
    const check = verifyBundle(exported.zipPath ?? exported.dir);
    log(verificationText(exported.zipPath ?? exported.dir, check));
    done.push(`verified the bundle offline: ${check.ok ? 'all hashes and signatures hold' : `${check.failures.length} problem(s)`}; the card is ${join(exported.dir, 'card', 'card.html')}`);
  }

  const verify = await svc.call('audit:verify', {});
  const entries = await svc.call('audit:list', { limit: 1000 });
  svc.end('logout');
  await svc.settled();
  log(auditTable([...entries].reverse()));
  log(verifyLine(verify));

  log('');
  log('Summary');
  for (const line of done) log(`  - ${line}`);
  log(`  - audit: ${verify.checked} entries, chain ${verify.ok ? 'verified' : 'BROKEN'}`);
  log(`  - everything is under ${out}`);
  log(`  - try: airlock --workspace ${path} --user rita audit verify   (password: the demo password)`);
  if (bundlePath) log(`  - the bundle: ${bundlePath} (check it anywhere: airlock verify ${bundlePath}.zip)`);
  return { workspace: path, verified: verify.ok };
}

export function addDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run the pipeline headless on an embedded default (creates a fresh workspace under --out)')
    .option('--out <dir>', 'where to write everything', 'airlock-demo')
    .action(async (o: { out: string }) => {
      // The demo's users share one password; AIRLOCK_PASSWORD overrides the built-in one.
      const password = process.env.AIRLOCK_PASSWORD ?? 'airlock demo password';
      const result = await runDemo(o.out, password, (line) => process.stdout.write(`${line}\n`));
      if (!result.verified) process.exitCode = 3;
    });
}
