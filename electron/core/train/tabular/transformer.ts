// The CTGAN/TVAE data transformer (Xu et al. 2019, "Modeling Tabular Data using Conditional GAN", §4.2): each row
// becomes a fixed-width vector the networks train on, and generated vectors become source-like cells again.
// Continuous columns get mode-specific normalisation (a scalar α in [−1, 1] plus a one-hot mode of a fitted
// Gaussian mixture) so multi-modal, long-tailed clinical values need no single global scaling; discrete columns
// are one-hot. Missing values are modelled, not imputed: a present/missing one-hot for continuous columns, and a
// `null` category for discrete ones.
import { InvalidArgumentError } from '../../errors';
import type { Rng } from '../rng';
import { formatNumber, type NumericFormat, type NumericType } from './format';
import { covering, fitGmm, sampleMode, type Gmm, type GmmOptions } from './gmm';
import type { PreparedColumn } from './schema';

export type SpanKind = 'alpha' | 'mode' | 'category' | 'missing';

/** A slice of the encoded row and the output activation a generator should use for it. */
export interface OutputSpan {
  /** Index of the source column. */
  column: number;
  kind: SpanKind;
  start: number;
  width: number;
  activation: 'tanh' | 'softmax';
}

interface ContinuousInfo {
  kind: 'continuous';
  name: string;
  type: NumericType;
  format: NumericFormat;
  gmm: Gmm;
  /** [present, missing] row counts; the missing span exists only when some value was missing. */
  presence: [number, number];
}

interface DiscreteInfo {
  kind: 'discrete';
  name: string;
  type: string;
  /** Categories in one-hot order, most frequent first; null (missing) last when present. */
  categories: (string | null)[];
  counts: number[];
}

type ColumnInfo = ContinuousInfo | DiscreteInfo;

/** A fitted transformer as plain JSON, for storing with a trained generator. */
export interface TransformerJSON {
  format: 'airlock.tabular-transformer';
  version: 1;
  columns: ColumnInfo[];
}

/** A one-hot span CTGAN's conditional vector can select: its category counts and sampling frequencies. */
export interface DiscreteSpanInfo {
  /** Index into `spans`. */
  span: number;
  column: number;
  kind: 'category' | 'missing';
  start: number;
  width: number;
  counts: number[];
  /** Share of training rows per category. */
  frequency: number[];
  /** log(count + 1), normalised: CTGAN's training-by-sampling distribution, which favours rare categories. */
  logFrequency: number[];
}

function buildSpans(infos: ColumnInfo[]): OutputSpan[] {
  const spans: OutputSpan[] = [];
  let start = 0;
  const add = (column: number, kind: SpanKind, width: number, activation: OutputSpan['activation']): void => {
    spans.push({ column, kind, start, width, activation });
    start += width;
  };
  infos.forEach((info, c) => {
    if (info.kind === 'discrete') add(c, 'category', info.categories.length, 'softmax');
    else {
      add(c, 'alpha', 1, 'tanh');
      add(c, 'mode', info.gmm.means.length, 'softmax');
      if (info.presence[1] > 0) add(c, 'missing', 2, 'softmax');
    }
  });
  return spans;
}

/** Index of the largest value in data[start, start + width), or a draw in proportion to the values when rng is given. */
function pick(data: Float32Array, start: number, width: number, rng: Rng | undefined): number {
  let best = 0;
  for (let j = 1; j < width; j++) if ((data[start + j] as number) > (data[start + best] as number)) best = j;
  if (!rng) return best;
  const weights = Array.from(data.subarray(start, start + width), (v) => Math.max(0, v));
  return weights.some((w) => w > 0) ? rng.choice(weights) : best;
}

export class Transformer {
  readonly spans: OutputSpan[];
  readonly width: number;

  private constructor(private readonly columns: ColumnInfo[]) {
    this.spans = buildSpans(columns);
    const last = this.spans[this.spans.length - 1];
    this.width = last ? last.start + last.width : 0;
  }

  /** Fits mixtures to continuous columns and category lists to discrete ones. */
  static fit(columns: PreparedColumn[], rng: Rng, options: GmmOptions = {}): Transformer {
    const infos = columns.map((col): ColumnInfo => {
      if (col.kind === 'discrete') {
        const missing = col.values.length - col.counts.reduce((s, n) => s + n, 0);
        return {
          kind: 'discrete',
          name: col.name,
          type: col.type,
          categories: missing > 0 ? [...col.categories, null] : [...col.categories],
          counts: missing > 0 ? [...col.counts, missing] : [...col.counts],
        };
      }
      const present = col.values.filter((v) => !Number.isNaN(v));
      // Each column its own stream, so adding a column never changes another column's fit.
      const gmm = fitGmm(present, rng.fork(`gmm:${col.name}`), options);
      return { kind: 'continuous', name: col.name, type: col.type, format: col.format, gmm, presence: [present.length, col.values.length - present.length] };
    });
    return new Transformer(infos);
  }

  static fromJSON(json: TransformerJSON): Transformer {
    if (json.format !== 'airlock.tabular-transformer' || json.version !== 1)
      throw new InvalidArgumentError('This stored transformer is not one this version of Airlock can read.');
    return new Transformer(structuredClone(json.columns));
  }

  toJSON(): TransformerJSON {
    return { format: 'airlock.tabular-transformer', version: 1, columns: structuredClone(this.columns) };
  }

