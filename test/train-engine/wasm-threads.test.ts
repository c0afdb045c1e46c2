// The WASM backend on several threads under Node (tfjs's threaded build, started by wasm-threads.ts): it really
// runs on them, in a process and inside a training worker, gives bitwise the same weights and samples as one
// thread (a thread count never changes a seeded result), and leaves no global patched once started.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendText } from '../../electron/cli/train-commands';
import { DEFAULT_WASM_THREADS, parseWasmThreads, withThreadedWasmStart } from '../../electron/core/train/engine/wasm-threads';
import { startTraining } from '../../electron/core/train/engine/runner';
import type { TrainingJob } from '../../electron/core/train/engine/protocol';
import { syntheticTable } from './helpers';

interface ChildReport {
  threads: number;
  fallbacks: { name: string; reason: string }[];
  threadsNote?: string;
  tvae: string;
  ctgan: string;
  conv: string;
  restored: boolean;
  tensors: number;
}

/** The child on `threads` (undefined: AIRLOCK_TRAIN_THREADS unset, whatever this process has). */
function child(threads: string | undefined, extra: Record<string, string> = {}): ChildReport {
  const { AIRLOCK_TRAIN_THREADS: _inherited, ...env } = process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'threads-child.ts')], {
    encoding: 'utf8',
    env: { ...env, AIRLOCK_TF_BACKEND: 'wasm', ...(threads === undefined ? {} : { AIRLOCK_TRAIN_THREADS: threads }), ...extra },
    timeout: 45_000, // a pthread worker that kept the process alive would end here
  });
  if (r.status !== 0) throw new Error(`threads-child exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ChildReport;
}

const wasmApi = (globalThis as unknown as { WebAssembly: Record<string, unknown> }).WebAssembly;
const bytes = (list: { data: ArrayBuffer }[]) => Buffer.concat(list.map((w) => Buffer.from(w.data)));

describe('WASM backend threads', () => {
  it('two threads start, and TVAE, CTGAN and a convolution give bitwise the results of one', { timeout: 120_000 }, () => {
    const one = child('1');
    const two = child('2');
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.fallbacks.filter((f) => f.name === 'wasm')).toEqual([]);
    expect(two.threadsNote).toBeUndefined();
    expect(two.tvae).toBe(one.tvae);
    expect(two.ctgan).toBe(one.ctgan);
    expect(two.conv).toBe(one.conv);
    expect(two.restored).toBe(true);
    expect(two.tensors).toBe(one.tensors);
  });

  it('falls back to one thread, saying why, when the threaded build cannot start', { timeout: 120_000 }, () => {
    const one = child('1');
    const broken = child('2', { THREADS_CHILD_BREAK: 'blob' });
    expect(broken.threads).toBe(1);
    expect(broken.threadsNote).toBe('the 2-thread WASM build failed to start; it runs on one');
    expect(broken.fallbacks.filter((f) => f.name === 'wasm')).toEqual([]);
    expect(broken.tvae).toBe(one.tvae);
    expect(broken.restored).toBe(true);
  });

  it('a training worker on two threads finishes with the weights of one thread', async () => {
    const job = (): TrainingJob => {
      const t = syntheticTable(400);
      return { kind: 'tvae', config: {}, data: { buffer: t.values.buffer, rows: t.rows, width: t.width, spans: t.spans }, seed: 5, epochs: 2, batchSize: 100, checkpointEvery: 0 };
    };
    const before = process.env.AIRLOCK_TRAIN_THREADS;
    try {
      process.env.AIRLOCK_TRAIN_THREADS = '2';
      const two = await startTraining(job(), {}, { backend: 'wasm' }).done;
      process.env.AIRLOCK_TRAIN_THREADS = '1';
      const one = await startTraining(job(), {}, { backend: 'wasm' }).done;
      if (two.status !== 'done' || one.status !== 'done') throw new Error(`runs ended ${two.status} and ${one.status}`);
      expect(two.backend?.threads).toBe(2);
      expect(one.backend?.threads).toBe(1);
      expect(bytes(two.weights).equals(bytes(one.weights))).toBe(true);
      process.env.AIRLOCK_TRAIN_THREADS = '0';
      const refused = await startTraining(job(), {}, { backend: 'wasm' }).done;
      expect(refused.status).toBe('failed');
      // A failed run in a sentence, not a crashed worker.
      expect(refused).toMatchObject({ code: 'NOT_AVAILABLE', message: 'No TensorFlow.js backend could be started: AIRLOCK_TRAIN_THREADS must be a whole number from 1 to 8 (it is "0").' });
    } finally {
      if (before === undefined) delete process.env.AIRLOCK_TRAIN_THREADS;
      else process.env.AIRLOCK_TRAIN_THREADS = before;
    }
  });

  it('an invalid AIRLOCK_TRAIN_THREADS is refused with a sentence, not run on one thread', () => {
    expect(() => child('0')).toThrow(/AIRLOCK_TRAIN_THREADS must be a whole number from 1 to 8 \(it is "0"\)/);
    expect(() => parseWasmThreads('2.5')).toThrow(/whole number/);
    expect(() => parseWasmThreads('9')).toThrow(/from 1 to 8/);
    expect(parseWasmThreads('')).toBeUndefined();
    expect(parseWasmThreads('4')).toBe(4);
  });

  it('the CLI says the threads when they are more than one, or fewer than asked', () => {
    const b = { name: 'wasm', tfjsVersion: '4.22.0', backendVersion: '4.22.0', fallbacks: [] };
    expect(backendText({ ...b, threads: 1, threadsNote: null })).toBe('wasm (tfjs 4.22.0)');
    expect(backendText({ ...b, threads: 2, threadsNote: null })).toBe('wasm (tfjs 4.22.0, 2 threads)');
    expect(backendText({ ...b, threads: 1, threadsNote: 'the 2-thread WASM build failed to start; it runs on one' })).toBe('wasm (tfjs 4.22.0, 1 thread: the 2-thread WASM build failed to start; it runs on one)');
  });

  it('runs on one thread unless AIRLOCK_TRAIN_THREADS says more', () => {
    expect(DEFAULT_WASM_THREADS).toBe(1);
    expect(child(undefined).threads).toBe(1);
  });

  it('restores every global it patched when the start fails', async () => {
    const blob = globalThis.Blob;
    const create: unknown = Reflect.get(URL, 'createObjectURL');
    const instantiate = wasmApi['instantiate'];
    await expect(
      withThreadedWasmStart(2, () => {
        expect(globalThis.Blob).not.toBe(blob);
        expect('Worker' in globalThis).toBe(true);
        return Promise.reject(new Error('start failed'));
      }),
    ).rejects.toThrow('start failed');
    expect(globalThis.Blob).toBe(blob);
    expect(Reflect.get(URL, 'createObjectURL')).toBe(create);
    expect(wasmApi['instantiate']).toBe(instantiate);
    expect('Worker' in globalThis).toBe(false);
  });
});
