// The main process never loads TensorFlow.js: it is 90 MB and a slow start, and only the training and validation
// workers compute with it. Checked on the module graph of the real entry (esbuild, as the build resolves it).
// Likewise the image codecs, vega and sharp load on first use only: an import of uncompressed DICOM files
// never needs them, and each one loaded at start is memory the import's peak carries (bench: ingest).
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

interface Graph {
  inputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
}

async function graph(entry: string): Promise<Graph> {
  const r = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, logLevel: 'silent', outfile: 'out.js', external: ['electron', 'better-sqlite3-multiple-ciphers', 'sharp', '@tensorflow/*', '*.node'], packages: 'external' });
  return r.metafile;
}

async function tfjsImporters(entry: string): Promise<string[]> {
  const g = await graph(entry);
  return Object.entries(g.inputs).filter(([, v]) => v.imports.some((i) => i.path.startsWith('@tensorflow/'))).map(([f]) => f);
}

/** The packages `entry` loads at start (static imports), and those it loads on demand (dynamic imports). */
async function packageImports(entry: string): Promise<{ atStart: Set<string>; onDemand: Set<string> }> {
  const g = await graph(entry);
  const atStart = new Set<string>();
  const onDemand = new Set<string>();
  for (const v of Object.values(g.inputs)) {
    for (const i of v.imports) {
      if (!i.external || i.path.startsWith('node:')) continue;
      (i.kind === 'dynamic-import' ? onDemand : atStart).add(i.path);
    }
  }
  return { atStart, onDemand };
}

const LAZY = ['@cornerstonejs/codec-charls/decodewasmjs', '@cornerstonejs/codec-openjpeg/decodewasmjs', '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', 'jpeg-lossless-decoder-js', 'sharp', 'vega', 'vega-lite'];

describe('what the main process loads', () => {
  it('has no path from the main entry or the service to TensorFlow.js', async () => {
    expect(await tfjsImporters('electron/main/index.ts')).toEqual([]);
    expect(await tfjsImporters('electron/core/api/service.ts')).toEqual([]);
    // The workers do load it: the check can see an import when there is one.
    expect((await tfjsImporters('electron/core/train/engine/worker.ts')).length).toBeGreaterThan(0);
  });

  it('loads the image codecs, sharp and vega only when a file or a chart needs them', async () => {
    const { atStart, onDemand } = await packageImports('electron/core/api/service.ts');
    expect(LAZY.filter((p) => atStart.has(p))).toEqual([]);
    expect(LAZY.filter((p) => !onDemand.has(p))).toEqual([]);
    // The store and the DICOM parser are loaded at start: the check sees static imports when there are some.
    expect(atStart.has('dicom-parser')).toBe(true);
  });
});
