// Conditional DCGAN (Radford et al. 2015), laid out as the PyTorch DCGAN example (bias-free convolutions,
// weights N(0, 0.02), BatchNorm γ N(1, 0.02)):
//   generator      [z (latent), one-hot class] → Dense → 4 × 4 × 8·ngf → BN → ReLU → (ConvT 4×4 s2 → BN → ReLU)*
//                  → ConvT 4×4 s2 to one channel → tanh; the channels halve per doubling (8, 4, 2, 1, 1 × ngf);
//   discriminator  [image, one-hot class as constant channels] → Conv 4×4 s2 → LeakyReLU 0.2 →
//                  (Conv 4×4 s2 → BN → LeakyReLU 0.2)* down to 4 × 4 × 8·ndf → Dense → logit.
// Per step (the PyTorch example's order): the discriminator on a real batch and on G(z) (fake held constant),
// BCE-with-logits, one Adam step; then the generator against the updated discriminator, one Adam step. Fakes use
// the real batch's labels. Adam lr 2e-4, β = (0.5, 0.999). An epoch is ⌊images / batch⌋ full batches of a
// seeded shuffle. BatchNorm uses batch statistics while training (real and fake batches separately in D) and
// the generator's running averages when sampling, so a sample does not depend on what is drawn beside it.
import { withWeights } from '../model';
import * as tf from '@tensorflow/tfjs';
import { Adam } from '../../engine/adam';
import { invalidInput } from '../../engine/errors';
import { ParamSet, type Param } from '../../engine/params';
import { Rng } from '../../engine/rng';
import type { SerializedTensor } from '../../engine/tensors';
import { channelLadder, dcganConfigSchema, type DcganConfig, type DcganConfigInput } from './config';
import { checkCount, checkImageSet, gatherImages, oneHot, sampleLabels, type ImageSet, type ImageTrainer } from './data';
import { sampleGrid, type Grid, type GridOptions, type ImageSampler } from './grid';
import { batchNormApply, batchNormTrain, down, normalInit, up, updateRunning, withClassChannels, type BatchStats } from './ops';

interface Bn {
  gamma: tf.Variable<tf.Rank.R1>;
  beta: tf.Variable<tf.Rank.R1>;
  mean: tf.Variable<tf.Rank.R1>;
  variance: tf.Variable<tf.Rank.R1>;
}

interface Layer {
  w: tf.Variable<tf.Rank.R4>;
  bn: Bn | null;
}

export class DcganModel implements ImageSampler {
  readonly params = new ParamSet('dcgan');
  readonly size: number;
  readonly classes: number;
  private readonly fc: tf.Variable<tf.Rank.R2>;
  private readonly bn0: Bn;
  private readonly ups: Layer[] = [];
  private readonly downs: Layer[] = [];
  private readonly head: { w: tf.Variable<tf.Rank.R2>; b: tf.Variable<tf.Rank.R1> };
  private readonly g: number[];

  constructor(
    readonly config: DcganConfig,
    rng: Rng,
  ) {
    this.size = config.size;
    this.classes = config.classes;
    const g = (this.g = channelLadder(config.size, config.ngf));
    const d = channelLadder(config.size, config.ndf);
    const p = this.params;
    const init = (n: number) => normalInit(rng, n, 0, 0.02);
    const bn = (name: string, c: number): Bn => ({
      gamma: p.add(`${name}/gamma`, [c], normalInit(rng, c, 1, 0.02)) as tf.Variable<tf.Rank.R1>,
      beta: p.add(`${name}/beta`, [c], new Float32Array(c)) as tf.Variable<tf.Rank.R1>,
      mean: p.add(`${name}/runningMean`, [c], new Float32Array(c), false) as tf.Variable<tf.Rank.R1>,
      variance: p.add(`${name}/runningVar`, [c], new Float32Array(c).fill(1), false) as tf.Variable<tf.Rank.R1>,
    });
    const c0 = g[0] as number;
    const zIn = config.latent + config.classes;
    this.fc = p.add('generator/fc/weight', [zIn, 16 * c0], init(zIn * 16 * c0)) as tf.Variable<tf.Rank.R2>;
    this.bn0 = bn('generator/bn0', c0);
    for (let i = 1; i <= g.length; i++) {
      const cin = g[i - 1] as number;
      const cout = i < g.length ? (g[i] as number) : 1;
      const w = p.add(`generator/up${i}/weight`, [4, 4, cout, cin], init(16 * cin * cout)) as tf.Variable<tf.Rank.R4>;
      this.ups.push({ w, bn: i < g.length ? bn(`generator/up${i}/bn`, cout) : null });
    }
    // The discriminator mirrors the ladder: d[L − 1] channels after the first layer, d[0] at 4 × 4.
    for (let j = 0; j < d.length; j++) {
      const cin = j === 0 ? 1 + config.classes : (d[d.length - j] as number);
      const cout = d[d.length - 1 - j] as number;
      const w = p.add(`discriminator/down${j}/weight`, [4, 4, cin, cout], init(16 * cin * cout)) as tf.Variable<tf.Rank.R4>;
      this.downs.push({ w, bn: j === 0 ? null : bn(`discriminator/down${j}/bn`, cout) });
    }
    const flat = 16 * (d[0] as number);
    this.head = {
      w: p.add('discriminator/fc/weight', [flat, 1], init(flat)) as tf.Variable<tf.Rank.R2>,
      b: p.add('discriminator/fc/bias', [1], new Float32Array(1)) as tf.Variable<tf.Rank.R1>,
    };
  }

