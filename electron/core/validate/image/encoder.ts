// The in-workstation feature encoder: no pretrained network can be downloaded onto an air-gapped workstation, so a
// small CNN is trained here on the real training frames and recorded with the result (architecture, size, loss,
// seed, backend and a SHA-256 of its weights). With class labels it is a classifier (features: its penultimate
// dense layer, before the activation); without, a convolutional autoencoder (features: the linear bottleneck).
// The same classifier trains the TSTR/TRTR models of utility.ts.
//
// Network: frames larger than 64 px are average-pooled to 64; (Conv 4×4 stride 2 + bias → LeakyReLU 0.2) halving
// the side down to 4 px (at most 5 layers, 16-32-64-64-64 channels) → flatten → Dense to the features (64) →
// LeakyReLU → Dense to the classes (softmax cross-entropy); the autoencoder decodes the features through Dense →
// ReLU → mirrored transposed convolutions → tanh (squared error). Adam 2e-3, batch 32, PyTorch initialisation,
// all random draws from the engine's seeded Rng in JavaScript, so a seed gives the same weights bit for bit.
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { AirlockError, InvalidArgumentError } from '../../errors';
import { Adam } from '../../train/engine/adam';
import { selectBackend, type BackendInfo } from '../../train/engine/backend';
import { ParamSet } from '../../train/engine/params';
import { Rng } from '../../train/engine/rng';
import { down, torchUniform, up } from '../../train/models/image/ops';
import { createRng } from '../../train/rng';
import type { Checkpoint } from '../types';
import type { ImageFrames } from './types';

export type NetworkKind = 'classifier' | 'autoencoder';

/** What trained the features, stored with the validation result (JSON). */
export interface EncoderRecord {
  kind: NetworkKind;
  /** The layers in words (the kind is in `kind`). */
  architecture: string;
  /** Side of the frames given, and of the network's input after pooling. */
  frameSize: number;
  inputSize: number;
  parameters: number;
  featureDim: number;
  epochs: number;
  batchSize: number;
  trainingImages: number;
  /** Class names the classifier was trained on (empty for the autoencoder). */
  classes: string[];
  /** Mean loss over the first and the last epoch (cross-entropy, or squared error per pixel). */
  firstEpochLoss: number;
  finalLoss: number;
  seed: string;
  backend: string;
  tfjsVersion: string;
  /** SHA-256 over every weight's name, shape and float32 bytes, in layer order. */
  weightsSha256: string;
}

export interface NetworkOptions {
  seed: string;
  /** Passes over the training frames (default: enough for ~6,000 image presentations, 5 to 30). */
  epochs?: number;
  /** Frames trained on at most, a seeded sample when there are more (2,000). */
  maxImages?: number;
  checkpoint?: Checkpoint;
}

export interface Encoder {
  describe: EncoderRecord;
  /** n × dim features, row-major. */
  features(frames: ImageFrames): Float32Array;
  dim: number;
  /**
   * The classifier encoder's own network as a classifier (null for the autoencoder): imageUtility can take it as
   * its TRTR model, which is the network it would train with the same seed. Disposed with the encoder.
   */
  classifier: ImageClassifier | null;
  dispose(): void;
}

export interface ImageClassifier {
  describe: EncoderRecord;
  /** n × classes softmax probabilities, row-major. */
  predict(frames: ImageFrames): Float32Array;
  dispose(): void;
}

export const FEATURE_DIM = 64;
const BATCH = 32;
const MAX_INPUT = 64;
const CHANNELS = [16, 32, 64, 64, 64];
const LEARNING_RATE = 2e-3;
const PREDICT_CHUNK = 128;
const PRESENTATIONS = 6000;

/** Small sets get more passes so the network sees enough images; large ones fewer, to bound the time. */
export function defaultEpochs(images: number): number {
  return Math.min(30, Math.max(5, Math.ceil(PRESENTATIONS / Math.max(1, images))));
}

interface Layer<R extends tf.Rank> {
  w: tf.Variable<R>;
  b: tf.Variable<tf.Rank.R1>;
}

/** Input side after pooling and the stride-2 ladder that fits it. */
function geometry(size: number): { pool: number; side: number; layers: number; last: number } {
  let pool = 1;
  while (size / pool > MAX_INPUT && (size / pool) % 2 === 0) pool *= 2;
  const side = size / pool;
  let layers = 0;
  let s = side;
  while (s > 4 && s % 2 === 0 && layers < CHANNELS.length) [s, layers] = [s / 2, layers + 1];
  if (layers === 0) throw new InvalidArgumentError(`Frames of ${size} × ${size} pixels are too small to train a feature encoder on (at least 8 × 8 is needed).`);
  return { pool, side, layers, last: s };
}

