// Charts of an image validation: small pure Vega-Lite builders over aggregates only (histogram shares,
// averaged spectra, binned closeness scores, per-class means), rendered by the report's own renderSvg.
import { barChart, lossChart, REAL_COLOR, REAL_LABEL, SYNTHETIC_COLOR, SYNTHETIC_LABEL, type ChartSpec } from '../report/charts';

// The report's one chart style (white, system font), taken from a report chart rather than copied.
const CONFIG = lossChart({ series: [] }).config;
const WIDTH = 560;
const HEIGHT = 240;
const HOLDOUT_COLOR = '#2ca02c';

export interface ShareBin {
  start: number;
  end: number;
  share: number;
}

function steps(series: string, bins: ShareBin[]): { series: string; x: number; share: number; order: number }[] {
  const sorted = [...bins].sort((a, b) => a.start - b.start);
  const pts = sorted.map((b, i) => ({ series, x: b.start, share: b.share, order: i }));
  const last = sorted[sorted.length - 1];
  // step-after needs a closing point at the last bin's end to draw that bin's full width.
  return last ? [...pts, { series, x: last.end, share: last.share, order: sorted.length }] : pts;
}

export interface IntensityInput {
  title: string;
  real: ShareBin[];
  synthetic: ShareBin[];
}

/** Overlaid step histograms of pixel intensities (windowed, scaled to [−1, 1]), real vs synthetic. */
export function intensityChart(input: IntensityInput): ChartSpec {
  return {
    title: { text: input.title, subtitle: 'Share of pixels per intensity bin, on the frames the generator trained on' },
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values: [...steps(REAL_LABEL, input.real), ...steps(SYNTHETIC_LABEL, input.synthetic)] },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'Intensity (−1 black to 1 white)', scale: { domain: [-1, 1], nice: false } },
      y: { field: 'share', type: 'quantitative', title: 'Share of pixels', axis: { format: '.1%' } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: [REAL_LABEL, SYNTHETIC_LABEL], range: [REAL_COLOR, SYNTHETIC_COLOR] } },
      order: { field: 'order', type: 'quantitative' },
    },
  };
}

export interface SpectrumInput {
  /** Mean power per integer radius (cycles per frame), one value per radius from 0. */
  real: number[];
  synthetic: number[];
}

/** Radially averaged power spectra on a log scale: checkerboards show as bumps, lost detail as a drop at the right. */
export function spectrumChart(input: SpectrumInput): ChartSpec {
  // A log axis cannot show zero power (the DC term of centred frames): those points are left out.
  const points = (series: string, power: number[]) => power.map((p, r) => ({ series, radius: r, power: p })).filter((p) => p.radius > 0 && Number.isFinite(p.power) && p.power > 0);
  return {
    title: { text: 'Radially averaged power spectrum', subtitle: 'Mean |F|² per spatial frequency, real vs synthetic' },
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values: [...points(REAL_LABEL, input.real), ...points(SYNTHETIC_LABEL, input.synthetic)] },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'radius', type: 'quantitative', title: 'Spatial frequency (cycles per frame)', scale: { zero: false, nice: false } },
      y: { field: 'power', type: 'quantitative', title: 'Power', scale: { type: 'log' }, axis: { format: '~e' } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: [REAL_LABEL, SYNTHETIC_LABEL], range: [REAL_COLOR, SYNTHETIC_COLOR] } },
    },
  };
}

export interface BandInput {
  bands: { name: string; relativeDifference: number }[];
}

/** The relative difference of synthetic vs real power per frequency band (0 = the same power). */
export function bandChart(input: BandInput): ChartSpec {
  return barChart({
    title: 'Spectrum difference per frequency band',
    subtitle: '(synthetic − real) / real; below 0: missing detail, above: extra',
    xTitle: 'Relative difference',
    bars: input.bands.map((b) => ({ label: b.name, value: b.relativeDifference })),
    threshold: 0,
    thresholdLabel: 'same as real',
  });
}

/** Quantiles of one distribution (as memorisation.ts reports them), from the 1st percentile to the maximum. */
export interface QuantilePoints {
  p01: number;
  p05: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  p99: number;
  max: number;
}
const LEVELS = [['p01', 0.01], ['p05', 0.05], ['p25', 0.25], ['p50', 0.5], ['p75', 0.75], ['p95', 0.95], ['p99', 0.99], ['max', 1]] as const;

export interface ClosenessInput {
  title: string;
  xTitle: string;
  training: QuantilePoints;
  holdout: QuantilePoints;
  threshold: number | null;
}

/** Cumulative curves of the closest-training and closest-holdout scores of the synthetic images (from their quantiles). */
export function closenessChart(input: ClosenessInput): ChartSpec {
  const training = 'Closest training image';
  const holdout = 'Closest holdout image (control)';
  const curve = (series: string, q: QuantilePoints) => LEVELS.filter(([k]) => Number.isFinite(q[k])).map(([k, level], order) => ({ series, x: q[k], level, order }));
  const lines = {
    data: { values: [...curve(training, input.training), ...curve(holdout, input.holdout)] },
    mark: { type: 'line' as const, strokeWidth: 2, point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative' as const, title: input.xTitle, scale: { zero: false, nice: false } },
      y: { field: 'level', type: 'quantitative' as const, title: 'Share of synthetic images at or below', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
      color: { field: 'series', type: 'nominal' as const, title: null, scale: { domain: [holdout, training], range: [HOLDOUT_COLOR, SYNTHETIC_COLOR] } },
      order: { field: 'order', type: 'quantitative' as const },
    },
  };
  const rule =
    input.threshold === null || !Number.isFinite(input.threshold)
      ? []
      : [
          {
            data: { values: [{ threshold: input.threshold, text: `Threshold ${input.threshold}` }] },
            layer: [
              { mark: { type: 'rule' as const, color: '#d62728', strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { x: { field: 'threshold', type: 'quantitative' as const } } },
              {
                mark: { type: 'text' as const, color: '#d62728', align: 'right' as const, baseline: 'top' as const, dx: -4, y: 4, fontSize: 11 },
                encoding: { x: { field: 'threshold', type: 'quantitative' as const }, text: { field: 'text', type: 'nominal' as const } },
              },
            ],
          },
        ];
  return {
    title: { text: input.title, subtitle: 'Training curve right of the holdout curve: closer to patients than unseen patients are' },
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    layer: [lines, ...rule],
  };
}

export interface DiversityInput {
  groups: { label: string; real: number | null; synthetic: number | null }[];
}

/** Mean pairwise MS-SSIM per class, real beside synthetic: synthetic bars far longer mean mode collapse. */
export function diversityChart(input: DiversityInput): ChartSpec {
  const bars = input.groups.flatMap((g) => [
    ...(g.real === null ? [] : [{ label: g.label, group: REAL_LABEL, value: g.real }]),
    ...(g.synthetic === null ? [] : [{ label: g.label, group: SYNTHETIC_LABEL, value: g.synthetic }]),
  ]);
  return barChart({ title: 'Diversity: mean pairwise MS-SSIM', subtitle: 'Higher means images more alike; synthetic far above real means mode collapse', xTitle: 'Mean pairwise MS-SSIM', bars });
}
