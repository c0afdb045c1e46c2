// CTGAN (Xu et al., NeurIPS 2019), following the SDV `ctgan` package:
//   - generator: Residual blocks (Linear → BatchNorm1d → ReLU, output concatenated with the block's input) over
//     [z ~ N(0, I) (128), conditional vector], then Linear(width); tanh on tanh spans, Gumbel-softmax (τ = 0.2)
//     on softmax spans;
//   - critic (PacGAN, pac = 10): pac consecutive rows of [row, conditional vector] concatenated, then
//     (Linear 256, LeakyReLU 0.2, Dropout 0.5) × 2, Linear(1); WGAN-GP with λ = 10 on interpolates whose mixing
//     weight is shared within a pac group;
//   - conditional vector and training-by-sampling: pick a categorical column uniformly, a category by its
//     log-frequency, one-hot it; real rows are drawn from rows having that category (the conditional vectors
//     shuffled across the batch, as SDV does); the generator adds the cross-entropy between its logits for the
//     chosen column and the chosen category;
//   - Adam lr 2e-4, β = (0.5, 0.9), L2 weight decay 1e-6 for both; discriminatorSteps critic steps per generator
//     step; steps per epoch = max(⌊rows / batch⌋, 1); batches drawn with replacement.
// "Categorical column" = a span of kind 'category'. BatchNorm always uses batch statistics (SDV never switches
// the generator to eval mode, sampling included), so no running statistics are kept.
//
// Sampling: conditional vectors as SDV's sample_original_condvec, but with categories by their real frequency
// (SDV reuses the log-frequencies, which over-generates every rare category — a rare missingness pattern or
// category then comes out several times as often as in the real data); batches of the training batch size; tanh spans get tanh(x̂); softmax spans the one-hot arg-max of the Gumbel-softmax output,
// i.e. a draw from softmax(x̂) by the Gumbel-max trick.
import * as tf from '@tensorflow/tfjs';
import { Adam } from '../engine/adam';
import { invalidInput } from '../engine/errors';
import { ParamSet } from '../engine/params';
import { Rng } from '../engine/rng';
import type { SerializedTensor } from '../engine/tensors';
import { ctganConfigSchema, type CtganConfig, type CtganConfigInput } from './config';
import { gatherRows, withWeights, type EncodedTable, type ModelTrainer } from './model';
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

/** Categorical columns and their log-frequency category distributions; rows by category for real sampling. */
export class ConditionSampler {
  readonly spans: OutputSpan[];
  /** Total categories = width of the conditional vector. */
  readonly width: number;
  /** Offset of each categorical span in the conditional vector. */
  readonly offsets: number[];
  private readonly cumulative: Float64Array[];
  private readonly rowsByCategory: Int32Array[][];
  private readonly overall: Float64Array;
  /** Index in `spans` of the transformer's missingness-pattern span (a category span on a continuous column), or −1. */
  private readonly patternSpan: number;

  /** The missingness-pattern span and its offset in the conditional vector, or null when the table has none. */
  get pattern(): { span: OutputSpan; offset: number } | null {
    const k = this.patternSpan;
    return k < 0 ? null : { span: this.spans[k] as OutputSpan, offset: this.offsets[k] as number };
  }