class Network {
  readonly params = new ParamSet('image-encoder');
  private readonly convs: Layer<tf.Rank.R4>[] = [];
  private readonly embed: Layer<tf.Rank.R2>;
  private readonly head: Layer<tf.Rank.R2> | null = null;
  private readonly expand: Layer<tf.Rank.R2> | null = null;
  private readonly ups: Layer<tf.Rank.R4>[] = [];
  private readonly flat: number;

  constructor(
    readonly kind: NetworkKind,
    readonly geo: ReturnType<typeof geometry>,
    readonly classes: number,
    rng: Rng,
  ) {
    const p = this.params;
    const conv = (name: string, shape: [number, number, number, number], fanIn: number, outC: number): Layer<tf.Rank.R4> => ({
      w: p.add(`${name}/weight`, shape, torchUniform(rng, 16 * shape[2] * shape[3], fanIn)) as tf.Variable<tf.Rank.R4>,
      b: p.add(`${name}/bias`, [outC], torchUniform(rng, outC, fanIn)) as tf.Variable<tf.Rank.R1>,
    });
    const dense = (name: string, inDim: number, outDim: number): Layer<tf.Rank.R2> => ({
      w: p.add(`${name}/weight`, [inDim, outDim], torchUniform(rng, inDim * outDim, inDim)) as tf.Variable<tf.Rank.R2>,
      b: p.add(`${name}/bias`, [outDim], torchUniform(rng, outDim, inDim)) as tf.Variable<tf.Rank.R1>,
    });
    const ch = CHANNELS.slice(0, geo.layers);
    ch.forEach((cout, j) => {
      const cin = j === 0 ? 1 : (ch[j - 1] as number);
      this.convs.push(conv(`conv${j}`, [4, 4, cin, cout], 16 * cin, cout));
    });
    const top = ch[ch.length - 1] as number;
    this.flat = geo.last * geo.last * top;
    this.embed = dense('features', this.flat, FEATURE_DIM);
    if (kind === 'classifier') {
      this.head = dense('classes', FEATURE_DIM, classes);
      return;
    }
    this.expand = dense('decoder/fc', FEATURE_DIM, this.flat);
    for (let j = ch.length - 1; j >= 0; j--) {
      const cin = ch[j] as number;
      const cout = j === 0 ? 1 : (ch[j - 1] as number);
      this.ups.push(conv(`decoder/up${j}`, [4, 4, cout, cin], 16 * cout, cout));
    }
  }

  describe(): string {
    const { side, layers, pool, last } = this.geo;
    const ch = CHANNELS.slice(0, layers);
    const input = pool > 1 ? `${side * pool} px frames average-pooled ${pool}×${pool} to ${side} px` : `${side} px frames`;
    const enc = `${input} → ${layers} × (Conv 4×4 stride 2 + LeakyReLU 0.2; ${ch.join('-')} channels) → ${last}×${last}×${ch.at(-1)} → Dense ${FEATURE_DIM} (features)`;
    return this.kind === 'classifier'
      ? `${enc} → LeakyReLU → Dense ${this.classes} (softmax cross-entropy)`
      : `${enc} → Dense → ReLU → ${layers} × ConvTranspose 4×4 stride 2 (ReLU between) → tanh (squared error against the frame)`;
  }

  features(x: tf.Tensor4D): tf.Tensor2D {
    let h = x;
    this.convs.forEach((l, j) => (h = tf.leakyRelu(down(h, l.w, j === 0 ? 'filter' : 'both').add<tf.Tensor4D>(l.b), 0.2)));
    return tf.matMul(h.reshape<tf.Tensor2D>([x.shape[0], this.flat]), this.embed.w).add<tf.Tensor2D>(this.embed.b);
  }

  logits(x: tf.Tensor4D): tf.Tensor2D {
    const head = this.head as Layer<tf.Rank.R2>;
    return tf.matMul(tf.leakyRelu(this.features(x), 0.2), head.w).add<tf.Tensor2D>(head.b);
  }

  reconstruct(x: tf.Tensor4D): tf.Tensor4D {
    const fc = this.expand as Layer<tf.Rank.R2>;
    const top = CHANNELS[this.geo.layers - 1] as number;
    const n = x.shape[0];
    let h = tf.matMul(this.features(x), fc.w).add(fc.b).relu().reshape<tf.Tensor4D>([n, this.geo.last, this.geo.last, top]);
    this.ups.forEach((l, i) => {
      const y = up(h, l.w).add<tf.Tensor4D>(l.b);
      h = i < this.ups.length - 1 ? y.relu<tf.Tensor4D>() : y.tanh<tf.Tensor4D>();
    });
    return h;
  }

