// The in-workstation feature encoder and image utility on generated 32 × 32 frames (discs, rings and crosses with
// noise): the classifier's features separate the classes, a seed gives the same features bit for bit, nothing
// leaks, TSTR on fresh draws of the same shapes matches TRTR while noise "synthetic" images fall far below, labels
// missing or a class absent make utility not applicable, and the macro AUC equals sklearn's on the same scores.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { Rng } from '../../electron/core/train/engine/rng';
import { spawnWorker } from '../../electron/core/train/engine/runner';
import { labelledClasses, trainEncoder, trainImageClassifier } from '../../electron/core/validate/image/encoder';
import type { ImageFrames } from '../../electron/core/validate/image/types';
import { imageUtility } from '../../electron/core/validate/image/utility';
import { aucScore } from '../../electron/core/validate/scores';
import { hasSciPy, python } from '../validate/python';

const SIZE = 32;
const CLASSES = ['disc', 'ring', 'cross'];
const EPOCHS = 8;

/** `perClass` frames of each shape (disc, ring 2.5 px wide, cross 3 px wide) at a random place and size, background −0.8, shape 0.2…0.8, N(0, 0.15²) noise. */
function shapes(perClass: number, seed: number, classes = CLASSES.length): ImageFrames {
  const rng = Rng.fromSeed(seed);
  const count = perClass * classes;
  const per = SIZE * SIZE;
  const data = new Float32Array(count * per);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const k = i % classes;
    labels[i] = k;
    const [cx, cy] = [10 + rng.uniform() * 12, 10 + rng.uniform() * 12];
    const r = 5 + rng.uniform() * 4;
    const level = 0.2 + rng.uniform() * 0.6;
    const noise = rng.normal(per, 0, 0.15);
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++) {
        const [dx, dy] = [Math.abs(x - cx), Math.abs(y - cy)];
        const d2 = dx * dx + dy * dy;
        const inside = k === 0 ? d2 <= r * r : k === 1 ? d2 <= r * r && d2 >= (r - 2.5) ** 2 : (dx <= 1.5 && dy <= r) || (dy <= 1.5 && dx <= r);
        const v = (inside ? level : -0.8) + (noise[y * SIZE + x] as number);
        data[i * per + y * SIZE + x] = Math.max(-1, Math.min(1, v));
      }
  }
  return { count, size: SIZE, data, labels, classes: CLASSES.slice(0, classes) };
}

/** Uniform noise in [−1, 1] with labels cycling through the classes: "synthetic" images with no shape at all. */
function noiseFrames(count: number, seed: number): ImageFrames {
  const data = Rng.fromSeed(seed).fillUniform(new Float32Array(count * SIZE * SIZE), -1, 1);
  return { count, size: SIZE, data, labels: Int32Array.from({ length: count }, (_, i) => i % CLASSES.length), classes: CLASSES };
}

const unlabelled = (f: ImageFrames): ImageFrames => ({ ...f, labels: null, classes: [] });

/**
 * Class separation of n × dim vectors: the smallest distance between class centroids over the mean distance of a
 * vector to its own class's centroid, and the share of vectors whose nearest centroid is their own class's.
 */
function separation(values: Float32Array, dim: number, labels: Int32Array): { ratio: number; nearestCentroid: number } {
  const rows = Array.from({ length: labels.length }, (_, i) => values.subarray(i * dim, (i + 1) * dim));
  const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v, j) => s + (v - b[j]!) ** 2, 0));
  const centroids = CLASSES.map((_, k) => {
    const own = rows.filter((_, i) => labels[i] === k);
    const c = new Float64Array(dim);
    for (const r of own) r.forEach((v, j) => (c[j]! += v / own.length));
    return c;
  });
  const within = rows.reduce((s, r, i) => s + dist(r, centroids[labels[i]!]!), 0) / rows.length;
  const between = Math.min(...centroids.flatMap((a, i) => centroids.slice(i + 1).map((b) => dist(a, b))));
  const nearest = rows.filter((r, i) => {
    const d = centroids.map((c) => dist(r, c));
    return d.indexOf(Math.min(...d)) === labels[i];
  }).length;
  return { ratio: between / within, nearestCentroid: nearest / rows.length };
}

let train: ImageFrames;
let holdout: ImageFrames;

beforeAll(async () => {
  delete process.env.AIRLOCK_TF_BACKEND;
  expect((await selectBackend()).name).toBe('wasm');
  train = shapes(100, 1);
  holdout = shapes(40, 2);
});

