// The main process never loads TensorFlow.js: it is 90 MB and a slow start, and only the training and validation
// workers compute with it. Checked on the module graph of the real entry (esbuild, as the build resolves it).
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

async function tfjsImporters(entry: string): Promise<string[]> {
  const r = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, logLevel: 'silent', outfile: 'out.js', external: ['electron', 'better-sqlite3-multiple-ciphers', 'sharp', '@tensorflow/*', '*.node'] });
  return Object.entries(r.metafile.inputs).filter(([, v]) => v.imports.some((i) => i.path.startsWith('@tensorflow/'))).map(([f]) => f);
}

describe('what the main process loads', () => {
  it('has no path from the main entry or the service to TensorFlow.js', async () => {
    expect(await tfjsImporters('electron/main/index.ts')).toEqual([]);
    expect(await tfjsImporters('electron/core/api/service.ts')).toEqual([]);
    // The workers do load it: the check can see an import when there is one.
    expect((await tfjsImporters('electron/core/train/engine/worker.ts')).length).toBeGreaterThan(0);
  });
});
