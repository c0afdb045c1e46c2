import { describe, expect, it } from 'vitest';
import {
  devToolsAllowed,
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
  it('isolates and sandboxes the renderer, and turns DevTools on only for a developer who asks', () => {
    const prod = webPreferences('/app/preload.cjs', devToolsAllowed(true, { AIRLOCK_DEVTOOLS: '1' }));
    expect(prod).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false, devTools: false });
    // An unpackaged build started on a workstation (`npm start`) has none either.
    expect(devToolsAllowed(false, {})).toBe(false);
    expect(devToolsAllowed(false, { ELECTRON_RENDERER_URL: 'http://localhost:5173' })).toBe(true);
    expect(devToolsAllowed(false, { AIRLOCK_DEVTOOLS: '1' })).toBe(true);
    expect(webPreferences('/app/preload.cjs', true).devTools).toBe(true);
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

  it('serves only files inside the renderer folder', () => {
    expect(resolveAppFile('/opt/airlock/renderer', `${APP_ORIGIN}/`)).toBe('/opt/airlock/renderer/index.html');
    expect(resolveAppFile('/opt/airlock/renderer', `${APP_ORIGIN}/assets/a.js`)).toBe('/opt/airlock/renderer/assets/a.js');
    expect(resolveAppFile('/opt/airlock/renderer', `${APP_ORIGIN}/..%2F..%2Fetc%2Fpasswd`)).toBeNull();
    expect(resolveAppFile('/opt/airlock/renderer', `${APP_ORIGIN}/%E0%A4%A`)).toBeNull();
    expect(resolveAppFile('/opt/airlock/renderer', 'app://other/index.html')).toBeNull();
    expect(resolveAppFile('/opt/airlock/renderer', 'file:///etc/passwd')).toBeNull();
  });
});
