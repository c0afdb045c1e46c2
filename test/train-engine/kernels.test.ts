// The kernels Airlock adds to the WASM backend agree with the CPU backend, and the model shapes Airlock trains
// run a full training step on wasm with the same result as on cpu.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { lcgValues, onBackend, relativeError } from './helpers';

beforeAll(async () => {
  delete process.env.AIRLOCK_TF_BACKEND;
  const info = await selectBackend();
  expect(info.name).toBe('wasm');
});

interface Case {
  x: [number, number, number, number];
  f: [number, number];
  cout: number;
  stride: 1 | 2;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [];
for (const stride of [1, 2] as const)
  for (const pad of ['same', 'valid'] as const)
    for (const [x, f, cout] of [
      [[1, 5, 5, 1], [3, 3], 1],
      [[2, 7, 9, 3], [3, 3], 5],
      [[3, 8, 8, 4], [4, 4], 2],
      [[2, 11, 6, 2], [5, 5], 3],
      [[4, 16, 16, 3], [4, 4], 8],
      [[2, 9, 9, 6], [5, 5], 4],
    ] as const)
      CASES.push({ x: [...x], f: [...f], cout, stride, pad });

function filterGrad(c: Case, format: 'NHWC' | 'NCHW' = 'NHWC'): { conv: Float32Array; fused: Float32Array; transposed: Float32Array } {
  return tf.tidy(() => {
    const [n, h, w, cin] = c.x;
    const x = tf.tensor4d(lcgValues(n * h * w * cin, 11 + h), c.x);
    const filter = tf.tensor4d(lcgValues(c.f[0] * c.f[1] * cin * c.cout, 29 + w), [c.f[0], c.f[1], cin, c.cout]);
    const y = tf.conv2d(x, filter, c.stride, c.pad);
    const dy = tf.tensor4d(lcgValues(y.size, 3 + n), y.shape);
    const xIn = format === 'NCHW' ? x.transpose([0, 3, 1, 2]) : x;
    const dyIn = format === 'NCHW' ? dy.transpose([0, 3, 1, 2]) : dy;
    const dW = tf.engine().runKernel<tf.Tensor>('Conv2DBackpropFilter', { x: xIn, dy: dyIn }, { strides: c.stride, pad: c.pad, dataFormat: format, filterShape: filter.shape });
    // Through autodiff: Conv2D (fused with bias + relu) and Conv2DTranspose both need the kernel.
    const fusedGrad = tf.grad((f: tf.Tensor) => tf.fused.conv2d({ x, filter: f as tf.Tensor4D, strides: c.stride, pad: c.pad, bias: tf.scalar(0.1), activation: 'relu' }).mul(dy).sum())(filter);
    const tFilter = tf.tensor4d(lcgValues(c.f[0] * c.f[1] * c.cout * cin, 5), [c.f[0], c.f[1], cin, c.cout]);
    const transGrad = tf.grad((f: tf.Tensor) => tf.conv2dTranspose(dy, f as tf.Tensor4D, x.shape, c.stride, c.pad).mul(x).sum())(tFilter);
    return { conv: dW.dataSync() as Float32Array, fused: fusedGrad.dataSync() as Float32Array, transposed: transGrad.dataSync() as Float32Array };
  });
}

describe('Conv2DBackpropFilter on wasm', () => {
  it('is registered on wasm because the backend lacks it', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it.each(CASES)('matches cpu: x=$x f=$f cout=$cout stride=$stride pad=$pad', async (c) => {
    const cpu = await onBackend('cpu', () => filterGrad(c));
    const wasm = await onBackend('wasm', () => filterGrad(c));
    expect(relativeError(wasm.conv, cpu.conv)).toBeLessThan(1e-4);
    expect(relativeError(wasm.fused, cpu.fused)).toBeLessThan(1e-4);
    expect(relativeError(wasm.transposed, cpu.transposed)).toBeLessThan(1e-4);
  });

  it('handles NCHW inputs too', async () => {
    const c: Case = { x: [2, 7, 9, 3], f: [3, 3], cout: 4, stride: 2, pad: 'same' };
    const cpu = await onBackend('cpu', () => filterGrad(c, 'NCHW'));
    const wasm = await onBackend('wasm', () => filterGrad(c, 'NCHW'));
    expect(relativeError(wasm.conv, cpu.conv)).toBeLessThan(1e-4);
  });

  it('leaves no tensors behind', async () => {
    await onBackend('wasm', () => {
      const before = tf.memory().numTensors;
      filterGrad(CASES[7] as Case);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});

function seeded(seed: number): tf.serialization.ConfigDict {
  return { seed };
}

/**
 * Loss and gradients of every trainable weight, then one Adam step (which must run). Gradients are compared, not
 * the weights after the step: Adam's first step is lr·sign(g), so a gradient that is 0 in exact arithmetic (a
 * BatchNorm beta feeding a softmax…) moves by ±lr depending on rounding noise.
 */
function lossAndGrads(loss: () => tf.Scalar, vars: tf.Variable[], opt: tf.Optimizer): { out: Float32Array[]; step: () => void } {
  const { value, grads } = tf.variableGrads(loss, vars);
  const out = [value.dataSync() as Float32Array, ...vars.map((v) => (grads[v.name] as tf.Tensor).dataSync() as Float32Array)];
  const step = () => {
    opt.applyGradients(grads);
    for (const v of vars) if (!Number.isFinite(v.dataSync()[0])) throw new Error(`${v.name} is not finite after the step`);
  };
  return { out, step };
}

/** One Adam step of a dense MLP with LeakyReLU, BatchNorm, Dropout and tanh + softmax heads. */
function mlpStep(): Float32Array[] {
  return tf.tidy(() => {
    const glorot = (s: number) => tf.initializers.glorotUniform(seeded(s));
    const input = tf.input({ shape: [12] });
    let h = tf.layers.dense({ units: 32, kernelInitializer: glorot(1) }).apply(input) as tf.SymbolicTensor;
    h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
    h = tf.layers.leakyReLU({ alpha: 0.2 }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.dropout({ rate: 0.5, seed: 5 }).apply(h) as tf.SymbolicTensor;
    const tanhHead = tf.layers.dense({ units: 3, activation: 'tanh', kernelInitializer: glorot(2) }).apply(h) as tf.SymbolicTensor;
    const softHead = tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: glorot(3) }).apply(h) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: [tanhHead, softHead] });
    const x = tf.tensor2d(lcgValues(16 * 12, 9), [16, 12]);
    const yT = tf.tensor2d(lcgValues(16 * 3, 10), [16, 3]);
    const yS = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 4), 'int32'), 4);
    const opt = tf.train.adam(1e-2);
    const { out, step } = lossAndGrads(() => {
      const [t, s] = model.apply(x, { training: true }) as tf.Tensor[];
      return tf.losses.meanSquaredError(yT, t as tf.Tensor).add<tf.Scalar>(tf.losses.softmaxCrossEntropy(yS, s as tf.Tensor));
    }, model.trainableWeights.map((w) => w.read() as tf.Variable), opt);
    step();
    opt.dispose();
    model.dispose();
    return out;
  });
}

