// Decodes one frame of a parsed DICOM file into stored values (as pydicom's pixel_array gives them), modality
// values (rescaled, padding as NaN) for greyscale, and 8-bit RGB for anything shown in colour.
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { InvalidArgumentError } from '../errors';
import { applyPalette, rgbTo8Bit, ybrFullToRgb } from './color';
import { decodeJpeg2000, decodeJpegBaseline, decodeJpegLossless, decodeJpegLs, type CodecOutput, type Samples } from './codecs';
import { dataSetFor, type ParsedDicom } from './dicom';
import { DicomError, reasonOf } from './dicom-error';
import { frameLayout } from './fragments';
import { locateNativeFrame, nativeFrame, type NativeLayout } from './native';
import { decodeRle } from './rle';
import { transferSyntax, type TransferSyntax } from './transfer-syntax';

export interface DecodedFrame {
  width: number;
  height: number;
  samples: 1 | 3;
  /** Greyscale and palette indices: Int32Array, masked to Bits Stored and sign-extended. Colour: interleaved. */
  stored: Int32Array | Uint8Array;
  /** Greyscale only: stored × slope + intercept; Pixel Padding Value pixels are NaN. */
  modality: Float32Array | null;
  /** 8-bit interleaved RGB for colour and PALETTE COLOR frames (what to display); null for greyscale. */
  rgb: Uint8Array | null;
  /** Colour space of `stored`: the file's, except 'RGB' where the codec itself converted (JPEG, JPEG 2000 MCT). */
  photometric: string;
  /** Of modality values (NaN ignored) for greyscale; of stored values otherwise. */
  min: number;
  max: number;
}

interface Header {
  rows: number;
  columns: number;
  frames: number;
  spp: 1 | 3;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  photometric: string;
}

const MONO = new Set(['MONOCHROME1', 'MONOCHROME2']);
const DECODABLE = new Set([...MONO, 'PALETTE COLOR', 'RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_RCT', 'YBR_ICT', 'YBR_PARTIAL_422', 'YBR_PARTIAL_420']);

export async function decodeFrame(bytes: Uint8Array, parsed: ParsedDicom, frameIndex = 0): Promise<DecodedFrame> {
  const { raw, h, dataSet, photometric, native } = await decodeSamples(locateFrame(bytes, parsed, frameIndex), parsed, frameIndex);
  return build(raw, h, parsed, dataSet, photometric, native);
}

/**
 * What an import needs to know: that the frame decodes (the same refusals as decodeFrame), without building the
 * modality values a grey image only needs for display — masking and rescaling cannot refuse a frame.
 */
export async function checkFrame(bytes: Uint8Array, parsed: ParsedDicom, frameIndex = 0): Promise<void> {
  const src = locateFrame(bytes, parsed, frameIndex);
  const { h } = src;
  // An uncompressed grey frame can only be refused by where it lies: checked in place, its samples never copied.
  if (src.ts.codec === 'native' && h.spp === 1 && h.photometric !== 'PALETTE COLOR') {
    locateNativeFrame(src.dataSet, src.el, nativeLayout(h, parsed, src.ts), frameIndex);
    return;
  }
  const { raw, dataSet, photometric, native } = await decodeSamples(src, parsed, frameIndex);
  // Colour conversion and palettes can refuse (a missing lookup table), so those are built as for display.
  if (h.spp !== 1 || h.photometric === 'PALETTE COLOR') build(raw, h, parsed, dataSet, photometric, native);
}

interface FrameSource {
  h: Header;
  ts: TransferSyntax;
  dataSet: DataSet;
  /** Pixel Data (7FE0,0010), already known to be encapsulated exactly when the transfer syntax says so. */
  el: Element;
}

// The refusals every frame of a file shares: its header, the frame's existence, the transfer syntax and photometric.
function locateFrame(bytes: Uint8Array, parsed: ParsedDicom, frameIndex: number): FrameSource {
  const h = header(parsed);
  if (!Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex >= h.frames) {
    throw new InvalidArgumentError(`Frame ${frameIndex + 1} does not exist: this image has ${h.frames} frame${h.frames === 1 ? '' : 's'}.`);
  }
  const ts = transferSyntax(parsed.transferSyntaxUid);
  if (ts.codec === null) {
    throw new DicomError('DICOM_UNSUPPORTED', `Transfer syntax ${ts.name} (${ts.uid}) cannot be decoded by Airlock.`);
  }
  // Subsampled "partial" YBR only exists inside lossy codestreams, whose decoders convert it.
  if (h.photometric.startsWith('YBR_PARTIAL') && ts.codec !== 'jpeg-baseline') {
    throw new DicomError('DICOM_UNSUPPORTED', `Photometric Interpretation ${h.photometric} with ${ts.name} cannot be displayed by Airlock.`);
  }
  const dataSet = dataSetFor(bytes);
  const el = dataSet.elements.x7fe00010 as Element;
  if (ts.codec === 'native' && el.encapsulatedPixelData) throw new DicomError('DICOM_MALFORMED', `The pixel data is compressed, but the transfer syntax (${ts.name}) says it is not.`);
  if (ts.codec !== 'native' && !el.encapsulatedPixelData) throw new DicomError('DICOM_MALFORMED', `The transfer syntax (${ts.name}) says the pixel data is compressed, but it is stored uncompressed.`);
  return { h, ts, dataSet, el };
}