  constructor(table: EncodedTable, logFrequency: boolean) {
    this.spans = table.spans.filter((s) => s.kind === 'category');
    this.offsets = [];
    let at = 0;
    this.cumulative = [];
    this.rowsByCategory = [];
    const overall: number[] = [];
    for (const s of this.spans) {
      this.offsets.push(at);
      at += s.width;
      const counts = new Float64Array(s.width);
      const lists: number[][] = Array.from({ length: s.width }, () => []);
      for (let r = 0; r < table.rows; r++) {
        const o = r * table.width + s.start;
        for (let j = 0; j < s.width; j++) {
          if ((table.values[o + j] as number) !== 0) {
            counts[j] = (counts[j] as number) + (table.values[o + j] as number);
            (lists[j] as number[]).push(r);
          }
        }
      }
      const freq = counts.map((c) => (logFrequency ? Math.log(c + 1) : c));
      const total = freq.reduce((a, b) => a + b, 0);
      if (!(total > 0)) throw invalidInput(`Categorical column ${s.column} has no values in the encoded data.`);
      const cum = new Float64Array(s.width);
      let acc = 0;
      freq.forEach((f, j) => {
        acc += f / total;
        cum[j] = acc;
      });
      const rowsSeen = counts.reduce((a, b) => a + b, 0);
      counts.forEach((c) => overall.push(c / rowsSeen));
      this.cumulative.push(cum);
      this.rowsByCategory.push(lists.map((l) => Int32Array.from(l)));
    }
    this.width = at;
    const sum = overall.reduce((a, b) => a + b, 0);
    let acc = 0;
    this.overall = Float64Array.from(overall, (p) => (acc += p / sum));
    const continuous = new Set(table.spans.filter((s) => s.kind === 'alpha').map((s) => s.column));
    this.patternSpan = this.spans.findIndex((s) => continuous.has(s.column));
  }

  get active(): boolean {
    return this.spans.length > 0;
  }

  private pickCategory(column: number, rng: Rng): number {
    const cum = this.cumulative[column] as Float64Array;
    const u = rng.uniform();
    for (let j = 0; j < cum.length; j++) if ((cum[j] as number) > u) return j;
    return cum.length - 1;
  }

