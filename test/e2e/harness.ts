// End-to-end harness: the built renderer in Debian's Chromium, with `window.airlock` bridged to the real
// core in this process. The page is served from a fake origin by request interception (no server, no network).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AirlockService, type ServiceOptions } from '../../electron/core/api/service';
import { buildBridge } from '../../electron/shared/bridge';
import { CHANNELS } from '../../electron/shared/channels';
import { loginOwn } from '../own-password';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ORIGIN = 'http://airlock.test';
export const ARTIFACTS = resolve('test-artifacts/e2e');
const RENDERER = resolve('out/renderer');

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

// Outside CI a missing Chromium skips the e2e suite, loudly; in CI it is a failure.
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const banner = `\n${'!'.repeat(78)}\n!! END-TO-END TESTS SKIPPED: no Chromium at ${CHROMIUM}. Install it: apt-get install -y chromium\n${'!'.repeat(78)}\n`;
  if (process.env.CI) throw new Error(`Chromium is required in CI (${CHROMIUM} missing).`);
  console.warn(banner);
  return false;
}

export interface App {
  browser: Browser;
  page: Page;
  service: AirlockService;
  shot: (name: string) => Promise<string>;
  close: () => Promise<void>;
}

export async function launchApp(options: ServiceOptions = {}): Promise<App> {
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` first (npm test does).');
  mkdirSync(ARTIFACTS, { recursive: true });
  const service = new AirlockService({ chooseFolder: () => Promise.resolve(null), logError: (e) => console.error(e), ...options });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const context = await browser.newContext({ viewport: { width: 1360, height: 880 } });
  const page = await context.newPage();
  // Everything not from the app's origin is refused, as the Electron shell does.
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort('blockedbyclient');
    const file = resolve(RENDERER, `.${url.pathname === '/' ? '/index.html' : url.pathname}`);
    if (!file.startsWith(RENDERER) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
  });
  // The bridge checks the caller's origin, like main's sender check, then calls the same dispatch().
  await page.exposeBinding('__airlockInvoke', (source, channel: string, args: unknown) => {
    if (new URL(source.frame.url()).origin !== ORIGIN) return { ok: false, error: { code: 'UNTRUSTED_SENDER', message: 'refused' } };
    return service.dispatch(channel, args);
  });
  // The preload's own builder, serialised into the page: one named function per channel, as in the app.
  await page.addInitScript({
    content: `window.airlock = (${buildBridge.toString()})(${JSON.stringify(CHANNELS)}, (c, a) => window.__airlockInvoke(c, a));`,
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${ORIGIN}/index.html`);
  return {
    browser,
    page,
    service,
    shot: async (name) => {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: async () => {
      service.end('shutdown');
      await browser.close();
      if (errors.length > 0) console.warn(`browser console errors:\n${errors.join('\n')}`);
    },
  };
}

export const STEWARD = { username: 'sam', displayName: 'Sam Steward', roles: ['steward' as const], password: 'steward password 1' };

// A workspace with an admin and the steward "sam", prepared through the real service as sam (imports and the
// like), then sam logged in through the UI.
export async function launchAsSteward(path: string, admin: { username: string; displayName: string; password: string }, prepare: (svc: AirlockService) => Promise<void> = () => Promise.resolve(), options: ServiceOptions = {}): Promise<App> {
  const app = await launchApp(options);
  const svc = app.service;
  await svc.call('workspace:create', { path, ...admin });
  await svc.call('users:add', STEWARD);
  await loginOwn(svc, path, STEWARD.username, STEWARD.password);
  await prepare(svc);
  svc.end();
  await svc.settled();
  const { page } = app;
  await page.reload();
  await page.getByTestId('login-path').fill(path);
  await page.getByTestId('login-username').fill(STEWARD.username);
  await page.getByTestId('login-password').fill(STEWARD.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-shell').waitFor();
  return app;
}

/** Locks the app if a session is shown, then logs `user` in through the lock screen and waits for the shell. */
export async function loginThroughUi(page: Page, path: string, user: { username: string; password: string }): Promise<void> {
  if (await page.getByTestId('lock-button').count()) await page.getByTestId('lock-button').click();
  await page.getByTestId('lock-screen').waitFor();
  await page.getByTestId('login-path').fill(path);
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-shell').waitFor();
}

/** Opens validation #`id` on the Validation screen and waits for its verdict. */
export async function openValidation(page: Page, id: number): Promise<void> {
  await page.getByTestId('nav-validation').click();
  await page.getByTestId(`validation-item-${id}`).click();
  await page.getByTestId('validation-verdict').waitFor({ timeout: 20_000 });
}
