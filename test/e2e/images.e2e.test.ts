import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FAST_KDF } from '../helpers';
import { chromiumAvailable, launchAsSteward, type App } from './harness';

const run = chromiumAvailable() ? describe : describe.skip;
const MR = join(process.cwd(), 'resources/sample/mr-brain');

run('image generator end to end', () => {
  let app: App;
  let seriesId = -1;
  const root = mkdtempSync(join(tmpdir(), 'airlock-e2e-img-'));

  beforeAll(async () => {
    app = await launchAsSteward(join(root, 'ws'), ADMIN, async (svc) => {
      const job = await svc.call('ingest:start', { paths: [MR] });
      await svc.current?.imports.wait(job.id);
      // One sample patient: with no holdout it can be trained on.
      await svc.call('sources:setDicomHoldout', { fraction: 0, seed: 'e2e' });
      seriesId = (await svc.call('sources:list', {})).studies[0]?.series[0]?.id ?? -1;
    }, { kdf: FAST_KDF });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes an image spec, trains, sees sample grids, and opens a synthetic image in the viewer', async () => {
    const { page } = app;
    await page.getByTestId('nav-specs').click();
    await page.getByTestId('spec-new-image').click();
    await page.getByTestId('image-name').fill('MR brain DCGAN (e2e)');
    await page.getByTestId(`image-series-${seriesId}`).check();
    await page.getByTestId('image-size').getByText('32 × 32').click();
    await page.getByTestId('image-epochs').fill('4');
    await page.getByTestId('image-batch').fill('8');
    await page.getByTestId('image-count').fill('8');
    await page.getByTestId('image-intended-use').fill('End-to-end test of image generation.');
    await app.shot('30-image-spec');
    await page.getByTestId('image-save-train').click();
    await page.getByTestId('training-screen').waitFor();
    await expect.poll(() => page.getByTestId('run-grid').count(), { timeout: 60_000, interval: 200 }).toBe(1);
    await app.shot('31-image-training-grid');
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 90_000, interval: 500 }).toContain('done');
    await page.getByTestId('synthetic-image-0').click();
    await page.getByTestId('synthetic-viewer-image').waitFor();
    await expect.poll(() => page.getByTestId('synthetic-viewer-image').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await app.shot('32-synthetic-viewer');
  });
});
