// The TensorFlow.js backend ladder, climbed once per process (each training worker is its own process for this
// purpose): CUDA through @tensorflow/tfjs-node-gpu → libtensorflow through @tensorflow/tfjs-node → WASM (XNNPACK,
// SIMD, one thread) → the plain JavaScript CPU backend. The two native packages are optional dependencies that
// are usually absent on an offline workstation, so each rung is a dynamic import inside try/catch and every rung
// skipped is recorded with its reason; the result is stored with every run.
//
// AIRLOCK_TF_BACKEND=node-gpu|node|wasm|cpu forces one rung (tests, benchmarks). A forced rung that cannot load
// is an error, not a silent fall-through: a benchmark must measure what it says it measures. AIRLOCK_TRAIN_THREADS
// (1–8) sets the WASM backend's threads; an invalid value is an error too, not a silent one thread.
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { DEFAULT_WASM_THREADS, parseWasmThreads, THREADED_WASM_VERSION, withThreadedWasmStart } from './wasm-threads';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type ForcedBackend = 'node-gpu' | 'node' | 'wasm' | 'cpu';
export const FORCED_BACKENDS: readonly ForcedBackend[] = ['node-gpu', 'node', 'wasm', 'cpu'];

export interface BackendFallback {
  /** The rung that was skipped. */
  name: BackendName;
  /** Why, in a sentence: "not installed", or the load error. */
  reason: string;
}

export interface BackendInfo {
  name: BackendName;
  tfjsVersion: string;
  /** Version of the package that provides the backend (tfjs-node, tfjs-backend-wasm, tfjs-backend-cpu). */
  backendVersion: string;
  simd?: boolean;
  threads?: number;
  /** Why the backend runs on fewer threads than AIRLOCK_TRAIN_THREADS asked for (WASM only). */
  threadsNote?: string;
  /** Kernels Airlock registered to make the backend trainable (WASM only). */
  addedKernels?: string[];
  fallbacks: BackendFallback[];
}

const nodeRequire = createRequire(import.meta.url);

const RUNGS: readonly { forced: ForcedBackend; name: BackendName }[] = [
  { forced: 'node-gpu', name: 'tensorflow-gpu' },
  { forced: 'node', name: 'tensorflow' },
  { forced: 'wasm', name: 'wasm' },
  { forced: 'cpu', name: 'cpu' },
];

let chosen: Promise<BackendInfo> | undefined;

/** Choose the backend once; later calls return the same answer. An invalid setting rejects, it never throws. */
export function selectBackend(): Promise<BackendInfo> {
  // Async, so that a worker calling this at start-up reports a bad AIRLOCK_* value as a failed run, not a crash.
  chosen ??= (async () => climb(parseForced(process.env.AIRLOCK_TF_BACKEND), parseWasmThreads(process.env.AIRLOCK_TRAIN_THREADS) ?? DEFAULT_WASM_THREADS))();
  return chosen;
}

export function parseForced(value: string | undefined): ForcedBackend | undefined {
  if (value === undefined || value === '') return undefined;
  if ((FORCED_BACKENDS as readonly string[]).includes(value)) return value as ForcedBackend;
  throw new Error(`AIRLOCK_TF_BACKEND must be one of ${FORCED_BACKENDS.join(', ')} (it is "${value}").`);
}

async function climb(forced: ForcedBackend | undefined, wasmThreads: number): Promise<BackendInfo> {
  const fallbacks: BackendFallback[] = [];
  for (const rung of RUNGS) {
    if (forced !== undefined && rung.forced !== forced) continue;
    try {
      const { skipped, ...info } = await load(rung.forced, wasmThreads);
      if (skipped && forced === 'node-gpu') throw new Error(skipped.reason);
      if (skipped) fallbacks.push(skipped);
      return { ...info, fallbacks };
    } catch (err) {
      const reason = describeLoadError(err);
      if (forced !== undefined) {
        throw new Error(`The ${rung.name} backend forced by AIRLOCK_TF_BACKEND=${forced} could not be loaded: ${reason}`, { cause: err });
      }
      fallbacks.push({ name: rung.name, reason });
    }
  }
  // Unreachable in practice: the CPU backend ships inside @tensorflow/tfjs.
  throw new Error(`No TensorFlow.js backend could be loaded (${fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; ')}).`);
}

