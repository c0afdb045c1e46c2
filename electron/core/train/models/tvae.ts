// TVAE (Xu et al., "Modeling Tabular Data using Conditional GAN", NeurIPS 2019), following the SDV `ctgan`
// package's TVAE: encoder 2 × (Linear 128, ReLU) → μ, log σ² of a 128-d latent; decoder 2 × (Linear 128, ReLU) →
// Linear(width) plus a learned σ per tanh column (clamped to [0.01, 1] after every step). Loss per batch of N:
//   reconstruction = loss_factor · ( Σ_tanh [ (x − tanh(x̂))² / 2σ² + log σ ] + Σ_softmax CE(x̂_span, x_span) ) / N
//   kl             = −½ Σ (1 + log σ² − μ² − exp(log σ²)) / N
// trained with Adam (lr 1e-3, L2 weight decay 1e-5, torch semantics), one pass over a fresh seeded shuffle per
// epoch, the last batch possibly short (torch's DataLoader with drop_last=False).
//
// Sampling: z ~ N(0, I) from the engine's Rng → decoder → tanh on tanh spans, and on softmax spans a one-hot
// drawn from the decoder's softmax. SDV takes the arg-max there instead, but the softmax is the categorical
// likelihood the loss trained, and the arg-max of an unsure one turns a 17 % missing share into 0 % and 82 % into
// ~100 % (every minority category and mode likewise). By default the tanh values get the decoder's learned noise
// N(0, σ²) added and are clipped to [−1, 1], which is what SDV's inverse transform does with the σ TVAE hands it.
import * as tf from '@tensorflow/tfjs';
import { Adam } from '../engine/adam';
import { invalidInput } from '../engine/errors';
import { ParamSet } from '../engine/params';
import { Rng } from '../engine/rng';
import type { SerializedTensor } from '../engine/tensors';
import { tvaeConfigSchema, type TvaeConfig, type TvaeConfigInput } from './config';
import { gatherRows, withWeights, type EncodedTable, type ModelTrainer } from './model';
import { spanCrossEntropy } from './span-loss';
import { softmaxLayout, tanhSelection, validateSpans, type OutputSpan, type SoftmaxLayout } from './spans';


interface Dense {
  w: tf.Variable;
  b: tf.Variable;
}

function dense(x: tf.Tensor2D, l: Dense, activation?: 'relu'): tf.Tensor2D {
  return tf.fused.matMul({ a: x, b: l.w, bias: l.b, activation: activation ?? 'linear' }) as tf.Tensor2D;
}

export interface TvaeSampleOptions {
  /** Add N(0, σ²) to tanh outputs and clip to [−1, 1], as SDV's inverse transform does (default true). */
  sigmaNoise?: boolean;
  /** Rows generated per decoder call (memory bound; does not change the result's distribution). */
  chunk?: number;
  /** @deprecated Ignored: every softmax span is now drawn from the decoder's softmax (the arg-max lost minority values). */
  drawCategories?: boolean;
}

/** The TVAE networks: parameters, forward passes and sampling. Training state lives in TvaeTrainer. */
export class TvaeModel {
  readonly params: ParamSet;
  private readonly encoder: Dense[] = [];
  private readonly muLayer: Dense;
  private readonly logvarLayer: Dense;
  private readonly decoder: Dense[] = [];
  private readonly outLayer: Dense;
  readonly sigma: tf.Variable;
  private readonly tanhCount: number;
  private readonly tanhSelect: tf.Tensor2D | null;
  private readonly soft: SoftmaxLayout;
  private readonly softGather: tf.Tensor2D | null;
  private readonly softPadBias: tf.Tensor1D | null;

  constructor(
    readonly config: TvaeConfig,
    readonly width: number,
    readonly spans: readonly OutputSpan[],
    rng: Rng,
  ) {
    validateSpans(spans, width);
    this.params = new ParamSet('tvae');
    let dim = width;
    config.compressDims.forEach((d, i) => {
      this.encoder.push(this.params.linear(`encoder/${i}`, dim, d, rng));
      dim = d;
    });
    this.muLayer = this.params.linear('encoder/mu', dim, config.embeddingDim, rng);
    this.logvarLayer = this.params.linear('encoder/logvar', dim, config.embeddingDim, rng);
    dim = config.embeddingDim;
    config.decompressDims.forEach((d, i) => {
      this.decoder.push(this.params.linear(`decoder/${i}`, dim, d, rng));
      dim = d;
    });
    this.outLayer = this.params.linear('decoder/out', dim, width, rng);
    const tanh = tanhSelection(spans, width);
    this.tanhCount = tanh.count;
    this.sigma = this.params.add('decoder/sigma', [tanh.count], new Float32Array(tanh.count).fill(0.1));
    this.tanhSelect = tanh.count > 0 ? tf.tensor2d(tanh.select, [width, tanh.count]) : null;
    this.soft = softmaxLayout(spans, width, () => true);
    const cols = this.soft.count * this.soft.maxWidth;
    this.softGather = this.soft.count > 0 ? tf.tensor2d(this.soft.gather, [width, cols]) : null;
    this.softPadBias = this.soft.count > 0 ? tf.tensor1d(this.soft.padBias) : null;
  }

