import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unlockWorkspace } from '../../electron/core/store/workspace';
import { getSpecVersion } from '../../electron/core/train/specs';
import { describeRule } from '../../electron/shared/rules-text';
import { ADMIN, FAST_KDF } from '../helpers';
import { ARTIFACTS, chromiumAvailable, launchAsSteward, STEWARD, type App } from './harness';

const run = chromiumAvailable() ? describe : describe.skip;
const PBC = join(process.cwd(), 'resources/sample/tables/pbc.csv');

run('rules in the spec editor end to end', () => {
  let app: App;
  let tableId = -1;
  const root = mkdtempSync(join(tmpdir(), 'airlock-e2e-rules-'));
  const ws = join(root, 'ws');

  beforeAll(async () => {
    app = await launchAsSteward(ws, ADMIN, async (svc) => {
      // The admin-set password is temporary: the steward chooses one and goes back to it, so the UI login below works.
      // (Refused, harmlessly, once the harness does this itself.)
      const interim = `${STEWARD.password} interim`;
      if ((await svc.dispatch('session:changePassword', { currentPassword: STEWARD.password, newPassword: interim })).ok) {
        await svc.call('session:changePassword', { currentPassword: interim, newPassword: STEWARD.password });
      }
      const job = await svc.call('ingest:start', { paths: [PBC] });
      await svc.current?.imports.wait(job.id);
      tableId = (await svc.call('sources:list', {})).tables[0]?.id ?? -1;
    }, { kdf: FAST_KDF });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('drafts a spec, sees the suggested rules at once, accepts them, and saves them', async () => {
    const { page } = app;
    await page.getByTestId('nav-specs').click();
    await page.getByTestId('specs-screen').waitFor();
    await page.getByTestId('spec-new').click();
    await page.getByTestId(`spec-table-${tableId}`).click();
    await page.getByTestId('spec-editor').waitFor();
    // Suggestions arrive without asking, each with its support and why.
    await page.getByTestId('rule-suggestion-0').waitFor();
    await page.getByTestId('spec-rules-empty').waitFor();
    const first = await page.getByTestId('rule-suggestion-0').textContent();
    expect(first).toMatch(/of \d+ rows/);
    expect(await page.getByTestId('rule-suggestions').textContent()).toContain('“trt”, “ascites”, “hepato”, “spiders”');
    await page.getByTestId('rule-suggestion-0').scrollIntoViewIfNeeded();
    await app.shot('60-rule-suggestions');

    // Accept one, dismiss the next, then accept the rest.
    const accepted = (await page.getByTestId('rule-suggestion-text-0').textContent()) ?? '';
    await page.getByTestId('rule-accept-0').click();
    await expect.poll(() => page.getByTestId('spec-rule-0').textContent()).toContain(accepted);
    const dismissed = (await page.getByTestId('rule-suggestion-text-0').textContent()) ?? '';
    await page.getByTestId('rule-dismiss-0').click();
    await expect.poll(() => page.getByTestId('rule-suggestion-text-0').textContent()).not.toBe(dismissed);
    const left = await page.locator('[data-testid^="rule-suggestion-text-"]').count();
    await page.getByTestId('rules-accept-all').click();
    await page.getByTestId('rule-suggestions-none').waitFor();
    const rules = page.locator('[data-testid^="spec-rule-"]:not([data-testid*="remove"])');
    await expect.poll(() => rules.count()).toBe(left + 1);
    expect(await page.getByTestId('spec-rules').textContent()).not.toContain(dismissed);

    // A rule the real rows break is refused on save, in words, like any other save error.
    await page.getByTestId('rule-form-kind').getByText('Range').click();
    await page.getByTestId('rule-form-column').click();
    await page.getByRole('option', { name: 'time', exact: true }).click();
    await page.getByTestId('rule-form-max').fill('100');
    await page.getByTestId('rule-form-add').click();
    await expect.poll(() => rules.count()).toBe(left + 2);
    await page.getByTestId('spec-name').fill('PBC with rules (e2e)');
    await page.getByTestId('spec-save').click();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toMatch(/“time” at most 100.*real training rows/);
    await app.shot('61-rule-refused');
    await page.getByTestId(`spec-rule-remove-${left + 1}`).click();
    await page.getByTestId('spec-save').click();
    await page.getByTestId('spec-version-1').waitFor();
    await page.getByTestId('spec-rules').scrollIntoViewIfNeeded();
    await app.shot('62-rules-saved');
    await page.locator('section[aria-label="Rules"]').screenshot({ path: join(ARTIFACTS, '63-rules-section.png') });

    // What was saved is what the steward accepted.
    const shown = await rules.allTextContents();
    app.service.end();
    await app.service.settled();
    const { workspace } = await unlockWorkspace(ws, STEWARD.username, STEWARD.password, { kdf: FAST_KDF });
    try {
      const saved = getSpecVersion(workspace.db, 1).spec.rules.map(describeRule);
      expect(saved).toHaveLength(left + 1);
      expect(saved[0]).toBe(accepted);
      expect(saved).not.toContain(dismissed);
      expect(shown.map((s) => s.replace(/×$/, '').trim())).toEqual(saved);
    } finally {
      workspace.close();
    }
  });
});