  get generatorParams(): Param[] {
    return this.params.trainable().filter((q) => q.name.startsWith('generator/'));
  }

  get discriminatorParams(): Param[] {
    return this.params.trainable().filter((q) => q.name.startsWith('discriminator/'));
  }

  /**
   * Images [n, size, size, 1] in [−1, 1] from z [n, latent] and one-hot classes. With `stats`, BatchNorm uses (and
   * records) the batch's statistics; without, the running averages.
   */
  generate(z: tf.Tensor2D, cond: tf.Tensor2D | null, stats?: BatchStats[]): tf.Tensor4D {
    const n = z.shape[0];
    const norm = (x: tf.Tensor, bn: Bn): tf.Tensor => {
      if (!stats) return batchNormApply(x, bn.gamma, bn.beta, bn.mean, bn.variance);
      const out = batchNormTrain(x, bn.gamma, bn.beta);
      stats.push(out.stats);
      return out.y;
    };
    const input = cond ? tf.concat([z, cond], 1) : z;
    let h = norm(tf.matMul(input, this.fc).reshape([n, 4, 4, this.g[0] as number]), this.bn0).relu<tf.Tensor4D>();
    for (const l of this.ups) {
      const y = up(h, l.w);
      h = l.bn ? norm(y, l.bn).relu<tf.Tensor4D>() : y.tanh();
    }
    return h;
  }

  /**
   * Logits [n, 1]; BatchNorm on this batch's statistics. `role` says which gradients will be asked for: the
   * discriminator's weights ('train': the image is data), or only the image's (the generator's step).
   */
  discriminate(x: tf.Tensor4D, cond: tf.Tensor2D | null, role: 'train' | 'generator' = 'train'): tf.Tensor2D {
    let h = withClassChannels(x, cond);
    for (const [j, l] of this.downs.entries()) {
      const y = down(h, l.w, role === 'generator' ? 'input' : j === 0 ? 'filter' : 'both');
      h = tf.leakyRelu(l.bn ? batchNormTrain(y, l.bn.gamma, l.bn.beta).y : y, 0.2) as tf.Tensor4D;
    }
    return tf.matMul(h.reshape([x.shape[0], -1]), this.head.w).add(this.head.b);
  }

  /** BCE(D(real), 1) + BCE(D(fake), 0), each a batch mean; softplus(∓logit) is BCE-with-logits. */
  discriminatorLoss(real: tf.Tensor4D, fake: tf.Tensor4D, cond: tf.Tensor2D | null): tf.Scalar {
    return tf.softplus(this.discriminate(real, cond).neg()).mean().add(tf.softplus(this.discriminate(fake, cond)).mean());
  }

  /** BCE(D(G(z)), 1). */
  generatorLoss(z: tf.Tensor2D, cond: tf.Tensor2D | null, stats?: BatchStats[]): tf.Scalar {
    return tf.softplus(this.discriminate(this.generate(z, cond, stats ?? []), cond, 'generator').neg()).mean();
  }

  /** Fold a generator pass's batch statistics into the running averages (in layer order). */
  updateRunningStats(stats: readonly BatchStats[]): void {
    const bns = [this.bn0, ...this.ups.flatMap((l) => (l.bn ? [l.bn] : []))];
    bns.forEach((bn, i) => updateRunning(bn.mean, bn.variance, stats[i] as BatchStats, this.config.bnMomentum));
  }

