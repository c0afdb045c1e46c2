// A steward added by an admin who holds no sources key waits for it: the Sources screen says so in words (not a
// failed list), and once another steward has logged in and handed the key on, the screen opens as usual.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FAST_KDF } from '../helpers';
import { loginOwn } from '../own-password';
import { chromiumAvailable, launchApp, loginThroughUi, STEWARD, type App } from './harness';

const run = chromiumAvailable() ? describe : describe.skip;
const TESS = { username: 'tess', displayName: 'Tess Steward', roles: ['steward' as const], password: 'tess password 1' };

run('a steward waiting for the sources key, end to end', () => {
  let app: App;
  const root = mkdtempSync(join(tmpdir(), 'airlock-e2e-pending-'));
  const ws = join(root, 'ws');

  beforeAll(async () => {
    app = await launchApp({ kdf: FAST_KDF });
    const svc = app.service;
    await svc.call('workspace:create', { path: ws, ...ADMIN });
    await svc.call('users:add', STEWARD);
    svc.end();
    await svc.settled();
    await loginOwn(svc, ws, STEWARD.username, STEWARD.password);
    svc.end();
    await svc.settled();
    // Ada (admin only, no sources key) adds a second steward: only a steward's session can seal the key to her.
    await svc.call('session:login', { path: ws, username: ADMIN.username, password: ADMIN.password });
    await svc.call('users:add', TESS);
    svc.end();
    await svc.settled();
    await loginOwn(svc, ws, TESS.username, TESS.password);
    expect((await svc.call('session:status', {})).session?.sourcesAccess).toBe('pending');
    svc.end();
    await svc.settled();
    await app.page.reload();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const loginAs = (user: { username: string; password: string }): Promise<void> => loginThroughUi(app.page, ws, user);

  it('tells the waiting steward why the sources are closed, then opens them once a steward has logged in', async () => {
    const { page } = app;
    await loginAs(TESS);
    await page.getByTestId('nav-sources').click();
    await expect.poll(() => page.getByTestId('sources-pending').textContent()).toMatch(/not active yet[\s\S]*another data steward logs in/);
    await app.shot('sources-pending');
    // Sam's login hands the key on to Tess's slot.
    await loginAs(STEWARD);
    await loginAs(TESS);
    await page.getByTestId('nav-sources').click();
    await page.getByTestId('sources-screen').waitFor();
    expect(await page.getByTestId('sources-pending').count()).toBe(0);
    expect(await page.getByTestId('sources-forbidden').count()).toBe(0);
  });
});
