// Lint: strict TypeScript everywhere, plus the architecture's import boundaries.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Bare module names (matched exactly) and globs (matched as patterns) that only Node can load.
const NODE_ONLY_NAMES = ['electron', 'better-sqlite3-multiple-ciphers', 'sharp', 'dicom-parser', 'commander', 'tsx', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'stream', 'util', 'zlib', 'url', 'module', 'events', 'buffer', 'process'];
const NODE_ONLY_GLOBS = ['node:*', '@tensorflow/*', 'fs/*', 'tsx/*', '@cornerstonejs/*'];
const nodeOnly = (message) => ({
  paths: NODE_ONLY_NAMES.map((name) => ({ name, message })),
  patterns: [{ group: NODE_ONLY_GLOBS, message }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'airlock-demo/**', 'test-artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'bin/*.mjs', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // The core, the CLI and the tests run in plain Node: Electron must never be imported there.
    files: ['electron/core/**', 'electron/cli/**', 'electron/shared/**', 'test/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The core runs without Electron: keep electron imports in electron/main and electron/preload.' }] }],
    },
  },
  {
    files: ['electron/shared/**'],
    rules: {
      'no-restricted-imports': ['error', nodeOnly('electron/shared is loaded by the renderer too: no Node or native modules.')],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Loading data on mount (effect → await → setState) is how screens fetch from window.airlock.
      'react-hooks/set-state-in-effect': 'off',
      'no-restricted-imports': [
        'error',
        (() => {
          const base = nodeOnly('The renderer is a sandboxed page: talk to window.airlock, never to Node, SQLite, sharp or tfjs.');
          return {
            paths: base.paths,
            patterns: [...base.patterns, { group: ['**/electron/core/**', '**/electron/main/**', '**/electron/cli/**', '**/electron/preload/**'], message: 'The renderer may import only electron/shared.' }],
          };
        })(),
      ],
    },
  },
  {
    // vitest's asymmetric matchers (expect.stringContaining…) are typed `any`.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
