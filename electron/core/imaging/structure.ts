// A minimal walk over a Part 10 file's element structure (tags, VRs, lengths, nested items; no values). It runs
// only after dicom-parser has failed, to tell a truncated file (an element runs past the end) from a
// malformed one, and to name the element — dicom-parser's own errors ("buffer overrun") say neither.

export type WalkResult =
  | { kind: 'clean' }
  | { kind: 'overrun'; tag: string; declared: number; available: number }
  | { kind: 'lost'; at: number; first: boolean };

// Explicit VRs with a 2-byte reserved field and a 4-byte length (PS3.5 Table 7.1-1).
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED = 0xffffffff;
const MAX_DEPTH = 32;

class Lost extends Error {}
class Overrun extends Error {
  constructor(
    readonly tag: string,
    readonly declared: number,
    readonly available: number,
  ) {
    super('overrun');
  }
}

interface Cursor {
  b: Uint8Array;
  view: DataView;
  le: boolean;
}

/** Where the data set starts: after the preamble, 'DICM' and the (Explicit VR Little Endian) group 0002. */
export function dataSetStart(bytes: Uint8Array): number {
  const c: Cursor = { b: bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), le: true };
  let pos = 132;
  try {
    while (pos + 8 <= bytes.length && c.view.getUint16(pos, true) === 0x0002) pos = skipElement(c, pos, true, 0);
  } catch {
    return bytes.length; // the meta group itself is cut short or garbled
  }
  return pos;
}

/** True when the file ends before the end its File Meta Information Group Length (0002,0000) promises. */
export function metaCutShort(bytes: Uint8Array): boolean {
  if (bytes.length < 144) return true;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isGroupLength = view.getUint16(132, true) === 2 && view.getUint16(134, true) === 0 && bytes[136] === 0x55 && bytes[137] === 0x4c;
  return isGroupLength && 144 + view.getUint32(140, true) > bytes.length;
}

export function walk(bytes: Uint8Array, start: number, explicit: boolean, littleEndian: boolean): WalkResult {
  const c: Cursor = { b: bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), le: littleEndian };
  let pos = start;
  try {
    while (pos < bytes.length) pos = skipElement(c, pos, explicit, 0);
    return { kind: 'clean' };
  } catch (err) {
    if (err instanceof Overrun) return { kind: 'overrun', tag: err.tag, declared: err.declared, available: err.available };
    if (err instanceof Lost || err instanceof RangeError) return { kind: 'lost', at: pos, first: pos === start };
    throw err;
  }
}

function tagAt(c: Cursor, pos: number): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  return `(${hex(c.view.getUint16(pos, c.le))},${hex(c.view.getUint16(pos + 2, c.le))})`;
}

// Returns the position after the element at `pos`.
function skipElement(c: Cursor, pos: number, explicit: boolean, depth: number): number {
  if (pos + 8 > c.b.length) throw new Overrun(tagAt(c, pos), 8, c.b.length - pos);
  const tag = tagAt(c, pos);
  let length: number;
  let header: number;
  let vr = '';
  if (explicit && !tag.startsWith('(FFFE,')) {
    vr = String.fromCharCode(c.b[pos + 4] as number, c.b[pos + 5] as number);
    if (!/^[A-Z]{2}$/.test(vr)) throw new Lost();
    if (LONG_VRS.has(vr)) {
      if (pos + 12 > c.b.length) throw new Overrun(tag, 12, c.b.length - pos);
      length = c.view.getUint32(pos + 8, c.le);
      header = 12;
    } else {
      length = c.view.getUint16(pos + 6, c.le);
      header = 8;
    }
  } else {
    length = c.view.getUint32(pos + 4, c.le);
    header = 8;
  }
  pos += header;
  if (length === UNDEFINED) {
    // A sequence, encapsulated pixel data or (CP-246) UN holding an Implicit VR sequence: walk its items.
    return skipItems(c, pos, explicit && vr !== 'UN', depth + 1);
  }
  if (pos + length > c.b.length) throw new Overrun(tag, length, c.b.length - pos);
  return pos + length;
}

function skipItems(c: Cursor, pos: number, explicit: boolean, depth: number): number {
  if (depth > MAX_DEPTH) throw new Lost();
  for (;;) {
    if (pos + 8 > c.b.length) throw new Overrun('(FFFE,E0DD)', 8, c.b.length - pos);
    const group = c.view.getUint16(pos, c.le);
    const element = c.view.getUint16(pos + 2, c.le);
    const length = c.view.getUint32(pos + 4, c.le);
    if (group !== 0xfffe) throw new Lost();
    pos += 8;
    if (element === 0xe0dd) return pos; // sequence delimitation
    if (element !== 0xe000) throw new Lost();
    if (length !== UNDEFINED) {
      if (pos + length > c.b.length) throw new Overrun('(FFFE,E000)', length, c.b.length - pos);
      pos += length;
      continue;
    }
    // An item of undefined length: elements until the item delimitation (FFFE,E00D).
    while (!(c.view.getUint16(pos, c.le) === 0xfffe && c.view.getUint16(pos + 2, c.le) === 0xe00d)) {
      pos = skipElement(c, pos, explicit, depth + 1);
      if (pos + 8 > c.b.length) throw new Overrun('(FFFE,E00D)', 8, c.b.length - pos);
    }
    pos += 8;
  }
}
