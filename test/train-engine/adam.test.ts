// The JavaScript Adam update (engine/adam.ts) gives bit for bit the weights the update written as tfjs ops gives,
// on cpu and on wasm, weight decay included; its checkpoint state round-trips and a bad one changes nothing.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, type AdamOptions } from '../../electron/core/train/engine/adam';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { ParamSet } from '../../electron/core/train/engine/params';
import { lcgValues, onBackend } from './helpers';

beforeAll(async () => {
  delete process.env.AIRLOCK_TF_BACKEND;
  expect((await selectBackend()).name).toBe('wasm');
});

const SHAPES: number[][] = [[50, 128], [128], [7, 3], [1]];

/** A weight set from outside the optimiser (a checkpoint import, σ clamp) after step `after` (0-based). */
interface Edit {
  after: number;
  index: number;
  values: Float32Array;
}

/** torch.optim.Adam with L2 decay as tfjs ops, the formulation the engine used before. */
function referenceSteps(init: Float32Array[], grads: Float32Array[][], o: Required<AdamOptions>, edit?: Edit): Float32Array[] {
  return tf.tidy(() => {
    const w = init.map((x, i) => tf.tensor(x, SHAPES[i]));
    const m = w.map((x) => tf.zerosLike(x));
    const v = w.map((x) => tf.zerosLike(x));
    grads.forEach((gs, t) => {
      const bc1 = 1 - o.beta1 ** (t + 1);
      const bc2 = 1 - o.beta2 ** (t + 1);
      gs.forEach((gv, i) => {
        let g = tf.tensor(gv, SHAPES[i]);
        if (o.weightDecay !== 0) g = g.add((w[i] as tf.Tensor).mul(o.weightDecay));
        m[i] = (m[i] as tf.Tensor).mul(o.beta1).add(g.mul(1 - o.beta1));
        v[i] = (v[i] as tf.Tensor).mul(o.beta2).add(g.square().mul(1 - o.beta2));
        const denom = (v[i]).sqrt().div(Math.sqrt(bc2)).add(o.epsilon);
        w[i] = (w[i] as tf.Tensor).sub((m[i]).div(denom).mul(o.learningRate / bc1));
      });
      if (edit && edit.after === t) w[edit.index] = tf.tensor(edit.values, SHAPES[edit.index]);
    });
    return w.map((x) => x.dataSync() as Float32Array);
  });
}