/** `skipped`: a rung passed over on the way (tfjs-node-gpu loaded but no CUDA device: it runs as 'tensorflow'). */
type Loaded = Omit<BackendInfo, 'fallbacks'> & { skipped?: BackendFallback };

async function load(rung: ForcedBackend, wasmThreads: number): Promise<Loaded> {
  switch (rung) {
    case 'node-gpu':
      return loadNative('@tensorflow/tfjs-node-gpu', true);
    case 'node':
      return loadNative('@tensorflow/tfjs-node', false);
    case 'wasm':
      return loadWasm(wasmThreads);
    case 'cpu':
      return loadCpu();
  }
}

async function importOptional(specifier: string): Promise<unknown> {
  // A variable specifier keeps TypeScript and the bundler from resolving a package that is usually absent.
  return (await import(/* @vite-ignore */ specifier)) as unknown;
}

async function loadNative(pkg: string, gpu: boolean): Promise<Loaded> {
  await importOptional(pkg);
  if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend failed to initialise');
  await tf.ready();
  const loaded = { tfjsVersion: tf.version_core, backendVersion: packageVersion(pkg) };
  if (!gpu) return { name: 'tensorflow', ...loaded };
  const backend = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
  if (backend.isUsingGpuDevice === true) return { name: 'tensorflow-gpu', ...loaded };
  // The GPU build's libtensorflow is loaded (it cannot be swapped for the CPU build in this process) and runs
  // on the CPU: that is the 'tensorflow' rung.
  return { name: 'tensorflow', ...loaded, skipped: { name: 'tensorflow-gpu', reason: 'the package loaded but TensorFlow sees no CUDA device' } };
}

/** The folder holding tfjs-backend-wasm's .wasm binaries, as setWasmPaths wants it (trailing separator). */
export function wasmDistDir(): string {
  return join(dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + sep;
}

/** The WASM backend on `wanted` threads (its threaded build), or on one if that cannot start, saying why. */
async function loadWasm(wanted: number): Promise<Loaded> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmDistDir());
  let threadsNote: string | undefined;
  let started = false;
  const version: string = wasm.version_wasm;
  if (wanted > 1 && version !== THREADED_WASM_VERSION) {
    threadsNote = `${wanted} threads need tfjs-backend-wasm ${THREADED_WASM_VERSION} (this is ${version}); it runs on one`;
  } else if (wanted > 1) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasm.setThreadsCount(wanted);
    started = await withThreadedWasmStart(wanted, () => tf.setBackend('wasm')).catch(() => false);
    if (!started) threadsNote = `the ${wanted}-thread WASM build failed to start; it runs on one`;
  }
  if (!started) {
    // One thread: the plain SIMD build, which needs no worker pool.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setThreadsCount(1);
    if (!(await tf.setBackend('wasm'))) throw new Error('the WASM backend failed to initialise');
  }
  await tf.ready();
  const addedKernels = registerWasmTrainingKernels();
  const threads = wasm.getThreadsCount();
  if (started && threads < wanted) threadsNote = `the WASM pool started ${threads} of the ${wanted} threads asked for`;
  return {
    name: 'wasm',
    tfjsVersion: tf.version_core,
    backendVersion: wasm.version_wasm,
    simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    threads,
    addedKernels,
    ...(threadsNote ? { threadsNote } : {}),
  };
}

async function loadCpu(): Promise<Loaded> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the CPU backend failed to initialise');
  await tf.ready();
  return { name: 'cpu', tfjsVersion: tf.version_core, backendVersion: packageVersion('@tensorflow/tfjs-backend-cpu') };
}

function packageVersion(pkg: string): string {
  try {
    const meta = nodeRequire(`${pkg}/package.json`) as { version?: unknown };
    return typeof meta.version === 'string' ? meta.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** "not installed" for a missing package; otherwise the first line of the load error. */
export function describeLoadError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (package|module)|Failed to load url|Does the file exist/i.test(message)) {
    return 'not installed';
  }
  return (message.split('\n')[0] ?? message).slice(0, 300);
}
