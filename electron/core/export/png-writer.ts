// Writes synthetic greyscale images as PNG (8-bit or 16-bit greyscale, lossless, encoded by sharp), each
// carrying a 'Description' text chunk with the synthetic statement and a 'Software' chunk, and a pHYs chunk
// only when a pixel spacing is given. sharp writes no text chunks itself (and strips all metadata by default),
// so the chunks are added here, after IHDR.
import { crc32 } from 'node:zlib';
import { loadSharp } from '../imaging/sharp';
import { APP_NAME, APP_VERSION } from '../version';
import { concat } from './dicom-encode';
import { syntheticStatement, validateImages, validateMeta, type SyntheticImage, type SyntheticImageMeta } from './synthetic';

export type { SyntheticImage, SyntheticImageMeta } from './synthetic';

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const latin1 = (text: string): boolean => /^[\u0020-\u007e\u00a0-\u00ff\n]*$/.test(text);

/** One PNG chunk: length, type, data, CRC-32 over type and data (PNG §5.3). */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const head = new DataView(new ArrayBuffer(8));
  head.setUint32(0, data.length);
  const typeBytes = Buffer.from(type, 'latin1');
  new Uint8Array(head.buffer).set(typeBytes, 4);
  const crc = new DataView(new ArrayBuffer(4));
  crc.setUint32(0, crc32(data, crc32(typeBytes)));
  return concat([new Uint8Array(head.buffer), data, new Uint8Array(crc.buffer)]);
}

/** A text chunk: tEXt when the text is Latin-1 (every reader shows it), else iTXt (UTF-8, uncompressed). */
export function textChunk(keyword: string, text: string): Uint8Array {
  if (!/^[\u0020-\u007e]{1,79}$/.test(keyword) || keyword !== keyword.trim()) throw new Error(`'${keyword}' is not a PNG text keyword.`);
  if (latin1(text)) return pngChunk('tEXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.of(0), Buffer.from(text, 'latin1')]));
  // keyword \0, compression flag 0, method 0, language tag '' \0, translated keyword '' \0, text
  return pngChunk('iTXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.of(0, 0, 0, 0, 0), Buffer.from(text, 'utf8')]));
}

/** pHYs for a pixel spacing in mm (row, column): pixels per metre, unit 1 (PNG §11.3.5.3). */
export function physChunk([rowMm, columnMm]: readonly [number, number]): Uint8Array {
  const data = new DataView(new ArrayBuffer(9));
  data.setUint32(0, Math.round(1000 / columnMm));
  data.setUint32(4, Math.round(1000 / rowMm));
  data.setUint8(8, 1);
  return pngChunk('pHYs', new Uint8Array(data.buffer));
}

/** `png` with `chunks` inserted right after IHDR, and sharp's own pHYs (a default, not a measurement) dropped. */
export function withChunks(png: Uint8Array, chunks: readonly Uint8Array[]): Uint8Array {
  const isPng = png.length >= 33 && PNG_SIGNATURE.every((b, i) => png[i] === b);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const typeAt = (at: number) => Buffer.from(png.subarray(at + 4, at + 8)).toString('latin1');
  if (!isPng || typeAt(8) !== 'IHDR') throw new Error('sharp did not produce a PNG starting with IHDR.');
  const parts: Uint8Array[] = [png.subarray(0, 8)];
  for (let at = 8; at < png.length; ) {
    const end = at + 12 + view.getUint32(at);
    if (end > png.length) throw new Error('sharp produced a truncated PNG.');
    if (typeAt(at) !== 'pHYs') parts.push(png.subarray(at, end));
    if (at === 8) parts.push(...chunks);
    at = end;
  }
  return concat(parts);
}

async function encodeOne(image: SyntheticImage, bits: 8 | 16): Promise<Uint8Array> {
  const { width, height, pixels } = image;
  // sharp takes the raw sample format from the typed array's exact class (a Uint16Array is 'ushort', anything
  // it does not recognise, a subclass included, 'uchar'), so 16-bit samples go in as a plain Uint16Array.
  const input = bits === 16 && pixels.constructor !== Uint16Array ? Uint16Array.from(pixels) : pixels;
  const sharp = await loadSharp();
  const out = await sharp(input, { raw: { width, height, channels: 1 } })
    .toColourspace(bits === 16 ? 'grey16' : 'b-w')
    .png({ compressionLevel: 9, palette: false })
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** One PNG per image, in order, greyscale at the images' bit depth (8 or 16), pixel-exact. */
export async function writeSyntheticPng(images: readonly SyntheticImage[], meta: SyntheticImageMeta): Promise<Uint8Array[]> {
  validateMeta(meta);
  const bits = validateImages(images);
  const chunks = [textChunk('Description', syntheticStatement(meta)), textChunk('Software', `${APP_NAME} ${APP_VERSION}`)];
  if (meta.pixelSpacing) chunks.push(physChunk(meta.pixelSpacing));
  const out: Uint8Array[] = [];
  for (const image of images) out.push(withChunks(await encodeOne(image, bits), chunks));
  return out;
}
