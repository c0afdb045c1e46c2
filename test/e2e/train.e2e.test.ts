import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FAST_KDF } from '../helpers';
import { chromiumAvailable, launchAsSteward, type App } from './harness';

const run = chromiumAvailable() ? describe : describe.skip;
const PBC = join(process.cwd(), 'resources/sample/tables/pbc.csv');

run('specs and training end to end', () => {
  let app: App;
  let tableId = -1;
  const root = mkdtempSync(join(tmpdir(), 'airlock-e2e-train-'));

  beforeAll(async () => {
    app = await launchAsSteward(join(root, 'ws'), ADMIN, async (svc) => {
      const job = await svc.call('ingest:start', { paths: [PBC] });
      await svc.current?.imports.wait(job.id);
      tableId = (await svc.call('sources:list', {})).tables[0]?.id ?? -1;
    }, { kdf: FAST_KDF });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes a spec in the form, sees it as JSON and validated inline, and saves version 1', async () => {
    const { page } = app;
    await page.getByTestId('nav-specs').click();
    await page.getByTestId('specs-screen').waitFor();
    await page.getByTestId('spec-new').click();
    await page.getByTestId(`spec-table-${tableId}`).click();
    await page.getByTestId('spec-editor').waitFor();
    await page.getByTestId('spec-name').fill('PBC TVAE (e2e)');
    await page.getByTestId('spec-generator').click();
    await page.getByRole('option', { name: 'TVAE' }).click();
    await page.getByTestId('spec-epochs').fill('3');
    await page.getByTestId('spec-rows').fill('150');
    await page.getByTestId('spec-intended-use').fill('');
    await expect.poll(() => page.getByTestId('spec-errors').textContent()).toMatch(/intended|what the synthetic data is for/i);
    await page.getByTestId('spec-intended-use').fill('End-to-end test of the training screen.');
    await app.shot('20-spec-form');
    await page.getByTestId('spec-tab-json').click();
    await expect.poll(() => page.getByTestId('spec-json').inputValue()).toContain('"kind": "tvae"');
    expect(await page.getByTestId('spec-json').inputValue()).toContain('"epochs": 3');
    await app.shot('21-spec-json');
    await page.getByTestId('spec-tab-form').click();
    await page.getByTestId('spec-save').click();
    await page.getByTestId('spec-version-1').waitFor();
  });

  it('starts a run, watches its progress and losses, and previews the synthetic table', async () => {
    const { page } = app;
    await page.getByTestId('spec-start-training').click();
    await page.getByTestId('training-screen').waitFor();
    await page.getByTestId('run-detail').waitFor();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 90_000, interval: 500 }).toContain('done');
    await page.getByTestId('run-loss-chart').waitFor();
    expect(await page.getByTestId('run-backend').textContent()).toContain('wasm');
    await page.getByTestId('dataset-preview').waitFor();
    expect(await page.getByTestId('dataset-preview').textContent()).toContain('sex');
    expect(await page.getByTestId('dataset-sha').textContent()).toMatch(/[0-9a-f]{64}/);
    await app.shot('22-run-done');
  });
});
