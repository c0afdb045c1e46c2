// Artifacts: the radially averaged power spectrum of each side (transposed-convolution checkerboards show as
// high-frequency peaks, over-smooth generators as missing high frequencies) and its relative difference per band.
import FFT from 'fft.js';
import { InvalidArgumentError } from '../../errors';
import { checkFrames } from './intensity';
import type { Checkpoint, ImageFrames, MetricInfo, PowerSpectrum, SpectrumBand, SpectrumResult } from './types';

export const RADIAL_POWER_SPECTRUM: MetricInfo = {
  name: 'RadialPowerSpectrum',
  definition: 'The power |F|² of the unnormalised 2-D discrete Fourier transform of each frame, averaged over the frames and over the frequencies whose distance from zero rounds to the same whole radius (0 up to the corner, where a transposed convolution’s checkerboard shows).',
  goal: 'maximize',
  min: 0,
  max: Number.POSITIVE_INFINITY,
};
export const SPECTRUM_BAND_DIFFERENCE: MetricInfo = {
  name: 'SpectrumBandDifference',
  definition: 'The relative difference (synthetic − real) / real of the summed radial power in one third of the radii from 1 to the corner (low, mid, high; the zero frequency left out): 0 is the real spectrum, −1 a band the generator does not produce; capped at 10⁶ (also where the real frames have no power).',
  goal: 'minimize',
  min: -1,
  max: 1e6,
};

function isPowerOfTwo(n: number): boolean {
  return n >= 2 && (n & (n - 1)) === 0;
}

/** A 1-D complex transform of interleaved [re, im] in place: radix-2 via fft.js, a plain DFT for other sizes. */
function makeTransform(n: number): (data: Float64Array) => void {
  if (isPowerOfTwo(n)) {
    const fft = new FFT(n);
    const out = fft.createComplexArray() as number[];
    const input = fft.createComplexArray() as number[];
    return (data) => {
      for (let i = 0; i < 2 * n; i++) input[i] = data[i] as number;
      fft.transform(out, input);
      for (let i = 0; i < 2 * n; i++) data[i] = out[i] as number;
    };
  }
  const cos = Float64Array.from({ length: n }, (_, k) => Math.cos((-2 * Math.PI * k) / n));
  const sin = Float64Array.from({ length: n }, (_, k) => Math.sin((-2 * Math.PI * k) / n));
  const tmp = new Float64Array(2 * n);
  return (data) => {
    for (let k = 0; k < n; k++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < n; t++) {
        const w = (k * t) % n;
        const xr = data[2 * t] as number;
        const xi = data[2 * t + 1] as number;
        re += xr * (cos[w] as number) - xi * (sin[w] as number);
        im += xr * (sin[w] as number) + xi * (cos[w] as number);
      }
      tmp[2 * k] = re;
      tmp[2 * k + 1] = im;
    }
    data.set(tmp);
  };
}

/** |F|² of the 2-D DFT of one size×size frame (numpy.fft.fft2's convention, no normalisation), added into `acc`. */
function addPower(frame: ArrayLike<number>, size: number, transform: (d: Float64Array) => void, grid: Float64Array, line: Float64Array, acc: Float64Array): void {
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      line[2 * x] = frame[y * size + x] as number;
      line[2 * x + 1] = 0;
    }
    transform(line);
    grid.set(line, 2 * y * size);
  }
  for (let x = 0; x < size; x++) {
    for (let y = 0; y < size; y++) {
      line[2 * y] = grid[2 * (y * size + x)] as number;
      line[2 * y + 1] = grid[2 * (y * size + x) + 1] as number;
    }
    transform(line);
    for (let y = 0; y < size; y++) {
      const re = line[2 * y] as number;
      const im = line[2 * y + 1] as number;
      acc[y * size + x] = (acc[y * size + x] as number) + re * re + im * im;
    }
  }
}

/** The whole radius (rounded) of every DFT bin, with frequencies folded to −size/2 … size/2 as numpy.fft.fftfreq does. */
export function radiusGrid(size: number): Int32Array {
  const out = new Int32Array(size * size);
  const freq = (k: number): number => (k < Math.ceil(size / 2) ? k : k - size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) out[y * size + x] = Math.round(Math.hypot(freq(x), freq(y)));
  return out;
}

/** The largest rounded radius of a DFT bin: the corner (±size/2, ±size/2). */
export function maxRadius(size: number): number {
  const h = Math.floor(size / 2);
  return Math.round(Math.hypot(h, h));
}

/** Radially averaged power spectrum of the frames (all when `indices` is omitted). */
export function powerSpectrum(frames: ImageFrames, indices?: readonly number[], checkpoint?: Checkpoint): PowerSpectrum {
  checkFrames(frames, 'spectrum');
  const size = frames.size;
  const area = size * size;
  const list = indices ?? Array.from({ length: frames.count }, (_, i) => i);
  const top = maxRadius(size);
  if (list.length === 0) return { size, frames: 0, power: new Array<number>(top + 1).fill(0) };
  const transform = makeTransform(size);
  const grid = new Float64Array(2 * area);
  const line = new Float64Array(2 * size);
  const acc = new Float64Array(area);
  list.forEach((f, n) => {
    addPower(frames.data.subarray(f * area, (f + 1) * area), size, transform, grid, line, acc);
    if (n % 64 === 63) checkpoint?.((n + 1) / list.length);
  });
  const radius = radiusGrid(size);
  const sum = new Float64Array(top + 1);
  const bins = new Float64Array(top + 1);
  for (let i = 0; i < area; i++) {
    const r = radius[i] as number;
    sum[r] = (sum[r] as number) + (acc[i] as number);
    bins[r] = (bins[r] as number) + 1;
  }
  const power = Array.from(sum, (s, r) => s / (bins[r] as number) / list.length);
  return { size, frames: list.length, power };
}

/** The cap keeps the figure finite (JSON) when the real frames have no power in a band, e.g. flat frames. */
export const MAX_RELATIVE_DIFFERENCE = 1e6;

function relative(s: number, r: number): number {
  if (r > 0) return Math.min((s - r) / r, MAX_RELATIVE_DIFFERENCE);
  return s > 0 ? MAX_RELATIVE_DIFFERENCE : 0;
}

/** Low, mid and high thirds of the radii 1 … the corner. */
export function spectrumBands(real: PowerSpectrum, synthetic: PowerSpectrum): SpectrumBand[] {
  if (real.size !== synthetic.size) throw new InvalidArgumentError(`The real frames are ${real.size} pixels wide but the synthetic ones ${synthetic.size}.`);
  const top = real.power.length - 1;
  const names: SpectrumBand['name'][] = ['low', 'mid', 'high'];
  return names.map((name, b) => {
    const from = 1 + Math.floor((b * top) / 3);
    const to = 1 + Math.floor(((b + 1) * top) / 3);
    let r = 0;
    let s = 0;
    for (let i = from; i < to; i++) {
      r += real.power[i] as number;
      s += synthetic.power[i] as number;
    }
    return { name, from, to, realPower: r, syntheticPower: s, relativeDifference: relative(s, r) };
  });
}

export function spectrumComparison(real: ImageFrames, synthetic: ImageFrames, checkpoint?: Checkpoint): SpectrumResult {
  if (real.size !== synthetic.size) throw new InvalidArgumentError(`The real images are ${real.size}×${real.size} but the synthetic ones ${synthetic.size}×${synthetic.size}.`);
  const r = powerSpectrum(real, undefined, checkpoint);
  const s = powerSpectrum(synthetic, undefined, checkpoint);
  return { real: r, synthetic: s, bands: spectrumBands(r, s) };
}