/** One Adam step of a small DCGAN: discriminator, then generator. */
function dcganStep(): Float32Array[] {
  return tf.tidy(() => {
    const he = (s: number) => tf.initializers.heNormal(seeded(s));
    const g = tf.sequential();
    g.add(tf.layers.dense({ inputShape: [8], units: 4 * 4 * 8, kernelInitializer: he(1) }));
    g.add(tf.layers.reshape({ targetShape: [4, 4, 8] }));
    g.add(tf.layers.conv2dTranspose({ filters: 4, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: he(2) }));
    g.add(tf.layers.batchNormalization());
    g.add(tf.layers.leakyReLU({ alpha: 0.2 }));
    g.add(tf.layers.conv2dTranspose({ filters: 1, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: he(3) }));
    const d = tf.sequential();
    d.add(tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 4, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: he(4) }));
    d.add(tf.layers.batchNormalization());
    d.add(tf.layers.leakyReLU({ alpha: 0.2 }));
    d.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', kernelInitializer: he(5) }));
    d.add(tf.layers.leakyReLU({ alpha: 0.2 }));
    d.add(tf.layers.flatten());
    d.add(tf.layers.dense({ units: 1, kernelInitializer: he(6) }));
    const z = tf.tensor2d(lcgValues(6 * 8, 4), [6, 8]);
    const real = tf.tensor4d(lcgValues(6 * 256, 8), [6, 16, 16, 1]);
    const optD = tf.train.adam(2e-4, 0.5);
    const optG = tf.train.adam(2e-4, 0.5);
    const dOut = lossAndGrads(() => {
      const fake = g.apply(z, { training: true }) as tf.Tensor;
      const lossReal = tf.losses.sigmoidCrossEntropy(tf.ones([6, 1]), d.apply(real, { training: true }) as tf.Tensor);
      const lossFake = tf.losses.sigmoidCrossEntropy(tf.zeros([6, 1]), d.apply(fake, { training: true }) as tf.Tensor);
      return lossReal.add<tf.Scalar>(lossFake);
    }, d.trainableWeights.map((w) => w.read() as tf.Variable), optD);
    const gOut = lossAndGrads(
      () => tf.losses.sigmoidCrossEntropy(tf.ones([6, 1]), d.apply(g.apply(z, { training: true }), { training: true }) as tf.Tensor).mul<tf.Scalar>(1),
      g.trainableWeights.map((w) => w.read() as tf.Variable),
      optG,
    );
    // Both gradients from the same starting weights, then both steps.
    dOut.step();
    gOut.step();
    const out = [...dOut.out, ...gOut.out];
    optD.dispose();
    optG.dispose();
    g.dispose();
    d.dispose();
    return out;
  });
}

describe('training steps on wasm match cpu', () => {
  it.each([
    ['dense MLP (LeakyReLU, BatchNorm, Dropout, tanh/softmax heads, Adam)', mlpStep],
    ['DCGAN (Conv2D stride 2, Conv2DTranspose, BatchNorm, LeakyReLU, Adam)', dcganStep],
  ] as const)('%s', async (_name, step) => {
    const cpu = await onBackend('cpu', step);
    const wasm = await onBackend('wasm', step);
    expect(wasm.length).toBe(cpu.length);
    // Scale floor 1e-2 (the real gradients here are 0.1–1.5): a bias in front of a BatchNorm has a gradient
    // that is 0 in exact arithmetic, ~1e-8 of rounding noise on either backend.
    const errors = cpu.map((c, i) => relativeError(wasm[i] as Float32Array, c, 1e-2));
    for (const e of errors) expect(e).toBeLessThan(1e-4);
  });
});
