// Adam with L2 weight decay exactly as torch.optim.Adam (weight_decay adds λ·θ to the gradient; not AdamW), so
// the models keep the reference implementations' hyper-parameters. Its whole state — step count and both moment
// estimates — exports as named tensors for checkpoints.
//
// The update runs as one JavaScript pass per parameter over plain Float32Arrays (the moments live there), not as a
// dozen tfjs kernels per parameter: each operation is rounded to float32 (Math.fround) in the order the tfjs ops
// ran, so the numbers are the ones the tfjs version gave on either backend, at a fraction of the dispatch cost.
import * as tf from '@tensorflow/tfjs';
import { invalidInput } from './errors';
import type { Param } from './params';
import { typedView, type SerializedTensor } from './tensors';

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

const f32 = Math.fround;

/** One torch Adam step in place over w, m, v: every operation rounded to float32 in the order the tfjs ops ran. */
function adamUpdate(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  b1: number,
  c1: number,
  b2: number,
  c2: number,
  wd: number,
  eps: number,
  sqrtBc2: number,
  stepSize: number,
): void {
  const n = w.length;
  for (let k = 0; k < n; k++) {
    const wk = w[k] as number;
    const gk = wd !== 0 ? f32((g[k] as number) + f32(wk * wd)) : (g[k] as number);
    const mk = f32(f32((m[k] as number) * b1) + f32(gk * c1));
    const vk = f32(f32((v[k] as number) * b2) + f32(f32(gk * gk) * c2));
    m[k] = mk;
    v[k] = vk;
    const denom = f32(f32(f32(Math.sqrt(vk)) / sqrtBc2) + eps);
    w[k] = f32(wk - f32(f32(mk / denom) * stepSize));
  }
}

export class Adam {
  private readonly lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;
  private t = 0;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private readonly w: (Float32Array | undefined)[];
  private readonly wrote: (object | undefined)[];

  constructor(
    private readonly label: string,
    private readonly params: readonly Param[],
    options: AdamOptions,
  ) {
    this.lr = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    this.m = params.map((p) => new Float32Array(p.variable.size));
    this.v = params.map((p) => new Float32Array(p.variable.size));
    this.w = params.map(() => undefined);
    this.wrote = params.map(() => undefined);
  }

  get variables(): tf.Variable[] {
    return this.params.map((p) => p.variable);
  }

  /** Apply one update from gradients keyed by tf.Variable name (what tf.variableGrads returns). */
  step(grads: tf.NamedTensorMap): void {
    this.t += 1;
    // Every scalar as the float32 constant tfjs made of it.
    const bc1 = 1 - this.beta1 ** this.t;
    const bc2 = 1 - this.beta2 ** this.t;
    const stepSize = f32(this.lr / bc1);
    const sqrtBc2 = f32(Math.sqrt(bc2));
    const [b1, c1, b2, c2] = [f32(this.beta1), f32(1 - this.beta1), f32(this.beta2), f32(1 - this.beta2)];
    const [wd, eps] = [f32(this.weightDecay), f32(this.epsilon)];
    const copyOnWrite = tf.getBackend() !== 'wasm';
    this.params.forEach((p, i) => {
      const grad = grads[p.variable.name];
      if (!grad) return; // no path from the loss to this parameter in this step
      const w = this.weights(i, p);
      adamUpdate(w, grad.dataSync() as Float32Array, this.m[i] as Float32Array, this.v[i] as Float32Array, b1, c1, b2, c2, wd, eps, sqrtBc2, stepSize);
      // wasm copies a new tensor's values into its heap; other backends may keep the array, which changes next step.
      tf.tidy(() => p.variable.assign(tf.tensor(copyOnWrite ? w.slice() : w, p.variable.shape, 'float32')));
      this.wrote[i] = p.variable.dataId;
    });
  }

  // The weights as a Float32Array: the copy kept from the last step while the variable still holds what this
  // optimiser wrote (no read-back), else read afresh (a checkpoint import or σ clamp assigned it since).
  private weights(i: number, p: Param): Float32Array {
    const kept = this.w[i];
    if (kept && this.wrote[i] === p.variable.dataId) return kept;
    const fresh = new Float32Array(p.variable.dataSync() as Float32Array);
    this.w[i] = fresh;
    return fresh;
  }

  export(): SerializedTensor[] {
    const out: SerializedTensor[] = [];
    out.push({ name: `${this.label}/step`, shape: [1], dtype: 'int32', data: new Int32Array([this.t]).buffer });
    this.params.forEach((p, i) => {
      for (const [kind, values] of [['m', this.m[i]], ['v', this.v[i]]] as const) {
        out.push({ name: `${this.label}/${kind}/${p.name}`, shape: [...p.variable.shape], dtype: 'float32', data: new Float32Array(values as Float32Array).buffer });
      }
    });
    return out;
  }

  /** Restore from a list that may hold other optimisers' entries too (matched by this one's label). */
  import(list: readonly SerializedTensor[]): void {
    const byName = new Map(list.map((s) => [s.name, s]));
    const step = byName.get(`${this.label}/step`);
    if (!step) throw invalidInput(`The checkpoint has no state for the ${this.label} optimiser.`);
    const t = new Int32Array(step.data)[0];
    if (t === undefined || t < 0) throw invalidInput(`The ${this.label} optimiser's step count is damaged.`);
    // Check everything before changing anything: a bad checkpoint leaves the optimiser as it was.
    const restored = this.params.map((p) =>
      (['m', 'v'] as const).map((kind) => {
        const s = byName.get(`${this.label}/${kind}/${p.name}`);
        if (!s || s.dtype !== 'float32' || s.shape.join(',') !== p.variable.shape.join(',') || s.data.byteLength !== p.variable.size * 4) {
          throw invalidInput(`The checkpoint's ${this.label} optimiser state does not match parameter ${p.name}.`);
        }
        return typedView(s) as Float32Array;
      }),
    );
    restored.forEach(([m, v], i) => {
      (this.m[i] as Float32Array).set(m as Float32Array);
      (this.v[i] as Float32Array).set(v as Float32Array);
    });
    this.t = t;
  }

  dispose(): void {
    // The moments are plain arrays; nothing to free on the backend.
  }
}
