// The image gate on real workspaces: the bundled MR volume as two patients (one held out), a short real DCGAN
// run judged without crashing and its verdict explained; "generators" that return the training frames (as they
// are, mirrored, shifted by a pixel, lightly noised) fail memorisation; one that returns noise fails fidelity.
// Plus: the stored result's hash is stable for the same inputs and seed, audit events, cancel, the split the run
// trained against, the CLI's verdict text and the dataset card built on an image result.
import { beforeAll, describe, expect, it } from 'vitest';
import { verdictText } from '../../electron/cli/validate-commands';
import { loadImageData } from '../../electron/core/train/image-data';
import { IMAGE_STAGES } from '../../electron/core/validate/protocol';
import type { ImageValidationResult } from '../../electron/core/validate/image/result';
import { getResultRow } from '../../electron/core/validate/validations-repo';
import { fakeDataset, imageWorkspace, noised, SIZE, transformed, uniformNoise, type ImageWorkspace } from './gate-fixtures';
import { codecOf } from '../sources-sealed/opened';

let w: ImageWorkspace;
let copiesValidation = 0;
const last = SIZE - 1;

beforeAll(async () => {
  w = await imageWorkspace();
}, 120_000);

async function validate(datasetId: number, seed?: string) {
  const started = await w.svc.call('validations:start', { datasetId, seed });
  const done = await w.svc.current!.validations.wait(started.id);
  const got = await w.svc.call('validations:get', { validationId: done.id });
  const row = getResultRow(w.db, done.id);
  return { started, done, got, result: row ? (JSON.parse(row.result) as ImageValidationResult) : null };
}

const criterion = (r: ImageValidationResult | null, id: string) => r?.criteria.find((c) => c.id === id);
const audit = (action: string, subject: string) => w.db.prepare('SELECT details FROM audit_log WHERE action = ? AND subject = ?').all(action, subject) as { details: string }[];

