// Uncompressed ("native") pixel data: locate one frame in the Pixel Data value and read its samples in the
// file's byte order. Returns raw integer samples, pixel-interleaved; masking to Bits Stored happens later.
import type { DataSet, Element } from 'dicom-parser';
import { DicomError } from './dicom-error';
import { interleave, type Samples } from './codecs';

export interface NativeLayout {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  planarConfiguration: number;
  /** YBR_FULL_422 stores two luma samples per shared chroma pair (4 values per 2 pixels). */
  subsampled422: boolean;
  bigEndian: boolean;
  frames: number;
}

export function nativeFrame(dataSet: DataSet, el: Element, layout: NativeLayout, frameIndex: number): Samples {
  const { values, bytesPer, start } = locateNativeFrame(dataSet, el, layout, frameIndex);
  if (bytesPer === 0) return unpackBits(dataSet, el, values, frameIndex);
  let samples = readSamples(dataSet.byteArray, start, values, bytesPer, layout.bigEndian);
  if (layout.subsampled422) samples = upsample422(samples);
  else if (layout.samplesPerPixel > 1 && layout.planarConfiguration === 1) samples = interleave(samples, layout.samplesPerPixel);
  return samples;
}

/**
 * Where frame `frameIndex` lies in the Pixel Data value, with every refusal nativeFrame can give (bits allocated,
 * truncation) but no copy of its samples: what an import's decode check of an uncompressed frame needs.
 * `bytesPer` is 0 for 1-bit frames, whose bits need not start on a byte.
 */
export function locateNativeFrame(dataSet: DataSet, el: Element, layout: NativeLayout, frameIndex: number): { values: number; bytesPer: number; start: number } {
  const { rows, columns, samplesPerPixel: spp, bitsAllocated: bits } = layout;
  const values = layout.subsampled422 ? (rows * columns * 2) : rows * columns * spp;
  if (bits === 1) {
    const lastByte = el.dataOffset + Math.ceil((frameIndex * values + values) / 8);
    if (lastByte > el.dataOffset + el.length || lastByte > dataSet.byteArray.length) {
      throw new DicomError('DICOM_TRUNCATED', `The pixel data is too short for frame ${frameIndex + 1}: Pixel Data (7FE0,0010) holds ${el.length} bytes.`);
    }
    return { values, bytesPer: 0, start: el.dataOffset };
  }
  if (![8, 16, 32].includes(bits)) {
    throw new DicomError('DICOM_UNSUPPORTED', `Uncompressed pixel data with ${bits} bits allocated cannot be decoded by Airlock (8, 16 or 32, or 1 for bitmaps).`);
  }
  const bytesPer = bits / 8;
  const frameBytes = values * bytesPer;
  const start = el.dataOffset + frameIndex * frameBytes;
  const needed = layout.frames * frameBytes;
  if (el.length < needed || start + frameBytes > dataSet.byteArray.length) {
    throw new DicomError(
      'DICOM_TRUNCATED',
      `The pixel data is too short: ${layout.frames} frame(s) of ${columns}×${rows} need ${needed} bytes but Pixel Data (7FE0,0010) holds ${el.length}.`,
    );
  }
  return { values, bytesPer, start };
}

// Always a fresh, aligned copy: typed-array views need aligned offsets, and a Node Buffer's slice() is a view
// into the caller's bytes (which the byte swap below must never touch).
function readSamples(bytes: Uint8Array, start: number, count: number, bytesPer: number, bigEndian: boolean): Samples {
  const copy = new Uint8Array(count * bytesPer);
  copy.set(bytes.subarray(start, start + count * bytesPer));
  if (bytesPer === 1) return copy;
  if (bigEndian) {
    // Big-endian OW/OL words: swap in place, then view as little-endian words.
    for (let i = 0; i < copy.length; i += bytesPer) copy.subarray(i, i + bytesPer).reverse();
  }
  return bytesPer === 2 ? new Uint16Array(copy.buffer, 0, count) : new Uint32Array(copy.buffer, 0, count);
}

// 1-bit data is packed LSB first and frames need not start on a byte boundary (PS3.5 8.1.1).
function unpackBits(dataSet: DataSet, el: Element, pixels: number, frameIndex: number): Uint8Array {
  const firstBit = frameIndex * pixels;
  const out = new Uint8Array(pixels);
  const b = dataSet.byteArray;
  for (let i = 0; i < pixels; i++) {
    const bit = firstBit + i;
    out[i] = ((b[el.dataOffset + (bit >> 3)] as number) >> (bit & 7)) & 1;
  }
  return out;
}

// PS3.3 C.7.6.3.1.2: Y1 Y2 Cb Cr → Y1 Cb Cr Y2 Cb Cr, as pydicom does (no colour conversion).
function upsample422(src: Samples): Samples {
  const out = new (src.constructor as new (n: number) => Samples)((src.length / 4) * 6);
  for (let i = 0, o = 0; i + 3 < src.length; i += 4, o += 6) {
    const cb = src[i + 2] as number;
    const cr = src[i + 3] as number;
    out[o] = src[i] as number;
    out[o + 1] = cb;
    out[o + 2] = cr;
    out[o + 3] = src[i + 1] as number;
    out[o + 4] = cb;
    out[o + 5] = cr;
  }
  return out;
}
