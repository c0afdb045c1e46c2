// The dataset card on a real workspace: pbc with an added date column, a Gaussian copula run and its validation,
// plus a uniform-noise dataset that fails. Checks what a reviewer relies on: every section and criterion, nothing
// identifying about the source, a stable hash, limitations from the results, refusals, and the HTML/PDF.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { buildCard, cardContent } from '../../electron/core/govern/card/build';
import { renderCardHtml } from '../../electron/core/govern/card/html';
import type { Db } from '../../electron/core/store/database';
import { insertDataset } from '../../electron/core/train/runs-repo';
import { chromiumAvailable, htmlToPdf } from '../../electron/core/validate/report/pdf';
import { finishValidation, getResultRow, insertResult, insertValidation } from '../../electron/core/validate/validations-repo';
import { datasetCardSchema, GENERATED_SECTION_TITLES, type CardSignature, type StewardSection } from '../../electron/shared/card-schema';
import type { ReportDocumentView } from '../../electron/shared/validation-schemas';
import { ADMIN, FAST_KDF } from '../helpers';
import { cellNoise } from '../validate/fixtures';
import { codecOf, openedRows } from '../sources-sealed/opened';

const DATA = join(process.cwd(), '../shared/data');
const AT = new Date('2027-03-01T10:00:00.000Z');
const FILE = 'cohort-export-42.csv';


let svc: AirlockService;
let db: Db;
let dir: string;
let dates: string[];
let good: { datasetId: number; validationId: number; document: ReportDocumentView };
let bad: { datasetId: number; validationId: number; document: ReportDocumentView };
let sourceSha: string;

const build = (over: Partial<Parameters<typeof buildCard>[2]> = {}) =>
  buildCard(db, codecOf(svc), { datasetId: good.datasetId, validationId: good.validationId, requestedBy: 'ada', stewardSections: [], generatedAt: AT, ...over });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-card-'));
  // pbc with a diagnosis date per patient, so the card must coarsen source dates to the year.
  const lines = readFileSync(join(DATA, 'pbc.csv'), 'utf8').trim().split(/\r?\n/);
  dates = lines.slice(1).map((_, i) => new Date(Date.UTC(2001, 2, 15) + i * 86_400_000).toISOString().slice(0, 10));
  writeFileSync(join(dir, FILE), [`${lines[0]},"diagnosed"`, ...lines.slice(1).map((l, i) => `${l},${dates[i]}`)].join('\n'));
  svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path: join(dir, 'ws'), ...ADMIN });
  await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
  const job = await svc.call('ingest:start', { paths: [join(dir, FILE)] });
  await svc.current?.imports.wait(job.id);
  const [table] = (await svc.call('sources:list', {})).tables;
  if (!table) throw new Error('no table');
  sourceSha = table.sha256;
  const cols = (await svc.call('tables:get', { tableId: table.id, previewRows: 0 })).columns;
  await svc.call('tables:setType', { tableId: table.id, column: cols.find((c) => c.name === 'status')!.index, type: 'categorical' });
  // The draft now generalises the date to its year; this card's story is a dropped identifying date.
  const draft = await svc.call('specs:draft', { tableId: table.id });
  const saved = await svc.call('specs:save', { specId: null, spec: { ...draft, name: 'PBC synthetic', rows: 300, columns: draft.columns.map((c) => (c.name === 'diagnosed' ? { name: c.name, treatment: 'drop' as const } : c)), acceptance: { ...draft.acceptance, utility: { target: 'status', minScoreRatio: 0.8 } } } });
  const run = await svc.current!.runs.wait((await svc.call('runs:start', { specId: saved.specId })).id);
  expect(run.status).toBe('done');
  db = svc.current!.ws.db;
  const validate = async (datasetId: number) => {
    const v = await svc.call('validations:start', { datasetId });
    const done = await svc.current!.validations.wait(v.id);
    expect(done.status, done.errorMessage ?? '').toBe('done');
    return { datasetId, validationId: v.id, document: (await svc.call('validations:get', { validationId: v.id })).document! };
  };
  good = await validate(run.datasets[0]!.id);
  const header = (await svc.call('datasets:preview', { datasetId: run.datasets[0]!.id, limit: 0 })).header;
  const idx = header.map((h) => cols.find((c) => c.name === h)!.index);
  const training = openedRows(svc, table.id).filter((r) => r.holdout === 0).map((r) => idx.map((i) => r.cells[i] ?? null));
  bad = await validate(insertDataset(db, run.id, header, cellNoise(training, 300, 'u'), 'ada', new Date()).id);
}, 240_000);

