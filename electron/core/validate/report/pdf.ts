// PDF from the HTML report through headless Chromium's own print engine, for the CLI (the Electron app uses
// webContents.printToPDF instead; the core never imports electron). Everything Chromium touches lives in a
// fresh temporary folder that is removed afterwards, and networking features are switched off.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chmod, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AirlockError } from '../../errors';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The Chromium binary to print with: $AIRLOCK_CHROMIUM, else /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.AIRLOCK_CHROMIUM?.trim() || DEFAULT_CHROMIUM;
}

/** True when the Chromium binary exists and is executable. */
export async function chromiumAvailable(path = chromiumPath()): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface PdfOptions {
  /** Give up (and kill Chromium) after this long; default 60 s. */
  timeoutMs?: number;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stderr: string;
}

function run(bin: string, args: string[], timeoutMs: number): Promise<Exit> {
  return new Promise((resolve, reject) => {
    // Own process group, so a hung Chromium is killed together with its helper processes.
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderr = (stderr + s).slice(-4000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stderr });
    });
  });
}

// The last meaningful stderr line, without Chromium's "[pid:tid:date:LEVEL:file]" prefix and dbus noise.
function lastError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^\[[^\]]*\]\s*/, '').trim())
    .filter((l) => l && !/dbus|bus\.cc|object_proxy/i.test(l));
  return lines[lines.length - 1] ?? 'no message';
}

/** Prints a self-contained HTML page to an A4 PDF at outFile (written only when printing succeeded). */
export async function htmlToPdf(html: string, outFile: string, options: PdfOptions = {}): Promise<void> {
  await printPdf(html, options, async (pdf) => {
    await copyFile(pdf, outFile);
    await chmod(outFile, 0o600);
  });
}

/** The same print, as bytes (for a bundle), with nothing left on disk. */
export function htmlToPdfBytes(html: string, options: PdfOptions = {}): Promise<Uint8Array> {
  return printPdf(html, options, async (pdf) => new Uint8Array(await readFile(pdf)));
}

// Prints into a private temp folder, hands the checked PDF to `take`, then removes the folder.
async function printPdf<T>(html: string, options: PdfOptions, take: (pdf: string) => Promise<T>): Promise<T> {
  const bin = chromiumPath();
  if (!(await chromiumAvailable(bin))) {
    throw new AirlockError(
      'NOT_AVAILABLE',
      `A PDF report needs Chromium, which was not found at ${bin}. Install it (apt-get install chromium) or set AIRLOCK_CHROMIUM to its path; the HTML report does not need it.`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'airlock-pdf-'));
  try {
    const page = join(dir, 'report.html');
    const pdf = join(dir, 'report.pdf');
    await writeFile(page, html, { encoding: 'utf8', mode: 0o600 });
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-extensions',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-sync',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--print-to-pdf=${pdf}`,
      '--no-pdf-header-footer',
      pathToFileURL(page).href,
    ];
    const exit = await run(bin, args, options.timeoutMs ?? 60_000).catch((err: unknown) => {
      throw new AirlockError('NOT_AVAILABLE', `Chromium at ${bin} could not be started (${err instanceof Error ? err.message : String(err)}); no PDF was written.`);
    });
    if (exit.timedOut) {
      throw new AirlockError('INTERNAL', `Chromium did not finish printing the report within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s and was stopped; no PDF was written.`);
    }
    const head = await readFile(pdf).then(
      (b) => b.subarray(0, 5).toString('latin1'),
      () => '',
    );
    if (exit.code !== 0 || head !== '%PDF-') {
      const how = exit.code !== null ? `exit code ${exit.code}` : `signal ${exit.signal ?? 'unknown'}`;
      throw new AirlockError('INTERNAL', `Chromium could not print the report to PDF (${how}: ${lastError(exit.stderr)}); no PDF was written.`);
    }
    return await take(pdf);
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 200 });
  }
}
