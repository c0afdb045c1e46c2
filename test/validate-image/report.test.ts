// The image validation report holds synthetic examples and aggregates only: built from a result whose
// memorisation findings exist, the document, its JSON and its HTML carry no finding and no real frame. The
// in-app pairs channel draws real beside synthetic exactly as training saw them, for steward and reviewer
// only, and audits each viewing. Real workspace, real MR series, a real (tiny) CVAE run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { AirlockError } from '../../electron/core/errors';
import { listAudit } from '../../electron/core/govern/audit';
import type { Db } from '../../electron/core/store/database';
import { loadImageData } from '../../electron/core/train/image-data';
import { datasetImage } from '../../electron/core/train/runs-repo';
import { buildImageDocument, type ImageSample } from '../../electron/core/validate/image/document';
import { loadSyntheticSamples } from '../../electron/core/validate/image/samples';
import { renderReportHtml } from '../../electron/core/validate/report/html';
import { chromiumAvailable, htmlToPdfBytes } from '../../electron/core/validate/report/pdf';
import { insertResult, insertValidation } from '../../electron/core/validate/validations-repo';
import { reportDocumentSchema } from '../../electron/shared/validation-schemas';
import { ADMIN, FAST_KDF } from '../helpers';
import { loginOwn } from '../own-password';
import { constructedResult, INDEX_MARKERS, labelledResult, MARKERS } from './report-fixture';
import { codecOf } from '../sources-sealed/opened';

const MR = join(process.cwd(), 'resources/sample/mr-brain');
const SAM = { username: 'sam', displayName: 'Sam Steward', roles: ['steward' as const], password: 'steward password 1' };
const REX = { username: 'rex', displayName: 'Rex Reviewer', roles: ['reviewer' as const], password: 'reviewer password 1' };
const SPEC = {
  name: 'MR brain (report test)',
  source: { kind: 'dicom' as const, seriesIds: [] as number[] },
  image: { size: 32 as const, window: { center: 600, width: 1200 }, labelBy: null },
  generator: { kind: 'cvae' as const, epochs: 1, batchSize: 8, latentDim: 4, filters: 4, learningRate: 1e-3, checkpointEvery: 1 },
  images: 6,
  seed: 3,
  intendedUse: 'Testing the image validation report.',
  prohibitedUses: [],
};

interface Setup {
  svc: AirlockService;
  db: Db;
  path: string;
  datasetId: number;
  specId: number;
  seriesId: number;
  files: { id: number; frames: number }[];
  samples: ImageSample[];
  realPngs: string[];
}
let s: Setup;

async function png(grey: Uint8Array, size: number): Promise<Uint8Array> {
  return new Uint8Array(await sharp(grey, { raw: { width: size, height: size, channels: 1 } }).toColourspace('b-w').png().toBuffer());
}

async function pixels(dataUrl: string): Promise<Uint8Array> {
  const bytes = Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
  return new Uint8Array(await sharp(bytes).extractChannel(0).raw().toBuffer());
}

beforeAll(async () => {
  const svc = new AirlockService({ kdf: FAST_KDF });
  // One workspace for the whole file (helpers' tempDir is removed after each test).
  const path = mkdtempSync(join(tmpdir(), 'airlock-image-report-'));
  await svc.call('workspace:create', { path, ...ADMIN });
  await svc.call('users:add', SAM);
  await svc.call('users:add', REX);
  await loginOwn(svc, path, REX.username, REX.password);
  await loginOwn(svc, path, SAM.username, SAM.password);
  const job = await svc.call('ingest:start', { paths: [MR] });
  await svc.current!.imports.wait(job.id);
  await svc.call('sources:setDicomHoldout', { fraction: 0, seed: 'report' });
  const seriesId = (await svc.call('sources:list', {})).studies[0]!.series[0]!.id;
  const saved = await svc.call('imagespecs:save', { specId: null, spec: { ...SPEC, source: { kind: 'dicom', seriesIds: [seriesId] } } });
  const run = await svc.current!.runs.wait((await svc.call('runs:start', { specId: saved.specId })).id);
  const datasetId = run.datasets[0]!.id;
  const db = svc.current!.ws.db;
  const files = db.prepare('SELECT file_id AS id, frames FROM dicom_instances WHERE series_id = ? ORDER BY slice_position, instance_number, id').all(seriesId) as { id: number; frames: number }[];
  // The real frames exactly as training saw them, as PNGs: none of these may ever reach a report.
  const data = await loadImageData(db, codecOf(svc), { seriesIds: [seriesId], size: 32, window: SPEC.image.window, labelBy: null });
  const realPngs: string[] = [];
  for (let k = 0; k < data.count; k++) {
    const grey = Uint8Array.from(data.images.subarray(k * 1024, (k + 1) * 1024), (v) => Math.round((v + 1) * 127.5));
    realPngs.push(Buffer.from(await png(grey, 32)).toString('base64'));
  }
  const samples = await loadSyntheticSamples(db, datasetId, 12);
  expect(samples).toHaveLength(SPEC.images);
  s = { svc, db, path, datasetId, specId: saved.specId, seriesId, files, samples, realPngs };
}, 120_000);
afterAll(async () => {
  s?.svc.end();
  await s?.svc.settled();
  if (s) rmSync(s.path, { recursive: true, force: true });
});

