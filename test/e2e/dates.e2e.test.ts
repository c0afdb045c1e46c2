// Date treatments in the spec editor: an identifying date is drafted as "to the year", can be set to the month,
// and is saved as the steward chose (the form once dropped the "to" and the save failed).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unlockWorkspace } from '../../electron/core/store/workspace';
import { getSpecVersion } from '../../electron/core/train/specs';
import { ADMIN, FAST_KDF } from '../helpers';
import { chromiumAvailable, launchAsSteward, STEWARD, type App } from './harness';

const run = chromiumAvailable() ? describe : describe.skip;

run('date treatments in the spec editor end to end', () => {
  let app: App;
  let tableId = -1;
  const root = mkdtempSync(join(tmpdir(), 'airlock-e2e-dates-'));
  const ws = join(root, 'ws');
  const csv = join(root, 'admissions.csv');

  beforeAll(async () => {
    const lines = ['admission_date,age,los_days'];
    for (let i = 0; i < 120; i++) lines.push(`20${String(10 + (i % 9))}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')},${30 + (i % 50)},${1 + (i % 14)}`);
    writeFileSync(csv, `${lines.join('\n')}\n`);
    app = await launchAsSteward(ws, ADMIN, async (svc) => {
      const job = await svc.call('ingest:start', { paths: [csv] });
      await svc.current?.imports.wait(job.id);
      tableId = (await svc.call('sources:list', {})).tables[0]?.id ?? -1;
    }, { kdf: FAST_KDF });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('drafts the date as generalised to the year, lets the steward choose the month, and saves that', async () => {
    const { page } = app;
    await page.getByTestId('nav-specs').click();
    await page.getByTestId('specs-screen').waitFor();
    await page.getByTestId('spec-new').click();
    await page.getByTestId(`spec-table-${tableId}`).click();
    await page.getByTestId('spec-editor').waitFor();
    await expect.poll(() => page.getByTestId('spec-date-hint-admission_date').textContent()).toContain('to the year');
    expect(await page.getByTestId('spec-date-hint-age').count()).toBe(0);
    await page.getByTestId('spec-treatment-admission_date').getByText('Month', { exact: true }).click();
    await expect.poll(() => page.getByTestId('spec-date-hint-admission_date').textContent()).toContain('to the month');
    await page.getByTestId('spec-treatment-admission_date').scrollIntoViewIfNeeded();
    await app.shot('70-date-treatment');
    await page.getByTestId('spec-name').fill('Admissions by month (e2e)');
    await page.getByTestId('spec-save').click();
    await page.getByTestId('spec-version-1').waitFor();
    app.service.end();
    await app.service.settled();
    const { workspace } = await unlockWorkspace(ws, STEWARD.username, STEWARD.password, { kdf: FAST_KDF });
    try {
      expect(getSpecVersion(workspace.db, 1).spec.columns.find((c) => c.name === 'admission_date')).toEqual({ name: 'admission_date', treatment: 'generalise', to: 'month' });
    } finally {
      workspace.close();
    }
  });
});
