import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  devServerUrl,
  devToolsAllowed,
  guardedHandler,
  isTrustedIpcEvent,
  UNTRUSTED_SENDER,
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  allowedOrigins,
  isAllowedRequest,
  isTrustedSender,
  resolveAppFile,
  webPreferences,
  withCsp,
} from '../../electron/main/hardening';

describe('the hardened shell', () => {
  it('isolates and sandboxes the renderer, and turns DevTools on only for a developer who asks in a development build', () => {
    const prod = webPreferences('/app/preload.cjs', devToolsAllowed(true, { AIRLOCK_DEVTOOLS: '1' }, false));
    expect(prod).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false, devTools: false });
    const devEnv = { ELECTRON_RENDERER_URL: 'http://localhost:5173', AIRLOCK_DEVTOOLS: '1' };
    // A production build (`npm start`) ignores both variables, packaged or not; so does a packaged dev build.
    expect(devToolsAllowed(false, devEnv, false)).toBe(false);
    expect(devToolsAllowed(true, devEnv, true)).toBe(false);
    expect(devServerUrl(false, devEnv, false)).toBeUndefined();
    expect(devServerUrl(true, devEnv, true)).toBeUndefined();
    // `npm run dev`: DevTools when asked for, and the dev server electron-vite names.
    expect(devToolsAllowed(false, {}, true)).toBe(false);
    expect(devToolsAllowed(false, { ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true)).toBe(true);
    expect(devToolsAllowed(false, { AIRLOCK_DEVTOOLS: '1' }, true)).toBe(true);
    expect(devServerUrl(false, devEnv, true)).toBe('http://localhost:5173');
    expect(devServerUrl(false, { ELECTRON_RENDERER_URL: '' }, true)).toBeUndefined();
    expect(webPreferences('/app/preload.cjs', true).devTools).toBe(true);
  });

  it('is built as a production build: the built main process has the development flag compiled to false', () => {
    // `npm test` builds first; the flag is what `npm start` (electron-vite preview) runs with.
    const built = join(process.cwd(), 'out/main/index.js');
    expect(existsSync(built), 'run `npm run build` first').toBe(true);
    const code = readFileSync(built, 'utf8');
    expect(code).toMatch(/\bdevBuild = false;/);
    expect(code).toContain('devServerUrl(app.isPackaged, process.env, devBuild)');
    expect(code).toContain('devToolsAllowed(app.isPackaged, process.env, devBuild)');
    // `npm start` drops the variables that would turn on DevTools or a dev server, or make Electron plain Node.
    const start = readFileSync(join(process.cwd(), 'scripts/start.mjs'), 'utf8');
    for (const name of ['AIRLOCK_DEVTOOLS', 'ELECTRON_RENDERER_URL', 'ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS']) expect(start).toContain(`'${name}'`);
    expect(start).toContain("'--mode', 'production'");
  });

  it('has a strict CSP: self only, no eval, no remote origins, no inline scripts', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(CONTENT_SECURITY_POLICY.split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain('unsafe-inline');
    expect(withCsp({ 'X-Other': ['1'] })).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('allows only the app’s own requests (and its in-page images); everything else is blocked', () => {
    const origins = allowedOrigins(undefined);
    expect(isAllowedRequest(`${APP_ORIGIN}/assets/index.js`, origins)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA', origins)).toBe(true);
    expect(isAllowedRequest(`blob:${APP_ORIGIN}/1234`, origins)).toBe(true);
    for (const url of ['https://example.org/x.js', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'ws://localhost/', 'blob:https://evil.example/1', 'app://other/index.html']) {
      expect({ url, allowed: isAllowedRequest(url, origins) }).toEqual({ url, allowed: false });
    }
    // The dev server is trusted only when electron-vite dev names it.
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', allowedOrigins('http://localhost:5173'))).toBe(true);
  });

  it('trusts IPC only from the app’s own origin', () => {
    const origins = allowedOrigins(undefined);
    expect(isTrustedSender(`${APP_ORIGIN}/index.html`, origins)).toBe(true);
    expect(isTrustedSender('https://evil.example/', origins)).toBe(false);
    expect(isTrustedSender('file:///tmp/page.html', origins)).toBe(false);
    expect(isTrustedSender(undefined, origins)).toBe(false);
    expect(isTrustedSender('not a url', origins)).toBe(false);
  });

  it('answers IPC only from the app’s own window contents at the app’s own origin, before the service sees the call', async () => {
    const origins = allowedOrigins(undefined);
    const ours = { id: 1 };
    const calls: string[] = [];
    const handler = guardedHandler((channel) => (calls.push(channel), Promise.resolve({ ok: true, value: channel })), () => ours, origins, 'audit:list');
    expect(await handler({ sender: ours, senderFrame: { url: `${APP_ORIGIN}/index.html` } }, {})).toEqual({ ok: true, value: 'audit:list' });
    const foreign = [
      { sender: { id: 2 }, senderFrame: { url: `${APP_ORIGIN}/index.html` } },
      { sender: ours, senderFrame: { url: 'https://evil.example/' } },
      { sender: ours, senderFrame: { url: 'file:///tmp/x.html' } },
      { sender: ours, senderFrame: null },
      { sender: ours },
    ];
    for (const event of foreign) expect(await handler(event, {})).toEqual(UNTRUSTED_SENDER);
    expect(calls).toEqual(['audit:list']);
    // No window (closed, or not yet open): nothing is trusted.
    expect(isTrustedIpcEvent({ sender: null, senderFrame: { url: `${APP_ORIGIN}/` } }, null, origins)).toBe(false);
    expect(UNTRUSTED_SENDER).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
  });

  it('serves only files inside the renderer folder', () => {
    expect(resolveAppFile('/opt/airlock/renderer', `${APP_ORIGIN}/`)).toBe('/opt/airlock/renderer/index.html');
    expect(resolveAppFile('/opt/airlock/renderer', `${APP_ORIGIN}/assets/a.js`)).toBe('/opt/airlock/renderer/assets/a.js');
    expect(resolveAppFile('/opt/airlock/renderer', `${APP_ORIGIN}/..%2F..%2Fetc%2Fpasswd`)).toBeNull();
    expect(resolveAppFile('/opt/airlock/renderer', `${APP_ORIGIN}/%E0%A4%A`)).toBeNull();
    expect(resolveAppFile('/opt/airlock/renderer', 'app://other/index.html')).toBeNull();
    expect(resolveAppFile('/opt/airlock/renderer', 'file:///etc/passwd')).toBeNull();
  });
});
