// Convolutional VAE (Kingma & Welling 2014), optionally class-conditional (Sohn et al. 2015):
//   encoder  [image, one-hot class as constant channels] → (Conv 4×4 s2 + bias → LeakyReLU 0.2)* down to
//            4 × 4 × 8·ndf → flatten → Dense μ, Dense log σ² (latent);
//   decoder  [z, one-hot class] → Dense → 4 × 4 × 8·ngf → ReLU → (ConvT 4×4 s2 + bias → ReLU)* → ConvT 4×4 s2 to
//            one channel: logits; the image is sigmoid(logits)·2 − 1 ('bce') or tanh(logits) ('mse').
// Loss per batch of N: reconstruction (BCE-with-logits against (x + 1)/2, or squared error against x, summed over
// pixels) / N + klWeight · KL(q(z|x) ‖ N(0, I)) / N. Adam (lr 1e-3). PyTorch's default initialisation
// (U(±1/√fan_in), ConvTranspose's fan_in from its output channels as torch computes it). One pass over a fresh
// seeded shuffle per epoch, the last batch possibly short. No BatchNorm, so a sample depends only on its own z.
import { withWeights } from '../model';
import * as tf from '@tensorflow/tfjs';
import { Adam } from '../../engine/adam';
import { invalidInput } from '../../engine/errors';
import { ParamSet } from '../../engine/params';
import { Rng } from '../../engine/rng';
import type { SerializedTensor } from '../../engine/tensors';
import { channelLadder, cvaeConfigSchema, type CvaeConfig, type CvaeConfigInput } from './config';
import { checkCount, checkImageSet, gatherImages, oneHot, sampleLabels, type ImageSet, type ImageTrainer } from './data';
import { sampleGrid, type Grid, type GridOptions, type ImageSampler } from './grid';
import { down, torchUniform, up, withClassChannels } from './ops';

interface Conv {
  w: tf.Variable<tf.Rank.R4>;
  b: tf.Variable<tf.Rank.R1>;
}

interface Dense {
  w: tf.Variable<tf.Rank.R2>;
  b: tf.Variable<tf.Rank.R1>;
}

export class CvaeModel implements ImageSampler {
  readonly params = new ParamSet('cvae');
  readonly size: number;
  readonly classes: number;
  private readonly downs: Conv[] = [];
  private readonly mu: Dense;
  private readonly logvar: Dense;
  private readonly fc: Dense;
  private readonly ups: Conv[] = [];
  private readonly g: number[];

  constructor(
    readonly config: CvaeConfig,
    rng: Rng,
  ) {
    this.size = config.size;
    this.classes = config.classes;
    const d = channelLadder(config.size, config.ndf);
    const g = (this.g = channelLadder(config.size, config.ngf));
    const p = this.params;
    const conv = (name: string, shape: [number, number, number, number], fanIn: number, outC: number): Conv => ({
      w: p.add(`${name}/weight`, shape, torchUniform(rng, 16 * shape[2] * shape[3], fanIn)) as tf.Variable<tf.Rank.R4>,
      b: p.add(`${name}/bias`, [outC], torchUniform(rng, outC, fanIn)) as tf.Variable<tf.Rank.R1>,
    });
    const dense = (name: string, inDim: number, outDim: number): Dense => ({
      w: p.add(`${name}/weight`, [inDim, outDim], torchUniform(rng, inDim * outDim, inDim)) as tf.Variable<tf.Rank.R2>,
      b: p.add(`${name}/bias`, [outDim], torchUniform(rng, outDim, inDim)) as tf.Variable<tf.Rank.R1>,
    });
    for (let j = 0; j < d.length; j++) {
      const cin = j === 0 ? 1 + config.classes : (d[d.length - j] as number);
      const cout = d[d.length - 1 - j] as number;
      this.downs.push(conv(`encoder/down${j}`, [4, 4, cin, cout], 16 * cin, cout));
    }
    const flat = 16 * (d[0] as number);
    this.mu = dense('encoder/mu', flat, config.latent);
    this.logvar = dense('encoder/logvar', flat, config.latent);
    this.fc = dense('decoder/fc', config.latent + config.classes, 16 * (g[0] as number));
    for (let i = 1; i <= g.length; i++) {
      const cin = g[i - 1] as number;
      const cout = i < g.length ? (g[i] as number) : 1;
      this.ups.push(conv(`decoder/up${i}`, [4, 4, cout, cin], 16 * cout, cout));
    }
  }

  encode(x: tf.Tensor4D, cond: tf.Tensor2D | null): { mu: tf.Tensor2D; logvar: tf.Tensor2D } {
    let h = withClassChannels(x, cond);
    for (const [j, l] of this.downs.entries()) h = tf.leakyRelu(down(h, l.w, j === 0 ? 'filter' : 'both').add(l.b), 0.2);
    const flat = h.reshape<tf.Tensor2D>([x.shape[0], -1]);
    const head = (l: Dense) => tf.matMul(flat, l.w).add<tf.Tensor2D>(l.b);
    return { mu: head(this.mu), logvar: head(this.logvar) };
  }

