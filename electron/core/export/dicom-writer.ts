// Writes synthetic greyscale images as DICOM Part 10 files (Explicit VR Little Endian), one file per image, all
// of one call forming one series of one new study of one placeholder patient. The writer takes no source data
// set and no identity: every attribute is either generated here (UIDs, dates, placeholders) or one of the few
// non-identifying facts the caller may pass (modality, body part, pixel spacing, a series description, the class
// of a conditional run, the run's provenance). A conditional run's images are one series per class in one study. Unknown keys in `meta` are refused at run time too, so JavaScript callers cannot slip one in.
//
// SOP classes: Multi-frame Grayscale Byte SC (8-bit) and Multi-frame Grayscale Word SC (16-bit) Image Storage,
// each file holding one frame. They are the IODs made for greyscale secondary capture (MONOCHROME2, unsigned,
// 8 or 9–16 bits, rescale identity) and dciodvfy checks them without errors; see test/export for its warnings.
import { createHash, randomUUID } from 'node:crypto';
import { APP_NAME, APP_VERSION } from '../version';
import { encodePart10, type DicomElement } from './dicom-encode';
import { CLASS_LINE, syntheticStatement, validateImages, validateMeta, type SyntheticImage, type SyntheticImageMeta } from './synthetic';

export type { SyntheticImage, SyntheticImageMeta } from './synthetic';

export const SOP_CLASS_GRAYSCALE_BYTE_SC = '1.2.840.10008.5.1.4.1.1.7.2';
export const SOP_CLASS_GRAYSCALE_WORD_SC = '1.2.840.10008.5.1.4.1.1.7.3';

