import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

// Explicit entries: electron-vite only looks under src/ by default.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // The training and generator workers are entries of their own: the core finds them beside the
        // main bundle as worker.js and generate-worker.js (see engine/runner.ts and generate/client.ts).
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          worker: resolve(__dirname, 'electron/core/train/engine/worker.ts'),
          'generate-worker': resolve(__dirname, 'electron/core/train/generate/worker.ts'),
          'image-worker': resolve(__dirname, 'electron/core/train/image/worker.ts'),
          'validate-worker': resolve(__dirname, 'electron/core/validate/worker.ts'),
        },
        external: ['better-sqlite3-multiple-ciphers', 'sharp', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
