// DICOM files from the real world (issue #8): offset tables that are wrong, data sets without the Part 10 preamble,
// placeholder patient identities and burned-in text, each on real test files changed the way archives change them.
import { describe, expect, it } from 'vitest';
import { parseDicom } from '../../electron/core/imaging/dicom';
import { imageNotes } from '../../electron/core/imaging/notes';
import { isPlaceholder, patientIdentity } from '../../electron/core/imaging/patient-identity';
import { decodeFrame, frameLayoutNote } from '../../electron/core/imaging/pixels';
import { fixture, load, pydicomFile } from './files';

const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, true);

// The Basic Offset Table: the first item after (7FE0,0010) of undefined length.
function offsetTable(bytes: Uint8Array): { at: number; length: number } {
  for (let i = bytes.length - 12; i >= 0; i--) {
    if (bytes[i] === 0xe0 && bytes[i + 1] === 0x7f && bytes[i + 2] === 0x10 && bytes[i + 3] === 0x00 && u32(bytes, i + 8) === 0xffffffff) {
      return { at: i + 20, length: u32(bytes, i + 16) };
    }
  }
  throw new Error('no encapsulated pixel data');
}

// Everything before the data set proper: the 128-byte preamble, "DICM" and the (0002) meta group.
function withoutPart10Header(bytes: Uint8Array): Uint8Array {
  const metaLength = u32(bytes, 132 + 8);
  return bytes.slice(132 + 12 + metaLength);
}

describe('real-world DICOM', () => {
  it('decodes a multi-frame JPEG-LS file whose offset table is off by one byte, as it decodes the intact file, and says so', async () => {
    const intact = load(fixture('mf_jpls.dcm'));
    const table = offsetTable(intact);
    expect(table.length).toBeGreaterThanOrEqual(8); // a real table, at least two frames
    const broken = intact.slice();
    new DataView(broken.buffer).setUint32(table.at + 4, u32(intact, table.at + 4) + 1, true);
    const [a, b] = [parseDicom(intact), parseDicom(broken)];
    expect(frameLayoutNote(intact, a)).toBeNull();
    expect(frameLayoutNote(broken, b)).toMatch(/Offset Table/i);
    for (let f = 0; f < a.numberOfFrames; f++) {
      const [x, y] = [await decodeFrame(intact, a, f), await decodeFrame(broken, b, f)];
      expect(Array.from(y.stored)).toEqual(Array.from(x.stored));
    }
  });

  it('imports a data set without preamble and meta group, inferring implicit or explicit VR, and refuses garbage', () => {
    for (const [name, uid] of [['MR_small_implicit.dcm', '1.2.840.10008.1.2'], ['MR_small.dcm', '1.2.840.10008.1.2.1']] as const) {
      const full = parseDicom(load(pydicomFile(name)));
      const bare = parseDicom(withoutPart10Header(load(pydicomFile(name))));
      expect(bare.header).toBe('none');
      expect(bare.transferSyntaxUid).toBe(uid);
      expect([bare.rows, bare.columns, bare.modality, bare.sopInstanceUid]).toEqual([full.rows, full.columns, full.modality, full.sopInstanceUid]);
    }
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    expect(() => parseDicom(garbage)).toThrow(expect.objectContaining({ code: 'NOT_DICOM' }));
  });

  it('never merges patients under a placeholder name, and says how a patient was told apart', () => {
    for (const p of ['', 'ANONYMOUS', 'Anonymized', 'UNKNOWN', 'none', 'NO PATIENT ID']) expect(isPlaceholder(p)).toBe(true);
    for (const p of ['123456', 'MRN-0042', 'Smith^John']) expect(isPlaceholder(p)).toBe(false);
    const real = parseDicom(load(pydicomFile('CT_small.dcm')));
    expect(patientIdentity(real).basis).not.toBe('study');
    const one = patientIdentity({ ...real, patientId: 'ANONYMOUS', patientName: 'ANONYMOUS', patientBirthDate: null });
    const two = patientIdentity({ ...real, patientId: 'ANONYMOUS', patientName: 'ANONYMOUS', patientBirthDate: null, studyInstanceUid: '1.2.3.4' });
    expect(one.basis).toBe('study');
    expect(one.key).not.toBe(two.key);
    expect(one.note?.text).toBeTruthy();
  });

  it('warns about burned-in text on an ultrasound without BurnedInAnnotation, and about YES more strongly', () => {
    const ct = parseDicom(load(pydicomFile('CT_small.dcm')));
    const us = { ...ct, modality: 'US', burnedInAnnotation: null };
    const codes = (p: typeof ct) => imageNotes(p, null).map((n) => n.code);
    expect(codes(ct)).not.toContain('burned-in');
    expect(imageNotes(us, null).map((n) => n.text).join(' ')).toMatch(/ultrasound/i);
    expect(codes({ ...ct, burnedInAnnotation: 'YES' })).toContain('burned-in');
  });
});
