// Adam with L2 weight decay exactly as torch.optim.Adam (weight_decay adds λ·θ to the gradient; not AdamW), so
// the models keep the reference implementations' hyper-parameters. Its whole state — step count and both moment
// estimates — exports as named tensors for checkpoints.
import * as tf from '@tensorflow/tfjs';
import { invalidInput } from './errors';
import type { Param } from './params';
import { deserializeTensor, serializeTensor, type SerializedTensor } from './tensors';

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

export class Adam {
  private readonly lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;
  private t = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

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
    this.m = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false)));
    this.v = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false)));
  }

  get variables(): tf.Variable[] {
    return this.params.map((p) => p.variable);
  }

  /** Apply one update from gradients keyed by tf.Variable name (what tf.variableGrads returns). */
  step(grads: tf.NamedTensorMap): void {
    this.t += 1;
    const bc1 = 1 - this.beta1 ** this.t;
    const bc2 = 1 - this.beta2 ** this.t;
    const stepSize = this.lr / bc1;
    const sqrtBc2 = Math.sqrt(bc2);
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        let g = grads[p.variable.name];
        if (!g) return; // no path from the loss to this parameter in this step
        if (this.weightDecay !== 0) g = g.add(p.variable.mul(this.weightDecay));
        const m = this.m[i] as tf.Variable;
        const v = this.v[i] as tf.Variable;
        m.assign(m.mul(this.beta1).add(g.mul(1 - this.beta1)));
        v.assign(v.mul(this.beta2).add(g.square().mul(1 - this.beta2)));
        const denom = v.sqrt().div(sqrtBc2).add(this.epsilon);
        p.variable.assign(p.variable.sub(m.div(denom).mul(stepSize)));
      });
    });
  }

  export(): SerializedTensor[] {
    const out: SerializedTensor[] = [];
    out.push({ name: `${this.label}/step`, shape: [1], dtype: 'int32', data: new Int32Array([this.t]).buffer });
    this.params.forEach((p, i) => {
      out.push(serializeTensor(`${this.label}/m/${p.name}`, this.m[i] as tf.Variable));
      out.push(serializeTensor(`${this.label}/v/${p.name}`, this.v[i] as tf.Variable));
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
    this.params.forEach((p, i) => {
      for (const [kind, target] of [['m', this.m[i]], ['v', this.v[i]]] as const) {
        const s = byName.get(`${this.label}/${kind}/${p.name}`);
        if (!s || s.shape.join(',') !== p.variable.shape.join(',')) {
          throw invalidInput(`The checkpoint's ${this.label} optimiser state does not match parameter ${p.name}.`);
        }
        tf.tidy(() => (target as tf.Variable).assign(deserializeTensor(s)));
      }
    });
    this.t = t;
  }

  dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}
