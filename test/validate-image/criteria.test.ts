// Image acceptance criteria: tier defaults (external sharing allows no near-copy), spec overrides with the table
// criteria's semantics (changed defaults shown as changed, unknown or out-of-range overrides refused), and image
// specs saved before criteria existed still loading, with their content and hash unchanged.
import { describe, expect, it } from 'vitest';
import { IMAGE_CRITERIA, resolveImageCriteria } from '../../electron/shared/image-criteria';
import { imageSpecSchema, imageSpecTier } from '../../electron/shared/image-spec-schema';
import { specHash } from '../../electron/core/train/specs';
import { judgeImages } from '../../electron/core/validate/image/gate';

const oldSpec = {
  name: 'Brain MR',
  source: { kind: 'dicom', seriesIds: [1] },
  image: { size: 32, window: null, labelBy: null },
  generator: { kind: 'dcgan', epochs: 1, batchSize: 4, ngf: 8, ndf: 8, latentDim: 8, learningRate: 2e-4, checkpointEvery: 1 },
  images: 4,
  seed: 1,
  intendedUse: 'Testing.',
  prohibitedUses: [],
};

const byId = (tier: Parameters<typeof resolveImageCriteria>[0], o: Record<string, number> = {}) => new Map(resolveImageCriteria(tier, o).map((c) => [c.id, c]));

describe('image criteria', () => {
  it('brings tier defaults, strictest for external sharing', () => {
    expect(byId('external-sharing').get('images.memorisationShareMax')?.threshold).toBe(0);
    expect(byId('model-development').get('images.memorisationNcc')?.threshold).toBe(0.98);
    for (const c of IMAGE_CRITERIA) {
      const [i, m, e] = [c.defaults['internal-prototyping'], c.defaults['model-development'], c.defaults['external-sharing']];
      // Stricter never looser: a 'max' bound only falls, a 'min' bound only rises, towards external sharing.
      if (c.bound === 'max') expect(i >= m && m >= e, c.id).toBe(true);
      else expect(i <= m && m <= e, c.id).toBe(true);
      expect(e >= c.range[0] && i <= c.range[1], c.id).toBe(true);
    }
    expect(byId('model-development').get('images.memorisationShareMax')?.sentence).toContain('(NCC at least 0.98)');
  });

  it('applies a spec’s overrides as changed defaults, and the gate judges against them', () => {
    const o = { 'images.memorisationShareMax': 0.05, 'images.memorisationNcc': 0.95 };
    const c = byId('model-development', o).get('images.memorisationShareMax');
    expect(c).toMatchObject({ threshold: 0.05, tierDefault: 0.01, changed: true });
    expect(c?.sentence).toContain('(NCC at least 0.95)');
    const measured = { 'images.memorisationShareMax': { applicable: true as const, value: 0.02, detail: '' } };
    const strict = judgeImages(resolveImageCriteria('model-development', {}), measured);
    const loose = judgeImages(resolveImageCriteria('model-development', o), measured);
    expect(strict.pass).toBe(false);
    expect(strict.failed[0]).toMatch(/^Near-copies of training frames, max share: measured 0.02, allowed at most 0.01/);
    expect(loose.pass).toBe(true);
    // The NCC threshold is a parameter of the share, never judged by itself.
    expect(loose.criteria.map((r) => r.id)).not.toContain('images.memorisationNcc');
  });

  it('refuses unknown and out-of-range overrides in an image spec', () => {
    const bad = (criteria: Record<string, number>) => imageSpecSchema.safeParse({ ...oldSpec, tier: 'external-sharing', criteria }).error?.issues[0]?.message;
    expect(bad({ 'fidelity.ksMax': 0.1 })).toBe('“fidelity.ksMax” is not an acceptance criterion for images.');
    expect(bad({ 'images.precisionMin': 2 })).toBe('Precision, min: choose a value from 0 to 1.');
    expect(imageSpecSchema.parse({ ...oldSpec, tier: 'external-sharing', criteria: { 'images.precisionMin': 0.7 } }).tier).toBe('external-sharing');
  });

  it('loads an image spec saved before tiers and criteria, unchanged: model development, no overrides', () => {
    const parsed = imageSpecSchema.parse(oldSpec);
    expect(imageSpecTier(parsed)).toBe('model-development');
    expect('tier' in parsed || 'criteria' in parsed).toBe(false);
    // Same canonical content, so the stored hash of an old spec version still matches.
    expect(specHash(parsed).hash).toBe(specHash(imageSpecSchema.parse(JSON.parse(specHash(parsed).content))).hash);
    expect(specHash(parsed).content).not.toContain('tier');
  });
});
