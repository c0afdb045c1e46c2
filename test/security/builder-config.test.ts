// The packaging configuration, read the way `electron-builder` reads it (its own loader and schema check), since
// the Electron binary cannot be built here: fuses, archive, what goes in, and nothing that phones home.
import { readFileSync, readdirSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const require = createRequire(join(ROOT, 'package.json'));

interface FileSet {
  from?: string;
  filter?: string[];
}
interface BuilderConfig {
  appId?: string;
  productName?: string;
  files?: (string | FileSet)[];
  asar?: boolean;
  asarUnpack?: string[];
  electronFuses?: Record<string, boolean>;
  publish?: unknown;
  linux?: { target?: (string | { target: string })[] };
  [key: string]: unknown;
}
interface FileMatcherLike {
  createFilter(): (file: string, stat: Stats) => boolean;
}
interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
}
interface MatcherModule {
  getFileMatchers(config: BuilderConfig, name: 'files', destination: string, options: { macroExpander: (p: string) => string; customBuildOptions: BuilderConfig; globalOutDir: string; defaultSrc: string }): FileMatcherLike[] | null;
}

const configModule = require('app-builder-lib/out/util/config/config.js') as ConfigModule;
const matcherModule = require('app-builder-lib/out/fileMatcher.js') as MatcherModule;
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

async function loadConfig(): Promise<BuilderConfig> {
  const config = await configModule.getConfig(ROOT, null, null);
  // electron-builder's own JSON-schema check: an unknown or misspelt key fails here as it would in `npm run dist`.
  await configModule.validateConfiguration(config, new DebugLogger(false));
  return config;
}

// Whether electron-builder would put a project file into the app, with its own matcher over the configured `files`.
async function packagedFilter(): Promise<(path: string) => boolean> {
  const config = await loadConfig();
  const matchers = matcherModule.getFileMatchers(config, 'files', '/app', { macroExpander: (p) => p, customBuildOptions: config, globalOutDir: join(ROOT, 'dist'), defaultSrc: ROOT });
  const filters = (matchers ?? []).map((m) => m.createFilter());
  return (path) => {
    const full = join(ROOT, path);
    const stat = statSync(full);
    return filters.some((f) => f(full, stat));
  };
}

function filesUnder(dir: string, limit = 200): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (out.length >= limit) return;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(ROOT, p));
    }
  };
  walk(join(ROOT, dir));
  return out;
}

describe('the electron-builder configuration', () => {
  it('names the app, builds a Linux folder and AppImage, packs the app in an archive and unpacks only native modules', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('org.airlock.workbench');
    expect(config.productName).toBe('Airlock');
    expect((config.linux?.target ?? []).map((t) => (typeof t === 'string' ? t : t.target)).sort()).toEqual(['AppImage', 'dir']);
    expect(config.asar).toBe(true);
    expect([...(config.asarUnpack ?? [])].sort()).toEqual(
      ['node_modules/@img/**', 'node_modules/@tensorflow/tfjs-node-gpu/**', 'node_modules/@tensorflow/tfjs-node/**', 'node_modules/better-sqlite3-multiple-ciphers/**', 'node_modules/sharp/**'].sort(),
    );
  });

  it('flips every fuse: no running as Node, no NODE_OPTIONS, no --inspect; the app only from its integrity-checked archive', async () => {
    const config = await loadConfig();
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // The app's own workers are worker threads, not `fork`ed Electron processes, so runAsNode off breaks nothing.
    const mainSources = filesUnder('electron', 2000).filter((p) => p.endsWith('.ts') && !p.startsWith('electron/cli/'));
    for (const p of mainSources) expect({ p, fork: /child_process['"][^\n]*\bfork\b|\bfork\(\s*process\.execPath|ELECTRON_RUN_AS_NODE/.test(readFileSync(join(ROOT, p), 'utf8')) }).toEqual({ p, fork: false });
  });

  it('publishes nothing and updates nothing: no publish target, no updater, no crash reporter, no telemetry', async () => {
    const config = await loadConfig();
    expect(config.publish).toBeNull();
    expect(config.detectUpdateChannel).toBe(false);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });
    for (const bad of ['electron-updater', '@sentry/electron', '@sentry/node', 'electron-log', 'update-electron-app', 'posthog-node', '@segment/analytics-node']) expect(deps).not.toContain(bad);
    expect(pkg.build).toBeUndefined();
    const shell = [...filesUnder('electron', 2000), ...filesUnder('renderer/src', 2000)].filter((p) => /\.tsx?$/.test(p));
    for (const p of shell) expect({ p, phonesHome: /\bautoUpdater\b|\bcrashReporter\b|electron-updater|setFeedURL/.test(readFileSync(join(ROOT, p), 'utf8')) }).toEqual({ p, phonesHome: false });
  });

  it('packs the built app and package.json, never tests, benchmarks, sources, sample data, scripts or .env files', async () => {
    const packaged = await packagedFilter();
    expect(filesUnder('out/main').length, 'run `npm run build` first').toBeGreaterThan(0);
    for (const p of [...filesUnder('out/main', 20), ...filesUnder('out/preload', 5), ...filesUnder('out/renderer', 5), 'package.json']) expect({ p, packaged: packaged(p) }).toEqual({ p, packaged: true });
    const never = [
      ...filesUnder('test', 50),
      ...filesUnder('bench', 20),
      ...filesUnder('electron', 50),
      ...filesUnder('renderer/src', 20),
      ...filesUnder('scripts', 10),
      ...filesUnder('resources', 10),
      'README.md',
      'tsconfig.json',
      'electron-builder.yml',
    ];
    for (const p of never) expect({ p, packaged: packaged(p) }).toEqual({ p, packaged: false });
    // A stray .env (say, a developer's) anywhere is left out too; checked on the pattern list since none exists here.
    const config = await loadConfig();
    const patterns = (config.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
    expect(patterns).toEqual(expect.arrayContaining(['!**/.env', '!**/.env.*', '!test/**', '!bench/**', '!electron/**', '!renderer/**']));
    expect(patterns.filter((p) => !p.startsWith('!'))).toEqual(['out/**', 'package.json']);
  });
});
