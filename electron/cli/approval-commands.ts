// Sign-off and export from the command line: `request`, `approvals`, `approval`, `approve`, `reject`, `revoke`,
// `retire`, `policy` and `export`, over the same service (and the same gate) as the desktop app.
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AirlockError } from '../core/errors';
import { chromiumAvailable, htmlToPdfBytes } from '../core/validate/report/pdf';
import { RELEASE_TIERS, TIER_LABELS, type ReleaseTier } from '../shared/criteria';
import type { GateAnswer, RequestDetail, RequestView } from '../shared/approval-schemas';
import { print, readSigningPassword, userName, wholeNumber, withSession, type GlobalOptions } from './context';
import { table } from './format';

type Globals = () => GlobalOptions;

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

function requestLine(r: RequestView): string {
  const state = r.status === 'pending' ? `pending (${r.approvals} of ${r.requiredApprovals} approvals)` : r.status;
  return `Request #${r.id}: dataset #${r.datasetId} v${r.datasetVersion} (“${r.specName}”), ${TIER_LABELS[r.tier].toLowerCase()}, validation #${r.validationId} ${r.verdict.toUpperCase()}, requested by ${r.requestedBy} on ${utc(r.requestedAt)}: ${state}`;
}

export function detailText(d: RequestDetail): string {
  const r = d.request;
  const lines = [requestLine(r), `  dataset sha256 ${r.datasetSha256}`, `  spec hash      ${r.specHash}`, `  result sha256  ${r.resultSha256}`, `  card sha256    ${r.cardSha256}`];
  for (const s of d.signatures) {
    lines.push(`  #${s.id} ${s.meaning} — ${s.printedName} (${s.username}), ${utc(s.signedAt)}: “${s.comment}”${s.exception ? ` — justified exception: “${s.exception}”` : ''}${s.revoked ? ` — REVOKED by ${s.revoked.printedName} on ${utc(s.revoked.at)}: “${s.revoked.reason}”` : ''}`);
  }
  if (!r.canSign && r.cannotSignBecause) lines.push(`  You cannot sign it: ${r.cannotSignBecause}`);
  return lines.join('\n');
}

export function gateText(g: GateAnswer): string {
  if (g.allowed) return `Dataset #${g.datasetId} may be exported: request #${g.requestId ?? '?'} has ${g.approvals.length} of ${g.requiredApprovals ?? '?'} approvals (${g.approvals.map((a) => a.printedName).join(', ')}).`;
  return [`Dataset #${g.datasetId} cannot be exported:`, ...g.reasons.map((r) => `  - ${r}`)].join('\n');
}

// "Title=Body" pairs; the body may be @file to read it from a file.
async function sections(specs: string[]): Promise<{ title: string; body: string }[]> {
  const out: { title: string; body: string }[] = [];
  for (const s of specs) {
    const at = s.indexOf('=');
    if (at <= 0) throw new AirlockError('INVALID_ARGUMENT', `A section is “Title=text” or “Title=@file”; “${s}” has no “=”.`);
    const body = s.slice(at + 1);
    out.push({ title: s.slice(0, at).trim(), body: body.startsWith('@') ? await readFile(body.slice(1), 'utf8') : body });
  }
  return out;
}

const collect = (v: string, prev: string[]) => [...prev, v];

// The card printer for an export: Chromium's, when it is installed.
export async function pdfRenderer(): Promise<((html: string) => Promise<Uint8Array>) | undefined> {
  return (await chromiumAvailable()) ? (html) => htmlToPdfBytes(html) : undefined;
}

