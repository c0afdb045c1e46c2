// DICOM data sets written without the Part 10 header (no 128-byte preamble, no 'DICM'), as old archives and
// some modality exports store them. Without the file meta information nothing says how the data set is
// encoded, so the encoding is inferred: it must parse cleanly, in tag order, in exactly one of Implicit VR
// Little Endian and Explicit VR Little Endian; otherwise the file is refused rather than guessed at.
import dicomParser, { type DataSet } from 'dicom-parser';
import { DicomError } from './dicom-error';
import { walk } from './structure';

export const IMPLICIT_LE = '1.2.840.10008.1.2';
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';

export type Headerless =
  /** The file meta group is there, only the preamble and 'DICM' are missing: the meta says the syntax. */
  | { kind: 'meta-without-preamble' }
  | { kind: 'inferred'; uid: typeof IMPLICIT_LE | typeof EXPLICIT_LE };

type VrCallback = (tag: string) => string | undefined;

const PREAMBLE = 128;

/** How a file without 'DICM' at byte 128 can be read, or a DicomError saying why it cannot. */
export function headerlessKind(bytes: Uint8Array, vrCallback: VrCallback): Headerless {
  if (bytes.length < 8) throw notDicom(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // (0002,0000) UL: the meta group itself, which is always Explicit VR Little Endian.
  if (view.getUint16(0, true) === 0x0002 && view.getUint16(2, true) === 0x0000 && bytes[4] === 0x55 && bytes[5] === 0x4c) return { kind: 'meta-without-preamble' };
  const fits = [IMPLICIT_LE, EXPLICIT_LE].filter((uid) => parsesAs(bytes, uid, vrCallback));
  if (fits.length === 1) return { kind: 'inferred', uid: fits[0] as typeof IMPLICIT_LE };
  if (fits.length === 2) {
    throw new DicomError(
      'DICOM_MALFORMED',
      'This file is a DICOM data set without the Part 10 header, and it reads equally well with implicit and with explicit VRs, so Airlock cannot tell which is right. Convert it to a Part 10 file (e.g. with dcmconv) and import it again.',
    );
  }
  throw notDicom(bytes);
}

/** A Part 10 byte array for a meta group written without its preamble: the preamble and 'DICM' put back. */
export function withPreamble(bytes: Uint8Array): Uint8Array {
  const full = new Uint8Array(PREAMBLE + 4 + bytes.length);
  full.set([0x44, 0x49, 0x43, 0x4d], PREAMBLE);
  full.set(bytes, PREAMBLE + 4);
  return full;
}

/** dicom-parser's data set for a headerless file, read with the inferred syntax. */
export function parseHeaderless(bytes: Uint8Array, uid: string, vrCallback: VrCallback): DataSet {
  const dataSet = dicomParser.parseDicom(bytes, { TransferSyntaxUID: uid, vrCallback });
  // dicom-parser adds a stand-in (0002,0010) with no bytes behind it; the syntax is recorded separately.
  delete dataSet.elements.x00020010;
  return dataSet;
}

// Plausible as `uid`: the first element is a real data set tag, the element structure walks to the end of the
// file exactly, and dicom-parser reads it with the top-level tags in ascending order (PS3.5 7.1).
function parsesAs(bytes: Uint8Array, uid: string, vrCallback: VrCallback): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const group = view.getUint16(0, true);
  if (group % 2 !== 0 || group < 0x0008 || group > 0x0028) return false;
  if (walk(bytes, 0, uid === EXPLICIT_LE, true).kind !== 'clean') return false;
  try {
    const ds = parseHeaderless(bytes, uid, vrCallback);
    const tags = Object.keys(ds.elements);
    return tags.length >= 2 && tags.every((t, i) => i === 0 || (tags[i - 1] as string) < t);
  } catch {
    return false;
  }
}

function notDicom(bytes: Uint8Array): DicomError {
  return new DicomError(
    'NOT_DICOM',
    bytes.length < PREAMBLE + 4
      ? `This file is not a DICOM file: it is only ${bytes.length} bytes long and does not read as a DICOM data set.`
      : "This file is not a DICOM file: it has no 'DICM' marker after the 128-byte preamble, and it does not read as a DICOM data set without one either.",
  );
}

export function headerlessNote(uid: string, name: string): string {
  return `This file has no Part 10 header (no preamble, 'DICM' or file meta information), as old archive exports are written. Airlock read it as ${name} (${uid}), the only encoding its elements fit; the transfer syntax is inferred, not stated by the file.`;
}
