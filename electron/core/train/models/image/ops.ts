// Convolution building blocks for the image generators, and the reason they are not tf.conv2dTranspose.
//
// tfjs-backend-wasm 4.22 runs Conv2D through XNNPACK but Conv2DBackpropInput — which is both the forward pass
// of tf.conv2dTranspose and the input gradient of tf.conv2d — as a plain C++ loop, 8–12× slower per
// multiply-add at DCGAN sizes (a 1.07 GMAC layer: ~700 ms against ~75 ms). So on wasm both 4×4 stride-2 layers
// here are custom-gradient ops that only ever call Conv2D and the engine's Conv2DBackpropFilter:
//
//   down(x, W)  = conv2d(x, W, stride 2, pad 1)             ∂x = up(∂y, W)           ∂W = BackpropFilter(x, ∂y)
//   up(x, W)    = conv2dTranspose(x, W, stride 2, pad 1)    ∂x = down(∂y, W)         ∂W = BackpropFilter(∂y, x)
//
// and up() itself is computed sub-pixel: output pixel (2m + a, 2q + b) depends on a 2 × 2 window of the input,
// through the taps W[3 − a − 2t, 3 − b − 2u], so each of the four phases (a, b) is a stride-1 2 × 2 Conv2D.
// Other backends use tfjs's own ops (same mathematics; the tests hold the two paths to each other).
// Padding 1 on 4 × 4 stride-2 layers is PyTorch's Conv2d/ConvTranspose2d(4, 2, 1), which is tfjs 'same' here.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../engine/rng';

/** Whether to route the stride-2 layers through the XNNPACK-only formulation (wasm) or tfjs's own ops. */
export type ConvPath = 'subpixel' | 'builtin';

export function defaultConvPath(): ConvPath {
  return tf.getBackend() === 'wasm' ? 'subpixel' : 'builtin';
}

function filterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number]): tf.Tensor4D {
  return tf.engine().runKernel<tf.Tensor4D>('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape });
}

const phaseIndex = new Map<string, Int32Array>();

/**
 * The four phase filters [2 (t), 2 (u), C_in, C_out] of W[4, 4, C_out, C_in], phase (a, b) first:
 * sub[a, b][t, u, c, o] = W[3 − a − 2t, 3 − b − 2u, o, c]. Permuted in JavaScript: on wasm a rank-6 Transpose
 * plus a Reverse, or a Gather, of a 2-million-weight filter each take longer than the convolution itself.
 */
function phaseFilters(w: tf.Tensor4D): tf.Tensor4D[] {
  const [, , cout, cin] = w.shape;
  const key = `${cout}:${cin}`;
  let idx = phaseIndex.get(key);
  if (!idx) {
    idx = new Int32Array(16 * cin * cout);
    let j = 0;
    for (let a = 0; a < 2; a++)
      for (let b = 0; b < 2; b++)
        for (let t = 0; t < 2; t++)
          for (let u = 0; u < 2; u++)
            for (let c = 0; c < cin; c++)
              for (let o = 0; o < cout; o++) idx[j++] = (((3 - a - 2 * t) * 4 + (3 - b - 2 * u)) * cout + o) * cin + c;
    phaseIndex.set(key, idx);
  }
  const src = w.dataSync();
  const all = new Float32Array(idx.length);
  for (let j = 0; j < idx.length; j++) all[j] = src[idx[j] as number] as number;
  const per = 4 * cin * cout;
  return [0, 1, 2, 3].map((p) => tf.tensor4d(all.subarray(p * per, (p + 1) * per), [2, 2, cin, cout]));
}

/**
 * conv2dTranspose(x, W[4, 4, C_out, C_in], stride 2, pad 1), sub-pixel: phase (a, b) — the output pixels
 * (2m + a, 2q + b) — is a 2 × 2 stride-1 Conv2D of x padded by (1 − a, a) rows and (1 − b, b) columns. Four
 * exact-size convolutions beat one with 4·C_out channels on the (H+1) × (W+1) grid, whose phases then need
 * offset slices. The phases are interleaved in one JavaScript pass (wasm's Slice and Concat copy channel blocks
 * pixel by pixel, a third of the convolution's time).
 */
function upForward(x: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  const [n, h, wd] = x.shape;
  const cout = w.shape[2];
  const filters = phaseFilters(w);
  const phases = filters.map((f, p) => {
    const a = p >> 1;
    const b = p & 1;
    const y = tf.conv2d(tf.pad(x, [[0, 0], [1 - a, a], [1 - b, b], [0, 0]]), f, 1, 'valid');
    const v = y.dataSync();
    y.dispose();
    f.dispose();
    return v;
  });
  const out = new Float32Array(n * 4 * h * wd * cout);
  let dst = 0;
  for (let i = 0; i < n; i++)
    for (let m = 0; m < h; m++)
      for (let a = 0; a < 2; a++)
        for (let q = 0; q < wd; q++)
          for (let b = 0; b < 2; b++) {
            const src = phases[2 * a + b] as Float32Array;
            const from = ((i * h + m) * wd + q) * cout;
            if (cout >= 16) out.set(src.subarray(from, from + cout), dst);
            else for (let o = 0; o < cout; o++) out[dst + o] = src[from + o] as number;
            dst += cout;
          }
  return tf.tensor4d(out, [n, 2 * h, 2 * wd, cout]);
}

/**
 * Which gradients a layer must give. tfjs prunes the tape to what the loss needs, but a custom-gradient op
 * returns all of its input gradients at once, so the caller says: 'input' where the filter is held fixed (the
 * discriminator during the generator's step), 'filter' where the input is data (a first layer).
 */
export type GradNeed = 'both' | 'input' | 'filter';

type Conv = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;
type ConvGrad = (dy: tf.Tensor4D, x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;

function customConv(forward: Conv, dx: ConvGrad, dw: ConvGrad, x: tf.Tensor4D, w: tf.Tensor4D, need: GradNeed): tf.Tensor4D {
  type Args = (tf.Tensor | tf.GradSaveFunc)[];
  if (need === 'input') {
    return tf.customGrad((...args: Args) => {
      const [a, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
      save([a, w]); // saved, not captured: the forward pass's tensors are disposed before the backward pass
      return { value: forward(a, w), gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => [dx(dy, saved[0] as tf.Tensor4D, saved[1] as tf.Tensor4D)] };
    })(x);
  }
  if (need === 'filter') {
    return tf.customGrad((...args: Args) => {
      const [b, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
      save([x, b]);
      return { value: forward(x, b), gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => [dw(dy, saved[0] as tf.Tensor4D, saved[1] as tf.Tensor4D)] };
    })(w);
  }
  return tf.customGrad((...args: Args) => {
    const [a, b, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([a, b]);
    return {
      value: forward(a, b),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [sa, sb] = saved as [tf.Tensor4D, tf.Tensor4D];
        return [dx(dy, sa, sb), dw(dy, sa, sb)];
      },
    };
  })(x, w);
}

const conv2dS2: Conv = (x, w) => tf.conv2d(x, w, 2, 'same');

/** 4 × 4, stride 2, pad 1 convolution: [N, H, W, C_in] → [N, H/2, W/2, C_out]; W is [4, 4, C_in, C_out]. */
export function down(x: tf.Tensor4D, w: tf.Tensor4D, need: GradNeed = 'both', path: ConvPath = defaultConvPath()): tf.Tensor4D {
  if (path === 'builtin') return conv2dS2(x, w);
  return customConv(conv2dS2, (dy, _x, f) => upForward(dy, f), (dy, a) => filterGrad(a, dy, w.shape), x, w, need);
}

/** 4 × 4, stride 2, pad 1 transposed convolution: [N, H, W, C_in] → [N, 2H, 2W, C_out]; W is [4, 4, C_out, C_in]. */
export function up(x: tf.Tensor4D, w: tf.Tensor4D, need: GradNeed = 'both', path: ConvPath = defaultConvPath()): tf.Tensor4D {
  const [n, h, wd] = x.shape;
  if (path === 'builtin') return tf.conv2dTranspose(x, w, [n, 2 * h, 2 * wd, w.shape[2]], 2, 'same');
  return customConv(upForward, (dy, _x, f) => conv2dS2(dy, f), (dy, a) => filterGrad(dy, a, w.shape), x, w, need);
}

export const BN_EPS = 1e-5;

export interface BatchStats {
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
  /** Values per channel the statistics were taken over (for the unbiased running variance). */
  count: number;
}

/** BatchNorm over every axis but the channels, with the batch's statistics (biased variance, as PyTorch). */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D): { y: tf.Tensor; stats: BatchStats } {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const y = batchNormApply(x, gamma, beta, mean as tf.Tensor1D, variance as tf.Tensor1D);
  return { y, stats: { mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D, count: x.size / (x.shape.at(-1) as number) } };
}

/** (x − mean) / √(variance + ε) · γ + β as one scale and one shift over the big tensor. */
export function batchNormApply(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, mean: tf.Tensor1D, variance: tf.Tensor1D): tf.Tensor {
  const scale = gamma.mul(variance.add(BN_EPS).rsqrt());
  return x.mul(scale).add(beta.sub(mean.mul(scale)));
}

/** PyTorch's running averages: new = (1 − m)·old + m·batch, the variance unbiased. Call outside a gradient tape. */
export function updateRunning(runMean: tf.Variable, runVar: tf.Variable, stats: BatchStats, momentum: number): void {
  tf.tidy(() => {
    const unbias = stats.count > 1 ? stats.count / (stats.count - 1) : 1;
    runMean.assign(runMean.mul(1 - momentum).add(stats.mean.mul(momentum)));
    runVar.assign(runVar.mul(1 - momentum).add(stats.variance.mul(momentum * unbias)));
  });
}

/** [n, classes] one-hot as extra constant channels of an [n, H, W, C] image batch. */
export function withClassChannels(x: tf.Tensor4D, cond: tf.Tensor2D | null): tf.Tensor4D {
  if (!cond) return x;
  const [n, h, w] = x.shape;
  return tf.concat([x, cond.reshape<tf.Tensor4D>([n, 1, 1, cond.shape[1]]).tile([1, h, w, 1])], 3);
}

/** Seeded initial values: N(mean, std²) (DCGAN's init) or PyTorch's default U(±1/√fan_in). */
export function normalInit(rng: Rng, n: number, mean: number, std: number): Float32Array {
  return rng.normal(n, mean, std);
}

export function torchUniform(rng: Rng, n: number, fanIn: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  return rng.fillUniform(new Float32Array(n), -bound, bound);
}
