// The hand-written DICOM encoder: VR padding, lengths, number formats, and refusal of values a VR forbids.
import { describe, expect, it } from 'vitest';
import { encodeDataset, encodeElement, formatDs, type DicomElement } from '../../electron/core/export/dicom-encode';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const value = (el: DicomElement, utf8 = false) => Buffer.from(encodeElement(el, utf8).subarray(el.vr === 'OB' || el.vr === 'OW' || el.vr === 'UT' ? 12 : 8));

describe('encodeElement', () => {
  it('pads to even length: UI with NUL, text with a space, OB with 0x00', () => {
    expect(value({ tag: 0x00080016, vr: 'UI', value: '1.2.3' }).toString('latin1')).toBe('1.2.3\0');
    expect(value({ tag: 0x00080060, vr: 'CS', value: 'OT' }).toString('latin1')).toBe('OT');
    expect(value({ tag: 0x00100010, vr: 'PN', value: 'SYNTHETIC^AIRLOCK' }).toString('latin1')).toBe('SYNTHETIC^AIRLOCK ');
    expect(value({ tag: 0x00204000, vr: 'LT', value: 'a\\b' }).toString('latin1')).toBe('a\\b ');
    expect(hex(value({ tag: 0x7fe00010, vr: 'OB', value: Uint8Array.of(1, 2, 3) }))).toBe('01020300');
    expect(value({ tag: 0x00100030, vr: 'DA', value: '' }).length).toBe(0);
  });

  it('writes the explicit VR header: short form, and the long form with reserved bytes and a 32-bit length', () => {
    expect(hex(encodeElement({ tag: 0x00280010, vr: 'US', value: [512] }))).toBe('28001000' + '5553' + '0200' + '0002');
    expect(hex(encodeElement({ tag: 0x7fe00010, vr: 'OW', value: Uint8Array.of(1, 0) }))).toBe('e07f1000' + '4f57' + '0000' + '02000000' + '0100');
    expect(hex(encodeElement({ tag: 0x00280009, vr: 'AT', value: [0x00181063] }))).toBe('28000900' + '4154' + '0400' + '18006310');
    expect(hex(encodeElement({ tag: 0x00020000, vr: 'UL', value: [202] }))).toBe('02000000' + '554c' + '0400' + 'ca000000');
  });

  it('joins multiple values with a backslash and formats DS and IS', () => {
    expect(value({ tag: 0x00080008, vr: 'CS', value: ['DERIVED', 'SECONDARY'] }).toString('latin1')).toBe('DERIVED\\SECONDARY ');
    expect(value({ tag: 0x00280030, vr: 'DS', value: [0.9375, 0.5] }).toString('latin1')).toBe('0.9375\\0.5');
    expect(value({ tag: 0x00200013, vr: 'IS', value: [12] }).toString('latin1')).toBe('12');
    expect(formatDs(1 / 3)).toBe('0.33333333333333');
    expect(formatDs(-1.234567890123e-7).length).toBeLessThanOrEqual(16);
    expect(Number(formatDs(-1.234567890123e-7))).toBeCloseTo(-1.234567890123e-7, 12);
    expect(formatDs(2047.5)).toBe('2047.5');
  });

  it('refuses values the VR does not allow', () => {
    const bad: [DicomElement, RegExp][] = [
      [{ tag: 0x0008103e, vr: 'LO', value: 'x'.repeat(65) }, /over the 64 allowed/],
      [{ tag: 0x0008103e, vr: 'LO', value: 'a\\b' }, /backslash/],
      [{ tag: 0x0008103e, vr: 'LO', value: 'Übersicht' }, /not ASCII/],
      [{ tag: 0x0008103e, vr: 'LO', value: 'line\nbreak' }, /control character/],
      [{ tag: 0x00080060, vr: 'CS', value: 'mr' }, /not a valid CS/],
      [{ tag: 0x00080018, vr: 'UI', value: '2.25.0123' }, /not a valid UI/],
      [{ tag: 0x00080020, vr: 'DA', value: '2026-11-22' }, /over the 8 allowed|not a valid DA/],
      [{ tag: 0x00280010, vr: 'US', value: [70000] }, /out of range/],
      [{ tag: 0x00200013, vr: 'IS', value: [1.5] }, /32-bit integer/],
      [{ tag: 0x00281050, vr: 'DS', value: [Number.NaN] }, /finite/],
      [{ tag: 0x00204000, vr: 'LT', value: ['a', 'b'] }, /one value only/],
      [{ tag: 0x7fe00010, vr: 'OW', value: Uint8Array.of(1, 2, 3) }, /even number of bytes/],
    ];
    for (const [el, why] of bad) expect(() => encodeElement(el), `${el.vr} ${String(el.value)}`).toThrow(why);
    expect(value({ tag: 0x0008103e, vr: 'LO', value: 'Übersicht' }, true).toString('utf8')).toBe('Übersicht');
  });
});

describe('encodeDataset', () => {
  it('sorts by tag, refuses a repeated tag, and allows UTF-8 only when ISO_IR 192 is declared', () => {
    const ds = encodeDataset([{ tag: 0x00100010, vr: 'PN', value: 'B' }, { tag: 0x00080060, vr: 'CS', value: 'OT' }]);
    expect(hex(ds.subarray(0, 4))).toBe('08006000');
    expect(() => encodeDataset([{ tag: 0x00080060, vr: 'CS', value: 'OT' }, { tag: 0x00080060, vr: 'CS', value: 'MR' }])).toThrow(/twice/);
    const name: DicomElement = { tag: 0x00100010, vr: 'PN', value: 'Ö' };
    expect(() => encodeDataset([name])).toThrow(/not ASCII/);
    expect(() => encodeDataset([{ tag: 0x00080005, vr: 'CS', value: 'ISO_IR 192' }, name])).not.toThrow();
  });
});