  /** Mean cross-entropy over the batch, or mean squared error per pixel. */
  loss(x: tf.Tensor4D, y: tf.Tensor2D | null): tf.Scalar {
    if (this.kind === 'autoencoder') return this.reconstruct(x).sub(x).square().mean();
    const logits = this.logits(x);
    const logProb = logits.sub(tf.logSumExp(logits, 1, true));
    return (y as tf.Tensor2D).mul(logProb).sum().div<tf.Scalar>(-x.shape[0]);
  }

  dispose(): void {
    this.params.dispose();
  }
}

function checkFrames(frames: ImageFrames, what: string): void {
  const { count, size, data } = frames;
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(size) || size < 1 || data.length !== count * size * size) {
    throw new InvalidArgumentError(`The ${what} frames are damaged: ${data.length} values do not make ${count} frames of ${size} × ${size}.`);
  }
  if (frames.labels && frames.labels.length !== count) throw new InvalidArgumentError(`The ${what} frames have ${frames.labels.length} labels for ${count} frames.`);
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new InvalidArgumentError(`${what[0]!.toUpperCase()}${what.slice(1)} frame ${Math.floor(bad / (size * size)) + 1} has a pixel that is not a number; the frames must be windowed to [−1, 1] first.`);
}

/** Frames at `rows` (all when null), pooled to the network's side, as [n, side, side, 1] values. */
function inputs(frames: ImageFrames, pool: number, rows: ArrayLike<number>): Float32Array {
  const { size } = frames;
  const side = size / pool;
  const per = side * side;
  const out = new Float32Array(rows.length * per);
  const scale = 1 / (pool * pool);
  for (let i = 0; i < rows.length; i++) {
    const src = (rows[i] as number) * size * size;
    if (pool === 1) {
      out.set(frames.data.subarray(src, src + per), i * per);
      continue;
    }
    for (let r = 0; r < side; r++)
      for (let c = 0; c < side; c++) {
        let s = 0;
        for (let a = 0; a < pool; a++) for (let b = 0; b < pool; b++) s += frames.data[src + (r * pool + a) * size + c * pool + b] as number;
        out[i * per + r * side + c] = s * scale;
      }
  }
  return out;
}

function weightsSha256(params: ParamSet): string {
  const h = createHash('sha256');
  for (const p of params.all()) {
    h.update(`${p.name}[${p.variable.shape.join(',')}]`);
    h.update(new Uint8Array(Float32Array.from(p.variable.dataSync()).buffer));
  }
  return h.digest('hex');
}

