// A small, strict DICOM encoder: Explicit VR Little Endian data sets and Part 10 files. It writes only what
// Airlock's synthetic-image writer needs, and it refuses (throws) rather than writes a value its VR does not
// allow: wrong characters, too long, a backslash inside one value, a number out of range. Padding follows
// PS3.5 §6.2 and §7.1: every value field has even length, UI padded with NUL, OB with 0x00, text with a space.

export type Vr = 'AT' | 'CS' | 'DA' | 'DS' | 'IS' | 'LO' | 'LT' | 'OB' | 'OW' | 'PN' | 'SH' | 'ST' | 'TM' | 'UI' | 'UL' | 'US' | 'UT';

/** Strings for text VRs (an array is a multi-valued attribute; [] or '' is present but empty, for type 2),
 *  numbers for US, UL, AT (the tag as 0xGGGGEEEE), DS and IS, bytes (already little endian) for OB and OW. */
export type ElementValue = string | readonly string[] | readonly number[] | Uint8Array;

export interface DicomElement {
  /** 0xGGGGEEEE */
  tag: number;
  vr: Vr;
  value: ElementValue;
}

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** Airlock's Implementation Class UID: a 2.25 UID made once from a random UUID (PS3.5 §B.2), never changed. */
export const AIRLOCK_IMPLEMENTATION_CLASS_UID = '2.25.134150330840866518061052313645983135011';
export const AIRLOCK_IMPLEMENTATION_VERSION_NAME = 'AIRLOCK_0_1';

// Maximum length of one value (PS3.5 Table 6.2-1), in bytes: for UTF-8 text that is stricter than the
// standard's characters, which keeps the file valid for any reader. PN allows 64 per component group.
const MAX_LENGTH: Partial<Record<Vr, number>> = { CS: 16, DA: 8, DS: 16, IS: 12, LO: 64, LT: 10240, PN: 64 * 3 + 2, SH: 16, ST: 1024, TM: 14, UI: 64, UT: 0xfffffffe };
const TEXT_VRS = new Set<Vr>(['CS', 'DA', 'DS', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UI', 'UT']);
// Single-valued text: the backslash is an ordinary character there.
const UNSPLIT_VRS = new Set<Vr>(['LT', 'ST', 'UT']);
// Explicit VR elements with a 2-byte reserved field and a 4-byte length (PS3.5 §7.1.2).
const LONG_VRS = new Set<Vr>(['OB', 'OW', 'UT']);
// Control characters allowed in long text (PS3.5 §6.1.3): TAB, LF, FF, CR, ESC; none in the other VRs.
const TEXT_CONTROLS: ReadonlySet<number> = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x1b]);
const NO_CONTROLS: ReadonlySet<number> = new Set();

function hasControl(text: string, allowed: ReadonlySet<number>): boolean {
  for (const c of text) {
    const n = c.codePointAt(0) ?? 0;
    if ((n < 0x20 || (n >= 0x7f && n <= 0x9f)) && !allowed.has(n)) return true;
  }
  return false;
}

const VALUE_RULES: Partial<Record<Vr, RegExp>> = {
  UI: /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/,
  CS: /^[A-Z0-9_ ]*$/,
  DA: /^(\d{8})?$/,
  TM: /^(\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?)?$/,
  IS: /^ *[+-]?\d* *$/,
  DS: /^ *([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)? *$/,
};

const utf8 = new TextEncoder();

/** A number as a DS value (at most 16 characters), e.g. 0.9765625 or 1.23456789012e-7. */
export function formatDs(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`A DS value must be a finite number, not ${n}.`);
  const plain = String(n);
  if (plain.length <= 16) return plain;
  for (let digits = 15; digits >= 1; digits--) {
    const s = String(Number(n.toPrecision(digits)));
    if (s.length <= 16) return s;
    const e = n.toExponential(digits - 1).replace('e+', 'e');
    if (e.length <= 16) return e;
  }
  throw new Error(`${n} cannot be written as a DS value.`);
}

function formatIs(n: number): string {
  if (!Number.isSafeInteger(n) || n < -(2 ** 31) || n > 2 ** 31 - 1) throw new Error(`An IS value must be a 32-bit integer, not ${n}.`);
  return String(n);
}

function textValues(el: DicomElement): string[] {
  const v = el.value;
  if (v instanceof Uint8Array) throw new Error(`${hex(el.tag)} ${el.vr} needs text, not bytes.`);
  if (typeof v === 'string') return v === '' ? [] : [v];
  return v.map((x) => (typeof x === 'number' ? (el.vr === 'DS' ? formatDs(x) : el.vr === 'IS' ? formatIs(x) : fail(el, 'needs text, not numbers')) : x));
}

function encodeText(el: DicomElement, utf8Allowed: boolean): Uint8Array {
  const values = textValues(el);
  if (UNSPLIT_VRS.has(el.vr) && values.length > 1) fail(el, 'holds one value only');
  for (const v of values) {
    const bytes = utf8.encode(v).length;
    if (bytes > (MAX_LENGTH[el.vr] ?? Infinity)) fail(el, `value '${v.slice(0, 40)}…' is ${bytes} bytes, over the ${MAX_LENGTH[el.vr]} allowed`);
    if (!UNSPLIT_VRS.has(el.vr) && v.includes('\\')) fail(el, `value '${v}' contains a backslash (the value separator)`);
    if (hasControl(v, UNSPLIT_VRS.has(el.vr) ? TEXT_CONTROLS : NO_CONTROLS)) fail(el, 'value contains a control character');
    if (!utf8Allowed && /[^\u0020-\u007e\r\n\t\f]/.test(v)) fail(el, `value '${v}' is not ASCII and the data set does not declare UTF-8`);
    const rule = VALUE_RULES[el.vr];
    if (rule && !rule.test(v)) fail(el, `value '${v}' is not a valid ${el.vr}`);
  }
  const joined = values.join('\\');
  const out = utf8.encode(joined);
  return out.length % 2 === 0 ? out : utf8.encode(joined + (el.vr === 'UI' ? '\0' : ' '));
}

