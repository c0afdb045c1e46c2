// Colour for display: every colour frame ends up as 8-bit interleaved RGB, whatever it is stored as.
import type { DataSet } from 'dicom-parser';
import { DicomError } from './dicom-error';
import type { Samples } from './codecs';

/** RGB samples of any depth to 8 bits (keeping the top bits of Bits Stored). */
export function rgbTo8Bit(src: Samples, bitsStored: number): Uint8Array {
  if (src instanceof Uint8Array) return src;
  const out = new Uint8Array(src.length);
  const shift = Math.max(0, bitsStored - 8);
  for (let i = 0; i < src.length; i++) out[i] = Math.max(0, Math.min(255, (src[i] as number) >>> shift));
  return out;
}

/**
 * YBR_FULL (and upsampled YBR_FULL_422) to RGB with the ITU-R BT.601 full-range equations of PS3.3 C.7.6.3.1.2.
 * Higher bit depths are reduced to 8 bits first; chroma is centred on half the range.
 */
export function ybrFullToRgb(src: Samples, bitsStored: number): Uint8Array {
  const ybr = rgbTo8Bit(src, bitsStored);
  const out = new Uint8Array(ybr.length);
  for (let i = 0; i + 2 < ybr.length; i += 3) {
    const y = ybr[i] as number;
    const cb = (ybr[i + 1] as number) - 128;
    const cr = (ybr[i + 2] as number) - 128;
    out[i] = clamp(y + 1.402 * cr);
    out[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
    out[i + 2] = clamp(y + 1.772 * cb);
  }
  return out;
}

function clamp(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}

interface PaletteLut {
  entries: number;
  firstMapped: number;
  red: Uint8Array;
  green: Uint8Array;
  blue: Uint8Array;
}

/** Maps PALETTE COLOR indices through the Red/Green/Blue Palette Color LUTs (PS3.3 C.7.6.3.1.5-6). */
export function applyPalette(dataSet: DataSet, indices: Int32Array, pixelRepresentation: number): Uint8Array {
  const lut = readPalette(dataSet, pixelRepresentation);
  const out = new Uint8Array(indices.length * 3);
  const last = lut.entries - 1;
  for (let i = 0; i < indices.length; i++) {
    // Below the first mapped value → first entry; beyond the table → last entry.
    const k = Math.max(0, Math.min(last, (indices[i] as number) - lut.firstMapped));
    out[i * 3] = lut.red[k] as number;
    out[i * 3 + 1] = lut.green[k] as number;
    out[i * 3 + 2] = lut.blue[k] as number;
  }
  return out;
}

function readPalette(dataSet: DataSet, pixelRepresentation: number): PaletteLut {
  if (dataSet.elements.x00281221 || dataSet.elements.x00281222 || dataSet.elements.x00281223) {
    throw new DicomError('DICOM_UNSUPPORTED', 'This PALETTE COLOR image uses segmented palette tables, which Airlock cannot display yet.');
  }
  const channels = (['x00281101', 'x00281102', 'x00281103'] as const).map((descTag, c) => {
    const desc = dataSet.elements[descTag];
    const data = dataSet.elements[['x00281201', 'x00281202', 'x00281203'][c] as string];
    if (!desc || desc.length < 6 || !data || data.length === 0) {
      throw new DicomError('DICOM_MALFORMED', 'This PALETTE COLOR image lacks its Palette Color Lookup Table Descriptor or Data (0028,1101-1203), so its colours are unknown.');
    }
    // The descriptor is US or SS; only the second value (first mapped pixel) may be negative.
    const p = dataSet.byteArrayParser;
    const entries = p.readUint16(dataSet.byteArray, desc.dataOffset) || 65536;
    const first = p.readUint16(dataSet.byteArray, desc.dataOffset + 2);
    const firstMapped = pixelRepresentation === 1 && first > 0x7fff ? first - 0x10000 : first;
    const nominalBits = p.readUint16(dataSet.byteArray, desc.dataOffset + 4);
    return { entries, firstMapped, table: lutTo8Bit(dataSet, data.dataOffset, data.length, entries, nominalBits) };
  });
  const [r, g, b] = channels as [(typeof channels)[0], (typeof channels)[0], (typeof channels)[0]];
  return { entries: r.entries, firstMapped: r.firstMapped, red: r.table, green: g.table, blue: b.table };
}

// Entries are 8 or 16 bits; the data length tells which, since 8-bit tables are sometimes stored one entry
// per 16-bit word (as pydicom also infers).
function lutTo8Bit(dataSet: DataSet, offset: number, length: number, entries: number, nominalBits: number): Uint8Array {
  const out = new Uint8Array(entries);
  const b = dataSet.byteArray;
  if (length >= entries * 2) {
    const p = dataSet.byteArrayParser;
    for (let i = 0; i < entries; i++) {
      const v = p.readUint16(b, offset + 2 * i);
      out[i] = nominalBits === 8 && v <= 0xff ? v : v >> 8;
    }
  } else if (length >= entries) {
    out.set(b.subarray(offset, offset + entries));
  } else {
    throw new DicomError('DICOM_MALFORMED', `A Palette Color Lookup Table holds ${length} bytes, too few for its ${entries} entries.`);
  }
  return out;
}
