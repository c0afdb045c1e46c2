import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_KDF } from '../helpers';
import { chromiumAvailable, launchApp, type App } from './harness';

const run = chromiumAvailable() ? describe : describe.skip;

run('the app end to end (real core, real Chromium)', () => {
  let app: App;
  let offsetMs = 0;
  // Not tempDir(): that is emptied after each test, and these tests share one workspace in sequence.
  const root = mkdtempSync(join(tmpdir(), 'airlock-e2e-'));
  const workspace = join(root, 'ward-7');

  beforeAll(async () => {
    app = await launchApp({ kdf: FAST_KDF, now: () => new Date(Date.now() + offsetMs) });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a workspace and lands the first admin in the app', async () => {
    const { page } = app;
    await page.getByTestId('lock-screen').waitFor();
    await app.shot('01-lock-screen');
    await page.getByTestId('goto-create').click();
    await page.getByTestId('create-screen').waitFor();
    await page.getByTestId('create-path').fill(workspace);
    await page.getByTestId('create-username').fill('ada');
    await page.getByTestId('create-displayname').fill('Ada Lovelace');
    await page.getByTestId('create-password').fill('ward seven admin pw');
    await page.getByTestId('create-confirm').fill('ward seven admin pw');
    await app.shot('02-create-workspace');
    await page.getByTestId('create-submit').click();
    await page.getByTestId('app-shell').waitFor();
    await expect.poll(() => page.getByTestId('app-shell').textContent()).toContain('Ada Lovelace');
  });

  it('adds a reviewer from the Users screen', async () => {
    const { page } = app;
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-screen').waitFor();
    await page.getByTestId('add-user').click();
    await page.getByTestId('adduser-username').fill('rita');
    await page.getByTestId('adduser-displayname').fill('Rita Reviewer');
    await page.getByTestId('adduser-role-reviewer').check();
    await page.getByTestId('adduser-password').fill('rita temporary pw');
    await page.getByTestId('adduser-confirm').fill('rita temporary pw');
    await page.getByTestId('adduser-submit').click();
    await page.getByTestId('user-row-rita').waitFor();
    expect(await page.getByTestId('user-row-rita').textContent()).toContain('reviewer');
    await app.shot('03-users');
  });

  it('shows both events in the Audit screen and verifies the chain', async () => {
    const { page } = app;
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-screen').waitFor();
    await page.getByTestId('audit-row-1').waitFor();
    const table = await page.getByTestId('audit-screen').textContent();
    expect(table).toContain('workspace.created');
    // Ada's own login gave her the sources key's slot (5), then Rita is added (6).
    expect(await page.getByTestId('audit-row-5').textContent()).toMatch(/keyslot\.created[\s\S]*ada/);
    expect(await page.getByTestId('audit-row-6').textContent()).toMatch(/user\.added[\s\S]*rita/);
    // Her Ed25519 public key is recorded in the chain when she is created, then her key-slot's public key.
    expect(await page.getByTestId('audit-row-7').textContent()).toMatch(/signing_key\.created[\s\S]*rita/);
    expect(await page.getByTestId('audit-row-8').textContent()).toMatch(/keyslot\.created[\s\S]*rita/);
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-verify-result').textContent()).toMatch(/Chain intact.*8 entries/);
    await page.getByTestId('audit-search').fill('rita');
    await expect.poll(() => page.locator('[data-testid^="audit-row-"]').count()).toBe(3);
    await app.shot('04-audit-verified');
  });

  it('locks, refuses a wrong password with a clear sentence, and shows a reviewer no Users screen', async () => {
    const { page } = app;
    await page.getByTestId('lock-button').click();
    await page.getByTestId('lock-screen').waitFor();
    await page.getByTestId('login-path').fill(workspace);
    await page.getByTestId('login-username').fill('rita');
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toContain('user name or password is not correct');
    await app.shot('05-login-refused');
    await page.getByTestId('login-password').fill('rita temporary pw');
    await page.getByTestId('login-password').press('Enter');
    // The admin chose this password: the reviewer must choose her own before anything else.
    await page.getByTestId('choose-password-notice').waitFor();
    await app.shot('05b-choose-own-password');
    await page.getByTestId('choose-password-current').fill('rita temporary pw');
    await page.getByTestId('choose-password-new').fill('rita own password 77');
    await page.getByTestId('choose-password-confirm').fill('rita own password 77');
    await page.getByTestId('choose-password-submit').click();
    await page.getByTestId('app-shell').waitFor();
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    expect(await page.getByTestId('nav-audit').count()).toBe(1);
  });

  it('returns to the lock screen after the idle timeout', async () => {
    const { page } = app;
    offsetMs += 16 * 60_000;
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('lock-screen').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('lock-screen').textContent()).toContain('15 minutes without activity');
    await app.shot('06-idle-locked');
  });
});