/** A new UID in the 2.25 form: the decimal value of a random (version 4) 128-bit UUID (PS3.5 §B.2). */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString(10)}`;
}

/** The placeholder Patient ID for a run: 'SYN-' and a hash of the run's provenance, never of a source. */
export function syntheticPatientId(runId: number, specHash: string): string {
  return `SYN-${createHash('sha256').update(`airlock-synthetic:${runId}:${specHash}`).digest('hex').slice(0, 12).toUpperCase()}`;
}

// Cut text to a byte budget without splitting a UTF-8 character, and make it fit a single-line VR.
function clip(text: string, maxBytes: number): string {
  const chars = [...text.replace(/[\p{Cc}\\]/gu, ' ').trim()]; // code points, so a pair is never split
  while (Buffer.byteLength(chars.join(''), 'utf8') > maxBytes) chars.pop();
  return chars.join('').trimEnd();
}

function dicomDateTime(now: Date): { date: string; time: string } {
  const iso = now.toISOString(); // always UTC; Timezone Offset From UTC says so
  return { date: iso.slice(0, 10).replace(/-/g, ''), time: `${iso.slice(11, 19).replace(/:/g, '')}.${iso.slice(20, 23)}` };
}

// A linear window covering exactly the series' stored values (PS3.3 C.11.2.1.2: minimum → black, maximum → white).
function windowFor(images: readonly SyntheticImage[]): { center: number; width: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const { pixels } of images) {
    for (const v of pixels) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { center: (min + max + 1) / 2, width: max - min + 1 };
}

function pixelBytes(image: SyntheticImage): Uint8Array {
  if (image.pixels instanceof Uint8Array) return image.pixels;
  const view = new DataView(new ArrayBuffer(image.pixels.length * 2));
  image.pixels.forEach((v, i) => view.setUint16(i * 2, v, true));
  return new Uint8Array(view.buffer);
}

/**
 * One DICOM Part 10 file per image, in order (Instance Number 1, 2, …). All images must share one bit depth
 * (Uint8Array → 8-bit, Uint16Array → 16-bit). Study, Series and SOP Instance UIDs are new on every call.
 */
export function writeSyntheticDicom(images: readonly SyntheticImage[], meta: SyntheticImageMeta): Uint8Array[] {
  validateMeta(meta);
  const bits = validateImages(images);
  return writeSeries(images, meta, bits, newUid(), images.map((_, i) => i + 1));
}

/** What differs between the series of a conditional run: the class and the attributes its real series had. */
export type ClassSeriesMeta = Pick<SyntheticImageMeta, 'modality' | 'bodyPartExamined' | 'pixelSpacing' | 'classLabel'>;

/**
 * A conditional run's images, image i of class classOf[i]: one new study, one series per class (Series Number =
 * class index + 1) carrying that class's meta over `meta`. Files come back in image order; Instance Number is the
 * image's position in the dataset (1-based), so a file names its place in the dataset whatever its series.
 */
export function writeSyntheticClasses(images: readonly SyntheticImage[], classOf: readonly number[], classes: readonly ClassSeriesMeta[], meta: SyntheticImageMeta): Uint8Array[] {
  const bits = validateImages(images);
  if (classOf.length !== images.length || classOf.some((c) => !Number.isInteger(c) || c < 0 || c >= classes.length)) {
    throw new Error(`Every image needs a class from 0 to ${classes.length - 1}.`);
  }
  const studyUid = newUid();
  const out: Uint8Array[] = new Array<Uint8Array>(images.length);
  classes.forEach((c, k) => {
    const members = classOf.flatMap((cls, i) => (cls === k ? [i] : []));
    if (members.length === 0) return;
    const classMeta: SyntheticImageMeta = { ...meta, modality: c.modality, bodyPartExamined: c.bodyPartExamined, pixelSpacing: c.pixelSpacing, classLabel: c.classLabel, seriesNumber: k + 1 };
    validateMeta(classMeta);
    const files = writeSeries(members.map((i) => images[i] as SyntheticImage), classMeta, bits, studyUid, members.map((i) => i + 1));
    members.forEach((i, j) => (out[i] = files[j] as Uint8Array));
  });
  return out;
}

function writeSeries(images: readonly SyntheticImage[], meta: SyntheticImageMeta, bits: 8 | 16, studyUid: string, instanceNumbers: readonly number[]): Uint8Array[] {
  const sopClassUid = bits === 8 ? SOP_CLASS_GRAYSCALE_BYTE_SC : SOP_CLASS_GRAYSCALE_WORD_SC;
  const { date, time } = dicomDateTime(meta.now ?? new Date());
  const statement = syntheticStatement(meta);
  // The class goes first, before free text that may be cut to fit 64 bytes.
  const described = `SYNTHETIC run #${meta.runId}${meta.classLabel ? `, class ${meta.classLabel}` : ''} (not a real patient)`;
  const seriesDescription = clip(meta.seriesDescription ? `${described}: ${meta.seriesDescription}` : described, 64);
  const comments = meta.classLabel ? `${statement}${CLASS_LINE}${meta.classLabel}` : statement;
  const utf8 = /\P{ASCII}/u.test(seriesDescription + comments);
  const window = windowFor(images);
  const seriesUid = newUid();
  const software = `${APP_NAME} ${APP_VERSION}`;

  const series: DicomElement[] = [
    ...(utf8 ? [{ tag: 0x00080005, vr: 'CS', value: 'ISO_IR 192' } as const] : []),
    { tag: 0x00080008, vr: 'CS', value: ['DERIVED', 'SECONDARY'] },
    { tag: 0x00080012, vr: 'DA', value: date }, // Instance Creation Date
    { tag: 0x00080013, vr: 'TM', value: time },
    { tag: 0x00080016, vr: 'UI', value: sopClassUid },
    { tag: 0x00080020, vr: 'DA', value: date }, // Study Date: when the synthetic study was made
    { tag: 0x00080021, vr: 'DA', value: date }, // Series Date
    { tag: 0x00080023, vr: 'DA', value: date }, // Content Date
    { tag: 0x00080030, vr: 'TM', value: time },
    { tag: 0x00080031, vr: 'TM', value: time },
    { tag: 0x00080033, vr: 'TM', value: time },
    { tag: 0x00080050, vr: 'SH', value: '' }, // Accession Number (type 2)
    { tag: 0x00080060, vr: 'CS', value: meta.modality ?? 'OT' },
    { tag: 0x00080064, vr: 'CS', value: 'SYN' }, // Conversion Type: synthetic image
    { tag: 0x00080070, vr: 'LO', value: APP_NAME },
    { tag: 0x00080090, vr: 'PN', value: '' }, // Referring Physician's Name (type 2)
    { tag: 0x00080201, vr: 'SH', value: '+0000' },
    { tag: 0x00081030, vr: 'LO', value: seriesDescription }, // Study Description
    { tag: 0x0008103e, vr: 'LO', value: seriesDescription },
    { tag: 0x00081090, vr: 'LO', value: APP_NAME }, // Manufacturer's Model Name
    { tag: 0x00082111, vr: 'ST', value: clip(statement, 1024) }, // Derivation Description
    { tag: 0x00100010, vr: 'PN', value: 'SYNTHETIC^AIRLOCK' },
    { tag: 0x00100020, vr: 'LO', value: syntheticPatientId(meta.runId, meta.specHash) },
    { tag: 0x00100030, vr: 'DA', value: '' }, // Patient's Birth Date (type 2)
    { tag: 0x00100040, vr: 'CS', value: '' }, // Patient's Sex (type 2)
    { tag: 0x00120062, vr: 'CS', value: 'YES' }, // Patient Identity Removed
    { tag: 0x00120063, vr: 'LO', value: 'SYNTHETIC: generated by Airlock, no patient data copied' },
    ...(meta.bodyPartExamined ? [{ tag: 0x00180015, vr: 'CS', value: meta.bodyPartExamined } as const] : []),
    { tag: 0x00181012, vr: 'DA', value: date }, // Date of Secondary Capture
    { tag: 0x00181014, vr: 'TM', value: time },
    { tag: 0x00181016, vr: 'LO', value: APP_NAME }, // Secondary Capture Device Manufacturer
    { tag: 0x00181018, vr: 'LO', value: APP_NAME }, // … Manufacturer's Model Name
    { tag: 0x00181019, vr: 'LO', value: APP_VERSION }, // … Software Versions
    { tag: 0x00181020, vr: 'LO', value: software }, // Software Versions
    { tag: 0x0020000d, vr: 'UI', value: studyUid },
    { tag: 0x0020000e, vr: 'UI', value: seriesUid },
    { tag: 0x00200010, vr: 'SH', value: `RUN${meta.runId}` }, // Study ID
    { tag: 0x00200011, vr: 'IS', value: [meta.seriesNumber ?? 1] },
    { tag: 0x00200020, vr: 'CS', value: '' }, // Patient Orientation (type 2C: no Image Plane module here)
    { tag: 0x00200060, vr: 'CS', value: '' }, // Laterality (type 2C: unknown for a synthetic image)
    { tag: 0x00204000, vr: 'LT', value: comments }, // Image Comments: the statement, then the class if any
    { tag: 0x00280002, vr: 'US', value: [1] },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280008, vr: 'IS', value: [1] }, // Number of Frames
    { tag: 0x00280100, vr: 'US', value: [bits] },
    { tag: 0x00280101, vr: 'US', value: [bits] },
    { tag: 0x00280102, vr: 'US', value: [bits - 1] },
    { tag: 0x00280103, vr: 'US', value: [0] },
    { tag: 0x00280301, vr: 'CS', value: 'NO' }, // Burned In Annotation
    { tag: 0x00280302, vr: 'CS', value: 'NO' }, // Recognizable Visual Features
    { tag: 0x00281050, vr: 'DS', value: [window.center] },
    { tag: 0x00281051, vr: 'DS', value: [window.width] },
    { tag: 0x00281052, vr: 'DS', value: [0] }, // Rescale Intercept
    { tag: 0x00281053, vr: 'DS', value: [1] },
    { tag: 0x00281054, vr: 'LO', value: 'US' }, // Rescale Type: unspecified
    { tag: 0x00281055, vr: 'LO', value: 'FULL DATA RANGE' }, // Window Center & Width Explanation
    { tag: 0x20500020, vr: 'CS', value: 'IDENTITY' }, // Presentation LUT Shape
    ...(meta.pixelSpacing ? [{ tag: 0x00280030, vr: 'DS', value: meta.pixelSpacing } as const] : []),
  ];

  return images.map((image, i) => {
    const sopInstanceUid = newUid();
    return encodePart10(sopClassUid, sopInstanceUid, [
      ...series,
      { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
      { tag: 0x00200013, vr: 'IS', value: [instanceNumbers[i] ?? i + 1] },
      { tag: 0x00280010, vr: 'US', value: [image.height] },
      { tag: 0x00280011, vr: 'US', value: [image.width] },
      { tag: 0x7fe00010, vr: bits === 8 ? 'OB' : 'OW', value: pixelBytes(image) },
    ]);
  });
}