async function backendInfo(): Promise<BackendInfo> {
  try {
    return await selectBackend();
  } catch (err) {
    throw new AirlockError('NOT_AVAILABLE', `No TensorFlow.js backend could be started to train the image feature encoder: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

interface Trained {
  net: Network;
  record: EncoderRecord;
}

/** Train a classifier (labels given) or an autoencoder on the frames; the caller owns the returned network. */
async function fit(frames: ImageFrames, labels: Int32Array | null, classes: string[], opts: NetworkOptions, what: string): Promise<Trained> {
  checkFrames(frames, what);
  const backend = await backendInfo();
  const geo = geometry(frames.size);
  const kind: NetworkKind = labels ? 'classifier' : 'autoencoder';
  const max = opts.maxImages ?? 2000;
  const epochs = opts.epochs ?? defaultEpochs(Math.min(frames.count, max));
  if (!Number.isInteger(max) || max < 2) throw new InvalidArgumentError('The feature encoder must be allowed at least two training frames.');
  if (!Number.isInteger(epochs) || epochs < 1) throw new InvalidArgumentError('The feature encoder needs at least one epoch of training.');
  if (frames.count < 2) throw new InvalidArgumentError(`There are too few ${what} frames (${frames.count}) to train a network on.`);
  const seedRng = createRng(opts.seed).fork(`image ${kind}`);
  const rng = Rng.fromSeed(seedRng.int(0x100000000));
  let rows: Int32Array = Int32Array.from({ length: frames.count }, (_, i) => i);
  if (frames.count > max) rows = rng.permutation(frames.count).slice(0, max).sort();
  const x = inputs(frames, geo.pool, rows);
  const y = labels ? Int32Array.from(rows, (r) => labels[r] as number) : null;
  const net = new Network(kind, geo, classes.length, rng);
  const adam = new Adam('adam', net.params.trainable(), { learningRate: LEARNING_RATE });
  const n = rows.length;
  const per = geo.side * geo.side;
  const steps = Math.ceil(n / BATCH);
  const epochLoss: number[] = [];
  try {
    for (let e = 0; e < epochs; e++) {
      const order = rng.permutation(n);
      let sum = 0;
      for (let s = 0; s < steps; s++) {
        opts.checkpoint?.((e * steps + s) / (epochs * steps));
        const idx = order.subarray(s * BATCH, Math.min(n, (s + 1) * BATCH));
        const bx = new Float32Array(idx.length * per);
        idx.forEach((r, i) => bx.set(x.subarray(r * per, (r + 1) * per), i * per));
        const value = tf.tidy(() => {
          const xt = tf.tensor4d(bx, [idx.length, geo.side, geo.side, 1]);
          const yt = y ? tf.oneHot(tf.tensor1d(Int32Array.from(idx, (r) => y[r] as number), 'int32'), classes.length).toFloat() as tf.Tensor2D : null;
          const { value: l, grads } = tf.variableGrads(() => net.loss(xt, yt), adam.variables);
          adam.step(grads);
          return l.dataSync()[0] as number;
        });
        if (!Number.isFinite(value)) throw new AirlockError('TRAINING_DIVERGED', `The image ${kind} used for validation stopped learning (its loss became ${value}); the frames may be constant or damaged.`);
        sum += value * idx.length;
      }
      epochLoss.push(sum / n);
    }
  } catch (err) {
    net.dispose();
    throw err;
  } finally {
    adam.dispose();
  }
  const record: EncoderRecord = {
    kind,
    architecture: net.describe(),
    frameSize: frames.size,
    inputSize: geo.side,
    parameters: net.params.all().reduce((s, p) => s + p.variable.size, 0),
    featureDim: FEATURE_DIM,
    epochs,
    batchSize: BATCH,
    trainingImages: n,
    classes: labels ? [...classes] : [],
    firstEpochLoss: epochLoss[0] as number,
    finalLoss: epochLoss[epochLoss.length - 1] as number,
    seed: opts.seed,
    backend: backend.name,
    tfjsVersion: backend.tfjsVersion,
    weightsSha256: weightsSha256(net.params),
  };
  return { net, record };
}

/** Run the network over frames in fixed chunks; `width` values a frame. */
function mapFrames(net: Network, frames: ImageFrames, width: number, f: (x: tf.Tensor4D) => tf.Tensor2D): Float32Array {
  checkFrames(frames, 'compared');
  if (frames.size !== net.geo.side * net.geo.pool) {
    throw new InvalidArgumentError(`These frames are ${frames.size} × ${frames.size}; the network was trained on ${net.geo.side * net.geo.pool} × ${net.geo.side * net.geo.pool}.`);
  }
  const out = new Float32Array(frames.count * width);
  const side = net.geo.side;
  for (let at = 0; at < frames.count; at += PREDICT_CHUNK) {
    const m = Math.min(PREDICT_CHUNK, frames.count - at);
    const x = inputs(frames, net.geo.pool, Int32Array.from({ length: m }, (_, i) => at + i));
    out.set(tf.tidy(() => f(tf.tensor4d(x, [m, side, side, 1])).dataSync()), at * width);
  }
  return out;
}

/** Class labels present in at least two classes (labels outside the class list are refused). */
export function labelledClasses(frames: ImageFrames): number {
  if (!frames.labels) return 0;
  const seen = new Set<number>();
  for (const l of frames.labels) {
    if (!Number.isInteger(l) || l < 0 || l >= frames.classes.length) throw new InvalidArgumentError(`A frame has class label ${l}, outside the ${frames.classes.length} classes of the spec.`);
    seen.add(l);
  }
  return seen.size;
}

/**
 * Train the feature encoder on the real training frames: a classifier when they carry ≥ 2 classes, else an
 * autoencoder. The returned encoder holds tensors until dispose().
 */
export async function trainEncoder(train: ImageFrames, opts: NetworkOptions): Promise<Encoder> {
  checkFrames(train, 'training');
  const labels = labelledClasses(train) >= 2 ? train.labels : null;
  const { net, record } = await fit(train, labels, train.classes, opts, 'training');
  const dispose = () => net.dispose();
  return {
    describe: record,
    dim: FEATURE_DIM,
    features: (frames) => mapFrames(net, frames, FEATURE_DIM, (x) => net.features(x)),
    classifier: labels ? classifierOf(net, record, dispose) : null,
    dispose,
  };
}

function classifierOf(net: Network, record: EncoderRecord, dispose: () => void): ImageClassifier {
  return { describe: record, predict: (f) => mapFrames(net, f, net.classes, (x) => tf.softmax(net.logits(x))), dispose };
}

/** Train the classifier on labelled frames (labels index `classes`); used for TSTR and TRTR. */
export async function trainImageClassifier(frames: ImageFrames, classes: string[], opts: NetworkOptions, what: string): Promise<ImageClassifier> {
  if (!frames.labels) throw new InvalidArgumentError(`The ${what} frames carry no class labels to train a classifier on.`);
  const { net, record } = await fit(frames, frames.labels, classes, opts, what);
  return classifierOf(net, record, () => net.dispose());
}