function engineSteps(init: Float32Array[], grads: Float32Array[][], o: Required<AdamOptions>, edit?: Edit): Float32Array[] {
  const params = new ParamSet('adamtest');
  init.forEach((x, i) => params.add(`p${i}`, SHAPES[i] as number[], x));
  const adam = new Adam('opt', params.trainable(), o);
  grads.forEach((gs, t) => {
    tf.tidy(() => adam.step(Object.fromEntries(params.all().map((p, i) => [p.variable.name, tf.tensor(gs[i] as Float32Array, SHAPES[i])]))));
    if (edit && edit.after === t) tf.tidy(() => params.all()[edit.index]?.variable.assign(tf.tensor(edit.values, SHAPES[edit.index])));
  });
  const out = params.all().map((p) => p.variable.dataSync() as Float32Array);
  adam.dispose();
  params.dispose();
  return out;
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const INIT = SHAPES.map((s, i) => lcgValues(size(s), 40 + i));
// Gradients over several scales (tiny to large) so rounding differences would show.
const GRADS = Array.from({ length: 6 }, (_, t) => SHAPES.map((s, i) => lcgValues(size(s), 100 * t + i).map((x) => x * 10 ** ((t % 3) * 2 - 3))));

const SETTINGS: [string, Required<AdamOptions>][] = [
  ['TVAE (lr 1e-3, decay 1e-5)', { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-5 }],
  ['CTGAN (lr 2e-4, β 0.5/0.9, decay 1e-6)', { learningRate: 2e-4, beta1: 0.5, beta2: 0.9, epsilon: 1e-8, weightDecay: 1e-6 }],
  ['no decay', { learningRate: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }],
];

describe('Adam', () => {
  it.each(SETTINGS)('%s: the same float32 weights as the tfjs-op update, on cpu and wasm', async (_name, o) => {
    for (const backend of ['cpu', 'wasm'] as const) {
      const [ref, ours] = await onBackend(backend, () => [referenceSteps(INIT, GRADS, o), engineSteps(INIT, GRADS, o)]);
      (ref).forEach((r, i) => {
        const mine = (ours)[i] as Float32Array;
        expect(mine.length).toBe(r.length);
        expect(mine.filter((x, k) => x !== r[k]).length).toBe(0);
        expect(mine.some((x, k) => x !== (INIT[i] as Float32Array)[k])).toBe(true); // it did move
      });
    }
  });

  it('continues bit for bit from its exported state, and refuses a mismatched one unchanged', async () => {
    await onBackend('wasm', () => {
      const o = SETTINGS[0]?.[1] as Required<AdamOptions>;
      const straight = engineSteps(INIT, GRADS, o);
      const params = new ParamSet('adamresume');
      INIT.forEach((x, i) => params.add(`p${i}`, SHAPES[i] as number[], x));
      const first = new Adam('opt', params.trainable(), o);
      const stepWith = (adam: Adam, gs: Float32Array[]) =>
        tf.tidy(() => adam.step(Object.fromEntries(params.all().map((p, i) => [p.variable.name, tf.tensor(gs[i] as Float32Array, SHAPES[i])]))));
      GRADS.slice(0, 3).forEach((gs) => stepWith(first, gs));
      const state = first.export();
      const second = new Adam('opt', params.trainable(), o);
      const damaged = state.map((s) => (s.name === 'opt/m/p1' ? { ...s, shape: [64, 2] } : s));
      expect(() => second.import(damaged)).toThrow(/does not match parameter p1/);
      expect(second.export().filter((s) => s.name !== 'opt/step').every((s) => new Float32Array(s.data).every((x) => x === 0))).toBe(true);
      second.import(state);
      GRADS.slice(3).forEach((gs) => stepWith(second, gs));
      params.all().forEach((p, i) => expect(Array.from(p.variable.dataSync())).toEqual(Array.from(straight[i] as Float32Array)));
      params.dispose();
    });
  });

  it('takes up a weight assigned between steps, and never changes a tensor read earlier', async () => {
    const o = SETTINGS[0]?.[1] as Required<AdamOptions>;
    const edit = { after: 2, index: 0, values: lcgValues(size(SHAPES[0] as number[]), 77) };
    for (const backend of ['cpu', 'wasm'] as const) {
      const [ref, ours] = await onBackend(backend, () => [referenceSteps(INIT, GRADS, o, edit), engineSteps(INIT, GRADS, o, edit)]);
      ref.forEach((r, i) => expect(Array.from(ours[i] as Float32Array)).toEqual(Array.from(r)));
      await onBackend(backend, () => {
        const params = new ParamSet('adamheld');
        INIT.forEach((x, i) => params.add(`p${i}`, SHAPES[i] as number[], x));
        const adam = new Adam('opt', params.trainable(), o);
        const stepWith = (gs: Float32Array[]) =>
          tf.tidy(() => adam.step(Object.fromEntries(params.all().map((p, i) => [p.variable.name, tf.tensor(gs[i] as Float32Array, SHAPES[i])]))));
        stepWith(GRADS[0] as Float32Array[]);
        const held = tf.clone(params.get('p0'));
        const seen = Array.from(held.dataSync());
        stepWith(GRADS[1] as Float32Array[]);
        expect(Array.from(held.dataSync())).toEqual(seen);
        expect(Array.from(params.get('p0').dataSync())).not.toEqual(seen);
        held.dispose();
        params.dispose();
      });
    }
  });

  it('leaves no tensors behind', async () => {
    await onBackend('wasm', () => {
      const before = tf.memory().numTensors;
      engineSteps(INIT, GRADS.slice(0, 2), SETTINGS[0]?.[1] as Required<AdamOptions>);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
