// The CTGAN/TVAE data transformer (Xu et al. 2019, "Modeling Tabular Data using Conditional GAN", §4.2): each row
// becomes a fixed-width vector the networks train on, and generated vectors become source-like cells again.
// Continuous columns get mode-specific normalisation (a scalar α in [−1, 1] plus a one-hot mode of a fitted
// Gaussian mixture) so multi-modal, long-tailed clinical values need no single global scaling; discrete columns
// are one-hot. Missing values are modelled, not imputed: a `null` category for discrete columns, and for continuous
// columns (version 2) one categorical span over the row's missingness pattern, so lab values absent together for
// the same patients are generated absent together (version 1 had an independent present/missing one-hot each).
import { InvalidArgumentError } from '../../errors';
import type { Rng } from '../rng';
import { formatNumber, type NumericFormat, type NumericType } from './format';
import { covering, drawInMode, fitGmm, sampleMode, type Gmm, type GmmOptions } from './gmm';
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

/** The missingness patterns seen over the continuous columns that have missing values (version 2). */
interface MissingPatterns {
  /** Indices of those columns, in column order. */
  columns: number[];
  /** One flag string per pattern ('1' = missing, one character per entry of `columns`), most frequent first. */
  patterns: string[];
  counts: number[];
}

/** More distinct patterns than this and each column gets its own present/missing span instead (the v1 layout). */
export const MAX_PATTERNS = 64;

/** A fitted transformer as plain JSON, for storing with a trained generator. Version 1 (no patterns) still loads. */
export type TransformerJSON =
  | { format: 'airlock.tabular-transformer'; version: 1; columns: ColumnInfo[] }
  | { format: 'airlock.tabular-transformer'; version: 2; columns: ColumnInfo[]; patterns: MissingPatterns | null };

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

function buildSpans(infos: ColumnInfo[], patterns: MissingPatterns | null): OutputSpan[] {
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
      if (info.presence[1] > 0 && !patterns) add(c, 'missing', 2, 'softmax');
    }
  });
  // A 'category' span, so CTGAN's conditional vector and training-by-sampling cover the patterns too.
  if (patterns) add(patterns.columns[0] as number, 'category', patterns.patterns.length, 'softmax');
  return spans;
}

