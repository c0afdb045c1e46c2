// Greyscale display: the DICOM linear VOI window (PS3.3 C.11.2.1.2.1) maps modality values to 8-bit grey,
// MONOCHROME1 is inverted after windowing, padding (NaN) is black; then sharp writes a PNG, optionally
// shrunk for thumbnails. Colour frames show their RGB as is.
import { loadSharp } from './sharp';
import type { ParsedDicom } from './dicom';
import type { DecodedFrame } from './pixels';

export interface Window {
  center: number;
  width: number;
}

/** Window presets for CT in Hounsfield units (width/center). */
export const CT_PRESETS = {
  softTissue: { width: 400, center: 40 },
  lung: { width: 1500, center: -600 },
  liver: { width: 150, center: 90 },
  bone: { width: 2500, center: 480 },
  brain: { width: 80, center: 40 },
} as const satisfies Record<string, Window>;

export type CtPreset = keyof typeof CT_PRESETS;

export interface RenderOptions {
  /** Longest side in pixels; the image shrinks to fit (aspect kept), never grows. */
  maxSize?: number;
}

/** The file's first Window Center/Width when it has one, else a window spanning the frame's values. */
export function defaultWindow(parsed: ParsedDicom, frame: DecodedFrame): Window | null {
  if (frame.modality === null) return null; // colour: nothing to window
  const center = parsed.windowCenter[0];
  const width = parsed.windowWidth[0];
  if (center !== undefined && width !== undefined && width >= 1) return { center, width };
  return fullRangeWindow(frame);
}

// With the linear function, values min..max map exactly to 0..255 when width - 1 = max - min and
// center - 0.5 = (min + max) / 2.
function fullRangeWindow(frame: DecodedFrame): Window {
  return { center: (frame.min + frame.max) / 2 + 0.5, width: Math.max(1, frame.max - frame.min + 1) };
}

/** 8-bit greyscale after the VOI window; exported for tests and for callers that draw it themselves. */
export function windowToGrey(frame: DecodedFrame, window: Window | null): Uint8Array {
  const values = frame.modality;
  if (values === null) throw new TypeError('windowToGrey needs a greyscale frame');
  const { center, width } = window && window.width >= 1 ? window : fullRangeWindow(frame);
  // y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255 inside the window; x <= c - 0.5 - (w-1)/2 → 0 and
  // x > c - 0.5 + (w-1)/2 → 255. Width 1 makes the two bounds meet: a threshold at c - 0.5.
  const invert = frame.photometric === 'MONOCHROME1';
  const out = new Uint8Array(values.length);
  const lower = center - 0.5 - (width - 1) / 2;
  const upper = center - 0.5 + (width - 1) / 2;
  const scale = width > 1 ? 255 / (width - 1) : 0;
  const offset = center - 0.5;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (x !== x) continue; // NaN: padding stays black (0), inverted or not
    let y: number;
    if (x <= lower) y = 0;
    else if (x > upper) y = 255;
    else y = ((x - offset) * scale + 128) | 0; // + 127.5, then round half up (y ≥ 0 here, so | 0 floors)
    out[i] = invert ? 255 - y : y;
  }
  return out;
}

export async function renderPng(frame: DecodedFrame, window: Window | null, options: RenderOptions = {}): Promise<Buffer> {
  const colour = frame.rgb !== null;
  const pixels = colour ? (frame.rgb as Uint8Array) : windowToGrey(frame, window);
  const sharp = await loadSharp();
  let image = sharp(pixels, { raw: { width: frame.width, height: frame.height, channels: colour ? 3 : 1 } });
  // sharp would otherwise widen one channel to sRGB: a greyscale PNG is a third of the size and faster.
  if (!colour) image = image.toColourspace('b-w');
  if (options.maxSize !== undefined && options.maxSize > 0) {
    image = image.resize(options.maxSize, options.maxSize, { fit: 'inside', withoutEnlargement: true });
  }
  // Low zlib effort and no adaptive filtering: a slice must render in milliseconds; the PNG stays lossless.
  return image.png({ compressionLevel: 1, adaptiveFiltering: false }).toBuffer();
}
