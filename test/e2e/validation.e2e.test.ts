import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FAST_KDF } from '../helpers';
import { ARTIFACTS, chromiumAvailable, launchAsSteward, loginThroughUi, openValidation, STEWARD, type App } from './harness';
import { loginOwn } from '../own-password';

const run = chromiumAvailable() ? describe : describe.skip;
// A real clinical table with a binary outcome; the bundled PBC sample stands in where the shared data is absent.
const PIMA = '/work/shared/data/PimaIndiansDiabetes2.csv';
const TABLE = existsSync(PIMA) ? { path: PIMA, target: 'diabetes' } : { path: join(process.cwd(), 'resources/sample/tables/pbc.csv'), target: 'sex' };
const REVIEWER = { username: 'rex', displayName: 'Rex Reviewer', roles: ['reviewer' as const], password: 'reviewer password 1' };

run('validation end to end', () => {
  let app: App;
  let tableId = -1;
  let workspace = '';
  let resultHash = '';
  const root = mkdtempSync(join(tmpdir(), 'airlock-e2e-validate-'));

  beforeAll(async () => {
    workspace = join(root, 'ws');
    app = await launchAsSteward(
      workspace,
      ADMIN,
      async (svc) => {
        // The admin adds a reviewer; then the steward imports the table.
        await svc.call('session:login', { path: workspace, username: ADMIN.username, password: ADMIN.password });
        await svc.call('users:add', REVIEWER);
        await loginOwn(svc, workspace, REVIEWER.username, REVIEWER.password); // the reviewer's admin-set password made her own
        await loginOwn(svc, workspace, STEWARD.username, STEWARD.password);
        const job = await svc.call('ingest:start', { paths: [TABLE.path] });
        await svc.current?.imports.wait(job.id);
        tableId = (await svc.call('sources:list', {})).tables[0]?.id ?? -1;
      },
      { kdf: FAST_KDF },
    );
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes a copula spec with a release tier, a utility target and a changed criterion, and trains it', async () => {
    const { page } = app;
    await page.getByTestId('nav-specs').click();
    await page.getByTestId('spec-new').click();
    await page.getByTestId(`spec-table-${tableId}`).click();
    await page.getByTestId('spec-editor').waitFor();
    await page.getByTestId('spec-name').fill('Diabetes copula (e2e)');
    await page.getByTestId('spec-intended-use').fill('End-to-end test of the validation screen.');
    await page.getByTestId('spec-utility-target').click();
    await page.getByRole('option', { name: TABLE.target, exact: true }).click();
    await page.getByTestId('spec-tier').getByText('Model development').click();
    // A changed default is marked as changed, and reset puts it back.
    const ks = page.getByTestId('spec-crit-fidelity.ksMax');
    await ks.fill('0.15');
    await page.getByTestId('spec-criterion-changed-fidelity.ksMax').waitFor();
    expect(await page.getByTestId('spec-criterion-sentence-fidelity.ksMax').textContent()).toContain('at most 0.15');
    await page.getByTestId('spec-criterion-reset-fidelity.ksMax').click();
    await expect.poll(() => page.getByTestId('spec-criterion-changed-fidelity.ksMax').count()).toBe(0);
    expect(await ks.inputValue()).toBe('0.1');
    await page.getByTestId('spec-crit-privacy.membershipAucMax').fill('0.65');
    await page.getByTestId('spec-criterion-changed-privacy.membershipAucMax').waitFor();
    await page.getByTestId('spec-crit-privacy.membershipAucMax').fill('7');
    await expect.poll(() => page.getByTestId('spec-errors').textContent()).toMatch(/Membership-inference AUC.*Choose a value from 0.5 to 1/);
    await page.getByTestId('spec-crit-privacy.membershipAucMax').fill('0.65');
    // The section alone (the whole form is too tall to read in one picture), without the fixed header and save bar over it.
    await page.addStyleTag({ content: '/* e2e-hide */ .mantine-AppShell-header, .mantine-Paper-root:has([data-testid="spec-save"]) { visibility: hidden !important; }' });
    await page.locator('section[aria-label="Release tier and acceptance criteria"]').screenshot({ path: join(ARTIFACTS, '40-spec-criteria.png') });
    await page.locator('section[aria-label="Evaluation"]').screenshot({ path: join(ARTIFACTS, '40-spec-evaluation.png') });
    // Strings, not functions: the Node-side tsconfig has no DOM types.
    await page.evaluate(`document.querySelectorAll('style').forEach((s) => s.textContent.includes('e2e-hide') && s.remove())`);
    // Only the changed value is stored, beside the tier.
    await page.getByTestId('spec-tab-json').click();
    const json = JSON.parse(await page.getByTestId('spec-json').inputValue()) as { tier: string; criteria: Record<string, number> };
    expect(json.tier).toBe('model-development');
    expect(json.criteria).toEqual({ 'privacy.membershipAucMax': 0.65 });
    await page.getByTestId('spec-tab-form').click();
    await page.getByTestId('spec-save').click();
    await page.getByTestId('spec-version-1').waitFor();
    await page.getByTestId('spec-start-training').click();
    await page.getByTestId('training-screen').waitFor();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000, interval: 500 }).toContain('done');
    await page.getByTestId('dataset-preview').waitFor();
  });

  it('validates the dataset: stage progress, then the verdict, the criteria and the charts', async () => {
    const { page } = app;
    await page.getByTestId('nav-validation').click();
    await page.getByTestId('validation-screen').waitFor();
    await expect.poll(() => page.getByTestId('validation-dataset').inputValue()).toContain('Dataset v1');
    await page.getByTestId('validation-none').waitFor();
    await page.getByTestId('validation-start').click();
    await page.getByTestId('validation-progress').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('[data-testid^="validation-stage-"][data-state="running"]').count(), { timeout: 20_000, interval: 100 }).toBeGreaterThan(0);
    expect(await page.getByTestId('validation-progress').textContent()).toContain('Column shapes');
    await app.shot('41-validation-progress');

    await page.getByTestId('validation-verdict').waitFor({ timeout: 90_000 });
    const verdict = await page.getByTestId('validation-verdict-word').textContent();
    expect(verdict).toMatch(/^(PASS|FAIL)$/);
    expect((await page.getByTestId('validation-headline').textContent())?.length).toBeGreaterThan(10);
    if (verdict === 'FAIL') expect(await page.locator('[data-testid="validation-failed"] li').count()).toBeGreaterThan(0);
    // The verdict comes before the evidence.
    const top = async (id: string) => (await page.getByTestId(id).boundingBox())?.y ?? Number.NaN;
    expect(await top('validation-verdict')).toBeLessThan(await top('validation-criteria'));
    expect(await top('validation-criteria')).toBeLessThan(await top('validation-sections'));

    const rows = page.locator('[data-testid^="criterion-"][data-status]');
    expect(await rows.count()).toBeGreaterThanOrEqual(10);
    expect(await page.getByTestId('validation-criteria').textContent()).toMatch(/KS statistic|cumulative distributions/);
    // The criterion the spec changed says so.
    await page.getByTestId('criterion-changed-privacy.membershipAucMax').waitFor();

    const charts = page.getByTestId('validation-chart').locator('img');
    expect(await charts.count()).toBeGreaterThan(0);
    await charts.first().scrollIntoViewIfNeeded();
    // A data: image that decoded (a broken base64 or SVG would have no natural size).
    await expect.poll(() => page.evaluate(`(() => { const i = document.querySelector('[data-testid="validation-chart"] img'); return Boolean(i && i.complete && i.naturalWidth > 0); })()`)).toBe(true);
    expect(await charts.first().getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await page.getByTestId('validation-metrics').first().textContent()).toMatch(/higher|lower/);
    await page.getByTestId('validation-findings').waitFor();
    expect(await page.getByTestId('validation-findings-badge').textContent()).toMatch(/never in a report/i);

    resultHash = (await page.getByTestId('validation-result-hash').getAttribute('data-value')) ?? '';
    expect(resultHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('validation-history').textContent()).toContain(verdict);
    await page.evaluate('window.scrollTo(0, 0)');
    await app.shot('42-validation-verdict');

    const download = page.waitForEvent('download');
    await page.getByTestId('validation-save-html').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.html$/);
    const html = readFileSync((await file.path()) ?? '', 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toContain('<script');
  }, 120_000);

  it('validates again and cancels: a new result row, stopped with its sentence, the first result untouched', async () => {
    const { page } = app;
    await page.getByTestId('validation-start').click();
    await page.getByTestId('validation-cancel').click();
    await page.getByTestId('validation-cancelled').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('validation-cancelled').textContent()).toMatch(/cancelled/i);
    expect(await page.locator('[data-testid^="validation-item-"][aria-selected]').count()).toBe(2);
    expect(await page.getByTestId('validation-item-hash-1').getAttribute('data-value')).toBe(resultHash);
    await app.shot('44-validation-cancelled');
  });

  it('shows a reviewer the result read-only, without a Validate button', async () => {
    const { page } = app;
    await loginThroughUi(page, workspace, REVIEWER);
    await openValidation(page, 1);
    expect(await page.getByTestId('validation-start').count()).toBe(0);
    await page.getByTestId('validation-readonly').waitFor();
    expect(await page.getByTestId('validation-result-hash').getAttribute('data-value')).toBe(resultHash);
    await app.shot('43-validation-reviewer');
  });
});
