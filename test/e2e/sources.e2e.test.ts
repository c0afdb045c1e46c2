import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FAST_KDF } from '../helpers';
import { chromiumAvailable, launchAsSteward, type App } from './harness';

const run = chromiumAvailable() ? describe : describe.skip;
const SAMPLE = join(process.cwd(), 'resources/sample');
const CT = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm';
const TRUNCATED = '/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_truncated.dcm';

run('sources end to end: import, tables, DICOM viewer', () => {
  let app: App;
  const root = mkdtempSync(join(tmpdir(), 'airlock-e2e-src-'));

  beforeAll(async () => {
    app = await launchAsSteward(join(root, 'ws'), ADMIN, undefined, { kdf: FAST_KDF });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('imports the sample series and table with progress and per-file results', async () => {
    const { page } = app;
    await page.getByTestId('nav-sources').click();
    await page.getByTestId('sources-screen').waitFor();
    await page.getByTestId('sources-tab-import').click();
    await page.getByTestId('import-paths').fill([join(SAMPLE, 'mr-brain'), join(SAMPLE, 'tables/pbc.csv'), CT, TRUNCATED].join('\n'));
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 30_000 }).toMatch(/Imported 22.*refused 1/);
    expect(await page.locator('[data-testid^="import-result-"][data-status="refused"]').count()).toBe(1);
    expect(await page.locator('[data-testid^="import-result-"][data-status="refused"]').textContent()).toContain('DICOM_TRUNCATED');
    await app.shot('10-import-results');
  });

  it('shows the table with types, statistics and identifying flags', async () => {
    const { page } = app;
    await page.getByTestId('sources-tab-tables').click();
    await page.locator('[data-testid^="table-item-"]').first().click();
    await page.getByTestId('table-detail').waitFor();
    expect(await page.getByTestId('column-row-0').textContent()).toMatch(/id[\s\S]*identifier[\s\S]*drop/i);
    expect(await page.getByTestId('table-preview').textContent()).toContain('holdout');
    await app.shot('11-table-detail');
  });

  it('browses series, opens the viewer, and changes the image with a preset', async () => {
    const { page } = app;
    await page.getByTestId('sources-tab-images').click();
    const cards = page.locator('[data-testid^="series-card-"]');
    await expect.poll(() => cards.count()).toBe(2);
    await app.shot('12-series');
    // The CT series: presets apply to CT.
    await cards.filter({ hasText: 'CT' }).first().click();
    await page.getByTestId('viewer').waitFor();
    const image = page.getByTestId('viewer-image');
    await expect.poll(() => image.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const before = await image.getAttribute('src');
    await page.getByTestId('preset-lung').click();
    await expect.poll(() => page.getByTestId('viewer-wl').textContent()).toContain('W 1500');
    await expect.poll(() => image.getAttribute('src')).not.toBe(before);
    await app.shot('13-viewer-lung');
    await page.getByTestId('preset-bone').click();
    await expect.poll(() => page.getByTestId('viewer-wl').textContent()).toContain('W 2500');
    const patientName = page.getByTestId('tag-row-00100010');
    expect(await patientName.getAttribute('data-identifying')).toBe('true');
    expect(await page.getByTestId('tag-row-00280010').getAttribute('data-identifying')).toBe('false');
    await app.shot('14-viewer-bone-metadata');
  });

  it('scrolls through the MR series slice by slice', async () => {
    const { page } = app;
    await page.getByTestId('sources-tab-images').click();
    await page.locator('[data-testid^="series-card-"]').filter({ hasText: 'MR' }).first().click();
    await page.getByTestId('viewer').waitFor();
    await expect.poll(() => page.getByTestId('viewer-slice').textContent()).toMatch(/Slice \d+ \/ 20/);
    const start = await page.getByTestId('viewer-slice').textContent();
    await page.getByTestId('viewer').focus();
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.getByTestId('viewer-slice').textContent()).not.toBe(start);
    await app.shot('15-viewer-mr');
  });
});
