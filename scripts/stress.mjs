#!/usr/bin/env node
// `npm run stress`: the long proof runs (fuzzing, crash kills, rekey kills) at full size, then the table of what
// was tried and what held (stress-report.md), made from the trials the tests recorded in stress-report.jsonl.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const jsonl = resolve('stress-report.jsonl');
const md = resolve('stress-report.md');
const files = ['test/fuzz', 'test/security/crash-stress.test.ts', 'test/store/rekey-crash.test.ts', 'test/store/sources-keys-crash.test.ts', ...process.argv.slice(2)];
rmSync(jsonl, { force: true });
const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
if (run('npx', ['electron-vite', 'build']) !== 0) process.exit(1);
const status = run('npx', ['vitest', 'run', ...files], { AIRLOCK_STRESS: '1', AIRLOCK_STRESS_REPORT: jsonl });
const trials = existsSync(jsonl) ? readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const cell = (s) => String(s).replaceAll('|', '\\|').replaceAll('\n', ' ');
const lines = [
  `# What the stress run tried, and what held`,
  '',
  `Run ${new Date().toISOString()}, vitest exit status ${status}.`,
  '',
  '| What | How it was tried | How many | What held |',
  '|---|---|---|---|',
  ...trials.map((t) => `| ${cell(t.what)} | ${cell(t.how)} | ${t.count.toLocaleString('en')} | ${cell(t.held)} |`),
  '',
];
writeFileSync(md, lines.join('\n'));
process.stdout.write(`\n${lines.join('\n')}\nWritten to ${md}.\n`);
process.exit(status);
