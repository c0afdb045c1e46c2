// An independent PNG reader for the tests (greyscale, non-interlaced): chunks with their CRCs checked, the
// text chunks, and the pixels (inflate and undo the per-row filters, PNG §9), so the writer's output is not
// only checked by sharp, which also wrote it.
import { crc32, inflateSync } from 'node:zlib';

export interface PngRead {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlace: number;
  chunkTypes: string[];
  text: { type: string; keyword: string; text: string }[];
  /** pHYs: pixels per unit in x and y, unit 1 = metre. */
  phys: { x: number; y: number; unit: number } | null;
  pixels: number[];
}

export function readPng(png: Uint8Array): PngRead {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG signature');
  const chunkTypes: string[] = [];
  const text: PngRead['text'] = [];
  const idat: Buffer[] = [];
  let ihdr: Buffer | undefined;
  let phys: PngRead['phys'] = null;
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.subarray(at + 4, at + 8).toString('latin1');
    const data = buf.subarray(at + 8, at + 8 + length);
    if (buf.readUInt32BE(at + 8 + length) !== crc32(buf.subarray(at + 4, at + 8 + length))) throw new Error(`bad CRC in ${type}`);
    chunkTypes.push(type);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    if (type === 'pHYs') phys = { x: data.readUInt32BE(0), y: data.readUInt32BE(4), unit: data[8]! };
    if (type === 'tEXt') {
      const nul = data.indexOf(0);
      text.push({ type, keyword: data.subarray(0, nul).toString('latin1'), text: data.subarray(nul + 1).toString('latin1') });
    }
    if (type === 'iTXt') {
      const nul = data.indexOf(0);
      if (data[nul + 1] !== 0) throw new Error('compressed iTXt is not expected');
      const lang = data.indexOf(0, nul + 3);
      const translated = data.indexOf(0, lang + 1);
      text.push({ type, keyword: data.subarray(0, nul).toString('latin1'), text: data.subarray(translated + 1).toString('utf8') });
    }
    at += 12 + length;
  }
  if (!ihdr) throw new Error('no IHDR');
  const [width, height, bitDepth, colourType, interlace] = [ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8]!, ihdr[9]!, ihdr[12]!];
  if (colourType !== 0 || interlace !== 0) throw new Error(`only non-interlaced greyscale is read here (colour type ${colourType})`);
  const bpp = bitDepth / 8;
  const stride = width * bpp;
  const raw = inflateSync(Buffer.concat(idat));
  const rows = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= bpp ? rows[y * stride + x - bpp]! : 0;
      const b = y > 0 ? rows[(y - 1) * stride + x]! : 0;
      const c = x >= bpp && y > 0 ? rows[(y - 1) * stride + x - bpp]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      if (predictor === undefined) throw new Error(`bad filter ${filter}`);
      rows[y * stride + x] = (v + predictor) & 0xff;
    }
  }
  const pixels = Array.from({ length: width * height }, (_, i) => (bpp === 2 ? rows.readUInt16BE(i * 2) : rows[i]!));
  return { width, height, bitDepth, colourType, interlace, chunkTypes, text, phys, pixels };
}
