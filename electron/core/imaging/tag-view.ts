// Turns dicom-parser elements into the strings a data steward reads in the tag table: decoded with the
// file's character set, numbers formatted, binary and sequences summarised, everything capped in length.
import { TextDecoder } from 'node:util';
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { annexEEntry } from './annex-e';
import { dictionaryEntry } from './dictionary';

export interface DicomTagView {
  /** '(0010,0010)' */
  tag: string;
  keyword: string | null;
  vr: string;
  value: string;
  /** Listed by PS3.15 Annex E (or private): the value may identify a person. */
  identifying: boolean;
  /** The Annex E basic-profile action ('Z', 'X/Z/D', ...) or null. */
  annexE: string | null;
}

const MAX_VALUE_CHARS = 200;
const MAX_NUMBERS = 64;
const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
// Free-text VRs keep leading spaces (PS3.5 6.2); the others are padded on both sides.
const KEEP_LEADING = new Set(['LT', 'ST', 'UT']);

// Specific Character Set terms → WHATWG encoding labels. ISO 2022 code extensions (escape sequences) are
// not interpreted: such text decodes with its base set, which is right for the ASCII parts.
const CHARSETS: Record<string, string> = {
  'ISO_IR 100': 'latin1', 'ISO 2022 IR 100': 'latin1', 'ISO_IR 101': 'iso-8859-2', 'ISO 2022 IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3', 'ISO_IR 110': 'iso-8859-4', 'ISO_IR 144': 'iso-8859-5', 'ISO 2022 IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6', 'ISO_IR 126': 'iso-8859-7', 'ISO 2022 IR 126': 'iso-8859-7', 'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'windows-1254', 'ISO_IR 203': 'iso-8859-15', 'ISO_IR 166': 'windows-874', 'ISO_IR 13': 'shift_jis',
  'ISO 2022 IR 13': 'shift_jis', 'ISO 2022 IR 87': 'iso-2022-jp', 'ISO 2022 IR 149': 'euc-kr', 'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030', GBK: 'gbk',
};

const decoders = new Map<string, TextDecoder>();
function decoderFor(label: string): TextDecoder {
  let d = decoders.get(label);
  if (!d) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = new TextDecoder('latin1'); // a Node without full ICU: fall back to the ASCII superset
    }
    decoders.set(label, d);
  }
  return d;
}

/** The text decoder for a data set, from (0008,0005) Specific Character Set (its last term wins for G1). */
export function textDecoderFor(dataSet: DataSet): TextDecoder {
  const el = dataSet.elements.x00080005;
  if (!el || el.length === 0) return decoderFor('latin1');
  const raw = decoderFor('latin1').decode(elementBytes(dataSet, el));
  const terms = raw.split('\\').map((t) => t.trim()).filter((t) => t.length > 0);
  const term = terms[terms.length - 1] ?? '';
  return decoderFor(CHARSETS[term] ?? 'latin1');
}

export function elementBytes(dataSet: DataSet, el: Element): Uint8Array {
  const end = Math.min(el.dataOffset + Math.max(el.length, 0), dataSet.byteArray.length);
  return dataSet.byteArray.subarray(el.dataOffset, end);
}

export function decodeText(dataSet: DataSet, el: Element, vr: string, decoder: TextDecoder): string {
  const text = decoder.decode(elementBytes(dataSet, el)).replace(/[\0 ]+$/, '');
  return KEEP_LEADING.has(vr) ? text : text.replace(/^ +/, '');
}

// Group 0002 is always Explicit VR Little Endian, whatever the data set's own byte order.
function parserFor(dataSet: DataSet, tag: string) {
  return tag.startsWith('x0002') ? dicomParser.littleEndianByteArrayParser : dataSet.byteArrayParser;
}

function numbers(dataSet: DataSet, el: Element, vr: string, tag: string): string {
  const p = parserFor(dataSet, tag);
  const b = dataSet.byteArray;
  const size = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, AT: 4, UV: 8, SV: 8 }[vr] ?? 1;
  const count = Math.floor(el.length / size);
  const out: string[] = [];
  for (let i = 0; i < Math.min(count, MAX_NUMBERS); i++) {
    const at = el.dataOffset + i * size;
    if (vr === 'US') out.push(String(p.readUint16(b, at)));
    else if (vr === 'SS') out.push(String(p.readInt16(b, at)));
    else if (vr === 'UL') out.push(String(p.readUint32(b, at)));
    else if (vr === 'SL') out.push(String(p.readInt32(b, at)));
    else if (vr === 'FL') out.push(String(Number(p.readFloat(b, at).toPrecision(7))));
    else if (vr === 'FD') out.push(String(p.readDouble(b, at)));
    else if (vr === 'AT') out.push(`(${hex4(p.readUint16(b, at))},${hex4(p.readUint16(b, at + 2))})`);
    else {
      const view = new DataView(b.buffer, b.byteOffset + at, 8);
      const little = p === dicomParser.littleEndianByteArrayParser;
      out.push(String(vr === 'UV' ? view.getBigUint64(0, little) : view.getBigInt64(0, little)));
    }
  }
  return out.join('\\') + (count > MAX_NUMBERS ? '\\…' : '');
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || bytes.length > 1024) return false;
  return bytes.every((c) => c === 0 || c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 160);
}

function displayValue(dataSet: DataSet, el: Element, vr: string, tag: string, decoder: TextDecoder): string {
  if (el.items) return `${el.items.length} item${el.items.length === 1 ? '' : 's'}`;
  if (tag === 'x7fe00010') {
    return el.encapsulatedPixelData ? `(compressed pixel data, ${el.fragments?.length ?? 0} fragments)` : `(pixel data, ${el.length} bytes)`;
  }
  if (el.length <= 0) return '';
  if (TEXT_VRS.has(vr)) return decodeText(dataSet, el, vr, decoder);
  if (['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'AT', 'UV', 'SV'].includes(vr)) return numbers(dataSet, el, vr, tag);
  // Unknown VR (Implicit VR files, private tags): show text when it is plainly text, otherwise a size.
  const bytes = elementBytes(dataSet, el);
  if (vr === 'UN' && looksLikeText(bytes)) return decoder.decode(bytes).replace(/[\0 ]+$/, '');
  return `(${el.length} bytes)`;
}

function cap(s: string): string {
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS - 1)}…` : s;
}

/** One row per top-level element, in tag order. */
export function tagViews(dataSet: DataSet, bitsAllocated: number | null): DicomTagView[] {
  const decoder = textDecoderFor(dataSet);
  return Object.keys(dataSet.elements)
    .sort()
    .map((key) => {
      const el = dataSet.elements[key] as Element;
      const bare = key.slice(1).toUpperCase();
      const dict = dictionaryEntry(bare);
      const annex = annexEEntry(bare);
      let vr = el.vr ?? dict?.vr ?? (el.items ? 'SQ' : 'UN');
      if (key === 'x7fe00010' && el.vr === undefined) vr = (bitsAllocated ?? 16) > 8 ? 'OW' : 'OB';
      return {
        tag: `(${bare.slice(0, 4)},${bare.slice(4)})`,
        keyword: dict?.keyword ?? (annex && annex.keyword !== 'PrivateAttribute' ? annex.keyword : null),
        vr,
        value: cap(displayValue(dataSet, el, vr, key, decoder)),
        identifying: annex !== null,
        annexE: annex?.action ?? null,
      };
    });
}
