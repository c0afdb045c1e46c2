// The holdout in the UI: a table with two rows per patient is grouped at import and says so; redrawing it without
// grouping shows the leak warning with counts; redrawing it grouped by the patient column clears it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FAST_KDF } from '../helpers';
import { chromiumAvailable, launchApp, type App } from './harness';

const run = chromiumAvailable() ? describe : describe.skip;
const COLON = join(process.cwd(), '../shared/data/colon.csv');

run('table holdout end to end: grouped at import, leak warning, redraw', () => {
  let app: App;
  const root = mkdtempSync(join(tmpdir(), 'airlock-e2e-holdout-'));

  beforeAll(async () => {
    // The workspace's creator (a password of their own) with the steward role, logged in through the UI.
    app = await launchApp({ kdf: FAST_KDF });
    const path = join(root, 'ws');
    await app.service.call('workspace:create', { path, ...ADMIN });
    await app.service.call('users:setRoles', { username: ADMIN.username, roles: ['admin', 'steward'] });
    app.service.end();
    await app.service.settled();
    const { page } = app;
    await page.reload();
    await page.getByTestId('login-path').fill(path);
    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-shell').waitFor();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('imports colon.csv with no group column and says the holdout is grouped by id', async () => {
    const { page } = app;
    await page.getByTestId('nav-sources').click();
    await page.getByTestId('sources-screen').waitFor();
    await page.getByTestId('sources-tab-import').click();
    await page.getByTestId('import-paths').fill(COLON);
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 30_000 }).toMatch(/Imported 1/);
    expect(await page.getByTestId('import-result-0').textContent()).toContain('Rows are grouped by “id” (929 patients, 2 rows each on average)');
    await page.getByTestId('sources-tab-tables').click();
    await page.getByTestId('holdout-card').waitFor();
    expect(await page.getByTestId('holdout-note').textContent()).toContain('grouped by “id”');
    expect(await page.locator('[data-testid^="holdout-leak-"]').count()).toBe(0);
  });

  it('redrawn without grouping, warns that patients are on both sides, with counts', async () => {
    const { page } = app;
    await page.getByTestId('holdout-redraw').click();
    await page.getByTestId('holdout-earlier-runs').waitFor();
    expect(await page.getByTestId('holdout-earlier-runs').textContent()).toContain('keep the split they trained against');
    await page.getByTestId('holdout-group').click();
    await page.getByRole('option', { name: 'No grouping (rows split one by one)' }).click();
    await page.getByTestId('holdout-ungrouped-warning').waitFor();
    await page.getByTestId('holdout-seed').fill('ungrouped-1');
    await page.getByTestId('holdout-submit').click();
    const leak = page.getByTestId('holdout-leak-id');
    await leak.waitFor();
    expect(await leak.textContent()).toMatch(/\d+ of 929 patients in “id” have rows on both sides of the holdout \(\d+ rows, \d+ of them held out\)/);
    expect(await page.getByTestId('table-item-leak-1').textContent()).toContain('leaks patients');
    await app.shot('40-holdout-leak-warning');
  });

  it('redrawn grouped by id with a new seed, the warning is gone and the split is recorded', async () => {
    const { page } = app;
    await page.getByTestId('holdout-redraw').click();
    await page.getByTestId('holdout-redraw-form').waitFor();
    // A leaking split opens the form on the column it leaks on.
    expect(await page.getByTestId('holdout-group').inputValue()).toBe('id (identifies patients)');
    await page.getByTestId('holdout-seed').fill('grouped-2');
    await app.shot('41-holdout-redraw-dialog');
    await page.getByTestId('holdout-submit').click();
    await expect.poll(() => page.locator('[data-testid^="holdout-leak-"]').count()).toBe(0);
    expect(await page.getByTestId('holdout-card').textContent()).toContain('grouped-2');
    expect(await page.getByTestId('holdout-card').textContent()).toMatch(/id \(186 of 929 groups\)/);
    await app.shot('42-holdout-regrouped');
    const changes = await app.service.call('audit:list', { action: 'table.holdout_changed' });
    expect(changes).toHaveLength(2);
  });
});
