// Wrappers around the compressed-image decoders. Each takes one frame's codestream and returns its samples
// (interleaved when there are three components) plus what the codestream says about itself, so pixels.ts
// can check it against the DICOM header. Each decoder's package is imported on first use (an import of
// uncompressed files never loads one: ~6 MB less in the process before its first file), and its wasm module
// instantiated once.
import type charlsFactory from '@cornerstonejs/codec-charls/decodewasmjs';
import type openjpegFactory from '@cornerstonejs/codec-openjpeg/decodewasmjs';
import type libjpegTurboFactory from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs';
import { DicomError, reasonOf } from './dicom-error';

export type Samples = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

export interface CodecOutput {
  data: Samples;
  width: number;
  height: number;
  components: number;
}

// The codecs print progress ("[INFO] Start to read j2k main header") to stdout; the core has no console.
const quiet = { print: () => undefined, printErr: () => undefined };
let charls: ReturnType<typeof charlsFactory> | undefined;
let openjpeg: ReturnType<typeof openjpegFactory> | undefined;
let libjpegTurbo: ReturnType<typeof libjpegTurboFactory> | undefined;

const loadCharls = async () => (await import('@cornerstonejs/codec-charls/decodewasmjs')).default(quiet);
const loadOpenjpeg = async () => (await import('@cornerstonejs/codec-openjpeg/decodewasmjs')).default(quiet);
const loadLibjpegTurbo = async () => (await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs')).default(quiet);

// A wasm trap (abort, out-of-bounds access) can leave a module's heap unusable: load a fresh one next time.
function trapped(err: unknown): boolean {
  return err instanceof Error && (err.name === 'RuntimeError' || /abort|unreachable|out of bounds/i.test(err.message));
}

// Frees the decoder's wasm memory; after a trap the module is discarded anyway, so a failure here is moot.
function release(decoder: { delete(): void }): void {
  try {
    decoder.delete();
  } catch {
    // the module trapped and will be reloaded
  }
}

function fail(what: string, err: unknown, message?: (ptr: number) => string | string[]): DicomError {
  // Emscripten C++ exceptions arrive as numeric pointers; the module can turn them into text.
  let reason = reasonOf(err);
  if (typeof err === 'number') {
    const text = message?.(err) ?? 'the decoder rejected the stream';
    reason = Array.isArray(text) ? text.join(': ') : text;
  }
  return new DicomError('DICOM_MALFORMED', `The ${what} image data could not be decoded (${reason}); the compressed stream is damaged or not what the file says it is.`, { cause: err });
}

// Copies the decoded bytes out of wasm memory (the view dies with the decoder) as samples of the right width.
function samplesFrom(bytes: Uint8Array, bitsPerSample: number, signed: boolean): Samples {
  const copy = bytes.slice();
  if (bitsPerSample <= 8) return signed ? new Int8Array(copy.buffer) : copy;
  return signed ? new Int16Array(copy.buffer, 0, copy.length >> 1) : new Uint16Array(copy.buffer, 0, copy.length >> 1);
}

export async function decodeJpegLs(frame: Uint8Array): Promise<CodecOutput> {
  charls ??= loadCharls();
  const mod = await charls;
  const decoder = new mod.JpegLSDecoder();
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    const info = decoder.getFrameInfo();
    let data = samplesFrom(decoder.getDecodedBuffer(), info.bitsPerSample, false);
    // CharLS returns un-interleaved (mode 0) colour scans plane by plane.
    if (info.componentCount > 1 && decoder.getInterleaveMode() === 0) data = interleave(data, info.componentCount);
    return { data, width: info.width, height: info.height, components: info.componentCount };
  } catch (err) {
    if (trapped(err)) charls = undefined;
    throw fail('JPEG-LS', err, mod.getExceptionMessage);
  } finally {
    release(decoder);
  }
}

export async function decodeJpeg2000(frame: Uint8Array): Promise<CodecOutput> {
  openjpeg ??= loadOpenjpeg();
  const mod = await openjpeg;
  const decoder = new mod.J2KDecoder();
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    const info = decoder.getFrameInfo();
    if (info.width === 0 || info.height === 0) throw new Error('the codestream header could not be read');
    // OpenJPEG undoes the reversible/irreversible colour transform (YBR_RCT/YBR_ICT), so colour comes out RGB.
    const data = samplesFrom(decoder.getDecodedBuffer(), info.bitsPerSample, info.isSigned === true);
    return { data, width: info.width, height: info.height, components: info.componentCount };
  } catch (err) {
    if (trapped(err)) openjpeg = undefined;
    throw fail('JPEG 2000', err);
  } finally {
    release(decoder);
  }
}

