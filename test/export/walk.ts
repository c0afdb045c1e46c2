// An independent reader for the tests: walks the elements of an Explicit VR Little Endian Part 10 file (no
// sequences, which the writer never writes), so the tests can check lengths and padding byte by byte.
export interface RawElement {
  tag: number;
  vr: string;
  /** Offset of the value field. */
  offset: number;
  length: number;
  value: Uint8Array;
}

const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

export function walkElements(bytes: Uint8Array): RawElement[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: RawElement[] = [];
  let at = 132;
  while (at < bytes.length) {
    const tag = ((view.getUint16(at, true) << 16) | view.getUint16(at + 2, true)) >>> 0;
    const vr = String.fromCharCode(bytes[at + 4] ?? 0, bytes[at + 5] ?? 0);
    const long = LONG.has(vr);
    const length = long ? view.getUint32(at + 8, true) : view.getUint16(at + 6, true);
    const offset = at + (long ? 12 : 8);
    if (offset + length > bytes.length) throw new Error(`element ${tag.toString(16)} runs past the end`);
    out.push({ tag, vr, offset, length, value: bytes.subarray(offset, offset + length) });
    at = offset + length;
  }
  return out;
}
