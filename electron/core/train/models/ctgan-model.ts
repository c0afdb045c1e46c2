// CTGAN's networks (see ctgan.ts for the method): the residual generator with its tanh / Gumbel-softmax output,
// the PacGAN critic with its gradient penalty, the conditional cross-entropy, and the noise they are fed.
import * as tf from '@tensorflow/tfjs';
import { ParamSet } from '../engine/params';
import type { Rng } from '../engine/rng';
import type { CtganConfig } from './config';
import { softmaxLayout, tanhSelection, validateSpans, type OutputSpan, type SoftmaxLayout } from './spans';

interface Dense {
  w: tf.Variable;
  b: tf.Variable;
}

interface Residual extends Dense {
  gamma: tf.Variable;
  beta: tf.Variable;
}

const BN_EPS = 1e-5;

/** The CTGAN generator and critic: parameters and forward passes. */
export class CtganModel {
  readonly params: ParamSet;
  private readonly residuals: Residual[] = [];
  private readonly genOut: Dense;
  private readonly critic: Dense[] = [];
  private readonly criticOut: Dense;
  private readonly tanhMask: tf.Tensor1D;
  private readonly soft: SoftmaxLayout;
  private readonly softGather: tf.Tensor2D | null;
  private readonly softScatter: tf.Tensor2D | null;
  private readonly softPadBias: tf.Tensor1D | null;
  private readonly disc: SoftmaxLayout;
  private readonly discGather: tf.Tensor2D | null;
  private readonly discPadBias: tf.Tensor1D | null;
  /** Conditional vector [n, condWidth] → the categorical spans' padded slots [n, spans·maxWidth]. */
  private readonly condToSlots: tf.Tensor2D | null;

  constructor(
    readonly config: CtganConfig,
    readonly width: number,
    readonly spans: readonly OutputSpan[],
    readonly condWidth: number,
    rng: Rng,
  ) {
    validateSpans(spans, width);
    this.params = new ParamSet('ctgan');
    let dim = config.embeddingDim + condWidth;
    config.generatorDims.forEach((d, i) => {
      const l = this.params.linear(`generator/residual${i}/fc`, dim, d, rng);
      const gamma = this.params.add(`generator/residual${i}/bn/gamma`, [d], new Float32Array(d).fill(1));
      const beta = this.params.add(`generator/residual${i}/bn/beta`, [d], new Float32Array(d));
      this.residuals.push({ ...l, gamma, beta });
      dim += d;
    });
    this.genOut = this.params.linear('generator/out', dim, width, rng);
    dim = (width + condWidth) * config.pac;
    config.discriminatorDims.forEach((d, i) => {
      this.critic.push(this.params.linear(`critic/${i}`, dim, d, rng));
      dim = d;
    });
    this.criticOut = this.params.linear('critic/out', dim, 1, rng);

    this.tanhMask = tf.tensor1d(tanhSelection(spans, width).mask);
    this.soft = softmaxLayout(spans, width, () => true);
    const cols = this.soft.count * this.soft.maxWidth;
    this.softGather = this.soft.count > 0 ? tf.tensor2d(this.soft.gather, [width, cols]) : null;
    this.softScatter = this.softGather ? this.softGather.transpose() : null;
    this.softPadBias = this.soft.count > 0 ? tf.tensor1d(this.soft.padBias) : null;
    this.disc = softmaxLayout(spans, width, (s) => s.kind === 'category');
    const dcols = this.disc.count * this.disc.maxWidth;
    this.discGather = this.disc.count > 0 ? tf.tensor2d(this.disc.gather, [width, dcols]) : null;
    this.discPadBias = this.disc.count > 0 ? tf.tensor1d(this.disc.padBias) : null;
    if (this.disc.count > 0) {
      const m = new Float32Array(condWidth * dcols);
      let at = 0;
      this.disc.spans.forEach((s, k) => {
        for (let j = 0; j < s.width; j++) m[(at + j) * dcols + k * this.disc.maxWidth + j] = 1;
        at += s.width;
      });
      this.condToSlots = tf.tensor2d(m, [condWidth, dcols]);
    } else {
      this.condToSlots = null;
    }
  }

