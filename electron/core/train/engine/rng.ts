// The engine's one source of randomness: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit
// state, passes PractRand to 2^40+ bytes), seeded through splitmix32. Everything random in training — weight
// initialisation, shuffling, reparameterisation noise, dropout masks, Gumbel noise, conditional sampling — draws
// from it in JavaScript, so a run is a pure function of (seed, data, config, backend) and the whole random state
// is four 32-bit words that a checkpoint can carry.

import { ZIG_RATIO, ZIG_X, zigguratEdge } from './ziggurat';

export type RngState = [number, number, number, number];

/**
 * Names the stream a state continues: the generator and how normals are drawn. A checkpoint carries it, and a run
 * resumes only under the same stream (else the rest of the run would draw differently). Change it with the stream.
 */
export const RNG_STREAM = 'sfc32/ziggurat-256';

/** One sfc32 step over four Int32 lanes (advanced in place); the next unsigned 32-bit output. */
export function sfc32Step(s: Int32Array): number {
  const a = s[0] as number, b = s[1] as number, c = s[2] as number, d = s[3] as number;
  const t = (((a + b) | 0) + d) | 0;
  s[3] = (d + 1) | 0;
  s[0] = b ^ (b >>> 9);
  s[1] = (c + (c << 3)) | 0;
  s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
  return t >>> 0;
}

const TWO_53 = 9007199254740992;
const TWO_MINUS_23 = 1 / 8388608;

export class Rng {
  // Int32 lanes in a typed array: unboxed int32 arithmetic, where number fields above 2^31 were heap-allocated on every draw.
  private readonly s = new Int32Array(4);
  // Bound once, for fillNormal's rare tail and wedge draws, instead of a new closure each time.
  private readonly drawUniform = (): number => this.uniform();

  private constructor(state: RngState) {
    this.s.set(state.map((x) => x | 0));
  }

  static fromSeed(seed: number): Rng {
    let s = seed >>> 0;
    const splitmix32 = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    const rng = new Rng([splitmix32(), splitmix32(), splitmix32(), splitmix32()]);
    for (let i = 0; i < 12; i++) rng.nextUint32();
    return rng;
  }

  static fromState(state: readonly number[]): Rng {
    if (state.length !== 4 || state.some((x) => !Number.isInteger(x) || x < 0 || x > 0xffffffff)) {
      throw new Error('A random-generator state is four unsigned 32-bit integers.');
    }
    return new Rng(state as RngState);
  }

  state(): RngState {
    const s = this.s;
    return [(s[0] as number) >>> 0, (s[1] as number) >>> 0, (s[2] as number) >>> 0, (s[3] as number) >>> 0];
  }

  nextUint32(): number {
    return sfc32Step(this.s);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_53;
  }

  /** Uniform in (0, 1): safe under log. */
  uniformOpen(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return u;
  }

  /** An integer in [0, n), unbiased. */
  int(n: number): number {
    if (!(n >= 1) || n > 0x100000000) throw new Error(`int(n) needs 1 ≤ n ≤ 2^32 (got ${n}).`);
    const limit = 0x100000000 - (0x100000000 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /**
   * Fill with N(mean, std²) draws by the ziggurat (engine/ziggurat.ts): one 32-bit draw per value, its low 8 bits
   * the layer and its high 24 the signed position, almost always accepted without a log or an exp. Since 3 December
   * 2026 (Box–Muller before): a seeded run's weights and samples differ from earlier versions', and are again a pure
   * function of the seed (test/train/rng-stream pins the new stream).
   */
  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    // sfc32 inlined on local lanes: the same stream as nextUint32(), without a call and four typed-array stores.
    const s = this.s;
    let a = s[0] as number, b = s[1] as number, c = s[2] as number, d = s[3] as number;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      for (;;) {
        const t = (((a + b) | 0) + d) | 0;
        d = (d + 1) | 0;
        a = b ^ (b >>> 9);
        b = (c + (c << 3)) | 0;
        c = (((c << 21) | (c >>> 11)) + t) | 0;
        const layer = t & 255;
        const u = (t >> 8) * TWO_MINUS_23; // [−1, 1)
        if (Math.abs(u) < (ZIG_RATIO[layer] as number)) {
          out[i] = mean + std * u * (ZIG_X[layer] as number);
          break;
        }
        // About 1 % of draws: the tail or a wedge, drawing further uniforms from the same stream.
        s[0] = a;
        s[1] = b;
        s[2] = c;
        s[3] = d;
        const z = zigguratEdge(layer, u, this.drawUniform);
        a = s[0];
        b = s[1];
        c = s[2];
        d = s[3];
        if (!Number.isNaN(z)) {
          out[i] = mean + std * z;
          break;
        }
      }
    }
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
    return out;
  }

  normal(n: number, mean = 0, std = 1): Float32Array {
    return this.fillNormal(new Float32Array(n), mean, std);
  }

  /** Fill with U(low, high). */
  fillUniform(out: Float32Array, low = 0, high = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * this.uniform();
    return out;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i] as number;
      p[i] = p[j] as number;
      p[j] = t;
    }
    return p;
  }
}
