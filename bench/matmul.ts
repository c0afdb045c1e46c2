// The matmul roofline under the generator figures: GFLOP/s of the dense-layer matmuls TVAE and CTGAN run most
// (batch 500), on the training backend beside PyTorch CPU, one thread each, alternated. A step's matmul FLOPs over
// our GFLOP/s is the time no overhead cut can go below, which bounds how close a model figure can come to PyTorch's.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BackendInfo } from '../electron/core/train/engine/backend';
import type { BenchContext } from './context';

const PYTHON = '/usr/bin/python3';
const SHAPES: readonly [number, number, number][] = [
  [500, 128, 128], // TVAE's hidden layers
  [500, 256, 256], // CTGAN's residual layers
];

/** Best-of-three GFLOP/s of tf.matMul on the current backend, each loop read back once at its end. */
function oursGflops(m: number, k: number, n: number): number {
  const a = tf.randomNormal([m, k], 0, 1, 'float32', 1);
  const b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
  try {
    for (let i = 0; i < 20; i++) tf.matMul(a, b).dispose();
    const loops = 200;
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      let last: tf.Tensor | null = null;
      for (let i = 0; i < loops; i++) {
        last?.dispose();
        last = tf.matMul(a, b);
      }
      last?.dataSync();
      last?.dispose();
      best = Math.min(best, (performance.now() - t0) / 1000 / loops);
    }
    return (2 * m * k * n) / best / 1e9;
  } finally {
    a.dispose();
    b.dispose();
  }
}

function torchGflops(m: number, k: number, n: number, threads: number): { gflops: number; threads: number } {
  const r = spawnSync(PYTHON, [join(import.meta.dirname, 'matmul_torch.py'), String(m), String(k), String(n), String(threads)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`matmul_torch.py failed (install python3-torch): ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
  return JSON.parse(r.stdout) as { gflops: number; threads: number };
}

/** Matmul FLOPs `f` runs (tf.profile's kernels): 2·p·q·N per product of a [.., p, q] operand into [.., M, N]. */
export async function matmulFlops(f: () => void): Promise<number> {
  const info = await tf.profile(f);
  let flops = 0;
  for (const k of info.kernels) {
    if (k.name !== 'BatchMatMul' && k.name !== '_FusedMatMul') continue;
    const a = k.inputShapes[0] ?? [];
    const out = k.outputShapes[0] ?? [];
    const batch = out.slice(0, -2).reduce((x, y) => x * y, 1);
    // a holds M·K values per batch whether or not it is transposed, so 2·M·K·N needs no transpose flags.
    flops += 2 * batch * (a.at(-1) ?? 0) * (a.at(-2) ?? 0) * (out.at(-1) ?? 0);
  }
  return flops;
}

/** Our median GFLOP/s per shape label ("500×128 · 128×128"), as measured by benchMatmul. */
export type Roofline = Map<string, number>;

export async function benchMatmul(ctx: BenchContext, info: BackendInfo, label: string): Promise<Roofline> {
  const roofline: Roofline = new Map();
  const threads = info.threads ?? 1;
  for (const [m, k, n] of SHAPES) {
    const [fig] = await ctx.compare({
      name: `matmul ${m}×${k} · ${k}×${n}`,
      metrics: [{ key: 'gflops', label: '', unit: 'GFLOP/s', better: 'higher' }],
      ours: { label, threads, run: () => ({ gflops: oursGflops(m, k, n) }) },
      reference: {
        label: 'PyTorch CPU matmul (Debian python3-torch)',
        threads,
        run: () => {
          const r = torchGflops(m, k, n, threads);
          if (r.threads !== threads) throw new Error(`PyTorch ran on ${r.threads} threads, not ${threads}`);
          return { gflops: r.gflops };
        },
      },
    });
    if (fig) roofline.set(`${m}×${k} · ${k}×${n}`, fig.ours);
  }
  ctx.note('Matmul: WASM SIMD is 128-bit, PyTorch runs the CPU\'s AVX2/AVX-512 kernels. A step\'s matmul FLOPs at our GFLOP/s is a floor on its time that no cut of overhead goes below.');
  return roofline;
}

/**
 * The floor under a model figure: `flops` of matmul at our GFLOP/s for the model's layer shape, against the time
 * PyTorch took for the whole unit (a step, a sample). Their quotient is the best ratio any cut of overhead can reach.
 */
export function floorNote(what: string, flops: number, gflops: number | undefined, referenceSeconds: number | null): string {
  if (!gflops || referenceSeconds === null) return `${what}: ${(flops / 1e9).toFixed(2)} GFLOP of matmul (no roofline figure to compare).`;
  const floor = flops / (gflops * 1e9);
  return `${what}: ${(flops / 1e9).toFixed(2)} GFLOP of matmul = ${(floor * 1000).toFixed(1)} ms at our ${gflops.toFixed(1)} GFLOP/s; PyTorch's whole ${(referenceSeconds * 1000).toFixed(1)} ms: at zero overhead the ratio could reach ${(referenceSeconds / floor).toFixed(2)}×.`;
}
