// The Electron shell: one hardened window over the plain-Node core. Everything real lives in electron/core.
import { BrowserWindow, app, dialog, protocol, session } from 'electron';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AirlockService } from '../core/api/service';
import { APP_ENTRY, APP_SCHEME, allowedOrigins, devServerUrl, devToolsAllowed, isAllowedRequest, mimeType, resolveAppFile, webPreferences, withCsp } from './hardening';
import { registerIpc } from './ipc';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// Replaced at build time: false in `npm start` and packaged builds, so their environment cannot turn on DevTools or a dev server.
const devBuild = import.meta.env.DEV === true;
const devServer = devServerUrl(app.isPackaged, process.env, devBuild);
const origins = allowedOrigins(devServer);
let win: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // A second launch focuses the first window instead of opening the store twice.
  app.quit();
} else {
  app.enableSandbox();
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  // Reports and cards are self-contained HTML with no script: print them in a hidden, script-less, sandboxed window.
  const printHtml = async (html: string): Promise<Buffer> => {
    const printer = new BrowserWindow({ show: false, webPreferences: { sandbox: true, javascript: false, contextIsolation: true, nodeIntegration: false } });
    try {
      await printer.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
      return await printer.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
    } finally {
      printer.destroy();
    }
  };

  const service = new AirlockService({
    logError: (err) => console.error('[airlock]', err),
    chooseFolder: async () => {
      const opts = { title: 'Choose a folder (a new or empty one for a workspace or a bundle)', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
      const result = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    chooseFiles: async (folders) => {
      const properties: ('openFile' | 'openDirectory' | 'multiSelections')[] = [folders ? 'openDirectory' : 'openFile', 'multiSelections'];
      const opts = { title: folders ? 'Choose folders of DICOM files' : 'Choose DICOM files or CSV/TSV tables', properties };
      const result = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return result.canceled ? [] : result.filePaths;
    },
    saveReport: async (report, format) => {
      const name = format === 'pdf' ? report.fileName.replace(/\.html$/, '.pdf') : report.fileName;
      const opts = { title: 'Save the validation report', defaultPath: name, filters: [{ name: format.toUpperCase(), extensions: [format] }] };
      const chosen = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
      if (chosen.canceled || !chosen.filePath) return null;
      if (format !== 'pdf') {
        await writeFile(chosen.filePath, report.content, { mode: 0o600 });
        return chosen.filePath;
      }
      await writeFile(chosen.filePath, await printHtml(report.content), { mode: 0o600 });
      return chosen.filePath;
    },
    renderPdf: async (html) => new Uint8Array(await printHtml(html)),
    chooseBundle: async (zip) => {
      const opts = zip
        ? { title: 'Choose the bundle’s zip', properties: ['openFile'] as 'openFile'[], filters: [{ name: 'Zip', extensions: ['zip'] }] }
        : { title: 'Choose the bundle folder', properties: ['openDirectory'] as 'openDirectory'[] };
      const result = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  });

  app.on('before-quit', () => service.end('shutdown'));
  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, origins) }));
    ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCsp(details.responseHeaders) }));

    const rendererDir = join(import.meta.dirname, '../renderer');
    protocol.handle(APP_SCHEME, async (request) => {
      const file = resolveAppFile(rendererDir, request.url);
      if (!file) return new Response('Not found', { status: 404 });
      try {
        return new Response(await readFile(file), { headers: { 'Content-Type': mimeType(file), 'Content-Security-Policy': withCsp(undefined)['Content-Security-Policy']?.[0] ?? '' } });
      } catch {
        return new Response('Not found', { status: 404 });
      }
    });

    registerIpc(service, () => win, origins);
    win = new BrowserWindow({
      width: 1360,
      height: 880,
      minWidth: 1024,
      minHeight: 700,
      show: false,
      title: 'Airlock',
      backgroundColor: '#f8f9fa',
      webPreferences: webPreferences(join(import.meta.dirname, '../preload/index.cjs'), devToolsAllowed(app.isPackaged, process.env, devBuild)),
    });
    win.removeMenu();
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => {
      win = null;
    });
    void win.loadURL(devServer ?? APP_ENTRY);
  });
}
