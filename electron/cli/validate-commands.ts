// `airlock validate DATASET` (verdict, criteria, where the report is), `airlock validations`, and
// `airlock report VALIDATION` (the aggregates-only report as HTML, JSON or PDF).
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import type { AirlockService } from '../core/api/service';
import { AirlockError } from '../core/errors';
import { htmlToPdf } from '../core/validate/report/pdf';
import type { ReportDocumentView, ValidationView } from '../shared/validation-schemas';
import { print, wholeNumber, withSession, type GlobalOptions } from './context';
import { table } from './format';

type Globals = () => GlobalOptions;


export function verdictText(v: ValidationView, doc: ReportDocumentView | null): string {
  const lines = [`Validation #${v.id} of dataset #${v.datasetId} (v${v.datasetVersion}): ${v.status}`];
  if (v.errorMessage) lines.push(`  ${v.errorMessage} [${v.errorCode ?? 'INTERNAL'}]`);
  if (!doc) return lines.join('\n');
  lines.push(`  ${doc.verdict.pass ? 'PASS' : 'FAIL'} — ${doc.verdict.headline}`);
  for (const f of doc.verdict.failed) lines.push(`  ✗ ${f}`);
  const t = table({ head: ['criterion', 'measured', 'threshold', 'result'], wordWrap: true, colWidths: [60, 22, 12, 16] });
  for (const c of doc.criteria) t.push([c.sentence, c.measured, c.threshold, c.status === 'not-applicable' ? 'n/a' : `${c.status}${c.straddles ? ' (interval straddles)' : ''}`]);
  lines.push(t.toString());
  lines.push(`  result sha256 ${v.resultSha256 ?? '—'}; validator ${v.validatorVersion}, seed ${v.seed}`);
  return lines.join('\n');
}

export async function validateAndWait(svc: AirlockService, datasetId: number, seed: string | undefined, onTick?: (v: ValidationView) => void): Promise<ValidationView> {
  const started = await svc.call('validations:start', { datasetId, seed });
  const session = svc.current;
  if (!session) throw new AirlockError('UNAUTHENTICATED', 'The session ended during validation.');
  // A first line at once, so a script's log shows the validation began, however fast it ends.
  onTick?.(started);
  const timer = onTick ? setInterval(() => onTick(session.validations.view(started.id)), 2000) : null;
  // Ctrl-C cancels the validation (audited) instead of leaving it running.
  const onSigint = (): void => void session.validations.cancel(started.id).catch(() => undefined);
  process.once('SIGINT', onSigint);
  try {
    return await session.validations.wait(started.id);
  } finally {
    if (timer) clearInterval(timer);
    process.removeListener('SIGINT', onSigint);
  }
}

// A file the user named that cannot be written is their problem to fix, said in a sentence (the result is stored).
async function writeOut(id: number, file: string, write: () => Promise<void> | void): Promise<void> {
  try {
    await write();
  } catch (err) {
    const reason = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : null;
    if (!reason) throw err;
    const why = reason === 'ENOENT' ? 'its folder does not exist' : reason === 'EACCES' || reason === 'EPERM' ? 'permission denied' : reason;
    throw new AirlockError('FILE_UNWRITABLE', `Validation #${id} is stored, but its report could not be written to “${file}”: ${why}. Write it again with “airlock report ${id}”.`);
  }
}

async function writeReport(svc: AirlockService, id: number, o: { report?: string; pdf?: string; jsonReport?: string }): Promise<string[]> {
  const written: string[] = [];
  const text = async (format: 'html' | 'json') => (await svc.call('validations:report', { validationId: id, format })).content;
  if (o.report) {
    const html = await text('html');
    await writeOut(id, o.report, () => writeFileSync(o.report!, html, { mode: 0o600 }));
    written.push(o.report);
  }
  if (o.jsonReport) {
    const json = await text('json');
    await writeOut(id, o.jsonReport, () => writeFileSync(o.jsonReport!, json, { mode: 0o600 }));
    written.push(o.jsonReport);
  }
  if (o.pdf) {
    const html = await text('html');
    await writeOut(id, o.pdf, () => htmlToPdf(html, o.pdf!));
    written.push(o.pdf);
  }
  return written;
}

export function addValidateCommands(program: Command, globals: Globals): void {
  program
    .command('validate <datasetId>')
    .option('--seed <text>', 'the validation seed (default: the spec’s seed)')
    .option('--report <file.html>', 'also write the report (aggregates only, small cells suppressed) as HTML')
    .option('--json-report <file.json>', 'also write the report as JSON')
    .option('--pdf <file.pdf>', 'also write the report as PDF (through Chromium)')
    .description('validate a synthetic table or image dataset against its spec’s acceptance criteria; exit 6 if it fails, 5 if validation could not run')
    .action(async (datasetId: string, o: { seed?: string; report?: string; jsonReport?: string; pdf?: string }) => {
      const g = globals();
      const id = wholeNumber('The dataset', datasetId);
      const out = await withSession(g, async (svc) => {
        const v = await validateAndWait(svc, id, o.seed, (x) => process.stderr.write(`validating: ${x.stages.find((s) => s.state === 'running')?.label ?? x.status}${x.progress !== null ? ` ${Math.round(x.progress * 100)}%` : ''}\n`));
        const got = await svc.call('validations:get', { validationId: v.id });
        const files = got.document ? await writeReport(svc, v.id, o) : [];
        return { ...got, files };
      });
      print(g, { validation: out.validation, report: out.document, files: out.files }, () => [verdictText(out.validation, out.document), ...out.files.map((f) => `  report written to ${f}`)].join('\n'));
      if (out.validation.status !== 'done') process.exitCode = 5;
      else if (out.validation.verdict !== 'pass') process.exitCode = 6;
    });
  program
    .command('validations')
    .option('--dataset <id>', 'only validations of this dataset')
    .description('list validations with their verdicts')
    .action(async (o: { dataset?: string }) => {
      const g = globals();
      const list = await withSession(g, (svc) => svc.call('validations:list', { datasetId: o.dataset === undefined ? undefined : wholeNumber('--dataset', o.dataset) }));
      print(g, list, () => {
        const t = table({ head: ['#', 'dataset', 'tier', 'status', 'verdict', 'result sha256', 'started'] });
        for (const v of list) t.push([v.id, `#${v.datasetId} v${v.datasetVersion}`, v.tier, v.status, v.verdict ?? '—', v.resultSha256?.slice(0, 16) ?? '—', v.startedAt]);
        return t.toString();
      });
    });
  program
    .command('report <validationId>')
    .option('--html <file>', 'write the HTML report here')
    .option('--json-report <file>', 'write the JSON report here')
    .option('--pdf <file>', 'write the PDF report here (through Chromium)')
    .description('show a finished validation, and write its report (aggregates only)')
    .action(async (validationId: string, o: { html?: string; jsonReport?: string; pdf?: string }) => {
      const g = globals();
      const id = wholeNumber('The validation', validationId);
      const out = await withSession(g, async (svc) => {
        const got = await svc.call('validations:get', { validationId: id });
        const files = got.document ? await writeReport(svc, id, { report: o.html, jsonReport: o.jsonReport, pdf: o.pdf }) : [];
        return { ...got, files };
      });
      print(g, { validation: out.validation, report: out.document, files: out.files }, () => [verdictText(out.validation, out.document), ...out.files.map((f) => `  report written to ${f}`)].join('\n'));
    });
}
