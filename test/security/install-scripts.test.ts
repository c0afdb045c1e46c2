// Which dependencies may run code at install: npm 11.16+ reads `allowScripts` from package.json (advisory now,
// blocking by default from npm 12), so an unreviewed script is either a supply-chain hole or, once blocked, a
// missing native SQLite cipher. Every install script in the lockfile must have a reviewed entry, and none stale.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();

interface LockPackage {
  version?: string;
  hasInstallScript?: boolean;
}

function read<T>(file: string): T {
  return JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as T;
}

const allow = read<{ allowScripts?: Record<string, boolean> }>('package.json').allowScripts ?? {};
const lock = read<{ packages: Record<string, LockPackage> }>('package-lock.json').packages;
const withScripts = Object.entries(lock)
  .filter(([, p]) => p.hasInstallScript === true)
  .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));

describe('install scripts', () => {
  it('every dependency with an install script in the lockfile has a reviewed allowScripts entry', () => {
    expect(withScripts.length).toBeGreaterThan(0);
    expect(withScripts.filter((name) => !(name in allow))).toEqual([]);
  });

  it('no entry names a package the lockfile does not install with a script', () => {
    expect(Object.keys(allow).filter((name) => !withScripts.includes(name))).toEqual([]);
  });

  it('the native store and the bundler may build; banners and Windows-only tools may not', () => {
    expect(allow['better-sqlite3-multiple-ciphers']).toBe(true);
    expect(allow['esbuild']).toBe(true);
    expect(allow['core-js']).toBe(false);
    expect(allow['electron-winstaller']).toBe(false);
  });

  it("npm's own check finds nothing unreviewed in the installed tree", () => {
    const r = spawnSync('npm', ['install-scripts', 'ls'], { cwd: ROOT, encoding: 'utf8' });
    const out = `${r.stdout}\n${r.stderr}`;
    if (/Unknown command|not a valid command/i.test(out)) return; // npm before 11.16 has no policy to check
    expect(out).not.toMatch(/not yet covered by allowScripts/);
  });
});
