#!/usr/bin/env node
// `npm start`: builds and launches the desktop app, or explains in one paragraph how to get Electron
// onto an offline workstation. It never tries to download anything.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronDir, 'dist');
  const binary = join(distDir, name);
  return existsSync(binary) ? binary : null;
}

if (!electronBinary()) {
  const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'));
  process.stderr.write(
    `The Electron ${version} runtime is not installed on this machine, so the desktop app cannot start. ` +
      `On an offline workstation, install it from your internal mirror: either set ELECTRON_MIRROR to the mirror's ` +
      `URL (and ELECTRON_CUSTOM_DIR if it uses a different layout) and run "node node_modules/electron/install.js", ` +
      `or unpack electron-v${version}-linux-x64.zip from the mirror into a folder and set ELECTRON_OVERRIDE_DIST_PATH to it. ` +
      `Everything else works without Electron: "npm run demo" runs the pipeline headless, and "npx airlock --help" ` +
      `lists the command line.\n`,
  );
  process.exit(1);
}

// A production build of the app: variables that would open DevTools, point the window at a dev server, or turn
// Electron into plain Node or a debugger target are dropped (the packaged app's fuses refuse the last ones too).
const DROPPED_VARIABLES = ['AIRLOCK_DEVTOOLS', 'ELECTRON_RENDERER_URL', 'ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS'];
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !DROPPED_VARIABLES.includes(name)));
const result = spawnSync('npx', ['electron-vite', 'preview', '--mode', 'production'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