export function addApprovalCommands(program: Command, globals: Globals): void {
  program
    .command('request <datasetId>')
    .option('--validation <id>', 'the validation to rest on (default: the dataset’s newest finished one)')
    .option('--section <Title=text>', 'a free-text card section (repeatable; text may be @file)', collect, [])
    .option('--card <file.html>', 'also write the frozen card as HTML')
    .description('request approval of a validated dataset for its spec’s release tier (freezes dataset, spec, result and card)')
    .action(async (datasetId: string, o: { validation?: string; section: string[]; card?: string }) => {
      const g = globals();
      const args = { datasetId: wholeNumber('The dataset', datasetId), validationId: o.validation === undefined ? undefined : wholeNumber('--validation', o.validation), sections: await sections(o.section) };
      const out = await withSession(g, async (svc) => {
        const req = await svc.call('approvals:request', args);
        return { request: req, detail: await svc.call('approvals:get', { requestId: req.id }) };
      });
      if (o.card) writeFileSync(o.card, out.detail.cardHtml, { mode: 0o600 });
      print(g, out.request, () => `${requestLine(out.request)}${o.card ? `\n  card written to ${o.card}` : ''}`);
    });
  program
    .command('approvals')
    .option('--status <status>', 'only pending, approved, rejected or retired requests')
    .description('list approval requests, and whether you can sign each')
    .action(async (o: { status?: 'pending' | 'approved' | 'rejected' | 'retired' }) => {
      const g = globals();
      const list = await withSession(g, (svc) => svc.call('approvals:list', { status: o.status }));
      print(g, list, () => {
        const t = table({ head: ['#', 'dataset', 'tier', 'verdict', 'requested by', 'status', 'you can sign'] });
        for (const r of list) t.push([r.id, `#${r.datasetId} v${r.datasetVersion}`, r.tier, r.verdict, r.requestedBy, r.status === 'pending' ? `pending ${r.approvals}/${r.requiredApprovals}` : r.status, r.canSign ? 'yes' : (r.cannotSignBecause ?? 'no')]);
        return list.length === 0 ? 'No approval requests.' : t.toString();
      });
    });
  program
    .command('approval <requestId>')
    .option('--card <file.html>', 'write the card (with its signatures) as HTML')
    .option('--report <file.html>', 'write the validation report as HTML')
    .description('show a request: its frozen hashes and signatures')
    .action(async (requestId: string, o: { card?: string; report?: string }) => {
      const g = globals();
      const d = await withSession(g, (svc) => svc.call('approvals:get', { requestId: wholeNumber('The request', requestId) }));
      if (o.card) writeFileSync(o.card, d.cardHtml, { mode: 0o600 });
      if (o.report) writeFileSync(o.report, d.reportHtml, { mode: 0o600 });
      print(g, { request: d.request, signatures: d.signatures }, () => detailText(d));
    });
  for (const decision of ['approve', 'reject'] as const) {
    program
      .command(`${decision} <requestId>`)
      .requiredOption('--comment <text>', decision === 'approve' ? 'what you checked' : 'why you reject it')
      .option('--exception <text>', 'approve a FAILED validation anyway: the justified exception, printed on the card')
      .description(decision === 'approve' ? 'sign “Approved for <tier>” on a request (password asked again)' : 'sign “Rejected” on a request, which ends it (password asked again)')
      .action(async (requestId: string, o: { comment: string; exception?: string }) => {
        const g = globals();
        const id = wholeNumber('The request', requestId);
        const d = await withSession(g, async (svc) => {
          const current = await svc.call('approvals:get', { requestId: id });
          const meaning = decision === 'reject' ? 'Rejected' : `Approved for ${TIER_LABELS[current.request.tier].toLowerCase()}`;
          const pass = await readSigningPassword(userName(g), 'sign');
          return svc.call('approvals:sign', { requestId: id, meaning, comment: o.comment, exception: o.exception, password: pass });
        });
        print(g, d, () => detailText(d));
      });
  }
  program
    .command('revoke <signatureId>')
    .requiredOption('--reason <text>', 'why the approval no longer stands')
    .description('revoke an approval (its signer or an admin; password asked again): it no longer opens the export gate')
    .action(async (signatureId: string, o: { reason: string }) => {
      const g = globals();
      const d = await withSession(g, async (svc) => svc.call('approvals:revoke', { signatureId: wholeNumber('The signature', signatureId), reason: o.reason, password: await readSigningPassword(userName(g), 'revoke') }));
      print(g, d, () => detailText(d));
    });
  program
    .command('retire <datasetId>')
    .requiredOption('--reason <text>', 'why the dataset must no longer leave')
    .description('retire a dataset: it can no longer be approved or exported')
    .action(async (datasetId: string, o: { reason: string }) => {
      const g = globals();
      const gate = await withSession(g, (svc) => svc.call('datasets:retire', { datasetId: wholeNumber('The dataset', datasetId), reason: o.reason }));
      print(g, gate, () => gateText(gate));
    });
  program
    .command('policy')
    .option('--set <tier=n>', 'admin: how many distinct reviewers a tier needs, e.g. external-sharing=2')
    .description('show (or, as admin, change) how many distinct reviewers each release tier needs')
    .action(async (o: { set?: string }) => {
      const g = globals();
      const policy = await withSession(g, async (svc) => {
        if (!o.set) return svc.call('approvals:policy', {});
        const [tier, n] = o.set.split('=');
        if (!RELEASE_TIERS.includes(tier as ReleaseTier) || n === undefined) throw new AirlockError('INVALID_ARGUMENT', `--set takes tier=n with a tier among ${RELEASE_TIERS.join(', ')}.`);
        return svc.call('approvals:setPolicy', { tier: tier as ReleaseTier, requiredApprovals: wholeNumber('--set', n) });
      });
      print(g, policy, () => RELEASE_TIERS.map((t) => `${TIER_LABELS[t]}: ${policy[t]} distinct reviewer${policy[t] === 1 ? '' : 's'}`).join('\n'));
    });
  program
    .command('export <datasetId>')
    .option('--to <dir>', 'a new or empty folder for the bundle')
    .option('--zip', 'also write <dir>.zip')
    .option('--no-csv', 'leave out the CSV (the JSON Lines file is always there)')
    .option('--no-pdf', 'leave out the card’s PDF (made through Chromium when it is installed)')
    .option('--check', 'only say whether the gate would let the dataset out, and why not')
    .description('export an approved dataset as a signed, verifiable bundle (password asked again: the manifest is signed)')
    .action(async (datasetId: string, o: { to?: string; zip?: boolean; csv: boolean; pdf: boolean; check?: boolean }) => {
      const g = globals();
      const id = wholeNumber('The dataset', datasetId);
      if (o.check) {
        const gate = await withSession(g, (svc) => svc.call('export:check', { datasetId: id }));
        print(g, gate, () => gateText(gate));
        if (!gate.allowed) process.exitCode = 1;
        return;
      }
      if (!o.to) throw new AirlockError('INVALID_ARGUMENT', 'Say where the bundle goes: --to DIR (a new or empty folder).');
      const destination = o.to;
      const renderPdf = o.pdf ? await pdfRenderer() : undefined;
      if (o.pdf && !renderPdf) process.stderr.write('Chromium was not found: the bundle will have the card as JSON and HTML, without a PDF.\n');
      const out = await withSession(
        g,
        async (svc) => svc.call('export:run', { datasetId: id, destination, zip: o.zip === true, csv: o.csv, password: await readSigningPassword(userName(g), 'sign the export') }),
        renderPdf ? { renderPdf } : {},
      );
      print(g, out, () => [`Exported dataset #${id} as bundle ${out.bundleId}`, `  folder   ${out.dir}`, ...(out.zipPath ? [`  zip      ${out.zipPath}`] : []), `  card     ${join(out.dir, 'card', 'card.html')}`, `  manifest sha256 ${out.manifestSha256}`, `Check it anywhere with: airlock verify ${out.zipPath ?? out.dir}`].join('\n'));
    });
}