function encodeNumbers(el: DicomElement): Uint8Array {
  const v = el.value;
  if (typeof v === 'string' || v instanceof Uint8Array || v.some((x) => typeof x !== 'number')) fail(el, 'needs numbers');
  const nums = v as readonly number[];
  const size = el.vr === 'US' ? 2 : 4;
  const view = new DataView(new ArrayBuffer(nums.length * size));
  nums.forEach((n, i) => {
    const max = el.vr === 'US' ? 0xffff : 0xffffffff;
    if (!Number.isInteger(n) || n < 0 || n > max) fail(el, `value ${n} is out of range`);
    if (el.vr === 'US') view.setUint16(i * 2, n, true);
    else if (el.vr === 'UL') view.setUint32(i * 4, n, true);
    else {
      // AT: group then element, each a little-endian 16-bit word.
      view.setUint16(i * 4, n >>> 16, true);
      view.setUint16(i * 4 + 2, n & 0xffff, true);
    }
  });
  return new Uint8Array(view.buffer);
}

function encodeValue(el: DicomElement, utf8Allowed: boolean): Uint8Array {
  if (TEXT_VRS.has(el.vr)) return encodeText(el, utf8Allowed);
  if (el.vr === 'US' || el.vr === 'UL' || el.vr === 'AT') return encodeNumbers(el);
  if (!(el.value instanceof Uint8Array)) fail(el, 'needs bytes');
  const bytes = el.value;
  if (el.vr === 'OW' && bytes.length % 2 === 1) fail(el, 'OW needs an even number of bytes');
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  return padded;
}

/** One element, Explicit VR Little Endian. */
export function encodeElement(el: DicomElement, utf8Allowed = false): Uint8Array {
  if (!Number.isInteger(el.tag) || el.tag < 0 || el.tag > 0xffffffff) throw new Error(`${el.tag} is not a DICOM tag.`);
  const value = encodeValue(el, utf8Allowed);
  const long = LONG_VRS.has(el.vr);
  if (!long && value.length > 0xffff) fail(el, 'is too long for a 16-bit length');
  const head = new DataView(new ArrayBuffer(long ? 12 : 8));
  head.setUint16(0, el.tag >>> 16, true);
  head.setUint16(2, el.tag & 0xffff, true);
  head.setUint8(4, el.vr.charCodeAt(0));
  head.setUint8(5, el.vr.charCodeAt(1));
  if (long) head.setUint32(8, value.length, true);
  else head.setUint16(6, value.length, true);
  return concat([new Uint8Array(head.buffer), value]);
}

/** A data set: elements sorted by tag (a repeated tag is refused). UTF-8 text only if the caller declared
 *  Specific Character Set ISO_IR 192 (a data set without (0008,0005) is ASCII). */
export function encodeDataset(elements: readonly DicomElement[]): Uint8Array {
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  sorted.forEach((el, i) => {
    if (i > 0 && sorted[i - 1]?.tag === el.tag) throw new Error(`${hex(el.tag)} appears twice.`);
  });
  const charset = sorted.find((el) => el.tag === 0x00080005);
  const utf8Allowed = charset !== undefined && textValues(charset).includes('ISO_IR 192');
  return concat(sorted.map((el) => encodeElement(el, utf8Allowed)));
}

/** A Part 10 file: 128-byte zero preamble, 'DICM', the File Meta group (PS3.10 §7.1), then `dataset`. */
export function encodePart10(sopClassUid: string, sopInstanceUid: string, dataset: readonly DicomElement[]): Uint8Array {
  if (dataset.some((el) => el.tag >>> 16 <= 0x0002)) throw new Error('The data set must not hold group 0000–0002 elements.');
  const meta = concat([
    encodeElement({ tag: 0x00020001, vr: 'OB', value: Uint8Array.of(0x00, 0x01) }),
    encodeElement({ tag: 0x00020002, vr: 'UI', value: sopClassUid }),
    encodeElement({ tag: 0x00020003, vr: 'UI', value: sopInstanceUid }),
    encodeElement({ tag: 0x00020010, vr: 'UI', value: EXPLICIT_VR_LITTLE_ENDIAN }),
    encodeElement({ tag: 0x00020012, vr: 'UI', value: AIRLOCK_IMPLEMENTATION_CLASS_UID }),
    encodeElement({ tag: 0x00020013, vr: 'SH', value: AIRLOCK_IMPLEMENTATION_VERSION_NAME }),
  ]);
  const preamble = new Uint8Array(132);
  preamble.set(utf8.encode('DICM'), 128);
  return concat([preamble, encodeElement({ tag: 0x00020000, vr: 'UL', value: [meta.length] }), meta, encodeDataset(dataset)]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function hex(tag: number): string {
  const h = tag.toString(16).toUpperCase().padStart(8, '0');
  return `(${h.slice(0, 4)},${h.slice(4)})`;
}

function fail(el: DicomElement, why: string): never {
  throw new Error(`DICOM ${hex(el.tag)} ${el.vr}: ${why}.`);
}