const FACTS = (datasetId: number, specId: number) => ({ datasetId, datasetVersion: 1, datasetSha256: 'd'.repeat(64), runId: 1, generator: 'cvae', specId, specVersion: 1, specHash: 'e'.repeat(64), specName: SPEC.name, split: 'per patient, fraction 0' });
const META = { generatedAt: '2026-12-02T12:00:00.000Z', resultSha256: 'f'.repeat(64) };

describe('image validation report', () => {
  it('holds the verdict, criteria, every section and synthetic samples, and no finding or real frame', async () => {
    const result = constructedResult();
    expect(result.findings.pairs).toHaveLength(1);
    const doc = await buildImageDocument(result, FACTS(s.datasetId, s.specId), s.samples, META);
    // What crosses IPC and what the JSON report holds.
    expect(reportDocumentSchema.parse(doc)).toEqual(doc);
    expect(doc.kind).toBe('images');
    expect(doc.verdict.pass).toBe(false);
    expect(doc.criteria.map((c) => c.status)).toEqual(['fail', 'pass']);
    expect(doc.sections.map((x) => x.id)).toEqual(['samples', 'intensity', 'features', 'diversity', 'spectrum', 'memorisation', 'utility']);
    expect(doc.sections.flatMap((x) => x.charts ?? []).length).toBe(5);
    const json = JSON.stringify(doc);
    // The memorisation rows and worst pairs of the result, and every real frame, stay out.
    for (const m of MARKERS) expect(json).not.toContain(m);
    expect(json).not.toMatch(/"findings"|worstPairs|bestTrain|syntheticIndex|fileId|"rows":\[\{/);
    const text = JSON.stringify(doc, (k, v: unknown) => (k === 'svg' || k === 'pngBase64' ? '' : v));
    for (const m of INDEX_MARKERS) expect(text).not.toContain(m);
    for (const real of s.realPngs) expect(json).not.toContain(real.slice(0, 200));
    // Every image in the document is one of the synthetic samples, byte for byte.
    const synthetic = new Set(s.samples.map((x) => Buffer.from(x.png).toString('base64')));
    const grid = doc.sections.flatMap((x) => x.grids ?? []).flatMap((g) => g.items);
    expect(grid).toHaveLength(s.samples.length);
    for (const item of grid) expect(synthetic.has(item.pngBase64)).toBe(true);

    const html = renderReportHtml(doc);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    const inlined = [...html.matchAll(/<img [^>]*src="data:image\/png;base64,([^"]+)"/g)].map((m) => m[1]!);
    expect(inlined).toHaveLength(s.samples.length);
    for (const b of inlined) expect(synthetic.has(b)).toBe(true);
    expect(html.match(/<img /g)).toHaveLength(s.samples.length);
    for (const m of MARKERS) expect(html).not.toContain(m);
    for (const real of s.realPngs) expect(html).not.toContain(real.slice(0, 200));
    expect(html).toContain('Privacy: memorisation');
    expect(html).toContain('Weights SHA-256');
  });

  it('gives a labelled result per-class histograms and diversity, and the TSTR/TRTR classifiers', async () => {
    const doc = await buildImageDocument(labelledResult(), FACTS(s.datasetId, s.specId), s.samples, META);
    const section = (id: string) => doc.sections.find((x) => x.id === id)!;
    expect(section('intensity').charts!.map((c) => c.caption.split(':')[0])).toEqual(['All images', 'T1', 'T2']);
    expect(section('diversity').tables![0]!.rows.map((r) => r[0])).toEqual(['All images', 'T1']);
    const utility = section('utility');
    expect(utility.metrics!.map((m) => [m.name, m.value])).toContainEqual(['ImageUtilityRatio', '0.78']);
    expect(utility.tables![0]!.rows).toEqual([['T1', '0.5', '0.5'], ['T2', 'n/a', 'n/a']]);
    expect(utility.charts).toHaveLength(1);
    expect(doc.facts.find((f) => f.label === 'Classes')?.value).toBe('T1, T2');
    expect(() => renderReportHtml(doc)).not.toThrow();
  });

  it('prints to PDF with the synthetic samples as its only images', async () => {
    if (!(await chromiumAvailable())) return console.warn('PDF check skipped: no Chromium');
    const doc = await buildImageDocument(constructedResult(), FACTS(s.datasetId, s.specId), s.samples, META);
    const pdf = Buffer.from(await htmlToPdfBytes(renderReportHtml(doc))).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    // Chromium embeds each distinct <img> once; vega's charts are vector paths, not images.
    expect(pdf.match(/\/Subtype\s*\/Image/g)).toHaveLength(s.samples.length);
  });

  it('refuses a grid image that is not a PNG, and leaves a table report as it was', async () => {
    const doc = await buildImageDocument(constructedResult(), FACTS(s.datasetId, s.specId), s.samples.slice(0, 2), META);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64');
    const grid = doc.sections[0]!.grids![0]!;
    grid.items[0]!.pngBase64 = svg;
    expect(() => renderReportHtml(doc)).toThrow(AirlockError);
    expect(() => renderReportHtml(doc)).toThrow(/not a PNG picture/);
    // A document without grids (every table report) keeps the strict policy and no image styles.
    const table = { ...doc, kind: undefined, sections: doc.sections.slice(1) };
    delete table.kind;
    const html = renderReportHtml(table);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toContain('figure.samples');
    expect(html).not.toContain('<img');
  });
});

describe('memorisation pairs channel', () => {
  let validationId = -1;
  beforeAll(() => {
    const db = s.db;
    validationId = insertValidation(db, { datasetId: s.datasetId, datasetSha256: 'd'.repeat(64), specId: s.specId, specVersion: 1, specHash: 'e'.repeat(64), validatorVersion: 'test', seed: '1', actor: 'sam' }, new Date());
    // Findings as the pipeline stores them: a synthetic index and the real frame's provenance, never pixels.
    const pairs = [
      { syntheticIndex: 2, against: 'training' as const, seriesId: s.seriesId, fileId: s.files[4]!.id, frame: 0, ncc: 0.91, ssim: 0.8 },
      { syntheticIndex: 0, against: 'training' as const, seriesId: s.seriesId, fileId: s.files[11]!.id, frame: 0, ncc: 0.97, ssim: 0.9 },
    ];
    const result = constructedResult(pairs);
    insertResult(db, { validationId, verdict: 'fail', result: JSON.stringify(result), resultSha256: 'f'.repeat(64), document: '{}' }, new Date());
    db.prepare("UPDATE validations SET status = 'done' WHERE id = ?").run(validationId);
  });

  it('draws real beside synthetic, as training saw them, worst first, and audits the viewing', async () => {
    const view = await s.svc.call('validations:memorisationPairs', { validationId, limit: 10 });
    expect(view.total).toBe(2);
    expect(view.pairs.map((p) => [p.rank, p.syntheticIndex, p.ncc, p.aboveThreshold])).toEqual([
      [1, 0, 0.97, true],
      [2, 2, 0.91, false],
    ]);
    // The real frame is the 12th training frame, pixel for pixel as the generator was given it.
    const data = await loadImageData(s.db, codecOf(s.svc), { seriesIds: [s.seriesId], size: 32, window: SPEC.image.window, labelBy: null });
    const expected = Uint8Array.from(data.images.subarray(11 * 1024, 12 * 1024), (v) => Math.round((v + 1) * 127.5));
    expect(view).toMatchObject({ realWithheld: false, withheldNote: null });
    expect(await pixels(view.pairs[0]!.realPng ?? '')).toEqual(expected);
    // The synthetic image is the stored one, same size.
    const stored = await pixels(view.pairs[0]!.syntheticPng);
    expect(stored).toHaveLength(1024);
    expect(Buffer.from(datasetImage(s.db, s.datasetId, 0)).length).toBeGreaterThan(1024);
    const audit = listAudit(s.db, { action: 'validation.pairs_viewed' });
    expect(audit[0]).toMatchObject({ actor: 'sam', subject: `validation #${validationId}`, details: { shown: 2, of: 2 } });
    expect((await s.svc.call('validations:memorisationPairs', { validationId, limit: 1 })).pairs).toHaveLength(1);
  });

  it('answers the reviewer, refuses the admin and anyone without a session', async () => {
    const { svc, path } = s;
    svc.end();
    await svc.settled();
    await loginOwn(svc, path, REX.username, REX.password);
    // The reviewer holds no sources key: scores and synthetic images, the real side withheld with the sentence the panel shows.
    const reviewed = await svc.call('validations:memorisationPairs', { validationId, limit: 2 });
    expect(reviewed.pairs).toHaveLength(2);
    expect(reviewed).toMatchObject({ realWithheld: true, withheldNote: expect.stringContaining('Only a data steward can see the real frames') as string });
    expect(reviewed.pairs.map((p) => [p.ncc, p.realPng])).toEqual([
      [0.97, null],
      [0.91, null],
    ]);
    expect(reviewed.pairs.every((p) => p.syntheticPng.startsWith('data:image/png;base64,'))).toBe(true);
    svc.end();
    await svc.settled();
    await svc.call('session:login', { path, username: ADMIN.username, password: ADMIN.password });
    expect(await svc.dispatch('validations:memorisationPairs', { validationId, limit: 2 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    svc.end();
    await svc.settled();
    expect(await svc.dispatch('validations:memorisationPairs', { validationId, limit: 2 })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    await loginOwn(svc, path, SAM.username, SAM.password);
    const viewers = listAudit(svc.current!.ws.db, { action: 'validation.pairs_viewed' }).map((e) => e.actor);
    expect(viewers.sort()).toEqual(['rex', 'sam', 'sam']);
  });
});