  get generatorParams() {
    return this.params.trainable().filter((p) => p.name.startsWith('generator/'));
  }

  get criticParams() {
    return this.params.trainable().filter((p) => p.name.startsWith('critic/'));
  }

  /** Raw generator output [n, width] from [z, cond]. */
  generate(input: tf.Tensor2D): tf.Tensor2D {
    let h = input;
    for (const r of this.residuals) {
      const pre = tf.matMul(h, r.w).add<tf.Tensor2D>(r.b);
      const { mean, variance } = tf.moments(pre, 0);
      const normed = pre.sub(mean).div(variance.add(BN_EPS).sqrt()).mul(r.gamma).add(r.beta);
      h = tf.concat([normed.relu<tf.Tensor2D>(), h], 1);
    }
    return tf.matMul(h, this.genOut.w).add<tf.Tensor2D>(this.genOut.b);
  }

  /** Softmax spans as padded [n, spans·maxWidth] logits (−1e9 on padding). */
  private softLogits(raw: tf.Tensor2D): tf.Tensor2D {
    return raw.matMul(this.softGather as tf.Tensor2D).add(this.softPadBias as tf.Tensor1D);
  }

  /** tanh on tanh spans, Gumbel-softmax(τ) on softmax spans; gumbel is [n, spans·maxWidth]. */
  activate(raw: tf.Tensor2D, gumbel: tf.Tensor2D | null): tf.Tensor2D {
    let out = raw.tanh().mul<tf.Tensor2D>(this.tanhMask);
    if (this.softGather && gumbel) {
      const n = raw.shape[0];
      const y = this.softLogits(raw)
        .add(gumbel)
        .div(this.config.tau)
        .reshape([n, this.soft.count, this.soft.maxWidth])
        .softmax()
        .reshape<tf.Tensor2D>([n, this.soft.count * this.soft.maxWidth]);
      out = out.add(y.matMul(this.softScatter as tf.Tensor2D));
    }
    return out;
  }

  /** Critic scores [n / pac, 1]; masks are the dropout multipliers per hidden layer ([n / pac, dim], 0 or 2). */
  score(x: tf.Tensor2D, masks: readonly tf.Tensor2D[]): tf.Tensor2D {
    const groups = x.shape[0] / this.config.pac;
    let h = x.reshape<tf.Tensor2D>([groups, x.shape[1] * this.config.pac]);
    this.critic.forEach((l, i) => {
      h = leakyRelu2(tf.matMul(h, l.w).add<tf.Tensor2D>(l.b), 0.2).mul<tf.Tensor2D>(masks[i] as tf.Tensor2D);
    });
    return tf.matMul(h, this.criticOut.w).add<tf.Tensor2D>(this.criticOut.b);
  }

  /**
   * WGAN-GP: λ · mean over pac groups of (‖∇ₓ critic(x)‖₂ − 1)², at the interpolates x (the gradient taken per
   * group of pac rows, as the critic sees them). Differentiable in the critic's weights (second order).
   */
  gradientPenalty(interpolates: tf.Tensor2D, masks: readonly tf.Tensor2D[]): tf.Scalar {
    const groups = interpolates.shape[0] / this.config.pac;
    const gradX = tf.grad((x: tf.Tensor) => this.score(x as tf.Tensor2D, masks).sum())(interpolates);
    const norms = gradX.reshape([groups, -1]).square().sum(1).add(1e-12).sqrt();
    return norms.sub(1).square().mean().mul<tf.Scalar>(this.config.gradientPenalty);
  }

