// DICOM RLE Lossless (PS3.5 Annex G), written out because it is small and exactly specified. A frame is a
// 64-byte header (segment count, then up to 15 segment offsets) followed by PackBits-compressed segments.
// Each segment holds one byte of one sample for every pixel: for 16-bit RGB the order is R-high, R-low,
// G-high, G-low, B-high, B-low (most significant byte first), so the image is planar by construction.
import { DicomError } from './dicom-error';
import type { Samples } from './codecs';

export function decodeRle(frame: Uint8Array, rows: number, columns: number, samplesPerPixel: number, bitsAllocated: number): Samples {
  const bytesPerSample = bitsAllocated / 8;
  if (![1, 2, 4].includes(bytesPerSample)) {
    throw new DicomError('DICOM_UNSUPPORTED', `RLE pixel data with ${bitsAllocated} bits allocated cannot be decoded by Airlock.`);
  }
  if (frame.length < 64) throw malformed(`the frame is ${frame.length} bytes, shorter than the 64-byte RLE header`);
  const header = new DataView(frame.buffer, frame.byteOffset, 64);
  const count = header.getUint32(0, true);
  const expected = samplesPerPixel * bytesPerSample;
  if (count !== expected) throw malformed(`the header lists ${count} segments, but ${samplesPerPixel} sample(s) of ${bitsAllocated} bits need ${expected}`);

  const pixels = rows * columns;
  const out = bytesPerSample === 1 ? new Uint8Array(pixels * samplesPerPixel) : bytesPerSample === 2 ? new Uint16Array(pixels * samplesPerPixel) : new Uint32Array(pixels * samplesPerPixel);
  const segment = new Uint8Array(pixels);
  for (let s = 0; s < count; s++) {
    const start = header.getUint32(4 + 4 * s, true);
    const end = s + 1 < count ? header.getUint32(8 + 4 * s, true) : frame.length;
    if (start < 64 || end > frame.length || end < start) throw malformed(`segment ${s + 1} has an impossible offset`);
    const produced = unpackBits(frame, start, end, segment);
    if (produced < pixels) throw malformed(`segment ${s + 1} decodes to ${produced} bytes instead of ${pixels}`);
    const sample = Math.floor(s / bytesPerSample);
    const shift = 8 * (bytesPerSample - 1 - (s % bytesPerSample));
    // Multiplying (not shifting) keeps the top byte of 32-bit samples unsigned.
    const weight = 2 ** shift;
    for (let p = 0, o = sample; p < pixels; p++, o += samplesPerPixel) out[o] = (out[o] as number) + (segment[p] as number) * weight;
  }
  return out;
}

// PackBits: a header byte n in 0..127 copies the next n+1 bytes; -127..-1 repeats the next byte 1-n times;
// -128 is a no-op. Output past the segment's size (encoder padding) is dropped.
function unpackBits(src: Uint8Array, start: number, end: number, dest: Uint8Array): number {
  let i = start;
  let o = 0;
  while (i < end && o < dest.length) {
    const n = src[i++] as number;
    if (n < 128) {
      const run = Math.min(n + 1, end - i, dest.length - o);
      dest.set(src.subarray(i, i + run), o);
      i += n + 1;
      o += run;
    } else if (n > 128) {
      const run = Math.min(257 - n, dest.length - o);
      dest.fill(src[i++] as number, o, o + run);
      o += run;
    }
  }
  return o;
}

function malformed(detail: string): DicomError {
  return new DicomError('DICOM_MALFORMED', `The RLE-compressed pixel data is damaged: ${detail}.`);
}
