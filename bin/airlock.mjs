#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npm ci` alone is enough to use it (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