  /** SDV's _cond_loss: Σ over rows of CE(logits of the chosen column, chosen category) / n. */
  conditionLoss(raw: tf.Tensor2D, cond: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
    const n = raw.shape[0];
    const logits = raw
      .matMul(this.discGather as tf.Tensor2D)
      .add(this.discPadBias as tf.Tensor1D)
      .reshape([n, this.disc.count, this.disc.maxWidth]);
    const target = cond.matMul(this.condToSlots as tf.Tensor2D).reshape([n, this.disc.count, this.disc.maxWidth]);
    const ce = target.mul(tf.logSoftmax(logits)).sum(2).neg(); // [n, columns]
    return ce.mul(mask).sum().div(n);
  }

  /** Padded-slot count of the softmax spans (the Gumbel noise width). */
  get gumbelWidth(): number {
    return this.soft.count * this.soft.maxWidth;
  }

  /** 1 on the Gumbel slots that are real categories, 0 on padding (whose −1e9 logit makes its noise irrelevant). */
  get gumbelSlots(): Uint8Array {
    return Uint8Array.from(this.soft.padBias, (b) => (b === 0 ? 1 : 0));
  }

  /** One-hot arg-max per softmax span of an activated batch, for sampling. */
  softmaxChoice(activated: tf.Tensor2D): Int32Array {
    if (!this.softGather) return new Int32Array(0);
    const n = activated.shape[0];
    const slots = tf.tidy(() => activated.matMul(this.softGather as tf.Tensor2D).add(this.softPadBias as tf.Tensor1D).reshape([n, this.soft.count, this.soft.maxWidth]).argMax(2));
    // Read outside tidy: tidy would walk every element of a returned typed array.
    const choice = slots.dataSync() as Int32Array;
    slots.dispose();
    return choice;
  }

  get softmaxSpans(): readonly OutputSpan[] {
    return this.soft.spans;
  }

  dispose(): void {
    this.params.dispose();
    for (const t of [this.tanhMask, this.softGather, this.softScatter, this.softPadBias, this.discGather, this.discPadBias, this.condToSlots]) t?.dispose();
  }
}

/**
 * LeakyReLU written as ((1+α)·x + (1−α)·|x|) / 2. Same values, but twice differentiable in tfjs: the built-in
 * LeakyRelu's gradient goes through a Greater mask, which has no gradient, so the gradient penalty's
 * second-order backward pass would fail ("gradient function not found for Greater"); Abs's goes through Step,
 * which has one.
 */
export function leakyRelu2(x: tf.Tensor2D, alpha: number): tf.Tensor2D {
  return x.mul((1 + alpha) / 2).add<tf.Tensor2D>(x.abs().mul((1 - alpha) / 2));
}

/**
 * Gumbel(0, 1) noise: −log(E), E ~ Exp(1) = −log U. With `slots` (a row's real-slot mask, as gumbelSlots), padding
 * slots still consume their uniform, so the stream is unchanged, but get 0 instead of two logarithms: a padding
 * logit of −1e9 ± any finite noise has softmax weight and gradient exactly 0 in float32, so the result is identical.
 */
export function gumbelNoise(n: number, rng: Rng, slots?: Uint8Array): Float32Array {
  const out = new Float32Array(n);
  if (!slots || slots.length === 0) {
    for (let i = 0; i < n; i++) out[i] = -Math.log(-Math.log(rng.uniformOpen()));
    return out;
  }
  const w = slots.length;
  for (let i = 0, k = 0; i < n; i++, k = k + 1 === w ? 0 : k + 1) {
    const u = rng.uniformOpen();
    if (slots[k] === 1) out[i] = -Math.log(-Math.log(u));
  }
  return out;
}

/** Dropout(0.5) multipliers: 0 or 1 / (1 − p). */
export function dropoutMask(n: number, rng: Rng, p = 0.5): Float32Array {
  const out = new Float32Array(n);
  const keep = 1 / (1 - p);
  for (let i = 0; i < n; i++) out[i] = rng.uniform() < p ? 0 : keep;
  return out;
}