const nativeLayout = (h: Header, parsed: ParsedDicom, ts: TransferSyntax): NativeLayout => ({
  ...h,
  samplesPerPixel: h.spp,
  planarConfiguration: parsed.planarConfiguration,
  subsampled422: h.photometric === 'YBR_FULL_422',
  bigEndian: ts.bigEndian,
});

async function decodeSamples(src: FrameSource, parsed: ParsedDicom, frameIndex: number): Promise<{ raw: Samples; h: Header; dataSet: DataSet; photometric: string; native: boolean }> {
  const { h, ts, dataSet, el } = src;
  let raw: Samples;
  let photometric = h.photometric;
  if (ts.codec === 'native') raw = nativeFrame(dataSet, el, nativeLayout(h, parsed, ts), frameIndex);
  else {
    const codestream = frameCodestream(dataSet, el, frameIndex, h.frames);
    if (ts.codec === 'rle') raw = decodeRle(codestream, h.rows, h.columns, h.spp, h.bitsAllocated);
    else {
      const out = await decodeCodestream(ts, codestream, h.photometric);
      checkShape(out, h, ts);
      raw = out.data;
      // JPEG decoders hand back RGB for YCbCr scans, and OpenJPEG undoes the J2K component transform.
      if (h.spp === 3 && (ts.codec === 'jpeg-baseline' || photometric === 'YBR_RCT' || photometric === 'YBR_ICT')) photometric = 'RGB';
    }
  }
  if (raw.length < h.rows * h.columns * h.spp) {
    throw new DicomError('DICOM_MALFORMED', `Frame ${frameIndex + 1} decodes to ${raw.length} samples, fewer than the ${h.rows * h.columns * h.spp} its header promises.`);
  }
  return { raw, h, dataSet, photometric, native: ts.codec === 'native' };
}

function header(p: ParsedDicom): Header {
  if (!p.hasPixelData) throw new DicomError('DICOM_NO_PIXELS', 'This DICOM file has no Pixel Data (7FE0,0010): it is not an image (for example a report, plan or structure set).');
  if (!p.rows || !p.columns || !p.bitsAllocated) {
    throw new DicomError('DICOM_MALFORMED', 'The image header is incomplete: Rows (0028,0010), Columns (0028,0011) and Bits Allocated (0028,0100) are all required to read the pixels.');
  }
  if (p.numberOfFrames < 1) {
    throw new DicomError('DICOM_MALFORMED', 'Number of Frames (0028,0008) is not a positive whole number, so the frames in the pixel data cannot be located.');
  }
  if (p.samplesPerPixel !== 1 && p.samplesPerPixel !== 3) {
    throw new DicomError('DICOM_UNSUPPORTED', `Images with ${p.samplesPerPixel} samples per pixel cannot be decoded by Airlock (only 1 or 3).`);
  }
  const photometric = p.photometricInterpretation ?? (p.samplesPerPixel === 1 ? 'MONOCHROME2' : 'RGB');
  const colour = photometric !== 'PALETTE COLOR' && !MONO.has(photometric);
  if (!DECODABLE.has(photometric) || colour !== (p.samplesPerPixel === 3)) {
    throw new DicomError('DICOM_UNSUPPORTED', `Photometric Interpretation ${photometric} with ${p.samplesPerPixel} sample(s) per pixel cannot be displayed by Airlock.`);
  }
  const bitsStored = Math.min(p.bitsStored ?? p.bitsAllocated, p.bitsAllocated);
  return { rows: p.rows, columns: p.columns, frames: p.numberOfFrames, spp: p.samplesPerPixel, bitsAllocated: p.bitsAllocated, bitsStored, highBit: p.highBit ?? bitsStored - 1, photometric };
}

// One frame's bytes from encapsulated pixel data, by the fragments frameLayout assigns to it.
function frameCodestream(dataSet: DataSet, el: Element, frameIndex: number, frames: number): Uint8Array {
  const range = frameLayout(dataSet, el, frames).frames[frameIndex];
  if (!range) throw new DicomError('DICOM_MALFORMED', `Frame ${frameIndex + 1} cannot be located in the compressed pixel data.`);
  try {
    return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, el, range.first, range.count);
  } catch (err) {
    throw new DicomError('DICOM_MALFORMED', `Frame ${frameIndex + 1} cannot be read from the compressed pixel data (${reasonOf(err)}).`, { cause: err });
  }
}