  encode(x: tf.Tensor2D): { mu: tf.Tensor2D; logvar: tf.Tensor2D } {
    let h = x;
    for (const l of this.encoder) h = dense(h, l, 'relu');
    return { mu: dense(h, this.muLayer), logvar: dense(h, this.logvarLayer) };
  }

  decode(z: tf.Tensor2D): tf.Tensor2D {
    let h = z;
    for (const l of this.decoder) h = dense(h, l, 'relu');
    return dense(h, this.outLayer);
  }

  /** Softmax spans as [N, spans, maxWidth] logits with −1e9 on padding slots. */
  private spanLogits(rec: tf.Tensor2D): tf.Tensor3D {
    const n = rec.shape[0];
    return rec
      .matMul(this.softGather as tf.Tensor2D)
      .add(this.softPadBias as tf.Tensor1D)
      .reshape([n, this.soft.count, this.soft.maxWidth]);
  }

  /** The per-batch losses as scalars: total, reconstruction, kl. Differentiable in the parameters. */
  losses(x: tf.Tensor2D, eps: tf.Tensor2D): { total: tf.Scalar; reconstruction: tf.Scalar; kl: tf.Scalar } {
    const n = x.shape[0];
    const { mu, logvar } = this.encode(x);
    const std = logvar.mul(0.5).exp();
    const emb = eps.mul(std).add<tf.Tensor2D>(mu);
    const rec = this.decode(emb);
    let sum: tf.Scalar = tf.scalar(0);
    if (this.tanhSelect) {
      const xt = x.matMul(this.tanhSelect);
      const rt = rec.matMul(this.tanhSelect).tanh();
      const s = this.sigma;
      const nll = xt.sub(rt).square().div(s.square().mul(2)).sum();
      sum = sum.add(nll).add(s.log().sum().mul(n));
    }
    if (this.softGather) {
      const target = x.matMul(this.softGather).reshape<tf.Tensor3D>([n, this.soft.count, this.soft.maxWidth]);
      sum = sum.add(spanCrossEntropy(this.spanLogits(rec), target));
    }
    const reconstruction = sum.mul<tf.Scalar>(this.config.lossFactor / n);
    // exp(log σ²) as std² reuses the exp above (same value to float32 rounding).
    const kl = tf.scalar(1).add(logvar).sub(mu.square()).sub(std.square()).sum().mul<tf.Scalar>(-0.5 / n);
    return { total: reconstruction.add(kl), reconstruction, kl };
  }

  /** σ ← clamp(σ, 0.01, 1.0), as SDV does after every optimiser step. */
  clampSigma(): void {
    if (this.tanhCount === 0) return;
    tf.tidy(() => this.sigma.assign(this.sigma.clipByValue(0.01, 1)));
  }

  /** `rows` synthetic encoded rows (rows × width, row-major). */
  sample(rows: number, rng: Rng, options: TvaeSampleOptions = {}): Float32Array {
    const chunk = options.chunk ?? 1024;
    const noise = options.sigmaNoise ?? true;
    const out = new Float32Array(rows * this.width);
    const sigma = this.sigma.dataSync();
    // Column indices as typed arrays: the per-row loops below run rows × width times and were a tenth of sampling.
    const tanhCols = Int32Array.from(this.spans.filter((s) => s.activation === 'tanh').flatMap((s) => Array.from({ length: s.width }, (_, j) => s.start + j)));
    const softStarts = Int32Array.from(this.soft.spans, (s) => s.start);
    const tc = tanhCols.length;
    const sc = softStarts.length;
    const width = this.width;
    for (let at = 0; at < rows; at += chunk) {
      const n = Math.min(chunk, rows - at);
      const zs = rng.normal(n * this.config.embeddingDim);
      // Read back inside tidy but return nothing: tidy walks every element of a returned typed array.
      const read: { values: Float32Array; probs?: Float32Array } = { values: new Float32Array(0) };
      tf.tidy(() => {
        const rec = this.decode(tf.tensor2d(zs, [n, this.config.embeddingDim]));
        read.values = rec.tanh().dataSync() as Float32Array;
        if (this.softGather) read.probs = this.spanLogits(rec).softmax().dataSync() as Float32Array;
      });
      const { values, probs } = read;
      const choice = probs ? this.drawFrom(probs, n, rng) : new Int32Array(0);
      const jitter = noise ? rng.normal(n * tc) : null;
      for (let r = 0; r < n; r++) {
        const o = (at + r) * width;
        const vr = r * width;
        for (let k = 0; k < tc; k++) {
          const col = tanhCols[k] as number;
          let v = values[vr + col] as number;
          if (jitter) v = Math.min(1, Math.max(-1, v + (sigma[k] as number) * (jitter[r * tc + k] as number)));
          out[o + col] = v;
        }
        for (let k = 0; k < sc; k++) out[o + (softStarts[k] as number) + (choice[r * sc + k] as number)] = 1;
      }
    }
    return out;
  }