/** The rows' missingness patterns over the continuous columns with missing values, or null if there are too many. */
function findPatterns(columns: PreparedColumn[]): MissingPatterns | null {
  const at = columns.flatMap((c, j) => (c.kind === 'continuous' && c.missingRate > 0 ? [j] : []));
  if (at.length === 0) return null;
  const tally = new Map<string, number>();
  const rows = columns[0]?.values.length ?? 0;
  for (let r = 0; r < rows; r++) {
    const key = at.map((j) => (Number.isNaN((columns[j] as PreparedColumn).values[r] as number) ? '1' : '0')).join('');
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  if (tally.size > MAX_PATTERNS) return null;
  const ranked = [...tally].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return { columns: at, patterns: ranked.map(([k]) => k), counts: ranked.map(([, n]) => n) };
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

  private constructor(
    private readonly columns: ColumnInfo[],
    private readonly patterns: MissingPatterns | null,
  ) {
    this.spans = buildSpans(columns, patterns);
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
    return new Transformer(infos, findPatterns(columns));
  }

  static fromJSON(json: TransformerJSON): Transformer {
    if (json.format !== 'airlock.tabular-transformer' || (json.version !== 1 && json.version !== 2))
      throw new InvalidArgumentError('This stored transformer is not one this version of Airlock can read.');
    return new Transformer(structuredClone(json.columns), json.version === 2 ? structuredClone(json.patterns) : null);
  }

  toJSON(): TransformerJSON {
    return { format: 'airlock.tabular-transformer', version: 2, columns: structuredClone(this.columns), patterns: structuredClone(this.patterns) };
  }

  /** Encodes rows (row-major, rows × width). The mode of each continuous value is drawn from its posterior. */
  transform(columns: PreparedColumn[], rng: Rng): Float32Array {
    if (columns.length !== this.columns.length) throw new InvalidArgumentError(`Expected ${this.columns.length} columns, got ${columns.length}.`);
    const rows = columns[0]?.values.length ?? 0;
    const out = new Float32Array(rows * this.width);
    let spanAt = 0;
    const inPattern = new Set(this.patterns?.columns ?? []);
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
        const missing = info.presence[1] > 0 && !this.patterns ? (this.spans[spanAt++] as OutputSpan).start : -1;
        col.values.forEach((v, r) => {
          const row = r * this.width;
          if (Number.isNaN(v)) {
            if (missing < 0 && !inPattern.has(c)) throw new InvalidArgumentError(`Column “${info.name}” had no missing values when the transformer was fitted.`);
            // α = 0 and a mode drawn from the mixture weights, so missing rows do not stand out in the mode span.
            out[row + mode + rng.choice(gmm.weights)] = 1;
            if (missing >= 0) out[row + missing + 1] = 1;
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
    if (this.patterns) this.encodePatterns(columns, out, (this.spans[spanAt] as OutputSpan).start, rows);
    return out;
  }

  private encodePatterns(columns: PreparedColumn[], out: Float32Array, start: number, rows: number): void {
    const p = this.patterns as MissingPatterns;
    const index = new Map(p.patterns.map((k, j) => [k, j]));
    for (let r = 0; r < rows; r++) {
      const key = p.columns.map((j) => (Number.isNaN((columns[j] as PreparedColumn).values[r] as number) ? '1' : '0')).join('');
      const j = index.get(key);
      if (j === undefined) throw new InvalidArgumentError(`Row ${r + 1} has a pattern of missing values the transformer was not fitted on.`);
      out[r * this.width + start + j] = 1;
    }
  }

  /**
   * Decodes generated rows to source-like cells. Each softmax span is read by its largest value, or, when rng is
   * given, drawn in proportion to its (non-negative) values.
   */
  inverse(data: Float32Array, rows: number, rng?: Rng): (string | null)[][] {
    if (data.length !== rows * this.width) throw new InvalidArgumentError(`Expected ${rows} × ${this.width} values, got ${data.length}.`);
    const out: (string | null)[][] = Array.from({ length: rows }, () => new Array<string | null>(this.columns.length).fill(null));
    let spanAt = 0;
    const missingAt = this.decodePatterns(data, rows, rng);
    this.columns.forEach((info, c) => {
      if (info.kind === 'discrete') {
        const span = this.spans[spanAt++] as OutputSpan;
        for (let r = 0; r < rows; r++) (out[r] as (string | null)[])[c] = info.categories[pick(data, r * this.width + span.start, span.width, rng)] ?? null;
        return;
      }
      const alpha = this.spans[spanAt++] as OutputSpan;
      const mode = this.spans[spanAt++] as OutputSpan;
      const missing = info.presence[1] > 0 && !this.patterns ? (this.spans[spanAt++] as OutputSpan) : null;
      const absent = missingAt.get(c);
      const { min, max } = info.format;
      for (let r = 0; r < rows; r++) {
        const row = r * this.width;
        if (missing && pick(data, row + missing.start, 2, rng) === 1) continue;
        if (absent?.[r]) continue;
        const k = pick(data, row + mode.start, mode.width, rng);
        const a = Math.max(-1, Math.min(1, data[row + alpha.start] as number));
        let x = a * 4 * (info.gmm.stds[k] as number) + (info.gmm.means[k] as number);
        // Out of the real range: redraw from the mode that produced it rather than clip (which piles values onto the
        // real extremes) or reflect (which mirrors a saturated α's point mass into a new pile inside the range).
        if (rng && (x < min || x > max)) x = drawInMode(info.gmm, k, min, max, rng) ?? x;
        (out[r] as (string | null)[])[c] = formatNumber(x, info.format);
      }
    });
    return out;
  }

  /** Per column in the pattern span, which rows it is missing in (empty without patterns). */
  private decodePatterns(data: Float32Array, rows: number, rng: Rng | undefined): Map<number, Uint8Array> {
    const out = new Map<number, Uint8Array>();
    const p = this.patterns;
    const span = this.spans[this.spans.length - 1];
    if (!p || !span) return out;
    for (const c of p.columns) out.set(c, new Uint8Array(rows));
    for (let r = 0; r < rows; r++) {
      const key = p.patterns[pick(data, r * this.width + span.start, span.width, rng)] ?? '';
      p.columns.forEach((c, i) => {
        if (key[i] === '1') (out.get(c) as Uint8Array)[r] = 1;
      });
    }
    return out;
  }

  /** The category and missing spans, in span order, with what CTGAN's conditional vector needs to sample them. */
  discreteColumns(): DiscreteSpanInfo[] {
    const out: DiscreteSpanInfo[] = [];
    this.spans.forEach((span, i) => {
      if (span.kind !== 'category' && span.kind !== 'missing') return;
      const info = this.columns[span.column] as ColumnInfo;
      const counts = this.patterns && i === this.spans.length - 1 ? [...this.patterns.counts] : info.kind === 'discrete' ? [...info.counts] : [...info.presence];
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
