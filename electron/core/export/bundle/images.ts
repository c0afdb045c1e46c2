// The identity of an image dataset: SHA-256 over each image's stored pixel bytes in index order, each followed by
// its class when it has one, exactly as insertImageDataset hashes them, recomputed here from the synthetic DICOM
// files themselves. An image without a class adds nothing, so datasets made before classes keep their hash.
import { createHash, type Hash } from 'node:crypto';
import dicomParser from 'dicom-parser';
import { classInComments } from '../synthetic';

/** The stored pixel bytes of one single-frame synthetic DICOM (Pixel Data without its even-length padding). */
export function dicomPixelBytes(dicom: Uint8Array): Uint8Array {
  const data = dicomParser.parseDicom(dicom);
  const transfer = data.string('x00020010');
  if (transfer !== '1.2.840.10008.1.2.1') throw new Error(`it is not Explicit VR Little Endian (transfer syntax ${transfer ?? 'missing'})`);
  const rows = data.uint16('x00280010');
  const columns = data.uint16('x00280011');
  const bits = data.uint16('x00280100');
  const samples = data.uint16('x00280002') ?? 1;
  const frames = Number(data.string('x00280008') ?? '1');
  const pixel = data.elements.x7fe00010;
  if (rows === undefined || columns === undefined || bits === undefined || !pixel) throw new Error('it has no rows, columns, bits allocated or pixel data');
  if (bits !== 8 && bits !== 16) throw new Error(`it has ${bits} bits allocated, not 8 or 16`);
  const length = rows * columns * samples * frames * (bits / 8);
  if (pixel.length < length) throw new Error(`its pixel data has ${pixel.length} bytes, fewer than ${rows}×${columns} pixels need`);
  return dicom.subarray(pixel.dataOffset, pixel.dataOffset + length);
}

/** The class label a synthetic DICOM's Image Comments (0020,4000) name (read as UTF-8), or null. */
export function dicomClassLabel(dicom: Uint8Array): string | null {
  const el = dicomParser.parseDicom(dicom, { untilTag: 'x7fe00010' }).elements.x00204000;
  if (!el) return null;
  return classInComments(Buffer.from(dicom.buffer, dicom.byteOffset + el.dataOffset, el.length).toString('utf8'));
}

/** One image's share of the dataset hash: its pixel bytes, then NUL "class" NUL and the label in UTF-8 if it has one. */
export function updateImageHash(hash: Hash, pixels: Uint8Array, classLabel: string | null): void {
  hash.update(pixels);
  if (classLabel !== null) hash.update(Buffer.from(`\0class\0${classLabel}`, 'utf8'));
}

/** SHA-256 (hex) over every image's pixel bytes and class, in order. */
export function imagesSha256(dicoms: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const d of dicoms) updateImageHash(hash, dicomPixelBytes(d), dicomClassLabel(d));
  return hash.digest('hex');
}

/**
 * The export gate's hash of the stored images: imagesSha256, unless the class recorded beside an image is not
 * the one its file names — then a value that matches no dataset hash, so the change is reported as drift.
 */
export function imagesDatasetHash(dicoms: readonly Uint8Array[], recorded?: readonly (string | null)[]): string {
  const sha = imagesSha256(dicoms);
  if (recorded && dicoms.some((d, i) => (recorded[i] ?? null) !== dicomClassLabel(d))) return `class-labels-changed:${sha}`;
  return sha;
}
