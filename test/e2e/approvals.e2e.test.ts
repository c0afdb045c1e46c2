// Sign-off and export in Chromium: the steward requests approval (card preview, a section of their own), the
// reviewer signs with a re-entered password (a wrong one signs nothing), the steward exports to a typed folder and
// verifies the bundle; a tampered file then fails verification, named.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FAST_KDF } from '../helpers';
import { chromiumAvailable, launchAsSteward, STEWARD, type App } from './harness';
import { loginOwn } from '../own-password';

const run = chromiumAvailable() ? describe : describe.skip;
const DATA = join(process.cwd(), '../shared/data');
const REVIEWER = { username: 'rita', displayName: 'Rita Reviewer', roles: ['reviewer' as const], password: 'reviewer password 1' };
const SECTION = { title: 'Why this dataset', body: 'Requested by the sepsis model team for feature engineering.' };

async function login(page: Page, path: string, user: { username: string; password: string }) {
  await page.getByTestId('login-path').fill(path);
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-shell').waitFor();
}

async function lock(page: Page) {
  await page.getByTestId('lock-button').click();
  await page.getByTestId('lock-screen').waitFor();
}

run('sign-off and export end to end', () => {
  let app: App;
  let workspace = '';
  let datasetId = -1;
  const root = mkdtempSync(join(tmpdir(), 'airlock-e2e-approvals-'));
  const bundle = join(root, 'bundle-1');

  beforeAll(async () => {
    workspace = join(root, 'ws');
    app = await launchAsSteward(
      workspace,
      ADMIN,
      async (svc) => {
        await svc.call('session:login', { path: workspace, username: ADMIN.username, password: ADMIN.password });
        await svc.call('users:add', REVIEWER);
        await loginOwn(svc, workspace, REVIEWER.username, REVIEWER.password); // the reviewer's admin-set password made her own
        await loginOwn(svc, workspace, STEWARD.username, STEWARD.password);
        const job = await svc.call('ingest:start', { paths: [join(DATA, 'pbc.csv')] });
        await svc.current!.imports.wait(job.id);
        const [table] = (await svc.call('sources:list', {})).tables;
        const draft = await svc.call('specs:draft', { tableId: table!.id });
        const saved = await svc.call('specs:save', { specId: null, spec: { ...draft, name: 'PBC copula (e2e)', rows: 200 } });
        const started = await svc.call('runs:start', { specId: saved.specId });
        const trained = await svc.current!.runs.wait(started.id);
        datasetId = trained.datasets[0]!.id;
        const v = await svc.call('validations:start', { datasetId });
        const done = await svc.current!.validations.wait(v.id);
        if (done.status !== 'done') throw new Error(`validation ${done.status}: ${done.errorMessage ?? ''}`);
      },
      // No native folder picker, as outside the desktop app: Choose… must say so.
      { kdf: FAST_KDF, chooseFolder: undefined },
    );
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('the steward requests approval: the card preview shows the section they add', async () => {
    const { page } = app;
    await page.getByTestId('nav-approvals').click();
    await page.getByTestId('approval-datasets').waitFor();
    expect(await page.getByTestId(`approval-dataset-status-${datasetId}`).textContent()).toBe('No request');
    await page.getByTestId(`approval-request-${datasetId}`).click();
    const preview = page.frameLocator('[data-testid="request-card-preview"]');
    await preview.getByText('PBC copula (e2e)').first().waitFor();
    await page.getByTestId('request-add-section').click();
    await page.getByTestId('request-section-title-0').fill(SECTION.title);
    await page.getByTestId('request-section-body-0').fill(SECTION.body);
    await preview.getByText(SECTION.body).waitFor({ timeout: 10_000 });
    await app.shot('50-approval-request');
    await page.getByTestId('request-submit').click();
    await page.getByTestId('success-alert').waitFor();
    expect(await page.getByTestId('success-alert').textContent()).toMatch(/Request #1 sent/);
    expect(await page.getByTestId(`approval-dataset-status-${datasetId}`).textContent()).toBe('Pending · 0 of 1 approval');
    // The requester is never a signer: the request says so instead of offering a Sign button.
    await page.getByTestId(`approval-dataset-open-${datasetId}`).click();
    await page.getByTestId('review-cannot-sign').waitFor();
    expect(await page.getByTestId('review-sign').count()).toBe(0);
    await lock(page);
  });

  it('the reviewer sees the badge, reads card and report, and signs with the password typed again', async () => {
    const { page, service } = app;
    await login(page, workspace, REVIEWER);
    await expect.poll(() => page.getByTestId('nav-approvals-badge').textContent()).toBe('1');
    await page.getByTestId('nav-approvals').click();
    await page.getByTestId('approval-open-1').click();
    await page.getByTestId('review-screen').waitFor();
    await page.frameLocator('[data-testid="review-card"]').getByText(SECTION.body).waitFor();
    await page.frameLocator('[data-testid="review-report"]').getByText(/KS statistic|cumulative distributions/).first().waitFor();
    const cardHash = await page.getByTestId('review-hash-card').getAttribute('data-value');
    expect(cardHash).toMatch(/^[0-9a-f]{64}$/);

    await page.getByTestId('review-sign').click();
    await page.getByTestId('sign-dialog').waitFor();
    // The meaning is chosen, never preselected; the exception field appears only for an approval.
    expect(await page.getByTestId('sign-submit').isDisabled()).toBe(true);
    expect(await page.getByTestId('sign-exception').count()).toBe(0);
    await page.getByTestId('sign-meaning-approve').click();
    const meaning = (await page.getByTestId('sign-submit').textContent())?.replace(/^Sign: /, '') ?? '';
    expect(meaning).toBe('Approved for model development');
    await page.getByTestId('sign-comment').fill('Checked the privacy criteria and the card.');
    const failed = (await page.getByTestId('review-verdict').textContent())?.includes('FAIL') ?? false;
    // A failed validation can only be approved with a justified exception, and the dialog asks for one.
    expect(await page.getByTestId('sign-exception').count()).toBe(failed ? 1 : 0);
    if (failed) await page.getByTestId('sign-exception').fill('Prototype features only; fidelity gaps are documented on the card.');
    await page.getByTestId('sign-password').fill('not my password');
    await page.getByTestId('sign-submit').click();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toContain('password is not correct');
    expect(await page.getByTestId('sign-password').inputValue()).toBe('');
    expect((await service.call('approvals:get', { requestId: 1 })).signatures).toHaveLength(0);
    await page.getByTestId('sign-password').fill(REVIEWER.password);
    await app.shot('51-approval-sign-dialog');

    await page.getByTestId('sign-submit').click();
    await page.getByTestId('signature-1').waitFor();
    expect(await page.getByTestId('sign-dialog').count()).toBe(0);
    expect(await page.getByTestId('signature-meaning-1').textContent()).toBe(meaning);
    expect(await page.getByTestId('signature-signer-1').textContent()).toMatch(/Rita Reviewer \(rita\) · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(await page.getByTestId('review-status').textContent()).toBe('Approved');
    await expect.poll(() => page.getByTestId('nav-approvals-badge').count()).toBe(0);
    // The card now prints the signature too.
    await page.frameLocator('[data-testid="review-card"]').getByText('Rita Reviewer').first().waitFor();
    await app.shot('52-approval-signed');
    await lock(page);
  });

  it('the steward exports to a typed folder and sees the bundle id', async () => {
    const { page } = app;
    await login(page, workspace, STEWARD);
    await page.getByTestId('nav-exports').click();
    await expect.poll(() => page.getByTestId('export-gate').getAttribute('data-allowed')).toBe('true');
    expect(await page.getByTestId('export-gate').textContent()).toContain('Rita Reviewer');
    await page.getByTestId('export-choose').click();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toContain('only available in the desktop app');
    await page.getByTestId('export-destination').fill(bundle);
    await page.getByTestId('export-zip-option').check();
    await page.getByTestId('export-password').fill(STEWARD.password);
    await page.getByTestId('export-submit').click();
    await page.getByTestId('export-result').waitFor({ timeout: 20_000 });
    const bundleId = await page.getByTestId('export-bundle-id').textContent();
    expect(bundleId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await page.getByTestId('export-dir').textContent()).toBe(bundle);
    expect(await page.getByTestId('export-zip').textContent()).toMatch(/\.zip$/);
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { bundleId: string };
    expect(manifest.bundleId).toBe(bundleId);
    await page.getByTestId('export-verify').click();
    await expect.poll(() => page.getByTestId('verify-result').getAttribute('data-state')).toBe('verified');
    await page.evaluate('window.scrollTo(0, 0)');
    await app.shot('53-export-result');
  });

  it('verifies the bundle on the Verify screen, then names the file tampered with', async () => {
    const { page } = app;
    await page.getByTestId('nav-verify').click();
    await page.getByTestId('verify-choose-zip').click();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toContain('only available in the desktop app');
    await page.getByTestId('verify-path').fill(bundle);
    await page.getByTestId('verify-submit').click();
    await expect.poll(() => page.getByTestId('verify-result').getAttribute('data-state')).toBe('verified');
    expect(await page.getByTestId('verify-approvals').textContent()).toMatch(/Rita Reviewer \(rita\) · .* UTC · “Approved for model development”/);
    await app.shot('54-verify-ok');

    // One byte of the card's HTML changed on disk.
    const file = join(bundle, 'card', 'card.html');
    const bytes = readFileSync(file);
    bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x01;
    writeFileSync(file, bytes);
    await page.getByTestId('verify-submit').click();
    await expect.poll(() => page.getByTestId('verify-result').getAttribute('data-state')).toBe('failed');
    const lines = page.getByTestId('verify-failures').locator('li');
    expect(await lines.count()).toBeGreaterThan(0);
    expect(await lines.first().textContent()).toContain('card/card.html');
    await app.shot('55-verify-tampered');
  });

  it('lets an admin change a tier’s approval policy in Settings, audited', async () => {
    const { page } = app;
    await lock(page);
    await login(page, workspace, ADMIN);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('policy-card').waitFor();
    await expect.poll(() => page.getByTestId('policy-external-sharing').inputValue()).toBe('2');
    await page.getByTestId('policy-external-sharing').fill('3');
    await page.getByTestId('policy-save-external-sharing').click();
    await expect.poll(() => page.getByTestId('policy-card').getByTestId('success-alert').textContent()).toContain('External sharing now needs 3 distinct reviewers');
    expect(await app.service.call('approvals:policy', {})).toMatchObject({ 'external-sharing': 3, 'model-development': 1 });
    expect((await app.service.call('audit:list', { action: 'policy.changed' }))[0]).toMatchObject({ actor: ADMIN.username, details: { from: 2, to: 3 } });
  });
});