describe('image validation gate', () => {
  it('judges a short real DCGAN run, shows the image stages, and explains its verdict', async () => {
    const { done, got, result } = await validate(w.dcganDataset);
    expect(done.status).toBe('done');
    expect(done.stages.map((s) => s.id)).toEqual(IMAGE_STAGES.map((s) => s.id));
    expect(done.stages.every((s) => s.state === 'done')).toBe(true);
    expect(done.tier).toBe('model-development'); // an image spec without a tier: the default
    expect(result?.kind).toBe('images');
    expect(result?.inputs.rows).toEqual({ train: 10, holdout: 10, synthetic: 12 });
    expect(result?.evidence.features.encoder.kind).toBe('autoencoder'); // no class labels
    expect(criterion(result, 'images.utilityRatioMin')?.status).toBe('not-applicable');
    // Two epochs of a tiny DCGAN make blobs: fidelity fails, and every failure says what was measured and allowed.
    expect(done.verdict).toBe('fail');
    const failed = result?.criteria.filter((c) => c.status === 'fail') ?? [];
    expect(failed.map((c) => c.id)).toEqual(expect.arrayContaining(['images.frechetRatioMax', 'images.intensityWassersteinMax']));
    expect(got.document?.verdict.failed).toHaveLength(failed.length);
    for (const c of failed) expect(got.document?.verdict.failed.some((s) => s.startsWith(`${c.label}: measured`))).toBe(true);
    expect(got.findings).toBeNull(); // image findings have their own audited channel
    const text = verdictText(got.validation, got.document);
    expect(text).toContain('FAIL');
    expect(text).toContain('Fréchet distance ratio, max: measured');
  }, 60_000);

  it('fails memorisation for training frames returned as they are, mirrored, shifted by a pixel or lightly noised', async () => {
    const data = await loadImageData(w.db, codecOf(w.svc), { seriesIds: w.seriesIds, size: SIZE, window: null, labelBy: null });
    const cases: [string, Float32Array][] = [
      ['copies', w.train],
      ['mirrored left–right', transformed(w, (y, x) => [y, last - x])],
      ['mirrored top–bottom', transformed(w, (y, x) => [last - y, x])],
      ['shifted one pixel', transformed(w, (y, x) => [y, x - 1])],
      ['noised (σ 0.05)', noised(w, 0.05, 3)],
    ];
    // One dataset of all five "generators" (10 images each, in this order): one validation judges them all.
    const all = new Float32Array(cases.length * w.train.length);
    cases.forEach(([, f], i) => all.set(f, i * w.train.length));
    const { done, result } = await validate(fakeDataset(w, all));
    copiesValidation = done.id;
    const share = criterion(result, 'images.memorisationShareMax');
    expect(done.verdict).toBe('fail');
    expect(share?.status).toBe('fail');
    expect(share?.value).toBe(1);
    expect(share?.detail).toContain('50 synthetic images reach NCC ≥ 0.98');
    const m = result?.evidence.memorisation.summary;
    expect(m?.closestTrain.p01).toBeGreaterThanOrEqual(0.98);
    // The control: unseen slices of the other patient stay below the threshold for the same images.
    expect(m?.closestHoldout.max).toBeLessThan(0.98);
    // The findings name, for each image, the very training frame it was made from (series, file, frame).
    const pairs = result?.findings.pairs.filter((p) => p.against === 'training') ?? [];
    expect(pairs).toHaveLength(50);
    for (const p of pairs) {
      const name = cases[Math.floor(p.syntheticIndex / 10)]?.[0];
      expect(p.ncc, name).toBeGreaterThanOrEqual(0.98);
      expect({ seriesId: p.seriesId, fileId: p.fileId, frame: p.frame }, name).toEqual(data.provenance[p.syntheticIndex % 10]);
    }
    expect(result?.findings.pairs.some((p) => p.against === 'holdout')).toBe(true);
    // Copies are faithful: fidelity passes, so memorisation alone stops them.
    expect(criterion(result, 'images.frechetRatioMax')?.status).toBe('pass');
  }, 60_000);

  it('fails fidelity for pure noise, which copies nothing', async () => {
    const { done, result } = await validate(fakeDataset(w, uniformNoise(12, 4)));
    expect(done.verdict).toBe('fail');
    expect(criterion(result, 'images.memorisationShareMax')?.status).toBe('pass');
    for (const id of ['images.frechetRatioMax', 'images.precisionMin', 'images.intensityWassersteinMax']) expect(criterion(result, id)?.status, id).toBe('fail');
    expect(result?.evidence.memorisation.summary.closestTrain.max).toBeLessThan(0.5);
  }, 60_000);

  it('gives the same result hash for the same inputs and seed, another for another seed, and audits each', async () => {
    const id = fakeDataset(w, noised(w, 0.1, 8));
    const a = await validate(id, 'same');
    const b = await validate(id, 'same');
    const c = await validate(id, 'other');
    expect(a.done.resultSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.done.resultSha256).toBe(a.done.resultSha256);
    expect(c.done.resultSha256).not.toBe(a.done.resultSha256);
    const started = audit('validation.started', `validation #${a.done.id}`);
    expect(started).toHaveLength(1);
    expect(JSON.parse(started[0]!.details)).toMatchObject({ datasetId: id, seed: 'same', tier: 'model-development' });
    const finished = audit('validation.finished', `validation #${a.done.id}`);
    expect(JSON.parse(finished[0]!.details)).toMatchObject({ datasetId: id, verdict: a.done.verdict, resultSha256: a.done.resultSha256 });
  }, 60_000);

  it('builds the dataset card on an image result', async () => {
    const done = await w.svc.call('validations:get', { validationId: copiesValidation }).then((g) => g.validation);
    const card = await w.svc.call('approvals:preview', { datasetId: done.datasetId, validationId: done.id, sections: [] });
    const parsed = JSON.parse(card.cardJson) as { identity: { tier: string; verdict: string; resultSha256: string } };
    expect(parsed.identity).toMatchObject({ tier: 'model-development', verdict: 'fail', resultSha256: done.resultSha256 });
  }, 60_000);

  it('cancels an image validation while its frames load and while the worker computes, audited, with no result stored', async () => {
    const early = await w.svc.call('validations:start', { datasetId: w.dcganDataset });
    expect((await w.svc.call('validations:cancel', { validationId: early.id })).status).toBe('cancelled');
    const late = await w.svc.call('validations:start', { datasetId: w.dcganDataset });
    const live = w.svc.current!.validations;
    while (['prepare', null].includes(live.view(late.id).stage) && live.view(late.id).status === 'running') await new Promise((r) => setTimeout(r, 20));
    expect(live.view(late.id).status).toBe('running');
    expect((await w.svc.call('validations:cancel', { validationId: late.id })).status).toBe('cancelled');
    for (const v of [early, late]) {
      expect(getResultRow(w.db, v.id)).toBeNull();
      expect(audit('validation.cancelled', `validation #${v.id}`)).toHaveLength(1);
    }
    // The late one was stopped in the worker, past its first stage (the audit says where).
    const where = (JSON.parse(audit('validation.cancelled', `validation #${late.id}`)[0]!.details) as { stage: string }).stage;
    expect(IMAGE_STAGES.slice(1).map((s) => s.id)).toContain(where);
  }, 60_000);

  it('keeps the split the run trained against when the DICOM holdout is redrawn later', async () => {
    await w.svc.call('sources:setDicomHoldout', { fraction: 0, seed: 'nobody' });
    const { done, result } = await validate(w.dcganDataset);
    expect(done.status).toBe('done');
    expect(result?.inputs.rows).toMatchObject({ train: 10, holdout: 10 });
    expect(result?.inputs.split).toContain('redrawn after this run trained');
  }, 60_000);

  it('refuses, with a sentence and nothing stored, a dataset whose run trained with no patient held out', async () => {
    // The split is now "nobody held out" (previous test): a run trained under it has no unseen control.
    const started = await w.svc.call('runs:start', { specId: w.specId });
    const run = await w.svc.current!.runs.wait(started.id);
    const datasetId = run.datasets[0]?.id ?? -1;
    const before = w.db.prepare('SELECT count(*) AS n FROM validations').get() as { n: number };
    await expect(w.svc.call('validations:start', { datasetId })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('No patient of the series spec') });
    expect(w.db.prepare('SELECT count(*) AS n FROM validations').get()).toEqual(before);
  }, 60_000);
});