async function decodeCodestream(ts: TransferSyntax, frame: Uint8Array, photometric: string): Promise<CodecOutput> {
  switch (ts.codec) {
    case 'jpeg-baseline':
      return decodeJpegBaseline(frame, ts.name, ts.uid, photometric);
    case 'jpeg-lossless':
      return decodeJpegLossless(frame);
    case 'jpeg-ls':
      return decodeJpegLs(frame);
    default:
      return decodeJpeg2000(frame);
  }
}

function checkShape(out: CodecOutput, h: Header, ts: TransferSyntax): void {
  if (out.width !== h.columns || out.height !== h.rows || out.components !== h.spp) {
    throw new DicomError(
      'DICOM_MALFORMED',
      `The ${ts.name} image is ${out.width}×${out.height} with ${out.components} component(s), but the DICOM header says ${h.columns}×${h.rows} with ${h.spp}.`,
    );
  }
}

function build(raw: Samples, h: Header, p: ParsedDicom, dataSet: DataSet, photometric: string, native: boolean): DecodedFrame {
  const n = h.rows * h.columns;
  const base = { width: h.columns, height: h.rows, photometric };
  if (h.spp === 3) {
    const stored = colourStored(raw.subarray(0, n * 3), h.bitsAllocated, p.pixelRepresentation);
    const rgb = photometric.startsWith('YBR_FULL') ? ybrFullToRgb(stored, h.bitsStored) : rgbTo8Bit(stored, h.bitsStored);
    const [min, max] = range(stored);
    return { ...base, samples: 3, stored, modality: null, rgb, min, max };
  }
  // Native data may keep other bits (old overlays) above High Bit; codecs already return Bits Stored-wide values.
  const shift = native ? Math.max(0, h.highBit + 1 - h.bitsStored) : 0;
  const stored = maskStored(raw.subarray(0, n), h.bitsStored, shift, p.pixelRepresentation === 1);
  if (h.photometric === 'PALETTE COLOR') {
    const [min, max] = range(stored);
    return { ...base, samples: 1, stored, modality: null, rgb: applyPalette(dataSet, stored, p.pixelRepresentation), min, max };
  }
  const modality = rescale(stored, p, h.bitsStored === 32 && p.pixelRepresentation === 0);
  const [min, max] = range(modality);
  return { ...base, samples: 1, stored, modality, rgb: null, min, max };
}

function maskStored(raw: Samples, bitsStored: number, shift: number, signed: boolean): Int32Array {
  const out = new Int32Array(raw.length);
  if (bitsStored >= 32) {
    for (let i = 0; i < raw.length; i++) out[i] = (raw[i] as number) | 0;
    return out;
  }
  const mask = 2 ** bitsStored - 1;
  const ext = 32 - bitsStored;
  for (let i = 0; i < raw.length; i++) {
    const v = ((raw[i] as number) >>> shift) & mask;
    out[i] = signed ? (v << ext) >> ext : v;
  }
  return out;
}

// pydicom gives colour samples unmasked in their allocated width (uint8, (u)int16, (u)int32).
function colourStored(raw: Samples, bitsAllocated: number, pixelRepresentation: number): Uint8Array | Int32Array {
  if (bitsAllocated <= 8 && raw instanceof Uint8Array) return raw;
  const out = new Int32Array(raw.length);
  const ext = 32 - bitsAllocated;
  for (let i = 0; i < raw.length; i++) {
    const v = (raw[i] as number) | 0;
    out[i] = pixelRepresentation === 1 && ext > 0 ? (v << ext) >> ext : v;
  }
  return out;
}

// Modality LUT as a linear rescale; pixels equal to Pixel Padding Value (or within its range) become NaN.
// Padding compares with stored values, as PS3.3 C.7.5.1.1.2 defines it before any rescale.
function rescale(stored: Int32Array, p: ParsedDicom, unsigned32: boolean): Float32Array {
  const out = new Float32Array(stored.length);
  const slope = p.rescaleSlope;
  const intercept = p.rescaleIntercept;
  const pad = p.pixelPaddingValue;
  const lo = pad === null ? Infinity : Math.min(pad, p.pixelPaddingRangeLimit ?? pad);
  const hi = pad === null ? -Infinity : Math.max(pad, p.pixelPaddingRangeLimit ?? pad);
  for (let i = 0; i < stored.length; i++) {
    const s = unsigned32 ? (stored[i] as number) >>> 0 : (stored[i] as number);
    out[i] = s >= lo && s <= hi ? NaN : s * slope + intercept;
  }
  return out;
}

function range(values: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [0, 0];
}

/** Set when compressed frames had to be located without the file's (wrong) Basic Offset Table; throws if they cannot be. */
export function frameLayoutNote(bytes: Uint8Array, parsed: ParsedDicom): string | null {
  const el = dataSetFor(bytes).elements.x7fe00010;
  if (!el?.encapsulatedPixelData || parsed.numberOfFrames < 1) return null;
  return frameLayout(dataSetFor(bytes), el, parsed.numberOfFrames).note;
}
