// Writes small Explicit VR Little Endian Part 10 files for tests that need attributes no public test file
// has (16-bit palettes, padding values, odd bit layouts) or a native 512×512 slice for the benchmark.

export type TestElement = [tag: number, vr: string, value: string | number[] | Uint8Array];

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

function encodeValue(vr: string, value: string | number[] | Uint8Array): Uint8Array {
  if (value instanceof Uint8Array) return value.length % 2 ? Uint8Array.from([...value, 0]) : value;
  if (typeof value === 'string') {
    const text = value.length % 2 ? value + (vr === 'UI' ? '\0' : ' ') : value;
    return new TextEncoder().encode(text);
  }
  const size = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8 }[vr];
  if (size === undefined) throw new Error(`numbers need US/SS/UL/SL/FL/FD, not ${vr}`);
  const out = new DataView(new ArrayBuffer(value.length * size));
  value.forEach((v, i) => {
    if (vr === 'US') out.setUint16(i * 2, v, true);
    else if (vr === 'SS') out.setInt16(i * 2, v, true);
    else if (vr === 'UL') out.setUint32(i * 4, v, true);
    else if (vr === 'SL') out.setInt32(i * 4, v, true);
    else if (vr === 'FL') out.setFloat32(i * 4, v, true);
    else out.setFloat64(i * 8, v, true);
  });
  return new Uint8Array(out.buffer);
}

function encodeElement([tag, vr, value]: TestElement): Uint8Array {
  const data = encodeValue(vr, value);
  const long = LONG_VRS.has(vr);
  const head = new DataView(new ArrayBuffer(long ? 12 : 8));
  head.setUint16(0, tag >>> 16, true);
  head.setUint16(2, tag & 0xffff, true);
  head.setUint8(4, vr.charCodeAt(0));
  head.setUint8(5, vr.charCodeAt(1));
  if (long) head.setUint32(8, data.length, true);
  else head.setUint16(6, data.length, true);
  const out = new Uint8Array(head.byteLength + data.length);
  out.set(new Uint8Array(head.buffer), 0);
  out.set(data, head.byteLength);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A Part 10 file holding `elements` (ascending tag order), always encoded Explicit VR Little Endian; the
 * meta can claim another transfer syntax, to test how syntaxes without a decoder are reported.
 */
export function writePart10(elements: TestElement[], transferSyntax = '1.2.840.10008.1.2.1'): Uint8Array {
  const sopClass = '1.2.840.10008.5.1.4.1.1.7';
  const sopInstance = '1.2.826.0.1.3680043.8.498.1';
  const meta = concat([
    encodeElement([0x00020001, 'OB', Uint8Array.of(0, 1)]),
    encodeElement([0x00020002, 'UI', sopClass]),
    encodeElement([0x00020003, 'UI', sopInstance]),
    encodeElement([0x00020010, 'UI', transferSyntax]),
  ]);
  const body = [encodeElement([0x00080016, 'UI', sopClass]), encodeElement([0x00080018, 'UI', sopInstance]), ...elements.map(encodeElement)];
  const preamble = new Uint8Array(132);
  preamble.set(new TextEncoder().encode('DICM'), 128);
  return concat([preamble, encodeElement([0x00020000, 'UL', [meta.length]]), meta, ...body]);
}

/** Image Pixel module elements for a greyscale image. */
export function greyImage(rows: number, columns: number, pixels: Int16Array | Uint16Array | Uint8Array, extra: TestElement[] = []): Uint8Array {
  const bits = pixels.BYTES_PER_ELEMENT * 8;
  const signed = pixels instanceof Int16Array ? 1 : 0;
  const elements: TestElement[] = [
    [0x00080060, 'CS', 'CT'],
    [0x00280002, 'US', [1]],
    [0x00280004, 'CS', 'MONOCHROME2'],
    [0x00280010, 'US', [rows]],
    [0x00280011, 'US', [columns]],
    [0x00280100, 'US', [bits]],
    [0x00280101, 'US', [bits]],
    [0x00280102, 'US', [bits - 1]],
    [0x00280103, 'US', [signed]],
    ...extra,
    [0x7fe00010, bits > 8 ? 'OW' : 'OB', new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength)],
  ];
  return writePart10(elements.sort((a, b) => a[0] - b[0]));
}