  sample(n: number, rng: Rng, labels?: ArrayLike<number> | null, chunk = 64): Float32Array {
    checkCount(n);
    const ys = sampleLabels(n, this.classes, labels);
    const per = this.size * this.size;
    const out = new Float32Array(n * per);
    for (let at = 0; at < n; at += chunk) {
      const m = Math.min(chunk, n - at);
      const z = rng.normal(m * this.config.latent);
      const values = tf.tidy(() => {
        const cond = ys ? tf.tensor2d(oneHot(ys.subarray(at, at + m), this.classes), [m, this.classes]) : null;
        return this.generate(tf.tensor2d(z, [m, this.config.latent]), cond).dataSync();
      });
      out.set(values, at * per);
    }
    return out;
  }

  dispose(): void {
    this.params.dispose();
  }
}

export class DcganTrainer implements ImageTrainer {
  readonly lossNames = ['generator', 'discriminator'] as const;
  readonly model: DcganModel;
  private readonly labels: Int32Array | null;
  private readonly batch: number;
  private readonly adamG: Adam;
  private readonly adamD: Adam;
  private order: Int32Array = new Int32Array(0);

  constructor(
    readonly config: DcganConfig,
    private readonly data: ImageSet,
    batchSize: number,
    rng: Rng,
  ) {
    this.labels = checkImageSet(data, config.size, config.classes);
    if (!Number.isInteger(batchSize) || batchSize < 2) throw invalidInput('A DCGAN needs a batch of at least 2 images (BatchNorm).');
    this.batch = Math.min(batchSize, data.count);
    if (this.batch < 2) throw invalidInput('A DCGAN needs at least 2 training images.');
    this.model = new DcganModel(config, rng);
    const betas = { beta1: config.beta1, beta2: config.beta2 };
    this.adamG = new Adam('generator', this.model.generatorParams, { learningRate: config.generatorLr, ...betas });
    this.adamD = new Adam('discriminator', this.model.discriminatorParams, { learningRate: config.discriminatorLr, ...betas });
  }

  get size(): number {
    return this.config.size;
  }

  get classes(): number {
    return this.config.classes;
  }

  lossLabel(name: string): string {
    return name === 'generator' ? "The generator's loss" : "The discriminator's loss";
  }

  stepsPerEpoch(): number {
    return Math.floor(this.data.count / this.batch);
  }

  beginEpoch(rng: Rng): void {
    this.order = rng.permutation(this.data.count);
  }

  trainStep(step: number, rng: Rng): Record<string, number> {
    const n = this.batch;
    const { x, y } = gatherImages(this.data, this.labels, this.order, step * n, step * n + n);
    const zs = rng.normal(n * this.config.latent);
    const s = this.config.size;
    const [lossD, lossG] = tf.tidy(() => {
      const real = tf.tensor4d(x, [n, s, s, 1]);
      const z = tf.tensor2d(zs, [n, this.config.latent]);
      const cond = y ? tf.tensor2d(oneHot(y, this.classes), [n, this.classes]) : null;
      const stats: BatchStats[] = [];
      const fake = this.model.generate(z, cond, stats); // outside the tape: a constant for D's step
      const d = tf.variableGrads(() => this.model.discriminatorLoss(real, fake, cond), this.adamD.variables);
      this.adamD.step(d.grads);
      const g = tf.variableGrads(() => this.model.generatorLoss(z, cond), this.adamG.variables);
      this.adamG.step(g.grads);
      this.model.updateRunningStats(stats);
      return [d.value.dataSync()[0] as number, g.value.dataSync()[0] as number];
    });
    return { generator: lossG, discriminator: lossD };
  }

  sample(n: number, rng: Rng, labels?: ArrayLike<number> | null): Float32Array {
    return this.model.sample(n, rng, labels);
  }

  sampleGrid(n: number, rng: Rng, options?: GridOptions & { labels?: ArrayLike<number> | null }): Grid<Uint8Array> {
    return sampleGrid(this.model, n, rng, options);
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

/** A trained DCGAN rebuilt from a run's weights, to sample from. */
export function loadDcgan(config: DcganConfigInput, weights: readonly SerializedTensor[]): DcganModel {
  return withWeights(new DcganModel(dcganConfigSchema.parse(config), Rng.fromSeed(0)), (m) => m.params.import(weights));
}