  /** SDV's sample_condvec: cond [n, width], mask [n, columns], and the (column, category) of each row. */
  sampleTraining(n: number, rng: Rng): { cond: Float32Array; mask: Float32Array; column: Int32Array; category: Int32Array } {
    const k = this.spans.length;
    const cond = new Float32Array(n * this.width);
    const mask = new Float32Array(n * k);
    const column = new Int32Array(n);
    const category = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = rng.int(k);
      const j = this.pickCategory(c, rng);
      column[i] = c;
      category[i] = j;
      mask[i * k + c] = 1;
      cond[i * this.width + (this.offsets[c] as number) + j] = 1;
    }
    return { cond, mask, column, category };
  }

  /** A random row having category `category` in categorical column `column`. */
  sampleRow(column: number, category: number, rng: Rng): number {
    const rows = (this.rowsByCategory[column] as Int32Array[])[category] as Int32Array;
    return rows[rng.int(rows.length)] as number;
  }

  /**
   * SDV's sample_original_condvec: one category over all columns, by real frequency. With a missingness-pattern span
   * every row is conditioned on a pattern drawn by its real frequency instead, so each column's missing share and
   * the columns missing together follow the real data however long the generator trained (it learnt p(row | pattern)
   * from the batches conditioned on it).
   */
  sampleForGeneration(n: number, rng: Rng): Float32Array {
    const cond = new Float32Array(n * this.width);
    const pattern = this.patternSpan;
    for (let i = 0; i < n; i++) {
      if (pattern >= 0) {
        cond[i * this.width + (this.offsets[pattern] as number) + this.realCategory(pattern, rng)] = 1;
        continue;
      }
      const u = rng.uniform();
      let j = 0;
      while (j < this.overall.length - 1 && (this.overall[j] as number) <= u) j++;
      cond[i * this.width + j] = 1;
    }
    return cond;
  }

  // A category of span k by its real frequency (the slice of `overall` that belongs to span k).
  private realCategory(k: number, rng: Rng): number {
    const at = this.offsets[k] as number;
    const width = (this.spans[k] as OutputSpan).width;
    const before = at > 0 ? (this.overall[at - 1] as number) : 0;
    const u = before + rng.uniform() * ((this.overall[at + width - 1] as number) - before);
    let j = 0;
    while (j < width - 1 && (this.overall[at + j] as number) <= u) j++;
    return j;
  }
}

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

  /** One-hot arg-max per softmax span of an activated batch, for sampling. */
  softmaxChoice(activated: tf.Tensor2D): Int32Array {
    if (!this.softGather) return new Int32Array(0);
    const n = activated.shape[0];
    return tf.tidy(() => activated.matMul(this.softGather as tf.Tensor2D).add(this.softPadBias as tf.Tensor1D).reshape([n, this.soft.count, this.soft.maxWidth]).argMax(2).dataSync() as Int32Array);
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

/** Gumbel(0, 1) noise: −log(E), E ~ Exp(1) = −log U. */
function gumbelNoise(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = -Math.log(-Math.log(rng.uniformOpen()));
  return out;
}

/** Dropout(0.5) multipliers: 0 or 1 / (1 − p). */
function dropoutMask(n: number, rng: Rng, p = 0.5): Float32Array {
  const out = new Float32Array(n);
  const keep = 1 / (1 - p);
  for (let i = 0; i < n; i++) out[i] = rng.uniform() < p ? 0 : keep;
  return out;
}

export class CtganTrainer implements ModelTrainer {
  readonly lossNames = ['generator', 'critic', 'penalty'] as const;
  readonly model: CtganModel;
  readonly sampler: ConditionSampler;
  private readonly adamG: Adam;
  private readonly adamD: Adam;

  constructor(
    readonly config: CtganConfig,
    private readonly table: EncodedTable,
    private readonly batchSize: number,
    rng: Rng,
  ) {
    if (table.values.length !== table.rows * table.width) throw invalidInput(`The encoded data holds ${table.values.length} values, not ${table.rows} × ${table.width}.`);
    if (table.rows < 1) throw invalidInput('The encoded data has no rows.');
    if (batchSize % config.pac !== 0) throw invalidInput(`CTGAN's batch size (${batchSize}) must be a multiple of pac (${config.pac}).`);
    validateSpans(table.spans, table.width);
    this.sampler = new ConditionSampler(table, config.logFrequency);
    this.model = new CtganModel(config, table.width, table.spans, this.sampler.width, rng);
    this.adamG = new Adam('generator', this.model.generatorParams, { learningRate: config.generatorLr, beta1: 0.5, beta2: 0.9, weightDecay: config.generatorDecay });
    this.adamD = new Adam('critic', this.model.criticParams, { learningRate: config.discriminatorLr, beta1: 0.5, beta2: 0.9, weightDecay: config.discriminatorDecay });
  }

  lossLabel(name: string): string {
    return name === 'generator' ? "The generator's loss" : name === 'critic' ? "The critic's loss" : 'The gradient penalty';
  }

  stepsPerEpoch(): number {
    return Math.max(Math.floor(this.table.rows / this.batchSize), 1);
  }

  beginEpoch(): void {
    // Batches are drawn with replacement; nothing to shuffle.
  }

  private masks(rng: Rng): tf.Tensor2D[] {
    const groups = this.batchSize / this.config.pac;
    return this.config.discriminatorDims.map((d) => tf.tensor2d(dropoutMask(groups * d, rng), [groups, d]));
  }

  private noise(rng: Rng): tf.Tensor2D {
    return tf.tensor2d(rng.normal(this.batchSize * this.config.embeddingDim), [this.batchSize, this.config.embeddingDim]);
  }

  private gumbel(rng: Rng): tf.Tensor2D | null {
    const w = this.model.gumbelWidth;
    return w > 0 ? tf.tensor2d(gumbelNoise(this.batchSize * w, rng), [this.batchSize, w]) : null;
  }

  private criticStep(rng: Rng): { critic: number; penalty: number } {
    const n = this.batchSize;
    const cw = this.sampler.width;
    return tf.tidy(() => {
      const z = this.noise(rng);
      let fakeIn = z;
      let realRows: Float32Array;
      let c1: tf.Tensor2D | null = null;
      let c2: tf.Tensor2D | null = null;
      if (this.sampler.active) {
        const cv = this.sampler.sampleTraining(n, rng);
        c1 = tf.tensor2d(cv.cond, [n, cw]);
        fakeIn = tf.concat([z, c1], 1);
        const perm = rng.permutation(n);
        const rows = new Int32Array(n);
        const cond2 = new Float32Array(n * cw);
        for (let i = 0; i < n; i++) {
          const p = perm[i] as number;
          rows[i] = this.sampler.sampleRow(cv.column[p] as number, cv.category[p] as number, rng);
          cond2.set(cv.cond.subarray(p * cw, p * cw + cw), i * cw);
        }
        realRows = gatherRows(this.table, rows);
        c2 = tf.tensor2d(cond2, [n, cw]);
      } else {
        const rows = new Int32Array(n);
        for (let i = 0; i < n; i++) rows[i] = rng.int(this.table.rows);
        realRows = gatherRows(this.table, rows);
      }
      const fakeAct = this.model.activate(this.model.generate(fakeIn), this.gumbel(rng));
      const real = tf.tensor2d(realRows, [n, this.table.width]);
      const fakeCat = c1 ? tf.concat([fakeAct, c1], 1) : fakeAct;
      const realCat = c2 ? tf.concat([real, c2], 1) : real;
      const groups = n / this.config.pac;
      const alphaGroups = rng.fillUniform(new Float32Array(groups));
      const alpha = new Float32Array(n);
      for (let i = 0; i < n; i++) alpha[i] = alphaGroups[Math.floor(i / this.config.pac)] as number;
      const alphaT = tf.tensor2d(alpha, [n, 1]);
      const interp = alphaT.mul(realCat).add<tf.Tensor2D>(tf.scalar(1).sub(alphaT).mul(fakeCat));
      const [mFake, mReal, mInterp] = [this.masks(rng), this.masks(rng), this.masks(rng)];
      let parts: tf.Tensor | null = null;
      const { grads } = tf.variableGrads(() => {
        const yFake = this.model.score(fakeCat, mFake);
        const yReal = this.model.score(realCat, mReal);
        const penalty = this.model.gradientPenalty(interp, mInterp);
        const lossD = yReal.mean().sub(yFake.mean()).neg() as tf.Scalar;
        parts = tf.keep(tf.stack([lossD, penalty]));
        return penalty.add(lossD);
      }, this.adamD.variables);
      this.adamD.step(grads);
      const kept = parts as unknown as tf.Tensor;
      const v = kept.dataSync();
      kept.dispose();
      return { critic: v[0] as number, penalty: v[1] as number };
    });
  }

  private generatorStep(rng: Rng): number {
    const n = this.batchSize;
    const cw = this.sampler.width;
    return tf.tidy(() => {
      const z = this.noise(rng);
      let fakeIn = z;
      let c1: tf.Tensor2D | null = null;
      let m1: tf.Tensor2D | null = null;
      if (this.sampler.active) {
        const cv = this.sampler.sampleTraining(n, rng);
        c1 = tf.tensor2d(cv.cond, [n, cw]);
        m1 = tf.tensor2d(cv.mask, [n, this.sampler.spans.length]);
        fakeIn = tf.concat([z, c1], 1);
      }
      const gumbel = this.gumbel(rng);
      const masks = this.masks(rng);
      let lossValue: tf.Tensor | null = null;
      const { grads } = tf.variableGrads(() => {
        const raw = this.model.generate(fakeIn);
        const act = this.model.activate(raw, gumbel);
        const yFake = this.model.score(c1 ? tf.concat([act, c1], 1) : act, masks);
        let loss = yFake.mean().neg() as tf.Scalar;
        if (c1 && m1) loss = loss.add(this.model.conditionLoss(raw, c1, m1));
        lossValue = tf.keep(loss);
        return loss;
      }, this.adamG.variables);
      this.adamG.step(grads);
      const kept = lossValue as unknown as tf.Tensor;
      const v = kept.dataSync()[0] as number;
      kept.dispose();
      return v;
    });
  }

  trainStep(_step: number, rng: Rng): Record<string, number> {
    let d = { critic: 0, penalty: 0 };
    for (let i = 0; i < this.config.discriminatorSteps; i++) d = this.criticStep(rng);
    const generator = this.generatorStep(rng);
    return { generator, critic: d.critic, penalty: d.penalty };
  }

  /** `rows` synthetic encoded rows (rows × width). */
  sample(rows: number, rng: Rng): Float32Array {
    return sampleCtgan(this.model, this.sampler, this.batchSize, rows, rng);
  }

  exportWeights(): SerializedTensor[] {
    return this.model.params.export();
  }

  exportOptimizer(): SerializedTensor[] {
    return [...this.adamG.export(), ...this.adamD.export()];
  }

  importWeights(list: readonly SerializedTensor[]): void {
    this.model.params.import(list);
  }

  importOptimizer(list: readonly SerializedTensor[]): void {
    this.adamG.import(list);
    this.adamD.import(list);
  }

  dispose(): void {
    this.adamG.dispose();
    this.adamD.dispose();
    this.model.dispose();
  }
}

function sampleCtgan(model: CtganModel, sampler: ConditionSampler, batchSize: number, rows: number, rng: Rng): Float32Array {
  const width = model.width;
  const out = new Float32Array(rows * width);
  const tanhCols: number[] = [];
  for (const s of model.spans) if (s.activation === 'tanh') for (let j = 0; j < s.width; j++) tanhCols.push(s.start + j);
  const soft = model.softmaxSpans;
  // Every row is conditioned on a pattern (sampleForGeneration); the row takes that pattern, so missingness does
  // not depend on how well a briefly trained generator obeys its condition.
  const pattern = sampler.pattern;
  const patternSlot = pattern ? soft.findIndex((s) => s.start === pattern.span.start) : -1;
  for (let at = 0; at < rows; at += batchSize) {
    const n = batchSize; // whole batches: BatchNorm uses batch statistics, as in training
    const take = Math.min(n, rows - at);
    const z = rng.normal(n * model.config.embeddingDim);
    const cond = sampler.active ? sampler.sampleForGeneration(n, rng) : null;
    const gumbel = model.gumbelWidth > 0 ? gumbelNoise(n * model.gumbelWidth, rng) : null;
    const { values, choice } = tf.tidy(() => {
      let input = tf.tensor2d(z, [n, model.config.embeddingDim]);
      if (cond) input = tf.concat([input, tf.tensor2d(cond, [n, sampler.width])], 1);
      const act = model.activate(model.generate(input), gumbel ? tf.tensor2d(gumbel, [n, model.gumbelWidth]) : null);
      return { values: act.dataSync() as Float32Array, choice: model.softmaxChoice(act) };
    });
    for (let r = 0; r < take; r++) {
      const o = (at + r) * width;
      for (const c of tanhCols) out[o + c] = values[r * width + c] as number;
      soft.forEach((s, k) => {
        let j = choice[r * soft.length + k] as number;
        if (k === patternSlot && cond && pattern) j = cond.subarray(r * sampler.width + pattern.offset, r * sampler.width + pattern.offset + s.width).indexOf(1);
        out[o + s.start + j] = 1;
      });
    }
  }
  return out;
}

/** A trained CTGAN rebuilt from a run's weights, to sample from. `table` supplies the category frequencies. */
export function loadCtgan(config: CtganConfigInput, table: EncodedTable, batchSize: number, weights: readonly SerializedTensor[]): CtganTrainer {
  return withWeights(new CtganTrainer(ctganConfigSchema.parse(config), table, batchSize, Rng.fromSeed(0)), (m) => m.importWeights(weights));
}

export { ctganConfigSchema, type CtganConfig, type CtganConfigInput };