describe('feature encoder', () => {
  it('trains a classifier whose features keep the classes far apart, the same bit for bit for a seed, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const a = await trainEncoder(train, { seed: 'enc', epochs: EPOCHS });
    const fa = a.features(holdout);
    expect(a.describe.kind).toBe('classifier');
    expect(a.describe.classes).toEqual(CLASSES);
    expect(a.describe.finalLoss).toBeLessThan(a.describe.firstEpochLoss);
    expect(fa.length).toBe(holdout.count * a.dim);
    expect(JSON.parse(JSON.stringify(a.describe))).toEqual(a.describe);
    // The features keep classes apart far better than the pixels do, and a nearest centroid classifies by them.
    const sep = separation(fa, a.dim, holdout.labels!);
    const pixels = separation(holdout.data, SIZE * SIZE, holdout.labels!);
    expect(sep.ratio).toBeGreaterThan(1); // 1.45 here; the pixels' 0.22
    expect(sep.ratio).toBeGreaterThan(4 * pixels.ratio);
    expect(sep.nearestCentroid).toBeGreaterThan(0.9); // 0.97 here

    const b = await trainEncoder(train, { seed: 'enc', epochs: EPOCHS });
    const fb = b.features(holdout);
    expect(b.describe.weightsSha256).toBe(a.describe.weightsSha256);
    expect(Buffer.from(fb.buffer).equals(Buffer.from(fa.buffer))).toBe(true);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is an autoencoder on unlabelled frames (and on a single class), and another seed gives other weights', async () => {
    const before = tf.memory().numTensors;
    const ae = await trainEncoder(unlabelled(train), { seed: 'ae', epochs: 2 });
    expect(ae.describe.kind).toBe('autoencoder');
    expect(ae.describe.architecture).toMatch(/ConvTranspose.*squared error/);
    expect(ae.describe.finalLoss).toBeLessThan(ae.describe.firstEpochLoss);
    const f = ae.features(unlabelled(holdout));
    expect(f.length).toBe(holdout.count * ae.dim);
    expect(f.every(Number.isFinite)).toBe(true);
    ae.dispose();
    const one = shapes(20, 3, 1);
    expect(labelledClasses(one)).toBe(1);
    const [single, other] = [await trainEncoder(one, { seed: 'ae2', epochs: 1 }), await trainEncoder(one, { seed: 'ae3', epochs: 1 })];
    expect(single.describe.kind).toBe('autoencoder');
    expect(single.classifier).toBeNull();
    expect(other.describe.weightsSha256).not.toBe(single.describe.weightsSha256);
    single.dispose();
    other.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops when the checkpoint throws (cancel), leaving no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const checkpoint = (p?: number) => {
      seen.push(p ?? 0);
      if (seen.length === 12) throw new Error('cancelled by the steward');
    };
    await expect(trainEncoder(train, { seed: 'c', epochs: 3, checkpoint })).rejects.toThrow('cancelled by the steward');
    expect(seen.length).toBe(12);
    expect(seen.every((p, i) => p >= 0 && p < 1 && (i === 0 || p > seen[i - 1]!))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains in a worker thread, as the validation worker runs it, on the WASM backend', async () => {
    const worker = spawnWorker(new URL('./encoder-worker.fixture.ts', import.meta.url));
    const reply = await new Promise<{ backend: string; dim: number; features: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(reply).toEqual({ backend: 'wasm', dim: 64, features: 4 * 64 });
  });

  it('refuses frames of another size or damaged labels with a sentence', async () => {
    const enc = await trainEncoder(shapes(4, 4), { seed: 'x', epochs: 1 });
    const big: ImageFrames = { count: 1, size: 64, data: new Float32Array(64 * 64), labels: null, classes: [] };
    expect(() => enc.features(big)).toThrow(/64 × 64.*trained on 32 × 32/);
    enc.dispose();
    const bad = { ...shapes(4, 4), labels: new Int32Array(12).fill(7) };
    await expect(trainEncoder(bad, { seed: 'x', epochs: 1 })).rejects.toThrow(/class label 7/);
    const hole = shapes(4, 4);
    hole.data[3 * SIZE * SIZE + 5] = Number.NaN;
    await expect(trainEncoder(hole, { seed: 'x', epochs: 1 })).rejects.toThrow(/Training frame 4 has a pixel that is not a number/);
  });
});

describe('image utility (TSTR vs TRTR)', () => {
  it('is close to 1 for fresh draws of the same shapes and far below 1 for noise', async () => {
    const before = tf.memory().numTensors;
    const fresh = await imageUtility(train, holdout, shapes(100, 5), { seed: 'util', epochs: EPOCHS });
    if (!fresh.applicable) throw new Error(fresh.reason);
    expect(fresh.trtr.macroAuc!).toBeGreaterThan(0.95);
    expect(fresh.trtr.accuracy!).toBeGreaterThan(0.85);
    expect(Math.abs(fresh.ratio! - 1)).toBeLessThan(0.05);
    expect(fresh.ratioInterval!.low).toBeLessThanOrEqual(fresh.ratio!);
    expect(fresh.ratioInterval!.high).toBeGreaterThanOrEqual(fresh.ratio!);
    expect(fresh.ratioInterval!.low).toBeGreaterThan(0.9);
    expect(fresh.tstr.recall).toHaveLength(3);
    expect(fresh.tstr.recall.every((r) => r !== null && r > 0.7)).toBe(true);
    expect(fresh.ratioMetric).toBe('ImageClassifierMacroAuc');
    expect(fresh.tstr.model.weightsSha256).not.toBe(fresh.trtr.model.weightsSha256);

    // The feature encoder's classifier is the network TRTR trains for the same seed: reused, the same figures.
    const enc = await trainEncoder(train, { seed: 'util', epochs: EPOCHS });
    const noise = await imageUtility(train, holdout, noiseFrames(300, 6), { seed: 'util', epochs: EPOCHS, realClassifier: enc.classifier });
    enc.dispose();
    if (!noise.applicable) throw new Error(noise.reason);
    expect(noise.trtr).toEqual(fresh.trtr);
    expect(noise.ratio!).toBeLessThan(0.75); // 0.47 here, fresh draws 0.99
    expect(noise.ratioInterval!.high).toBeLessThan(0.85);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is not applicable, with a reason, without labels, with fewer than two classes or with a class missing from the synthetic set', async () => {
    const syn = shapes(10, 7);
    const reasonOf = async (t: ImageFrames, h: ImageFrames, s: ImageFrames) => {
      const r = await imageUtility(t, h, s, { seed: 'na', epochs: 1 });
      expect(r.applicable).toBe(false);
      return r.applicable ? '' : r.reason;
    };
    expect(await reasonOf(unlabelled(train), unlabelled(holdout), syn)).toMatch(/real images carry no class labels/);
    expect(await reasonOf(train, holdout, unlabelled(syn))).toMatch(/synthetic images carry no class labels/);
    expect(await reasonOf(shapes(10, 8, 1), shapes(5, 9, 1), shapes(5, 10, 1))).toMatch(/fewer than two classes/);
    const twoOnly = shapes(10, 11, 2);
    expect(await reasonOf(train, holdout, { ...twoOnly, classes: CLASSES })).toMatch(/lack class “cross”/);
    expect(await reasonOf(train, holdout, { ...syn, classes: ['disc', 'ring', 'star'] })).toMatch(/class “star”/);
  });

  it('maps synthetic labels to the real classes by name', async () => {
    // Same frames, class list in another order: labels re-indexed, so the result equals the in-order one.
    const syn = shapes(20, 12);
    const order = [2, 0, 1];
    const renamed: ImageFrames = { ...syn, classes: order.map((k) => CLASSES[k]!), labels: Int32Array.from(syn.labels!, (l) => order.indexOf(l)) };
    const [a, b] = [await imageUtility(train, holdout, syn, { seed: 'map', epochs: 2, bootstrap: 20 }), await imageUtility(train, holdout, renamed, { seed: 'map', epochs: 2, bootstrap: 20 })];
    expect(b).toEqual(a);
  });
});

describe.skipIf(!hasSciPy())('macro AUC', () => {
  it('equals sklearn roc_auc_score(multi_class="ovr", average="macro") on the same scores', async () => {
    const clf = await trainImageClassifier(train, CLASSES, { seed: 'auc', epochs: 1 }, 'real training');
    const proba = clf.predict(holdout);
    clf.dispose();
    const y = Array.from(holdout.labels!);
    const ours = aucScore(y, proba, 3);
    const sk = python<number>('from sklearn.metrics import roc_auc_score\nimport numpy as np\np = np.array(data["p"], dtype=np.float64).reshape(-1, 3)\nprint(json.dumps(roc_auc_score(data["y"], p, multi_class="ovr", average="macro")))', { y, p: Array.from(proba) });
    expect(ours).toBeGreaterThan(0.5);
    expect(ours).toBeLessThan(1); // one epoch: not yet perfect, so the ranks matter
    expect(Math.abs(ours - sk)).toBeLessThan(1e-9);
  });
});