afterAll(async () => {
  svc?.end();
  await svc?.settled();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dataset card', () => {
  it('has every section, every criterion of the report with its status, the lineage and a valid schema', () => {
    const card = build();
    expect(datasetCardSchema.parse(card)).toEqual(card);
    expect(Object.keys(card.sections).sort()).toEqual(['composition', 'distribution', 'maintenance', 'motivation', 'preprocessing', 'source', 'uses', 'validation']);
    expect(card.identity).toMatchObject({ datasetId: good.datasetId, datasetKind: 'table', rows: 300, validationId: good.validationId, tier: 'model-development', specName: 'PBC synthetic', generatedAt: AT.toISOString() });
    expect(card.identity.resultSha256).toBe(getResultRow(db, good.validationId)!.result_sha256);
    expect(card.sections.validation.criteria.map((c) => [c.id, c.status, c.measured, c.threshold])).toEqual(good.document.criteria.map((c) => [c.id, c.status, c.measured, c.threshold]));
    expect(card.sections.composition.columns.find((c) => c.name === 'bili')).toMatchObject({ type: 'number', treatment: 'synthesise' });
    expect(card.sections.preprocessing.generator).toMatchObject({ kind: 'copula', seed: 1 });
    expect(card.sections.preprocessing.columns.filter((c) => c.treatment === 'drop').map((c) => c.name)).toEqual(expect.arrayContaining(['id', 'diagnosed']));
    expect(card.sections.preprocessing.training.finishedAt).not.toBeNull();
    expect(card.sections.uses.prohibited.join(' ')).toMatch(/real patient data/);
    expect(card.sections.maintenance.contact).toBe('ada');
    expect(card.lineage).toEqual({ specAuthors: ['ada'], runStartedBy: ['ada'], datasetCreatedBy: 'ada', requestedBy: 'ada' });
    // No target-less criterion here, but subgroups are undeclared: said as not assessed, with why.
    expect(card.limitations.some((l) => l.startsWith('Not assessed') && /stratification/.test(l))).toBe(true);
  });

  it('describes the source without its file name, path or full dates: counts, the file hash and years only', () => {
    const card = build();
    const { content } = cardContent(card);
    expect(content).not.toContain(FILE);
    expect(content).not.toContain('cohort-export');
    expect(content).not.toContain(dir);
    for (const d of dates) expect(content).not.toContain(d);
    const src = card.sections.source;
    expect(src.files).toEqual([{ sha256: sourceSha, bytes: readFileSync(join(dir, FILE)).length }]);
    expect(src.table).toMatchObject({ rows: 418, columns: 21 });
    expect(src.table!.trainingRows + src.table!.holdoutRows).toBe(418);
    expect(src.table!.holdoutRows).toBeGreaterThan(0);
    expect(src.table!.columnDetails.find((c) => c.name === 'diagnosed')).toMatchObject({ type: 'date', identifying: true, treatment: 'drop', years: { from: 2001, to: 2002 } });
    expect(src.text.join(' ')).toContain('2001–2002');
  });

  it('is deterministic: the same store and inputs give the same bytes; a changed steward section changes the hash', () => {
    const sections: StewardSection[] = [{ title: 'Context', body: 'Requested for the liver clinic’s triage model.' }];
    const a = cardContent(build({ stewardSections: sections }));
    const b = cardContent(build({ stewardSections: sections }));
    expect(b).toEqual(a);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    const c = cardContent(build({ stewardSections: [{ title: 'Context', body: 'Requested for the liver clinic’s triage model!' }] }));
    expect(c.sha256).not.toBe(a.sha256);
    expect(JSON.parse(a.content)).toEqual(build({ stewardSections: sections }));
  });

  it('a uniform-noise dataset gets limitations naming its failed criteria and columns', () => {
    const card = buildCard(db, codecOf(svc), { datasetId: bad.datasetId, validationId: bad.validationId, requestedBy: 'ada', stewardSections: [], generatedAt: AT });
    expect(card.identity.verdict).toBe('fail');
    const failed = bad.document.criteria.filter((c) => c.status === 'fail').map((c) => c.id);
    expect(failed).toEqual(expect.arrayContaining(['fidelity.ksMax', 'fidelity.detectionMin']));
    const lims = card.limitations.filter((l) => l.startsWith('Failed:'));
    expect(lims).toHaveLength(failed.length);
    const ks = lims.find((l) => l.includes('distribution of'))!;
    expect(ks).toMatch(/numeric or date columns? “[^”]+”/);
    const named = [...ks.matchAll(/“([^”]+)”/g)].map((m) => m[1]);
    expect(named.every((n) => card.sections.composition.columns.some((c) => c.name === n))).toBe(true);
    expect(card.limitations.join(' ')).toMatch(/least preserved columns/);
  });

  it('refuses a missing, unfinished, failed or other dataset’s validation, a changed dataset hash and bad steward sections', () => {
    const expectRefusal = (f: () => unknown, code: string, text: RegExp) => {
      try {
        f();
      } catch (err) {
        expect(err).toMatchObject({ code, message: expect.stringMatching(text) });
        return;
      }
      throw new Error('not refused');
    };
    const sha = (db.prepare('SELECT sha256 FROM datasets WHERE id = ?').get(good.datasetId) as { sha256: string }).sha256;
    const row = db.prepare('SELECT * FROM validations WHERE id = ?').get(good.validationId) as { spec_id: number; spec_version: number; spec_hash: string };
    const add = (datasetSha256: string) => insertValidation(db, { datasetId: good.datasetId, datasetSha256, specId: row.spec_id, specVersion: row.spec_version, specHash: row.spec_hash, validatorVersion: 'x', seed: '1', actor: 'ada' }, new Date());
    expectRefusal(() => build({ validationId: 9999 }), 'NOT_FOUND', /validation #9999/);
    const running = add(sha);
    expectRefusal(() => build({ validationId: running }), 'CONFLICT', new RegExp(`Validation #${running} is running.*wait for a passing or failed result`));
    finishValidation(db, running, 'failed', new Date(), { code: 'INTERNAL', message: 'x' });
    expectRefusal(() => build({ validationId: running }), 'CONFLICT', /is failed.*validate the dataset/);
    expectRefusal(() => build({ datasetId: bad.datasetId }), 'CONFLICT', new RegExp(`of dataset #${good.datasetId}, not dataset #${bad.datasetId}`));
    // A validation done on other content than the dataset now has.
    const stale = add('f'.repeat(64));
    const r = getResultRow(db, good.validationId)!;
    insertResult(db, { validationId: stale, verdict: r.verdict, result: r.result, resultSha256: r.result_sha256, document: r.document }, new Date());
    finishValidation(db, stale, 'done', new Date());
    expectRefusal(() => build({ validationId: stale }), 'CONFLICT', /hash changed/);
    expectRefusal(() => build({ stewardSections: [{ title: 'Notes', body: 'a' }, { title: ' notes ', body: 'b' }] }), 'INVALID_ARGUMENT', /Steward section 2 \(“notes”\).*earlier section/);
    expectRefusal(() => build({ stewardSections: [{ title: GENERATED_SECTION_TITLES.uses.toUpperCase(), body: 'a' }] }), 'INVALID_ARGUMENT', /Steward section 1 .*generated section/);
    expectRefusal(() => build({ stewardSections: [{ title: 'Empty', body: '   ' }] }), 'INVALID_ARGUMENT', /Steward section 1 \(“Empty”\): Write the section’s text/);
    expectRefusal(() => build({ stewardSections: Array.from({ length: 21 }, (_, i) => ({ title: `S${i}`, body: 'x' })) }), 'INVALID_ARGUMENT', /at most 20/);
  });
});

describe('the card as HTML and PDF', () => {
  const signatures: CardSignature[] = [
    { username: 'rita', printedName: 'Rita Reviewer', meaning: 'Approved for model development', signedAt: '2027-03-02T08:15:00.000Z', comment: 'Fine for the triage model.', exception: null, keyFingerprint: 'a'.repeat(64), revoked: null },
    {
      username: 'max',
      printedName: 'Max <Second> Reviewer',
      meaning: 'Approved for model development',
      signedAt: '2027-03-02T09:30:00.000Z',
      comment: 'Accepted despite the failed subgroup score.',
      exception: 'Subgroup shortfall accepted: the model is not used per subgroup.',
      keyFingerprint: 'b'.repeat(64),
      revoked: { by: 'ada', printedName: 'Ada Admin', reason: 'Signed the wrong version.', at: '2027-03-03T10:00:00.000Z' },
    },
  ];

  it('escapes a script in a steward section, marks generated and steward parts, and prints signatures, exception, revocation and the hash', () => {
    const card = build({ stewardSections: [{ title: 'Note <b>bold</b>', body: '<script>alert(1)</script>\nSecond line & more' }] });
    const html = renderCardHtml(card, signatures, { requiredApprovals: 1 });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>bold');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Second line &amp; more');
    expect(html).toContain('Written by the steward');
    expect(html.match(/Generated from lineage and results — not editable/g)!.length).toBeGreaterThanOrEqual(Object.keys(GENERATED_SECTION_TITLES).length);
    for (const t of Object.values(GENERATED_SECTION_TITLES)) expect(html).toContain(`<h2>${t}</h2>`);
    expect(html).toContain('Rita Reviewer');
    expect(html).toMatch(/at <span class="signed-at">2027-03-02T08:15:00.000Z<\/span> UTC/);
    expect(html).toContain('Approved for model development');
    expect(html).toContain('Max &lt;Second&gt; Reviewer');
    expect(html).toContain('Justified exception:</strong> Subgroup shortfall accepted');
    expect(html).toContain('REVOKED</strong> by Ada Admin');
    expect(html).toContain('1 valid approval is recorded');
    expect(html).toContain(cardContent(card).sha256);
    for (const c of good.document.criteria) expect(html).toContain(c.id);
    // Self-contained: nothing fetched from outside.
    expect(html).not.toMatch(/\b(src|href)\s*=|url\(|@import/i);
  });

  it('prints to PDF through Chromium when it is installed', async () => {
    if (!(await chromiumAvailable())) return;
    const out = join(dir, 'card.pdf');
    await htmlToPdf(renderCardHtml(build(), signatures, { requiredApprovals: 2 }), out);
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 90_000);
});
