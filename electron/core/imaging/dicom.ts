// Parses a DICOM Part 10 file into the metadata Airlock shows and stores. Pure: bytes in, a plain object
// out (no file system, no database). Pixels are decoded separately (pixels.ts) so that a file whose pixels
// Airlock cannot decode still shows its metadata.
import { inflateRawSync } from 'node:zlib';
import dicomParser, { type DataSet } from 'dicom-parser';
import { checkComplete, classifyParseError } from './classify';
import { headerlessKind, parseHeaderless, withPreamble, type Headerless } from './headerless';
import { dictionaryEntry } from './dictionary';
import { decodeText, textDecoderFor, tagViews, type DicomTagView } from './tag-view';
import { transferSyntax } from './transfer-syntax';

export { DicomError } from './dicom-error';
export type { DicomTagView } from './tag-view';

export interface ParsedDicom {
  transferSyntaxUid: string;
  transferSyntaxName: string;
  sopClassUid: string | null;
  sopInstanceUid: string | null;
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  patientId: string | null;
  patientName: string | null;
  patientBirthDate: string | null;
  studyDate: string | null;
  studyDescription: string | null;
  seriesDescription: string | null;
  seriesNumber: number | null;
  modality: string | null;
  bodyPartExamined: string | null;
  instanceNumber: number | null;
  imagePositionPatient: number[] | null;
  imageOrientationPatient: number[] | null;
  pixelSpacing: number[] | null;
  sliceThickness: number | null;
  rows: number | null;
  columns: number | null;
  /** 1 when absent; 0 when present but not a whole number (a warning says so, and decoding refuses). */
  numberOfFrames: number;
  samplesPerPixel: number;
  photometricInterpretation: string | null;
  bitsAllocated: number | null;
  bitsStored: number | null;
  highBit: number | null;
  pixelRepresentation: number;
  planarConfiguration: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  windowCenter: number[];
  windowWidth: number[];
  pixelPaddingValue: number | null;
  pixelPaddingRangeLimit: number | null;
  burnedInAnnotation: 'YES' | 'NO' | null;
  hasPixelData: boolean;
  /** 'part10' normally; 'no-preamble' when only the preamble and 'DICM' are missing; 'none' when the syntax was inferred. */
  header: 'part10' | 'no-preamble' | 'none';
  /** Top-level attributes present with an empty value, as 'Keyword (gggg,eeee)' (sequences excluded). */
  emptyAttributes: string[];
  tags: DicomTagView[];
  /** Problems that do not stop parsing, as sentences (e.g. an attribute with an invalid value). */
  warnings: string[];
}

const PREAMBLE = 128;

// The dicom-parser data set of each parsed byte array, so decoding does not parse again; for deflated files its
// byte array (inflated) is what the pixel offsets refer to. Keyed by the bytes, not the ParsedDicom, so that
// callers caching ParsedDicom objects do not also keep every file's bytes alive.
const dataSets = new WeakMap<Uint8Array, DataSet>();

export function parseDicom(bytes: Uint8Array): ParsedDicom {
  const read = parseDataSet(bytes);
  dataSets.set(bytes, read.dataSet);
  return describe(read.dataSet, read.headerless);
}

/** The dicom-parser data set for `bytes`, parsing them again when they were not parsed here (e.g. reloaded). */
export function dataSetFor(bytes: Uint8Array): DataSet {
  let dataSet = dataSets.get(bytes);
  if (!dataSet) {
    dataSet = parseDataSet(bytes).dataSet;
    dataSets.set(bytes, dataSet);
  }
  return dataSet;
}

function parseDataSet(bytes: Uint8Array): { dataSet: DataSet; headerless: Headerless | null } {
  const headerless = isPart10(bytes) ? null : headerlessKind(bytes, implicitVr);
  // A meta group without its preamble reads as a Part 10 file once the preamble is put back.
  const part10 = headerless?.kind === 'meta-without-preamble' ? withPreamble(bytes) : bytes;
  let dataSet: DataSet;
  try {
    if (headerless?.kind === 'inferred') dataSet = parseHeaderless(bytes, headerless.uid, implicitVr);
    else dataSet = dicomParser.parseDicom(part10, { inflater, vrCallback: implicitVr });
  } catch (err) {
    throw classifyParseError(err, part10);
  }
  checkComplete(dataSet);
  return { dataSet, headerless };
}

function isPart10(bytes: Uint8Array): boolean {
  return bytes.length >= PREAMBLE + 4 && String.fromCharCode(...bytes.subarray(PREAMBLE, PREAMBLE + 4)) === 'DICM';
}