  // One category per (row, softmax span), drawn from the given probabilities (padding has probability 0).
  private drawFrom(probs: Float32Array, n: number, rng: Rng): Int32Array {
    const { count, maxWidth } = this.soft;
    const widths = Int32Array.from(this.soft.spans, (s) => s.width);
    const out = new Int32Array(n * count);
    for (let i = 0, k = 0; i < n * count; i++, k = k + 1 === count ? 0 : k + 1) {
      const width = widths[k] as number;
      let u = rng.uniform();
      let j = 0;
      for (; j < width - 1; j++) {
        u -= probs[i * maxWidth + j] as number;
        if (u < 0) break;
      }
      out[i] = j;
    }
    return out;
  }

  dispose(): void {
    this.params.dispose();
    this.tanhSelect?.dispose();
    this.softGather?.dispose();
    this.softPadBias?.dispose();
  }
}

export class TvaeTrainer implements ModelTrainer {
  readonly lossNames = ['loss', 'reconstruction', 'kl'] as const;
  readonly model: TvaeModel;
  private readonly adam: Adam;
  private order: Int32Array = new Int32Array(0);

  constructor(
    config: TvaeConfig,
    private readonly table: EncodedTable,
    private readonly batchSize: number,
    rng: Rng,
  ) {
    if (table.values.length !== table.rows * table.width) throw invalidInput(`The encoded data holds ${table.values.length} values, not ${table.rows} × ${table.width}.`);
    if (table.rows < 1) throw invalidInput('The encoded data has no rows.');
    this.model = new TvaeModel(config, table.width, table.spans, rng);
    this.adam = new Adam('adam', this.model.params.trainable(), { learningRate: config.learningRate, weightDecay: config.l2scale });
  }

  lossLabel(name: string): string {
    return name === 'loss' ? "The model's loss" : name === 'kl' ? 'The KL divergence' : 'The reconstruction loss';
  }

  stepsPerEpoch(): number {
    return Math.ceil(this.table.rows / this.batchSize);
  }

  beginEpoch(rng: Rng): void {
    this.order = rng.permutation(this.table.rows);
  }

  trainStep(step: number, rng: Rng): Record<string, number> {
    const from = step * this.batchSize;
    const to = Math.min(this.table.rows, from + this.batchSize);
    const n = to - from;
    const batch = gatherRows(this.table, this.order, from, to);
    const eps = rng.normal(n * this.model.config.embeddingDim);
    const values = tf.tidy(() => {
      const x = tf.tensor2d(batch, [n, this.table.width]);
      const e = tf.tensor2d(eps, [n, this.model.config.embeddingDim]);
      let parts: tf.Tensor | undefined;
      const { grads } = tf.variableGrads(() => {
        const l = this.model.losses(x, e);
        parts = tf.keep(tf.stack([l.total, l.reconstruction, l.kl]));
        return l.total;
      }, this.adam.variables);
      this.adam.step(grads);
      const kept = parts as tf.Tensor;
      const out = kept.dataSync();
      kept.dispose();
      return out;
    });
    this.model.clampSigma();
    return { loss: values[0] as number, reconstruction: values[1] as number, kl: values[2] as number };
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

/** A trained TVAE rebuilt from the weights a run returned, ready to sample. */
export function loadTvae(config: TvaeConfigInput, width: number, spans: readonly OutputSpan[], weights: readonly SerializedTensor[]): TvaeModel {
  // The initial values are overwritten at once; any generator will do.
  return withWeights(new TvaeModel(tvaeConfigSchema.parse(config), width, spans, Rng.fromSeed(0)), (m) => m.params.import(weights));
}

export { tvaeConfigSchema, type TvaeConfig, type TvaeConfigInput };
