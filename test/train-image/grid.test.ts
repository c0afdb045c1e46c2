// Preview grids and the image config schema.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../electron/core/train/engine/rng';
import { channelLadder, gridToBytes, imageConfigSchema, sampleGrid, tileGrid, type ImageSampler } from '../../electron/core/train/models/image';

describe('tileGrid', () => {
  it('places each image row by row with padding', () => {
    const size = 3;
    const images = new Float32Array(5 * 9).map((_, i) => Math.floor(i / 9) / 10); // image k is all k/10
    const g = tileGrid(images, 5, size, { columns: 3, padding: 1, background: -1 });
    expect([g.width, g.height, g.columns, g.rows]).toEqual([3 * 4 + 1, 2 * 4 + 1, 3, 2]);
    const at = (x: number, y: number) => g.pixels[y * g.width + x];
    for (let k = 0; k < 5; k++) {
      const left = 1 + (k % 3) * 4;
      const top = 1 + Math.floor(k / 3) * 4;
      for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) expect(at(left + x, top + y)).toBeCloseTo(k / 10, 6);
    }
    expect(at(0, 0)).toBe(-1);
    expect(at(4, 2)).toBe(-1); // between the first two images
    expect(at(9, 5)).toBe(-1); // the empty sixth cell
    expect(at(12, 8)).toBe(-1);
  });

  it('keeps pixel order within an image and defaults to a square-ish layout', () => {
    const images = Float32Array.from({ length: 2 * 4 }, (_, i) => i / 8);
    const g = tileGrid(images, 2, 2, { padding: 0 });
    expect([g.width, g.height]).toEqual([4, 2]);
    expect(Array.from(g.pixels)).toEqual([0, 1, 4, 5, 2, 3, 6, 7].map((v) => v / 8));
    expect(tileGrid(new Float32Array(10 * 4), 10, 2).columns).toBe(4);
  });

  it('maps [−1, 1] to bytes, clamping', () => {
    const g = gridToBytes(tileGrid(Float32Array.from([-1, 0, 1, 7]), 1, 2, { padding: 0 }));
    expect(Array.from(g.pixels)).toEqual([0, 128, 255, 255]);
    expect(g.pixels).toBeInstanceOf(Uint8Array);
  });

  it('refuses inconsistent input', () => {
    expect(() => tileGrid(new Float32Array(7), 2, 2)).toThrow(/not 2 images/);
    expect(() => tileGrid(new Float32Array(0), 0, 2)).toThrow(/at least one/);
  });

  it('sampleGrid samples with the given labels and tiles', () => {
    const seen: (ArrayLike<number> | null | undefined)[] = [];
    const sampler: ImageSampler = { size: 2, classes: 2, sample: (n, _rng, labels) => (seen.push(labels), new Float32Array(n * 4).fill(1)) };
    const g = sampleGrid(sampler, 3, Rng.fromSeed(1), { labels: [1, 0, 1], columns: 3, padding: 1 });
    expect(seen).toEqual([[1, 0, 1]]);
    expect([g.width, g.height]).toEqual([10, 4]);
    expect(g.pixels[1 * 10 + 1]).toBe(255);
    expect(g.pixels[0]).toBe(0);
  });
});

describe('imageConfigSchema', () => {
  it('applies each kind’s defaults and refuses what it does not know', () => {
    const d = imageConfigSchema.parse({ kind: 'dcgan' });
    expect(d).toMatchObject({ kind: 'dcgan', size: 64, ngf: 64, ndf: 64, latent: 100, classes: 0, generatorLr: 2e-4, beta1: 0.5 });
    const c = imageConfigSchema.parse({ kind: 'cvae', size: 128, classes: 3 });
    expect(c).toMatchObject({ kind: 'cvae', size: 128, latent: 64, learningRate: 1e-3, reconstruction: 'bce', classes: 3 });
    expect(imageConfigSchema.safeParse({ kind: 'dcgan', size: 48 }).success).toBe(false);
    expect(imageConfigSchema.safeParse({ kind: 'cvae', extra: 1 }).success).toBe(false);
    expect(imageConfigSchema.safeParse({ kind: 'gan' }).success).toBe(false);
  });

  it('halves the channels per doubling, never below the base width', () => {
    expect(channelLadder(32, 8)).toEqual([64, 32, 16]);
    expect(channelLadder(64, 64)).toEqual([512, 256, 128, 64]);
    expect(channelLadder(128, 64)).toEqual([512, 256, 128, 64, 64]);
  });
});