export async function decodeJpegBaseline(frame: Uint8Array, syntaxName: string, uid: string, photometric: string): Promise<CodecOutput> {
  const precision = jpegHeader(frame)?.precision ?? null;
  if (precision !== null && precision !== 8) {
    // libjpeg-turbo is built for 8-bit samples: 12-bit JPEG (process 4) needs a codec Airlock does not ship.
    throw new DicomError('DICOM_UNSUPPORTED', `Transfer syntax ${syntaxName} (${uid}) cannot be decoded by Airlock: its frames use ${precision}-bit JPEG samples, and only 8-bit JPEG is supported.`);
  }
  libjpegTurbo ??= loadLibjpegTurbo();
  const mod = await libjpegTurbo;
  const decoder = new mod.JPEGDecoder();
  try {
    const stream = photometric === 'RGB' ? withRgbHint(frame) : frame;
    decoder.getEncodedBuffer(stream.length).set(stream);
    decoder.decode();
    const info = decoder.getFrameInfo();
    // libjpeg converts YCbCr scans to RGB as JPEG (JFIF/Adobe markers) specifies, so colour comes out RGB.
    return { data: decoder.getDecodedBuffer().slice(), width: info.width, height: info.height, components: info.componentCount };
  } catch (err) {
    if (trapped(err)) libjpegTurbo = undefined;
    throw fail('JPEG', err);
  } finally {
    release(decoder);
  }
}

export async function decodeJpegLossless(frame: Uint8Array): Promise<CodecOutput> {
  const { Decoder } = await import('jpeg-lossless-decoder-js');
  try {
    const decoder = new Decoder();
    const buffer = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength);
    const data = decoder.decode(buffer as ArrayBuffer, 0, frame.byteLength);
    if (decoder.numComp > 1 && data.BYTES_PER_ELEMENT > 1) {
      // The decoder only interleaves 8-bit colour; 16-bit colour lossless JPEG is vanishingly rare.
      throw new DicomError('DICOM_UNSUPPORTED', 'This lossless JPEG image has colour samples over 8 bits, which Airlock cannot decode.');
    }
    return { data, width: decoder.xDim, height: decoder.yDim, components: decoder.numComp };
  } catch (err) {
    if (err instanceof DicomError) throw err;
    throw fail('lossless JPEG', err);
  }
}

interface JpegHeader {
  precision: number;
  /** Horizontal and vertical sampling factors per component, e.g. [0x22, 0x11, 0x11] for 4:2:0. */
  sampling: number[];
  jfif: boolean;
  adobe: boolean;
}

/** Markers up to the first SOF: its precision and sampling, and whether JFIF/Adobe colour markers precede it. */
export function jpegHeader(frame: Uint8Array): JpegHeader | null {
  let jfif = false;
  let adobe = false;
  let i = 2; // after SOI
  while (i + 4 < frame.length) {
    if (frame[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = frame[i + 1] as number;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const count = frame[i + 9] ?? 0;
      const sampling = Array.from({ length: count }, (_, k) => frame[i + 11 + 3 * k] ?? 0);
      return { precision: frame[i + 4] ?? 0, sampling, jfif, adobe };
    }
    if (marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      i += marker === 0xff ? 1 : 2; // fill byte, or a marker without a length
      continue;
    }
    if (marker === 0xe0) jfif = true;
    if (marker === 0xee) adobe = true;
    i += 2 + (((frame[i + 2] as number) << 8) | (frame[i + 3] as number));
  }
  return null;
}

// Photometric RGB means the JPEG holds RGB without a colour transform (PS3.5 8.2.1), but with no JFIF or Adobe
// marker libjpeg assumes YCbCr and would convert. An Adobe APP14 segment with transform 0 says "RGB, leave
// it". Subsampled chroma betrays a stream that really is YCbCr (mislabelled), which is left alone.
const ADOBE_RGB = Uint8Array.of(0xff, 0xee, 0, 14, 0x41, 0x64, 0x6f, 0x62, 0x65, 0, 100, 0, 0, 0, 0, 0);
function withRgbHint(frame: Uint8Array): Uint8Array {
  const h = jpegHeader(frame);
  if (!h || h.jfif || h.adobe || h.sampling.length !== 3 || new Set(h.sampling).size !== 1) return frame;
  const out = new Uint8Array(frame.length + ADOBE_RGB.length);
  out.set(frame.subarray(0, 2), 0);
  out.set(ADOBE_RGB, 2);
  out.set(frame.subarray(2), 2 + ADOBE_RGB.length);
  return out;
}

/** Plane-by-plane samples (RRR…GGG…BBB…) to pixel-by-pixel (RGBRGB…). */
export function interleave<T extends Samples>(planar: T, components: number): T {
  const out = new (planar.constructor as new (n: number) => T)(planar.length);
  const plane = planar.length / components;
  for (let c = 0; c < components; c++) {
    for (let p = 0; p < plane; p++) out[p * components + c] = planar[c * plane + p] as number;
  }
  return out;
}
