// The acceptance criteria a synthetic image dataset is validated against, with release-tier defaults like the
// table criteria (criteria.ts): same shape, same override semantics, shown as changed when a spec changes one.
// The memorisation NCC threshold is a parameter of the share criterion, resolved and overridden like the others.
import { z } from 'zod';
import type { ReleaseTier } from './criteria';

export type ImageCriterionFamily = 'fidelity' | 'diversity' | 'utility' | 'privacy';

export interface ImageCriterionDef {
  id: string;
  family: ImageCriterionFamily;
  label: string;
  bound: 'max' | 'min';
  /** The criterion in words, with {t} for the threshold (and {ncc} for the memorisation threshold). */
  sentence: string;
  defaults: Record<ReleaseTier, number>;
  range: [number, number];
  /** 'labels': applies only when the spec has class labels. */
  when?: 'labels';
  /** A parameter of another criterion (not judged by itself). */
  parameter?: true;
}

// Defaults, and why (the numbers the gate tests on the bundled MR series stand on):
export const IMAGE_CRITERIA = [
  // Copies (1.0), light noise (σ 0.05: 0.99) and flipped or 1-px-shifted copies (≥ 0.99 with the mirror/shift search)
  // score above 0.98; unseen neighbouring slices of the same volume reach 0.975, real other patients far less.
  { id: 'images.memorisationNcc', family: 'privacy', label: 'Memorisation NCC threshold', bound: 'max', parameter: true, range: [0.5, 1], defaults: { 'internal-prototyping': 0.99, 'model-development': 0.98, 'external-sharing': 0.97 }, sentence: 'A synthetic image whose normalised cross-correlation with a training frame (also mirrored or shifted by one pixel) is at least {t} counts as a near-copy.' },
  // External sharing allows no near-copy at all; internal work tolerates a few, which the panel shows.
  { id: 'images.memorisationShareMax', family: 'privacy', label: 'Near-copies of training frames, max share', bound: 'max', range: [0, 1], defaults: { 'internal-prototyping': 0.05, 'model-development': 0.01, 'external-sharing': 0 }, sentence: 'At most {t} of the synthetic images are near-copies of a training frame (NCC at least {ncc}).' },
  // Real holdout frames score 1 by definition; pure noise scores hundreds; a short DCGAN run lands between.
  { id: 'images.frechetRatioMax', family: 'fidelity', label: 'Fréchet distance ratio, max', bound: 'max', range: [0, 1000], defaults: { 'internal-prototyping': 5, 'model-development': 3, 'external-sharing': 3 }, sentence: 'The Fréchet distance of the synthetic images to the training frames is at most {t} times that of the unseen holdout frames (1 = as close as real images), on features of the in-workstation encoder.' },
  // Noise falls on no real image (precision ≈ 0); copies score 1.
  { id: 'images.precisionMin', family: 'fidelity', label: 'Precision, min', bound: 'min', range: [0, 1], defaults: { 'internal-prototyping': 0.5, 'model-development': 0.6, 'external-sharing': 0.6 }, sentence: 'At least {t} of the synthetic images fall inside the manifold of the real training frames (improved precision, k-nearest-neighbour radii).' },
  // A generator covering a few modes only leaves most real frames uncovered.
  { id: 'images.recallMin', family: 'fidelity', label: 'Recall, min', bound: 'min', range: [0, 1], defaults: { 'internal-prototyping': 0.3, 'model-development': 0.4, 'external-sharing': 0.4 }, sentence: 'At least {t} of the real training frames fall inside the manifold of the synthetic images (improved recall: how much real variety is covered).' },
  // (1 − MS-SSIM) ratio: collapse to one image gives 0, copies of real frames 1.
  { id: 'images.diversityRatioMin', family: 'diversity', label: 'Diversity ratio, min', bound: 'min', range: [0, 10], defaults: { 'internal-prototyping': 0.5, 'model-development': 0.6, 'external-sharing': 0.6 }, sentence: 'The synthetic images are as varied as real ones: (1 − their mean pairwise MS-SSIM) is at least {t} times (1 − that of the real training frames); mode collapse drives it to 0.' },
  { id: 'images.utilityRatioMin', family: 'utility', label: 'TSTR / TRTR, min', bound: 'min', range: [0, 2], when: 'labels', defaults: { 'internal-prototyping': 0.7, 'model-development': 0.8, 'external-sharing': 0.8 }, sentence: 'A CNN classifier trained on the synthetic images reaches at least {t} of the macro AUC of the same classifier trained on the real training frames, both tested on the real holdout.' },
  // On [−1, 1]: lightly noised copies move intensities by ~0.02, uniform noise by ~0.5.
  { id: 'images.intensityWassersteinMax', family: 'fidelity', label: 'Intensity Wasserstein distance, max', bound: 'max', range: [0, 2], defaults: { 'internal-prototyping': 0.15, 'model-development': 0.1, 'external-sharing': 0.1 }, sentence: 'Overall and in every class, the distribution of pixel intensities (−1 black to 1 white) moves by at most {t} (1-D Wasserstein distance, real training vs synthetic).' },
] as const satisfies readonly ImageCriterionDef[];

export type ImageCriterionId = (typeof IMAGE_CRITERIA)[number]['id'];
const IDS = IMAGE_CRITERIA.map((c) => c.id) as [ImageCriterionId, ...ImageCriterionId[]];
export const imageCriterionIdSchema = z.enum(IDS);

export function imageCriterionDef(id: ImageCriterionId): ImageCriterionDef {
  return IMAGE_CRITERIA.find((c) => c.id === id)!;
}

/** Overrides of the tier defaults by criterion id (absent: the default), each within its range. */
export const imageCriteriaOverridesSchema = z.record(z.string(), z.number()).superRefine((o, ctx) => {
  for (const [id, v] of Object.entries(o)) {
    const def = IMAGE_CRITERIA.find((c) => c.id === id);
    if (!def) ctx.addIssue({ code: 'custom', path: [id], message: `“${id}” is not an acceptance criterion for images.` });
    else if (!(v >= def.range[0] && v <= def.range[1])) ctx.addIssue({ code: 'custom', path: [id], message: `${def.label}: choose a value from ${def.range[0]} to ${def.range[1]}.` });
  }
});

export interface ResolvedImageCriterion {
  id: ImageCriterionId;
  family: ImageCriterionFamily;
  label: string;
  bound: 'max' | 'min';
  threshold: number;
  tierDefault: number;
  changed: boolean;
  sentence: string;
  when: 'labels' | null;
  parameter: boolean;
}

const fmt = (n: number): string => String(Number(n.toPrecision(6)));

/** The image criteria in force for a tier and a spec's overrides (parameters included), each with its sentence. */
export function resolveImageCriteria(tier: ReleaseTier, overrides: Record<string, number>): ResolvedImageCriterion[] {
  const ncc = overrides['images.memorisationNcc'] ?? IMAGE_CRITERIA[0].defaults[tier];
  return IMAGE_CRITERIA.map((c: ImageCriterionDef & { id: ImageCriterionId }) => {
    const tierDefault = c.defaults[tier];
    const threshold = overrides[c.id] ?? tierDefault;
    return {
      id: c.id,
      family: c.family,
      label: c.label,
      bound: c.bound,
      threshold,
      tierDefault,
      changed: threshold !== tierDefault,
      sentence: c.sentence.replace('{t}', fmt(threshold)).replace('{ncc}', fmt(ncc)),
      when: c.when ?? null,
      parameter: c.parameter === true,
    };
  });
}
