// Speed never buys a changed result silently: digests of seeded TVAE and CTGAN runs (weights after a few steps, the
// losses, then a sample) on both backends, pinned to what the code gave before the speed work of issue #13. A change
// that alters any float of a seeded run fails here; if it is meant, re-pin and say so in the change.
// Re-pinned once, on purpose: normals by the ziggurat instead of Box–Muller (3 December 2026, engine/rng.ts).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { Rng } from '../../electron/core/train/engine/rng';
import { CtganTrainer, ctganConfigSchema } from '../../electron/core/train/models/ctgan';
import { gumbelNoise } from '../../electron/core/train/models/ctgan-model';
import { TvaeTrainer, tvaeConfigSchema } from '../../electron/core/train/models/tvae';
import { CLINICAL, onBackend, syntheticTable } from '../train-engine/helpers';

function digest(parts: readonly ArrayLike<number>[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(Buffer.from(Float32Array.from(p).buffer));
  return h.digest('hex').slice(0, 16);
}

// Width 59 with categories of 8, 6, 4, 3 and 2: the padded softmax slots (Gumbel noise skipped there) are exercised.
function runBoth(): { tvae: string; ctgan: string } {
  const table = syntheticTable(400, 7, CLINICAL);
  const rng = Rng.fromSeed(11);
  const tv = new TvaeTrainer(tvaeConfigSchema.parse({ compressDims: [32, 32], decompressDims: [32, 32], embeddingDim: 16 }), table, 100, rng);
  let tvae: string;
  try {
    tv.beginEpoch(rng);
    const losses: number[] = [];
    for (let s = 0; s < 3; s++) losses.push(...Object.values(tv.trainStep(s, rng)));
    const rows = tv.model.sample(300, Rng.fromSeed(12), { chunk: 128 });
    tvae = digest([...tv.exportWeights().map((w) => new Float32Array(w.data)), rows, losses]);
  } finally {
    tv.dispose();
  }
  const ct = new CtganTrainer(ctganConfigSchema.parse({ generatorDims: [32, 32], discriminatorDims: [32, 32], embeddingDim: 16 }), table, 100, rng);
  try {
    const losses: number[] = [];
    for (let s = 0; s < 2; s++) losses.push(...Object.values(ct.trainStep(s, rng)));
    const rows = ct.sample(250, Rng.fromSeed(13));
    return { tvae, ctgan: digest([...ct.exportWeights().map((w) => new Float32Array(w.data)), rows, losses]) };
  } finally {
    ct.dispose();
  }
}

describe('seeded TVAE and CTGAN runs', () => {
  it('give the pinned weights, losses and samples on the WASM backend', async () => {
    expect((await selectBackend()).name).toBe('wasm');
    expect(await onBackend('wasm', runBoth)).toEqual({ tvae: '587c9e7774387c70', ctgan: 'a8003f8c9f55e574' });
  });

  it('give the pinned weights, losses and samples on the CPU backend', async () => {
    await selectBackend();
    expect(await onBackend('cpu', runBoth)).toEqual({ tvae: '62c105c0c2d4ecfa', ctgan: 'ad68af3511e425cc' });
  });
});

describe('Gumbel noise over padded softmax slots', () => {
  it('keeps the real slots and the stream as the full draw, and writes 0 on padding', () => {
    const slots = Uint8Array.from([1, 1, 0, 1, 0, 0]);
    const full = Rng.fromSeed(5);
    const skip = Rng.fromSeed(5);
    const a = gumbelNoise(600, full);
    const b = gumbelNoise(600, skip, slots);
    for (let i = 0; i < 600; i++) expect(b[i]).toBe(slots[i % 6] === 1 ? a[i] : 0);
    expect(skip.state()).toEqual(full.state());
  });
});