  /** Decoder logits [n, size, size, 1]. */
  decodeLogits(z: tf.Tensor2D, cond: tf.Tensor2D | null): tf.Tensor4D {
    const n = z.shape[0];
    const input = cond ? tf.concat([z, cond], 1) : z;
    let h = tf.matMul(input, this.fc.w).add(this.fc.b).reshape<tf.Tensor4D>([n, 4, 4, this.g[0] as number]).relu<tf.Tensor4D>();
    this.ups.forEach((l, i) => {
      const y = up(h, l.w).add<tf.Tensor4D>(l.b);
      h = i < this.ups.length - 1 ? y.relu<tf.Tensor4D>() : y;
    });
    return h;
  }

  /** Logits to images in [−1, 1]. */
  toImage(logits: tf.Tensor4D): tf.Tensor4D {
    return this.config.reconstruction === 'bce' ? logits.sigmoid().mul<tf.Tensor4D>(2).sub<tf.Tensor4D>(1) : logits.tanh();
  }

  /** The per-batch losses as scalars; eps [n, latent] is the reparameterisation noise. */
  losses(x: tf.Tensor4D, eps: tf.Tensor2D, cond: tf.Tensor2D | null): { total: tf.Scalar; reconstruction: tf.Scalar; kl: tf.Scalar } {
    const n = x.shape[0];
    const { mu, logvar } = this.encode(x, cond);
    const z = eps.mul(logvar.mul(0.5).exp()).add<tf.Tensor2D>(mu);
    const logits = this.decodeLogits(z, cond);
    const sum =
      this.config.reconstruction === 'bce'
        ? tf.softplus(logits).sub(logits.mul(x.add(1).mul(0.5))).sum() // BCE-with-logits, target (x + 1)/2
        : x.sub(logits.tanh()).square().sum();
    const reconstruction = sum.div<tf.Scalar>(n);
    const kl = tf.scalar(1).add(logvar).sub(mu.square()).sub(logvar.exp()).sum().mul<tf.Scalar>(-0.5 / n);
    return { total: reconstruction.add(kl.mul(this.config.klWeight)), reconstruction, kl };
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
        return this.toImage(this.decodeLogits(tf.tensor2d(z, [m, this.config.latent]), cond)).dataSync();
      });
      out.set(values, at * per);
    }
    return out;
  }

  dispose(): void {
    this.params.dispose();
  }
}

export class CvaeTrainer implements ImageTrainer {
  readonly lossNames = ['loss', 'reconstruction', 'kl'] as const;
  readonly model: CvaeModel;
  private readonly labels: Int32Array | null;
  private readonly adam: Adam;
  private order: Int32Array = new Int32Array(0);

  constructor(
    readonly config: CvaeConfig,
    private readonly data: ImageSet,
    private readonly batchSize: number,
    rng: Rng,
  ) {
    this.labels = checkImageSet(data, config.size, config.classes);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw invalidInput('The batch size must be a positive whole number.');
    this.model = new CvaeModel(config, rng);
    this.adam = new Adam('adam', this.model.params.trainable(), { learningRate: config.learningRate });
  }

  get size(): number {
    return this.config.size;
  }

  get classes(): number {
    return this.config.classes;
  }

  lossLabel(name: string): string {
    return name === 'loss' ? "The model's loss" : name === 'kl' ? 'The KL divergence' : 'The reconstruction loss';
  }

  stepsPerEpoch(): number {
    return Math.ceil(this.data.count / this.batchSize);
  }

  beginEpoch(rng: Rng): void {
    this.order = rng.permutation(this.data.count);
  }

  trainStep(step: number, rng: Rng): Record<string, number> {
    const from = step * this.batchSize;
    const to = Math.min(this.data.count, from + this.batchSize);
    const n = to - from;
    const { x, y } = gatherImages(this.data, this.labels, this.order, from, to);
    const eps = rng.normal(n * this.config.latent);
    const s = this.config.size;
    const values = tf.tidy(() => {
      const xt = tf.tensor4d(x, [n, s, s, 1]);
      const e = tf.tensor2d(eps, [n, this.config.latent]);
      const cond = y ? tf.tensor2d(oneHot(y, this.classes), [n, this.classes]) : null;
      let parts: tf.Tensor | undefined;
      const { grads } = tf.variableGrads(() => {
        const l = this.model.losses(xt, e, cond);
        parts = tf.keep(tf.stack([l.total, l.reconstruction, l.kl]));
        return l.total;
      }, this.adam.variables);
      this.adam.step(grads);
      const kept = parts as tf.Tensor;
      const out = kept.dataSync();
      kept.dispose();
      return out;
    });
    return { loss: values[0] as number, reconstruction: values[1] as number, kl: values[2] as number };
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
    return this.adam.export();
  }

  importWeights(list: readonly SerializedTensor[]): void {
    this.model.params.import(list);
  }

  importOptimizer(list: readonly SerializedTensor[]): void {
    this.adam.import(list);
  }

  dispose(): void {
    this.adam.dispose();
    this.model.dispose();
  }
}

/** A trained CVAE rebuilt from a run's weights, to sample from. */
export function loadCvae(config: CvaeConfigInput, weights: readonly SerializedTensor[]): CvaeModel {
  return withWeights(new CvaeModel(cvaeConfigSchema.parse(config), Rng.fromSeed(0)), (m) => m.params.import(weights));
}
