// tfjs-backend-wasm's threaded build (XNNPACK over Emscripten's pthread pool) under Node's worker_threads.
//
// tfjs switches it off in Node (tfjs#3830): it gives Emscripten its pthread worker and its own script as Blobs
// behind blob: URLs, which Node's Worker refuses (ERR_WORKER_PATH) and a worker's importScripts cannot read. For
// the backend's start only, this module remembers the text of each all-string Blob, starts each pthread worker
// from that text (eval), sends it the module's script as text (with the bundle's module-scope names it uses), and
// tells the module how many cores to assume, since tfjs caps its pool at half the logical cores. The 8 workers
// are all made during the start, so nothing is left patched afterwards; none of them keeps its process alive.
//
// Results do not depend on the thread count: XNNPACK splits a product by output tiles, never a sum, and tfjs's own
// kernels stay on one thread. test/train-engine/wasm-threads.test.ts trains and samples bitwise equal on 1 and 2.
import { Worker as NodeWorker, type WorkerOptions } from 'node:worker_threads';

/** tfjs pre-creates 8 pthread workers: its pool can use no more. */
export const MAX_WASM_THREADS = 8;
/** The tfjs-backend-wasm bundle whose module-scope names PROLOGUE supplies. */
export const THREADED_WASM_VERSION = '4.22.0';

/**
 * Threads when AIRLOCK_TRAIN_THREADS does not say: one. On the 2-vCPU machine the bench runs on, two threads
 * sped matmul up 1.3–1.6× and DCGAN 1.1–1.3×, but not TVAE or CTGAN training, so more is a site's measured choice.
 */
export const DEFAULT_WASM_THREADS = 1;

/** AIRLOCK_TRAIN_THREADS: a whole number from 1 to 8, or unset. */
export function parseWasmThreads(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new Error(`AIRLOCK_TRAIN_THREADS must be a whole number from 1 to ${MAX_WASM_THREADS} (it is "${value}").`);
  }
  return n;
}

// Names the rollup bundle defines at module scope and the threaded factory's source refers to.
const PROLOGUE =
  "var require$$0=require('fs'),require$$1=require('path'),require$$3=require('perf_hooks'),require$$4=require('os');" +
  'var commonjsGlobal=globalThis;var _scriptDir=undefined;\n';
// Runs after the worker's own Node shim: importScripts then evaluates the text it is sent instead of reading a file.
const EPILOGUE = '\n;global.importScripts=function(source){(0,eval)(source)};\n';

type Imports = Record<string, Record<string, unknown>>;
interface WasmApi {
  instantiate: (source: unknown, imports?: Imports) => Promise<unknown>;
}

interface LoadMessage {
  cmd: 'load';
  urlOrBlob: unknown;
}

function isLoad(message: unknown): message is LoadMessage {
  return typeof message === 'object' && message !== null && (message as { cmd?: unknown }).cmd === 'load';
}

/**
 * Run `start` (which must call tf.setBackend('wasm') after setThreadsCount(threads)) with the hooks the threaded
 * build needs under Node, then remove them, whatever `start` did.
 */
export async function withThreadedWasmStart<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const texts = new WeakMap<Blob, string>();
  const byUrl = new Map<string, string>();
  const OriginalBlob = globalThis.Blob;
  const originalCreateObjectURL = Reflect.get(URL, 'createObjectURL');
  const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const originalInstantiate = wasmApi.instantiate;
  const hadWorker = Object.getOwnPropertyDescriptor(globalThis, 'Worker');

  class RecordingBlob extends OriginalBlob {
    constructor(...args: ConstructorParameters<typeof OriginalBlob>) {
      super(...args);
      const parts: readonly unknown[] = args[0] ?? [];
      if (parts.every((p): p is string => typeof p === 'string')) texts.set(this, parts.join(''));
    }
  }

  class PthreadWorker extends NodeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      const source = typeof url === 'string' ? byUrl.get(url) : undefined;
      if (source === undefined) super(url, options);
      else super(source + EPILOGUE, { ...options, eval: true });
      this.unref();
    }

    // Emscripten refs a worker while a pthread runs on it, and XNNPACK's pool threads never end: a ref'd worker
    // would keep the process (or the training worker) alive after its work is done. Only the owner's calls into
    // WASM give the pool work, and they are synchronous, so nothing is lost when the owner exits.
    override ref(): void {}

    override postMessage(message: unknown, transfer?: Parameters<NodeWorker['postMessage']>[1]): void {
      const text = isLoad(message) && message.urlOrBlob instanceof OriginalBlob ? texts.get(message.urlOrBlob) : undefined;
      super.postMessage(text === undefined ? message : { ...(message as LoadMessage), urlOrBlob: PROLOGUE + text }, transfer);
    }
  }

  globalThis.Blob = RecordingBlob;
  URL.createObjectURL = (blob: Blob): string => {
    const url = originalCreateObjectURL.call(URL, blob);
    const text = texts.get(blob);
    if (text !== undefined) byUrl.set(url, text);
    return url;
  };
  // Emscripten assigns Node's Worker to the global at start; the setter keeps ours in place.
  Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => PthreadWorker, set: () => undefined });
  // The module sizes its pool as min(requested, logical cores / 2): report 2 × threads logical cores to it.
  wasmApi.instantiate = (source: unknown, imports?: Imports): Promise<unknown> => {
    const env = imports?.env;
    if (env && typeof env.emscripten_num_logical_cores === 'function') env.emscripten_num_logical_cores = () => 2 * threads;
    return originalInstantiate.call(wasmApi, source, imports);
  };
  try {
    return await start();
  } finally {
    globalThis.Blob = OriginalBlob;
    URL.createObjectURL = originalCreateObjectURL;
    wasmApi.instantiate = originalInstantiate;
    if (hadWorker) Object.defineProperty(globalThis, 'Worker', hadWorker);
    else delete (globalThis as { Worker?: unknown }).Worker;
  }
}
