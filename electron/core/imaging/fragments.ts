// Which fragments of encapsulated pixel data make up each frame. The Basic Offset Table says so when it is
// right; real files carry tables that are off by a byte or simply wrong, so a table is checked against the
// fragments and, when it does not fit, the frames are found as pydicom and DCMTK find them: one fragment per
// frame, all fragments for a single frame, or the JPEG / JPEG 2000 start and end markers.
import type { DataSet, Element } from 'dicom-parser';
import { DicomError } from './dicom-error';

export interface FrameLayout {
  /** Per frame: its first fragment and how many fragments it spans. */
  frames: { first: number; count: number }[];
  /** Set when the file's Basic Offset Table was wrong and the frames were located another way. */
  note: string | null;
}

type Fragment = { offset: number; position: number; length: number };
type Ranges = FrameLayout['frames'];

const layouts = new WeakMap<Element, FrameLayout>();

export function frameLayout(dataSet: DataSet, el: Element, frames: number): FrameLayout {
  const cached = layouts.get(el);
  if (cached && cached.frames.length === frames) return cached;
  const layout = locate(dataSet.byteArray, (el.fragments ?? []), el.basicOffsetTable ?? [], frames);
  layouts.set(el, layout);
  return layout;
}

function locate(bytes: Uint8Array, fragments: Fragment[], table: number[], frames: number): FrameLayout {
  if (fragments.length === 0) throw new DicomError('DICOM_MALFORMED', 'The compressed Pixel Data (7FE0,0010) holds no fragments: there is no image in it.');
  const fromTable = table.length > 0 ? byTable(table, fragments, frames) : null;
  if (fromTable && typeof fromTable !== 'string') return { frames: fromTable, note: null };
  const fallback = withoutTable(bytes, fragments, frames);
  if (!fallback) {
    const why = typeof fromTable === 'string' ? `the Basic Offset Table does not match the fragments (${fromTable}), and ` : '';
    throw new DicomError(
      'DICOM_MALFORMED',
      `The ${frames} frames cannot be located in the compressed pixel data: ${why}its ${fragments.length} fragments cannot be matched to frames by their JPEG markers either.`,
    );
  }
  const note =
    typeof fromTable === 'string'
      ? `The Basic Offset Table of the compressed pixel data does not match its fragments (${fromTable}); Airlock located the ${frames === 1 ? 'frame' : `${frames} frames`} from ${fallback.how} instead, as pydicom and DCMTK do.`
      : null;
  return { frames: fallback.ranges, note };
}

// A table fits when it has one offset per frame, the first is 0, and each is where a fragment starts, in order.
function byTable(table: number[], fragments: Fragment[], frames: number): Ranges | string {
  if (table.length !== frames) return `it lists ${table.length} frame${table.length === 1 ? '' : 's'}, the header says ${frames}`;
  const starts: number[] = [];
  for (let i = 0; i < table.length; i++) {
    const offset = table[i] as number;
    const index = fragments.findIndex((f) => f.offset === offset);
    if (index < 0) return `frame ${i + 1} is said to start at byte ${offset}, where no fragment starts`;
    if (i > 0 && index <= (starts[i - 1] as number)) return `frame ${i + 1} is said to start before frame ${i}`;
    if (i === 0 && index !== 0) return 'the first frame is said not to start with the first fragment';
    starts.push(index);
  }
  return rangesFrom(starts, fragments.length);
}

function withoutTable(bytes: Uint8Array, fragments: Fragment[], frames: number): { ranges: Ranges; how: string } | null {
  if (frames === 1) return { ranges: [{ first: 0, count: fragments.length }], how: 'all its fragments together' };
  if (fragments.length === frames) return { ranges: fragments.map((_f, i) => ({ first: i, count: 1 })), how: 'one fragment per frame' };
  // A frame's codestream begins with SOI (FFD8: JPEG, JPEG-LS, JPEG lossless) or SOC (FF4F: JPEG 2000).
  const starts = fragments.flatMap((f, i) => (f.length >= 2 && bytes[f.position] === 0xff && (bytes[f.position + 1] === 0xd8 || bytes[f.position + 1] === 0x4f) ? [i] : []));
  if (starts.length === frames && starts[0] === 0) return { ranges: rangesFrom(starts, fragments.length), how: 'the start-of-image markers of its fragments' };
  // Or ends with EOI / EOC (FFD9), possibly followed by the zero byte that pads a fragment to even length.
  const ends = fragments.flatMap((f, i) => (endsImage(bytes, f) ? [i] : []));
  if (ends.length === frames && ends[ends.length - 1] === fragments.length - 1) {
    return { ranges: rangesFrom([0, ...ends.slice(0, -1).map((e) => e + 1)], fragments.length), how: 'the end-of-image markers of its fragments' };
  }
  return null;
}

function endsImage(bytes: Uint8Array, f: Fragment): boolean {
  let end = f.position + f.length - 1;
  if (end > f.position && bytes[end] === 0) end -= 1;
  return end > f.position && bytes[end] === 0xd9 && bytes[end - 1] === 0xff;
}

function rangesFrom(starts: number[], total: number): Ranges {
  return starts.map((first, i) => ({ first, count: (starts[i + 1] ?? total) - first }));
}
