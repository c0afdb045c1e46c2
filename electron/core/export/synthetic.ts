// What the synthetic-image writers (DICOM and PNG) accept, and the checks and statement they share. The meta
// is deliberately small and closed: the run's provenance, a few non-identifying facts about the images (modality,
// body part, spacing) and the class the conditional generator drew each image for.
// There is no field for a patient, a study, a date of a source or any source attribute, and validateMeta
// refuses keys it does not know, so nothing from a source can be passed through by accident.

/** One synthetic greyscale image, row-major, unsigned: a Uint8Array is 8-bit, a Uint16Array 16-bit. */
export interface SyntheticImage {
  width: number;
  height: number;
  pixels: Uint8Array | Uint16Array;
}

export interface SyntheticImageMeta {
  /** The training run that generated the images (a positive integer). */
  runId: number;
  /** The generator's name, e.g. 'dcgan-64'. */
  generator: string;
  /** The generation spec's hash (hex); its first 12 characters are shown. */
  specHash: string;
  /** DICOM Modality (CS, e.g. 'MR', 'CT'); 'OT' when absent. */
  modality?: string;
  /** Row and column spacing in mm, as the spec's source series had it. */
  pixelSpacing?: readonly [number, number];
  /** Free text, shown after the synthetic statement in the series description (cut to fit 64 bytes). */
  seriesDescription?: string;
  /** DICOM Body Part Examined (CS, e.g. 'BRAIN'), only when every training series of the class agrees. */
  bodyPartExamined?: string;
  /** The class a conditional generator drew the images for: in the series description and Image Comments. */
  classLabel?: string;
  /** Series Number; 1 when absent. */
  seriesNumber?: number;
  /** Creation time (for tests); now when absent. */
  now?: Date;
}

const META_KEYS: ReadonlySet<string> = new Set(['runId', 'generator', 'specHash', 'modality', 'pixelSpacing', 'seriesDescription', 'bodyPartExamined', 'classLabel', 'seriesNumber', 'now']);

export function validateMeta(meta: SyntheticImageMeta): void {
  const unknown = Object.keys(meta).filter((k) => !META_KEYS.has(k));
  if (unknown.length > 0) throw new Error(`The synthetic image writer does not take ${unknown.join(', ')}: only ${[...META_KEYS].join(', ')}.`);
  if (!Number.isInteger(meta.runId) || meta.runId < 1 || meta.runId > 2 ** 31 - 1) throw new Error(`runId must be a positive integer, not ${meta.runId}.`);
  if (typeof meta.generator !== 'string' || meta.generator.trim() === '') throw new Error('generator must be a non-empty name.');
  if (typeof meta.specHash !== 'string' || !/^[0-9a-f]{12,128}$/i.test(meta.specHash)) throw new Error('specHash must be a hex hash of at least 12 digits.');
  if (meta.modality !== undefined && !/^[A-Z0-9_]{1,16}$/.test(meta.modality)) throw new Error(`modality must be a DICOM code string like MR or CT, not '${meta.modality}'.`);
  if (meta.pixelSpacing !== undefined && (meta.pixelSpacing.length !== 2 || meta.pixelSpacing.some((v) => !Number.isFinite(v) || v <= 0))) {
    throw new Error('pixelSpacing must be two positive numbers (row, column spacing in mm).');
  }
  if (meta.seriesDescription !== undefined && typeof meta.seriesDescription !== 'string') throw new Error('seriesDescription must be text.');
  if (meta.bodyPartExamined !== undefined && !/^[A-Z0-9_ ]{1,16}$/.test(meta.bodyPartExamined)) throw new Error(`bodyPartExamined must be a DICOM code string like BRAIN, not '${meta.bodyPartExamined}'.`);
  if (meta.classLabel !== undefined && (typeof meta.classLabel !== 'string' || meta.classLabel.trim() === '' || /[\p{Cc}\\]/u.test(meta.classLabel))) {
    throw new Error('classLabel must be one line of text without control characters or backslashes.');
  }
  if (meta.seriesNumber !== undefined && (!Number.isInteger(meta.seriesNumber) || meta.seriesNumber < 0 || meta.seriesNumber > 2 ** 31 - 1)) {
    throw new Error(`seriesNumber must be a non-negative integer, not ${meta.seriesNumber}.`);
  }
  if (meta.now !== undefined && !(meta.now instanceof Date && Number.isFinite(meta.now.getTime()))) throw new Error('now must be a valid Date.');
}

/** Checks the images and returns their common bit depth. */
export function validateImages(images: readonly SyntheticImage[]): 8 | 16 {
  if (images.length === 0) throw new Error('There are no images to write.');
  const bits = images[0]?.pixels instanceof Uint16Array ? 16 : 8;
  images.forEach((image, i) => {
    const { width, height, pixels } = image;
    if (!(pixels instanceof Uint8Array || pixels instanceof Uint16Array)) throw new Error(`Image ${i + 1}: pixels must be a Uint8Array or a Uint16Array.`);
    if ((pixels instanceof Uint16Array ? 16 : 8) !== bits) throw new Error(`Image ${i + 1} is not ${bits}-bit like the first: a series has one bit depth.`);
    for (const [name, n] of [['width', width], ['height', height]] as const) {
      if (!Number.isInteger(n) || n < 1 || n > 0xffff) throw new Error(`Image ${i + 1}: ${name} must be an integer from 1 to 65535, not ${n}.`);
    }
    if (pixels.length !== width * height) throw new Error(`Image ${i + 1}: ${pixels.length} pixels do not fill ${width}×${height}.`);
  });
  return bits;
}

/** Image Comments (0020,4000) of a class's images end with this and the class label (docs/bundle-format.md). */
export const CLASS_LINE = '\nClass: ';

/** The class label a synthetic file's Image Comments name, or null (an unlabelled run, or a file made before). */
export function classInComments(comments: string | undefined): string | null {
  if (comments === undefined) return null;
  const at = comments.lastIndexOf(CLASS_LINE);
  return at === -1 ? null : comments.slice(at + CLASS_LINE.length).replace(/[\0 ]+$/, '');
}

/** The sentence every synthetic file carries. */
export function syntheticStatement(meta: SyntheticImageMeta): string {
  const generator = [...meta.generator.replace(/[\p{Cc}\\]/gu, ' ').trim()].slice(0, 64).join('');
  return `SYNTHETIC image generated by Airlock run #${meta.runId} (${generator}, spec ${meta.specHash.slice(0, 12).toLowerCase()}); not a real patient.`;
}
