// The shell's security settings as pure functions, so vitest can check them where Electron cannot run.
import { extname, relative, resolve, sep } from 'node:path';
import type { Envelope } from '../shared/errors';

// The renderer is served from a privileged custom scheme, never file:// (which would share an origin
// with every local file).
export const APP_SCHEME = 'app';
export const APP_HOST = 'airlock';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

// Mantine injects <style> tags and style attributes, hence 'unsafe-inline' for styles only; never for scripts.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface HardenedWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  spellcheck: false;
  safeDialogs: true;
  devTools: boolean;
}

/**
 * DevTools only in a development build (`npm run dev`, where electron-vite sets import.meta.env.DEV), and there only
 * for the dev server or AIRLOCK_DEVTOOLS=1; a production build (`npm start`, packaged) ignores both variables.
 */
export function devToolsAllowed(packaged: boolean, env: Readonly<Record<string, string | undefined>>, devBuild: boolean): boolean {
  if (packaged || !devBuild) return false;
  return Boolean(env.ELECTRON_RENDERER_URL) || env.AIRLOCK_DEVTOOLS === '1';
}

/** The dev server to load the renderer from: only in a development build, never in a production or packaged one. */
export function devServerUrl(packaged: boolean, env: Readonly<Record<string, string | undefined>>, devBuild: boolean): string | undefined {
  if (packaged || !devBuild) return undefined;
  return env.ELECTRON_RENDERER_URL || undefined;
}

export function webPreferences(preload: string, devTools: boolean): HardenedWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools,
  };
}

function originOf(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    // Custom schemes report origin "null" in WHATWG URL; compare scheme and host instead.
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

// The origins the renderer may be loaded from: the app scheme, plus the dev server during `npm run dev`.
export function allowedOrigins(devServerUrl: string | undefined): string[] {
  const dev = devServerUrl ? originOf(devServerUrl) : null;
  return dev ? [APP_ORIGIN, dev] : [APP_ORIGIN];
}

export function isTrustedSender(frameUrl: string | undefined | null, origins: readonly string[]): boolean {
  const origin = originOf(frameUrl);
  return origin !== null && origins.includes(origin);
}

// Every request that is not the app's own (or an in-page data:/blob: image) is cancelled: no network.
export function isAllowedRequest(url: string, origins: readonly string[]): boolean {
  if (url.startsWith('data:')) return true;
  if (url.startsWith('blob:')) return isTrustedSender(url.slice('blob:'.length), origins);
  if (url.startsWith('devtools://')) return true;
  return isTrustedSender(url, origins);
}

export function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  return { ...(headers ?? {}), 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

// Maps app://airlock/<path> to a file under the renderer folder; null for anything outside it.
export function resolveAppFile(rendererDir: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname === '/' ? '/index.html' : u.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path}`);
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || rel.split(sep).includes('..')) return null;
  return file;
}

// The parts of an IpcMainInvokeEvent the sender check reads, so tests can hand it plain objects.
export interface IpcSenderLike {
  sender: unknown;
  senderFrame?: { url: string } | null;
}

export const UNTRUSTED_SENDER: Envelope<never> = { ok: false, error: { code: 'UNTRUSTED_SENDER', message: 'This request did not come from the Airlock window and was refused.' } };

/** A call is the app's own only if it comes from our window's web contents and from a frame at the app's origin. */
export function isTrustedIpcEvent(event: IpcSenderLike, windowContents: unknown, origins: readonly string[]): boolean {
  if (windowContents === null || windowContents === undefined || event.sender !== windowContents) return false;
  return isTrustedSender(event.senderFrame?.url, origins);
}

/** The ipcMain handler of one channel: the sender is checked before the service sees the arguments. */
export function guardedHandler(
  dispatch: (channel: string, args: unknown) => Promise<Envelope<unknown>>,
  windowContents: () => unknown,
  origins: readonly string[],
  channel: string,
): (event: IpcSenderLike, args: unknown) => Promise<Envelope<unknown>> {
  return async (event, args) => (isTrustedIpcEvent(event, windowContents(), origins) ? dispatch(channel, args) : UNTRUSTED_SENDER);
}
