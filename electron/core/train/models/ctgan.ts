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
import { Rng } from '../engine/rng';
import type { SerializedTensor } from '../engine/tensors';
import { ctganConfigSchema, type CtganConfig, type CtganConfigInput } from './config';
import { ConditionSampler } from './ctgan-condition';
import { CtganModel, dropoutMask, gumbelNoise } from './ctgan-model';
import { gatherRows, withWeights, type EncodedTable, type ModelTrainer } from './model';
import { validateSpans } from './spans';

export { ConditionSampler } from './ctgan-condition';
export { CtganModel, leakyRelu2 } from './ctgan-model';

export class CtganTrainer implements ModelTrainer {
  readonly lossNames = ['generator', 'critic', 'penalty'] as const;
  readonly model: CtganModel;
  readonly sampler: ConditionSampler;
  private readonly adamG: Adam;
  private readonly adamD: Adam;
  private readonly slots: Uint8Array | undefined;

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
    this.slots = gumbelSlotsFor(this.model);
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
    return w > 0 ? tf.tensor2d(gumbelNoise(this.batchSize * w, rng, this.slots), [this.batchSize, w]) : null;
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

/**
 * The real-slot mask that lets gumbelNoise skip padding, or undefined (noise everywhere) when τ is so large that a
 * −1e9 padding logit divided by τ might no longer vanish under the softmax's exp in float32.
 */
function gumbelSlotsFor(model: CtganModel): Uint8Array | undefined {
  return model.config.tau <= 1e4 ? model.gumbelSlots : undefined;
}

function sampleCtgan(model: CtganModel, sampler: ConditionSampler, batchSize: number, rows: number, rng: Rng): Float32Array {
  const width = model.width;
  const out = new Float32Array(rows * width);
  const tanhCols: number[] = [];
  for (const s of model.spans) if (s.activation === 'tanh') for (let j = 0; j < s.width; j++) tanhCols.push(s.start + j);
  const soft = model.softmaxSpans;
  // Plain index loops below, not a closure per (row, span): they run rows × spans times.
  const softStarts = Int32Array.from(soft, (s) => s.start);
  const softWidths = Int32Array.from(soft, (s) => s.width);
  // Every row is conditioned on a pattern (sampleForGeneration); the row takes that pattern, so missingness does
  // not depend on how well a briefly trained generator obeys its condition.
  const pattern = sampler.pattern;
  const slots = gumbelSlotsFor(model);
  const patternSlot = pattern ? soft.findIndex((s) => s.start === pattern.span.start) : -1;
  for (let at = 0; at < rows; at += batchSize) {
    const n = batchSize; // whole batches: BatchNorm uses batch statistics, as in training
    const take = Math.min(n, rows - at);
    const z = rng.normal(n * model.config.embeddingDim);
    const cond = sampler.active ? sampler.sampleForGeneration(n, rng) : null;
    const gumbel = model.gumbelWidth > 0 ? gumbelNoise(n * model.gumbelWidth, rng, slots) : null;
    // Read back inside tidy but return nothing: tidy walks every element of a returned typed array.
    const read: { values: Float32Array; choice: Int32Array } = { values: new Float32Array(0), choice: new Int32Array(0) };
    tf.tidy(() => {
      let input = tf.tensor2d(z, [n, model.config.embeddingDim]);
      if (cond) input = tf.concat([input, tf.tensor2d(cond, [n, sampler.width])], 1);
      const act = model.activate(model.generate(input), gumbel ? tf.tensor2d(gumbel, [n, model.gumbelWidth]) : null);
      read.values = act.dataSync() as Float32Array;
      read.choice = model.softmaxChoice(act);
    });
    const { values, choice } = read;
    for (let r = 0; r < take; r++) {
      const o = (at + r) * width;
      for (let k = 0; k < tanhCols.length; k++) {
        const c = tanhCols[k] as number;
        out[o + c] = values[r * width + c] as number;
      }
      for (let k = 0; k < soft.length; k++) {
        let j = choice[r * soft.length + k] as number;
        if (k === patternSlot && cond && pattern) {
          const from = r * sampler.width + pattern.offset;
          j = cond.subarray(from, from + (softWidths[k] as number)).indexOf(1);
        }
        out[o + (softStarts[k] as number) + j] = 1;
      }
    }
  }
  return out;
}
/** A trained CTGAN rebuilt from a run's weights, to sample from. `table` supplies the category frequencies. */
export function loadCtgan(config: CtganConfigInput, table: EncodedTable, batchSize: number, weights: readonly SerializedTensor[]): CtganTrainer {
  return withWeights(new CtganTrainer(ctganConfigSchema.parse(config), table, batchSize, Rng.fromSeed(0)), (m) => m.importWeights(weights));
}

export { ctganConfigSchema, type CtganConfig, type CtganConfigInput };
