// A model's named variables: created from JavaScript-initialised values (seeded by the engine's Rng), read back
// and restored by logical name. tf.Variable names are global to the process, so each set gets a unique prefix;
// the logical names (what checkpoints carry) stay stable.
import { freemem } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { invalidInput, TrainingError } from './errors';
import type { Rng } from './rng';
import { deserializeTensor, serializeTensor, type SerializedTensor } from './tensors';

let nextSetId = 0;

/** Bytes per parameter while training: the weight, Adam's two moments and the gradient. */
const TRAINING_BYTES_PER_PARAM = 16;
const GIB = 2 ** 30;

/**
 * Memory the parameters may use: what the OS has free, and at most the WASM heap's 4 GiB on that backend.
 * Checked before allocating, so an absurd layer size fails at once with OUT_OF_MEMORY instead of swapping the
 * workstation to a halt.
 */
export function parameterBudgetBytes(): number {
  return Math.min(freemem(), tf.getBackend() === 'wasm' ? 4 * GIB : Infinity);
}

export interface Param {
  name: string;
  variable: tf.Variable;
  trainable: boolean;
}

export class ParamSet {
  private readonly prefix: string;
  private readonly params: Param[] = [];
  private readonly byName = new Map<string, Param>();
  private count = 0;

  constructor(
    label: string,
    private readonly budgetBytes = parameterBudgetBytes(),
  ) {
    this.prefix = `airlock${nextSetId++}_${label}`;
  }

  /** Throw OUT_OF_MEMORY if `more` parameters would not fit the budget. Call before allocating them. */
  reserve(more: number): void {
    const need = (this.count + more) * TRAINING_BYTES_PER_PARAM;
    if (need > this.budgetBytes) {
      const gb = (b: number) => (b / GIB).toFixed(b < 10 * GIB ? 1 : 0);
      throw new TrainingError(
        'OUT_OF_MEMORY',
        `This model needs at least ${gb(need)} GB for its weights and optimiser state, more than the ${gb(this.budgetBytes)} GB available; lower the layer sizes.`,
      );
    }
  }

  add(name: string, shape: number[], values: Float32Array, trainable = true): tf.Variable {
    if (this.byName.has(name)) throw new Error(`Parameter ${name} is defined twice.`);
    this.reserve(values.length);
    this.count += values.length;
    const variable = tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), trainable, `${this.prefix}/${name}`));
    const p = { name, variable, trainable };
    this.params.push(p);
    this.byName.set(name, p);
    return variable;
  }

  /** PyTorch's nn.Linear initialisation: weight and bias ~ U(−1/√fan_in, 1/√fan_in); weight stored [in, out]. */
  linear(name: string, inDim: number, outDim: number, rng: Rng): { w: tf.Variable; b: tf.Variable } {
    const bound = 1 / Math.sqrt(inDim);
    this.reserve(inDim * outDim + outDim);
    const w = this.add(`${name}/weight`, [inDim, outDim], rng.fillUniform(new Float32Array(inDim * outDim), -bound, bound));
    const b = this.add(`${name}/bias`, [outDim], rng.fillUniform(new Float32Array(outDim), -bound, bound));
    return { w, b };
  }

  get(name: string): tf.Variable {
    const p = this.byName.get(name);
    if (!p) throw new Error(`No parameter ${name}.`);
    return p.variable;
  }

  trainable(): Param[] {
    return this.params.filter((p) => p.trainable);
  }

  all(): readonly Param[] {
    return this.params;
  }

  export(): SerializedTensor[] {
    return this.params.map((p) => serializeTensor(p.name, p.variable));
  }

  /** Restore every parameter by name; names and shapes must match exactly. */
  import(list: readonly SerializedTensor[]): void {
    const given = new Map(list.map((s) => [s.name, s]));
    if (given.size !== this.params.length || this.params.some((p) => !given.has(p.name))) {
      throw invalidInput('The saved weights do not belong to this model (the parameter names differ).');
    }
    for (const p of this.params) {
      const s = given.get(p.name) as SerializedTensor;
      if (s.shape.length !== p.variable.shape.length || s.shape.some((d, i) => d !== p.variable.shape[i])) {
        throw invalidInput(`The saved weight ${p.name} has shape [${s.shape.join(', ')}]; this model needs [${p.variable.shape.join(', ')}].`);
      }
      tf.tidy(() => p.variable.assign(deserializeTensor(s)));
    }
  }

  dispose(): void {
    for (const p of this.params) p.variable.dispose();
    this.params.length = 0;
    this.byName.clear();
  }
}
