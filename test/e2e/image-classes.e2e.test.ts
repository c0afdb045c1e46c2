// Image runs with classes and a colour series, in the UI: saving is refused naming the colour series, the steward
// converts it to greyscale, the run says so in its notes, and the gallery shows each image's class and modality.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FAST_KDF } from '../helpers';
import { chromiumAvailable, launchAsSteward, type App } from './harness';

const run = chromiumAvailable() ? describe : describe.skip;
const MR = join(process.cwd(), 'resources/sample/mr-brain');
const RGB = '/usr/lib/python3/dist-packages/pydicom/data/test_files/SC_rgb_rle.dcm';

run('image classes and colour series end to end', () => {
  let app: App;
  const ids = { mr: -1, rgb: -1 };
  const root = mkdtempSync(join(tmpdir(), 'airlock-e2e-classes-'));

  beforeAll(async () => {
    app = await launchAsSteward(join(root, 'ws'), ADMIN, async (svc) => {
      const job = await svc.call('ingest:start', { paths: [MR, RGB] });
      await svc.current?.imports.wait(job.id);
      await svc.call('sources:setDicomHoldout', { fraction: 0, seed: 'e2e' });
      const series = (await svc.call('sources:list', {})).studies.flatMap((s) => s.series);
      ids.mr = series.find((s) => s.modality === 'MR')?.id ?? -1;
      ids.rgb = series.find((s) => s.modality === 'OT')?.id ?? -1;
    }, { kdf: FAST_KDF });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses the colour series at save, converts it on request, and shows classes and notes of the run', async () => {
    expect(ids.mr).toBeGreaterThan(0);
    expect(ids.rgb).toBeGreaterThan(0);
    const { page } = app;
    await page.getByTestId('nav-specs').click();
    await page.getByTestId('spec-new-image').click();
    await page.getByTestId('image-name').fill('MR and colour by modality (e2e)');
    await page.getByTestId(`image-series-${ids.mr}`).check();
    await page.getByTestId(`image-series-${ids.rgb}`).check();
    await page.getByTestId('image-size').getByText('32 × 32').click();
    await page.getByTestId('image-label-by').click();
    await page.getByRole('option', { name: 'Modality', exact: true }).click();
    await page.getByTestId('image-generator').click();
    await page.getByRole('option', { name: 'CVAE' }).click();
    await page.getByTestId('image-epochs').fill('1');
    await page.getByTestId('image-batch').fill('8');
    await page.getByTestId('image-count').fill('8');
    await page.getByTestId('image-intended-use').fill('End-to-end test of image classes.');
    await page.getByTestId('image-save').click();
    // Refused at save, naming the series, with the offer to convert.
    await page.getByTestId('image-colour-offer').waitFor();
    expect(await page.getByTestId('image-spec-editor').textContent()).toContain(`Series #${ids.rgb} is colour`);
    await app.shot('35-image-colour-refused');
    await page.getByTestId('image-colour-convert').click();
    await page.getByTestId('image-colour-offer').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('image-colour').locator('input[value="greyscale"]').isChecked()).toBe(true);
    await page.getByTestId('image-save-train').click();
    await page.getByTestId('training-screen').waitFor();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 120_000, interval: 500 }).toContain('done');
    // The run's notes say what was decided: the colour frame became greyscale, and no patient is held out.
    const notes = (await page.getByTestId('run-notes').textContent()) ?? '';
    expect(notes).toContain('converted to greyscale');
    expect(notes).toContain('No patient of the chosen series is held out');
    // Each class with the modality its images carry; each tile names its class.
    await page.getByTestId('synthetic-classes').waitFor();
    const classes = (await page.getByTestId('synthetic-classes').textContent()) ?? '';
    expect(classes).toMatch(/Class “MR”: \d+ images, modality MR/);
    expect(classes).toMatch(/Class “OT”: \d+ images, modality OT/);
    const labels = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => page.getByTestId(`synthetic-tile-${i}`).getAttribute('aria-label')));
    expect(labels.every((l) => /class (MR|OT)$/.test(l ?? ''))).toBe(true);
    expect(new Set(labels.map((l) => l?.slice(-2))).size).toBe(2);
    await app.shot('36-image-classes-gallery');
  });
});
