// The one source of randomness for training and sampling: seeded, so a generator's output can be reproduced exactly
// from its seed (an audit and validation requirement), and never Math.random.
import { sfc32Step } from './engine/rng';

/** A seeded pseudo-random stream. Every draw advances the state; the same seed always yields the same sequence. */
export interface Rng {
  /** Uniform on [0, 1), 53 bits. */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** Uniform integer on [0, n), without modulo bias; n a positive integer ≤ 2^32. */
  int(n: number): number;
  /** Shuffles in place (Fisher–Yates) and returns the same array. */
  shuffle<T>(items: T[]): T[];
  /** An index drawn with probability proportional to its weight (non-negative, not all zero). */
  choice(weights: ArrayLike<number>): number;
  /** An independent stream derived from this one's seed and a label, so adding draws in one stage never shifts another. */
  fork(label: string): Rng;
}

/**
 * cyrb128 (bryc): four 32-bit lanes of a MurmurHash3-style mix of the seed text. Written here rather than taken from
 * node:crypto so the generators stay pure and run the same in a worker or a WASM backend.
 */
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const TWO_32 = 4294967296;

class Sfc32 implements Rng {
  // Int32 lanes in a typed array: values past 2^30 in number fields are boxed, and boxing cost an allocation per draw.
  private readonly s = new Int32Array(4);
  // Box–Muller yields normals in pairs; the second is kept for the next call.
  private spare: number | null = null;

  constructor(private readonly seed: string) {
    this.s.set(hash128(seed).map((x) => x | 0));
    // The customary warm-up, so seeds that differ in one character diverge at once.
    for (let i = 0; i < 15; i++) this.next32();
  }

  /** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): passes PractRand, 128-bit state, period ≥ 2^32. */
  private next32(): number {
    return sfc32Step(this.s);
  }

  uniform(): number {
    // 21 + 32 bits: every double in [0, 1) on the 2^-53 grid, so tails (log u) are not truncated at 2^-32.
    return ((this.next32() >>> 11) * TWO_32 + this.next32()) / 9007199254740992;
  }

  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const u = 1 - this.uniform(); // (0, 1]: log(u) is finite
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_32) throw new RangeError(`int(n) needs a whole number from 1 to 2^32, not ${n}.`);
    // Rejection keeps every outcome equally likely; at most half the draws are rejected.
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = this.next32();
      if (x < limit) return x % n;
    }
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  choice(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError('choice() needs finite, non-negative weights.');
      total += w;
    }
    if (!(total > 0)) throw new RangeError('choice() needs at least one positive weight.');
    let target = this.uniform() * total;
    let last = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (w > 0) {
        last = i;
        if (target < w) return i;
        target -= w;
      }
    }
    return last; // rounding left target ≥ the final weight: that index is the right one
  }

  fork(label: string): Rng {
    return new Sfc32(`${this.seed}\u0000${label}`);
  }
}

/** A seeded stream; numbers and their decimal strings seed the same stream (42 ≡ '42'). */
export function createRng(seed: string | number): Rng {
  return new Sfc32(String(seed));
}