// Deflated Explicit VR Little Endian: everything after the meta group is one raw deflate stream.
function inflater(byteArray: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(byteArray.subarray(position));
  const full = new Uint8Array(position + inflated.length);
  full.set(byteArray.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

// Implicit VR files do not carry VRs; the dictionary supplies them (notably SQ, so sequences are walked).
// Attributes whose VR depends on other attributes (US or SS, OB or OW) stay undefined so readers decide.
const AMBIGUOUS_VR = new Set(['x00280106', 'x00280107', 'x00280120', 'x00280121', 'x00281101', 'x00281102', 'x00281103', 'x7fe00010']);
function implicitVr(tag: string): string | undefined {
  return AMBIGUOUS_VR.has(tag) ? undefined : dictionaryEntry(tag.slice(1).toUpperCase())?.vr;
}

function describe(ds: DataSet, headerless: Headerless | null): ParsedDicom {
  const decoder = textDecoderFor(ds);
  const warnings: string[] = [];
  const text = (tag: string): string | null => {
    const el = ds.elements[tag];
    if (!el || el.length <= 0 || el.items) return null;
    const value = decodeText(ds, el, el.vr ?? dictionaryEntry(tag.slice(1).toUpperCase())?.vr ?? 'LO', decoder).trim();
    return value.length > 0 ? value : null;
  };
  const decimals = (tag: string, count?: number): number[] | null => {
    const raw = text(tag);
    if (raw === null) return null;
    // Number('') is 0, so an empty component must be caught explicitly.
    const values = raw.split('\\').map((v) => (v.trim() === '' ? NaN : Number(v.trim())));
    if (values.some((v) => !Number.isFinite(v)) || (count !== undefined && values.length !== count)) {
      warnings.push(`${label(tag)} holds '${raw}', which is not ${count ?? 'a list of'} decimal number${count === 1 ? '' : 's'}; it is ignored.`);
      return null;
    }
    return values;
  };
  const decimal = (tag: string): number | null => decimals(tag, 1)?.[0] ?? null;
  const integer = (tag: string): number | null | undefined => {
    const raw = text(tag);
    if (raw === null) return undefined;
    if (/^[+-]?\d+$/.test(raw)) return Number(raw);
    warnings.push(`${label(tag)} holds '${raw}', which is not a whole number.`);
    return null;
  };
  const us = (tag: string): number | null => (ds.elements[tag] && ds.elements[tag].length >= 2 ? (ds.uint16(tag) ?? null) : null);

  const pixelRepresentation = us('x00280103') ?? 0;
  const bitsAllocated = us('x00280100');
  const bitsStored = us('x00280101') ?? bitsAllocated;
  const frames = integer('x00280008');
  const burned = text('x00280301')?.toUpperCase() ?? null;
  const tsUid = headerless?.kind === 'inferred' ? headerless.uid : (text('x00020010') ?? '').replace(/\0/g, '');
  const ts = transferSyntax(tsUid);
  return {
    transferSyntaxUid: tsUid,
    transferSyntaxName: ts.name,
    sopClassUid: text('x00080016') ?? text('x00020002'),
    sopInstanceUid: text('x00080018') ?? text('x00020003'),
    studyInstanceUid: text('x0020000d'),
    seriesInstanceUid: text('x0020000e'),
    patientId: text('x00100020'),
    patientName: text('x00100010'),
    patientBirthDate: text('x00100030'),
    studyDate: text('x00080020'),
    studyDescription: text('x00081030'),
    seriesDescription: text('x0008103e'),
    seriesNumber: integer('x00200011') ?? null,
    modality: text('x00080060'),
    bodyPartExamined: text('x00180015'),
    instanceNumber: integer('x00200013') ?? null,
    imagePositionPatient: decimals('x00200032', 3),
    imageOrientationPatient: decimals('x00200037', 6),
    pixelSpacing: decimals('x00280030', 2),
    sliceThickness: decimal('x00180050'),
    rows: us('x00280010'),
    columns: us('x00280011'),
    numberOfFrames: frames === undefined ? 1 : (frames ?? 0),
    samplesPerPixel: us('x00280002') ?? 1,
    photometricInterpretation: text('x00280004')?.toUpperCase() ?? null,
    bitsAllocated,
    bitsStored,
    highBit: us('x00280102') ?? (bitsStored === null ? null : bitsStored - 1),
    pixelRepresentation,
    planarConfiguration: us('x00280006') ?? 0,
    rescaleSlope: decimal('x00281053') ?? 1,
    rescaleIntercept: decimal('x00281052') ?? 0,
    windowCenter: decimals('x00281050') ?? [],
    windowWidth: decimals('x00281051') ?? [],
    pixelPaddingValue: padding(ds, 'x00280120', pixelRepresentation),
    pixelPaddingRangeLimit: padding(ds, 'x00280121', pixelRepresentation),
    burnedInAnnotation: burned === 'YES' || burned === 'NO' ? burned : null,
    hasPixelData: ds.elements.x7fe00010 !== undefined,
    header: headerless === null ? 'part10' : headerless.kind === 'inferred' ? 'none' : 'no-preamble',
    emptyAttributes: Object.values(ds.elements)
      .filter((el) => el.length === 0 && !el.items && !el.tag.startsWith('x0002'))
      .map((el) => label(el.tag)),
    tags: tagViews(ds, bitsAllocated),
    warnings,
  };
}

// Pixel Padding Value is US or SS to match Pixel Representation; Implicit VR files do not say which.
function padding(ds: DataSet, tag: string, pixelRepresentation: number): number | null {
  const el = ds.elements[tag];
  if (!el || el.length < 2) return null;
  const signed = el.vr === 'SS' || (el.vr === undefined && pixelRepresentation === 1);
  return signed ? (ds.int16(tag) ?? null) : (ds.uint16(tag) ?? null);
}

function label(tag: string): string {
  const bare = tag.slice(1).toUpperCase();
  const keyword = dictionaryEntry(bare)?.keyword;
  return `${keyword ? `${keyword} ` : ''}(${bare.slice(0, 4)},${bare.slice(4)})`;
}