  /** Encodes rows (row-major, rows × width). The mode of each continuous value is drawn from its posterior. */
  transform(columns: PreparedColumn[], rng: Rng): Float32Array {
    if (columns.length !== this.columns.length) throw new InvalidArgumentError(`Expected ${this.columns.length} columns, got ${columns.length}.`);
    const rows = columns[0]?.values.length ?? 0;
    const out = new Float32Array(rows * this.width);
    let spanAt = 0;
    this.columns.forEach((info, c) => {
      const col = columns[c] as PreparedColumn;
      if (col.name !== info.name || col.kind !== info.kind || col.values.length !== rows)
        throw new InvalidArgumentError(`Column ${c + 1} should be “${info.name}” (${info.kind}) with ${rows} rows.`);
      if (info.kind === 'discrete' && col.kind === 'discrete') {
        const start = (this.spans[spanAt++] as OutputSpan).start;
        const index = new Map(info.categories.map((cat, j) => [cat, j]));
        col.values.forEach((v, r) => {
          const j = index.get(v);
          if (j === undefined) throw new InvalidArgumentError(`Column “${info.name}” has a value the transformer was not fitted on: ${v === null ? 'a missing value' : `“${v}”`}.`);
          out[r * this.width + start + j] = 1;
        });
      } else if (info.kind === 'continuous' && col.kind === 'continuous') {
        const { gmm } = info;
        const alpha = (this.spans[spanAt++] as OutputSpan).start;
        const mode = (this.spans[spanAt++] as OutputSpan).start;
        const missing = info.presence[1] > 0 ? (this.spans[spanAt++] as OutputSpan).start : -1;
        col.values.forEach((v, r) => {
          const row = r * this.width;
          if (Number.isNaN(v)) {
            if (missing < 0) throw new InvalidArgumentError(`Column “${info.name}” had no missing values when the transformer was fitted.`);
            // α = 0 and a mode drawn from the mixture weights, so missing rows do not stand out in the mode span.
            out[row + mode + rng.choice(gmm.weights)] = 1;
            out[row + missing + 1] = 1;
            return;
          }
          // Only modes whose ±4σ band holds v are eligible, so training values never clip (new values may).
          const k = sampleMode(gmm, v, covering(gmm, v), rng);
          const a = (v - (gmm.means[k] as number)) / (4 * (gmm.stds[k] as number));
          out[row + alpha] = Math.max(-1, Math.min(1, a));
          out[row + mode + k] = 1;
          if (missing >= 0) out[row + missing] = 1;
        });
      }
    });
    return out;
  }

  /**
   * Decodes generated rows to source-like cells. Each softmax span is read by its largest value, or, when rng is
   * given, drawn in proportion to its (non-negative) values.
   */
  inverse(data: Float32Array, rows: number, rng?: Rng): (string | null)[][] {
    if (data.length !== rows * this.width) throw new InvalidArgumentError(`Expected ${rows} × ${this.width} values, got ${data.length}.`);
    const out: (string | null)[][] = Array.from({ length: rows }, () => new Array<string | null>(this.columns.length).fill(null));
    let spanAt = 0;
    this.columns.forEach((info, c) => {
      if (info.kind === 'discrete') {
        const span = this.spans[spanAt++] as OutputSpan;
        for (let r = 0; r < rows; r++) (out[r] as (string | null)[])[c] = info.categories[pick(data, r * this.width + span.start, span.width, rng)] ?? null;
        return;
      }
      const alpha = this.spans[spanAt++] as OutputSpan;
      const mode = this.spans[spanAt++] as OutputSpan;
      const missing = info.presence[1] > 0 ? (this.spans[spanAt++] as OutputSpan) : null;
      for (let r = 0; r < rows; r++) {
        const row = r * this.width;
        if (missing && pick(data, row + missing.start, 2, rng) === 1) continue;
        const k = pick(data, row + mode.start, mode.width, rng);
        const a = Math.max(-1, Math.min(1, data[row + alpha.start] as number));
        (out[r] as (string | null)[])[c] = formatNumber(a * 4 * (info.gmm.stds[k] as number) + (info.gmm.means[k] as number), info.format);
      }
    });
    return out;
  }

  /** The category and missing spans, in span order, with what CTGAN's conditional vector needs to sample them. */
  discreteColumns(): DiscreteSpanInfo[] {
    const out: DiscreteSpanInfo[] = [];
    this.spans.forEach((span, i) => {
      if (span.kind !== 'category' && span.kind !== 'missing') return;
      const info = this.columns[span.column] as ColumnInfo;
      const counts = info.kind === 'discrete' ? [...info.counts] : [...info.presence];
      const total = counts.reduce((s, n) => s + n, 0);
      const logs = counts.map((n) => Math.log(n + 1));
      const logTotal = logs.reduce((s, v) => s + v, 0);
      out.push({ span: i, column: span.column, kind: span.kind, start: span.start, width: span.width, counts, frequency: counts.map((n) => n / total), logFrequency: logs.map((v) => v / logTotal) });
    });
    return out;
  }

  /** Column names in output order. */
  get names(): string[] {
    return this.columns.map((c) => c.name);
  }
}

/** Fits the transformer (same as Transformer.fit). */
export function fitTransformer(columns: PreparedColumn[], rng: Rng, options?: GmmOptions): Transformer {
  return Transformer.fit(columns, rng, options);
}
