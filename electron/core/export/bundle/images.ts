// The identity of an image dataset: SHA-256 over each image's stored pixel bytes in index order, exactly as
// insertImageDataset hashes the pixel buffers, recomputed here from the synthetic DICOM files themselves.
import { createHash } from 'node:crypto';
import dicomParser from 'dicom-parser';

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

/** SHA-256 (hex) over every image's pixel bytes, in order. */
export function imagesSha256(dicoms: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const d of dicoms) hash.update(dicomPixelBytes(d));
  return hash.digest('hex');
}

/** The name the export gate uses for the same hash. */
export const imagesDatasetHash = imagesSha256;
