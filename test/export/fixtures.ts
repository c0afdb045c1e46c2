// Deterministic synthetic-looking images for the export tests (a gradient, a soft disc and seeded noise) and
// the provenance they are written with.
import type { SyntheticImage, SyntheticImageMeta } from '../../electron/core/export/synthetic';

// mulberry32: a tiny seeded PRNG, so every run writes the same pixels.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A size×size image: diagonal gradient + a bright disc + noise, scaled to `max` (255 for 8-bit, e.g. 4095). */
export function phantom(size: number, bits: 8 | 16, seed: number, max = bits === 8 ? 255 : 4095): SyntheticImage {
  const next = rng(seed);
  const values = Array.from({ length: size * size }, (_, i) => {
    const x = i % size;
    const y = Math.floor(i / size);
    const r = Math.hypot(x - size / 2, y - size / 2) / (size / 2);
    const v = 0.35 * ((x + y) / (2 * size)) + (r < 0.6 ? 0.4 * (1 - r) : 0) + 0.25 * next();
    return Math.max(0, Math.min(max, Math.round(v * max)));
  });
  return { width: size, height: size, pixels: bits === 8 ? Uint8Array.from(values) : Uint16Array.from(values) };
}

export const META: SyntheticImageMeta = {
  runId: 42,
  generator: 'dcgan-64',
  specHash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  modality: 'MR',
  pixelSpacing: [0.9375, 0.9375],
  seriesDescription: 'T1 axial brain',
  now: new Date('2026-11-22T09:30:15.250Z'),
};
