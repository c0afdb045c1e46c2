import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FAST_KDF } from '../helpers';
import { splitMrVolume } from '../validate-image/gate-fixtures';
import { loginOwn } from '../own-password';
import { ARTIFACTS, chromiumAvailable, launchAsSteward, loginThroughUi, openValidation, STEWARD, type App } from './harness';

const run = chromiumAvailable() ? describe : describe.skip;
const IMAGES = 8;
const REVIEWER = { username: 'rex', displayName: 'Rex Reviewer', roles: ['reviewer' as const], password: 'reviewer password 1' };

run('image validation end to end', () => {
  let app: App;
  let datasetId = -1;
  const root = mkdtempSync(join(tmpdir(), 'airlock-e2e-validate-img-'));
  const workspace = join(root, 'ws');

  beforeAll(async () => {
    app = await launchAsSteward(
      workspace,
      ADMIN,
      async (svc) => {
        // The admin adds a reviewer (who makes her password her own); then the steward imports the MR volume.
        await svc.call('session:login', { path: workspace, username: ADMIN.username, password: ADMIN.password });
        await svc.call('users:add', REVIEWER);
        await loginOwn(svc, workspace, REVIEWER.username, REVIEWER.password);
        await loginOwn(svc, workspace, STEWARD.username, STEWARD.password);
        const job = await svc.call('ingest:start', { paths: splitMrVolume(mkdtempSync(join(root, 'dicom-'))) });
        await svc.current?.imports.wait(job.id);
        const studies = (await svc.call('sources:list', {})).studies;
        const brain = studies.find((s) => s.patient.patientId !== 'HOLD-2');
        if (!brain || studies.length !== 2) throw new Error('expected two patients');
        // A seeded per-patient split that holds out the other patient and trains on the MR series.
        for (let i = 0; i < 100; i++) {
          await svc.call('sources:setDicomHoldout', { fraction: 0.5, seed: `e2e-${i}` });
          const now = (await svc.call('sources:list', {})).studies;
          if (now.every((s) => s.patient.holdout === (s.id !== brain.id))) break;
        }
        const split = (await svc.call('sources:list', {})).studies;
        if (!split.every((s) => s.patient.holdout === (s.id !== brain.id))) throw new Error('no seed held out only the second patient');
        const seriesIds = split.flatMap((s) => s.series.map((x) => x.id));
        const saved = await svc.call('imagespecs:save', {
          specId: null,
          spec: {
            name: 'MR brain DCGAN (validation e2e)',
            source: { kind: 'dicom', seriesIds },
            image: { size: 32, window: null, labelBy: null },
            generator: { kind: 'dcgan', epochs: 2, batchSize: 8, ngf: 8, ndf: 8, latentDim: 8, learningRate: 2e-4, checkpointEvery: 2 },
            images: IMAGES,
            seed: 5,
            intendedUse: 'End-to-end test of image validation.',
            prohibitedUses: [],
          },
        });
        const started = await svc.call('runs:start', { specId: saved.specId });
        const done = await svc.current!.runs.wait(started.id);
        datasetId = done.datasets[0]?.id ?? -1;
      },
      { kdf: FAST_KDF },
    );
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('validates the image dataset: verdict, criteria, plots and synthetic samples', async () => {
    const { page } = app;
    expect(datasetId).toBeGreaterThan(0);
    await page.getByTestId('nav-validation').click();
    await page.getByTestId('validation-screen').waitFor();
    await expect.poll(() => page.getByTestId('validation-dataset').inputValue()).toContain(`${IMAGES} images`);
    await page.getByTestId('validation-start').click();
    await page.getByTestId('validation-verdict').waitFor({ timeout: 150_000 });
    const verdict = await page.getByTestId('validation-verdict-word').textContent();
    expect(verdict).toMatch(/^(PASS|FAIL)$/);
    // A failed verdict names each failed criterion.
    if (verdict === 'FAIL') expect(await page.locator('[data-testid="validation-failed"] li').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid^="criterion-"][data-status]').count()).toBeGreaterThanOrEqual(4);
    for (const id of ['samples', 'intensity', 'features', 'diversity', 'spectrum', 'memorisation']) await page.getByTestId(`validation-section-${id}`).waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await app.shot('50-image-validation-verdict');

    // Every plot decoded as an image (a broken SVG has no natural size), and the grid holds the synthetic images.
    expect(await page.getByTestId('validation-chart').count()).toBeGreaterThanOrEqual(5);
    const samples = page.getByTestId('validation-sample');
    expect(await samples.count()).toBe(IMAGES);
    await page.getByTestId('validation-section-samples').scrollIntoViewIfNeeded();
    await expect
      .poll(() => page.evaluate(`[...document.querySelectorAll('[data-testid="validation-chart"] img, [data-testid="validation-sample"]')].every((i) => i.complete && i.naturalWidth > 0)`), { timeout: 10_000 })
      .toBe(true);
    // Sections alone, without the fixed header over them.
    await page.addStyleTag({ content: '.mantine-AppShell-header { visibility: hidden !important; }' });
    await page.getByTestId('validation-section-samples').screenshot({ path: join(ARTIFACTS, '51-image-validation-samples.png') });
    await page.getByTestId('validation-section-spectrum').screenshot({ path: join(ARTIFACTS, '52-image-validation-spectrum.png') });
    await page.getByTestId('validation-section-memorisation').screenshot({ path: join(ARTIFACTS, '53-image-validation-memorisation.png') });
  }, 200_000);

  it('shows the memorisation pairs only on request, real beside synthetic, and keeps them out of the report', async () => {
    const { page } = app;
    const panel = page.getByTestId('memorisation-pairs');
    await panel.scrollIntoViewIfNeeded();
    expect(await page.getByTestId('memorisation-pair').count()).toBe(0);
    await page.getByTestId('memorisation-pairs-show').click();
    await expect.poll(() => page.getByTestId('memorisation-pair').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const real = await page.getByTestId('memorisation-pair-real').first().getAttribute('src');
    const synthetic = await page.getByTestId('memorisation-pair-synthetic').first().getAttribute('src');
    expect(real).toMatch(/^data:image\/png;base64,/);
    expect(synthetic).toMatch(/^data:image\/png;base64,/);
    expect(await page.getByTestId('memorisation-pair-ncc').first().textContent()).toMatch(/NCC -?\d\.\d{3}/);
    await expect.poll(() => page.evaluate(`[...document.querySelectorAll('[data-testid^="memorisation-pair-"] ')].filter((i) => i.tagName === 'IMG').every((i) => i.complete && i.naturalWidth === 32)`)).toBe(true);
    await panel.screenshot({ path: join(ARTIFACTS, '54-image-validation-pairs.png') });
    await page.evaluate(`document.querySelectorAll('style').forEach((s) => s.textContent.includes('AppShell-header { visibility') && s.remove())`);

    // The report that can leave holds neither the real frame nor the pair's synthetic image as shown here.
    const download = page.waitForEvent('download');
    await page.getByTestId('validation-save-html').click();
    const html = readFileSync((await (await download).path()) ?? '', 'utf8');
    expect(html).toContain('img-src data:');
    expect(html).not.toContain(real!.slice('data:image/png;base64,'.length, 200));
    expect(html).not.toContain('<script');
    await page.getByTestId('memorisation-pairs-hide').click();
    expect(await page.getByTestId('memorisation-pair').count()).toBe(0);
  }, 60_000);

  it('shows a reviewer the pairs with the synthetic side and the scores, and the real frames withheld', async () => {
    const { page } = app;
    await loginThroughUi(page, workspace, REVIEWER);
    await openValidation(page, 1);
    await page.getByTestId('memorisation-pairs').scrollIntoViewIfNeeded();
    await page.getByTestId('memorisation-pairs-show').click();
    await expect.poll(() => page.getByTestId('memorisation-pair').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('memorisation-pairs-withheld').waitFor();
    const pairs = await page.getByTestId('memorisation-pair').count();
    expect(await page.getByTestId('memorisation-pair-real').count()).toBe(0);
    expect(await page.getByTestId('memorisation-pair-real-withheld').count()).toBe(pairs);
    expect(await page.getByTestId('memorisation-pair-synthetic').count()).toBe(pairs);
    expect(await page.getByTestId('memorisation-pair-ncc').first().textContent()).toMatch(/NCC -?\d\.\d{3}/);
    await page.getByTestId('memorisation-pairs').screenshot({ path: join(ARTIFACTS, '55-image-validation-pairs-reviewer.png') });
  }, 60_000);
});
