// CTGAN's conditional vector and training-by-sampling (SDV `ctgan`'s DataSampler): the categorical columns, their
// category distributions, and the rows holding each category. Plain JavaScript over the encoded matrix, no tfjs.
import { invalidInput } from '../engine/errors';
import type { Rng } from '../engine/rng';
import type { EncodedTable } from './model';
import type { OutputSpan } from './spans';

/** Categorical columns and their log-frequency category distributions; rows by category for real sampling. */
export class ConditionSampler {
  readonly spans: OutputSpan[];
  /** Total categories = width of the conditional vector. */
  readonly width: number;
  /** Offset of each categorical span in the conditional vector. */
  readonly offsets: number[];
  private readonly cumulative: Float64Array[];
  private readonly rowsByCategory: Int32Array[][];
  private readonly overall: Float64Array;
  /** Index in `spans` of the transformer's missingness-pattern span (a category span on a continuous column), or −1. */
  private readonly patternSpan: number;

  /** The missingness-pattern span and its offset in the conditional vector, or null when the table has none. */
  get pattern(): { span: OutputSpan; offset: number } | null {
    const k = this.patternSpan;
    return k < 0 ? null : { span: this.spans[k] as OutputSpan, offset: this.offsets[k] as number };
  }

  constructor(table: EncodedTable, logFrequency: boolean) {
    this.spans = table.spans.filter((s) => s.kind === 'category');
    this.offsets = [];
    let at = 0;
    this.cumulative = [];
    this.rowsByCategory = [];
    const overall: number[] = [];
    for (const s of this.spans) {
      this.offsets.push(at);
      at += s.width;
      const counts = new Float64Array(s.width);
      const lists: number[][] = Array.from({ length: s.width }, () => []);
      for (let r = 0; r < table.rows; r++) {
        const o = r * table.width + s.start;
        for (let j = 0; j < s.width; j++) {
          if ((table.values[o + j] as number) !== 0) {
            counts[j] = (counts[j] as number) + (table.values[o + j] as number);
            (lists[j] as number[]).push(r);
          }
        }
      }
      const freq = counts.map((c) => (logFrequency ? Math.log(c + 1) : c));
      const total = freq.reduce((a, b) => a + b, 0);
      if (!(total > 0)) throw invalidInput(`Categorical column ${s.column} has no values in the encoded data.`);
      const cum = new Float64Array(s.width);
      let acc = 0;
      freq.forEach((f, j) => {
        acc += f / total;
        cum[j] = acc;
      });
      const rowsSeen = counts.reduce((a, b) => a + b, 0);
      counts.forEach((c) => overall.push(c / rowsSeen));
      this.cumulative.push(cum);
      this.rowsByCategory.push(lists.map((l) => Int32Array.from(l)));
    }
    this.width = at;
    const sum = overall.reduce((a, b) => a + b, 0);
    let acc = 0;
    this.overall = Float64Array.from(overall, (p) => (acc += p / sum));
    const continuous = new Set(table.spans.filter((s) => s.kind === 'alpha').map((s) => s.column));
    this.patternSpan = this.spans.findIndex((s) => continuous.has(s.column));
  }

  get active(): boolean {
    return this.spans.length > 0;
  }

  private pickCategory(column: number, rng: Rng): number {
    const cum = this.cumulative[column] as Float64Array;
    const u = rng.uniform();
    for (let j = 0; j < cum.length; j++) if ((cum[j] as number) > u) return j;
    return cum.length - 1;
  }

  /** SDV's sample_condvec: cond [n, width], mask [n, columns], and the (column, category) of each row. */
  sampleTraining(n: number, rng: Rng): { cond: Float32Array; mask: Float32Array; column: Int32Array; category: Int32Array } {
    const k = this.spans.length;
    const cond = new Float32Array(n * this.width);
    const mask = new Float32Array(n * k);
    const column = new Int32Array(n);
    const category = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = rng.int(k);
      const j = this.pickCategory(c, rng);
      column[i] = c;
      category[i] = j;
      mask[i * k + c] = 1;
      cond[i * this.width + (this.offsets[c] as number) + j] = 1;
    }
    return { cond, mask, column, category };
  }

  /** A random row having category `category` in categorical column `column`. */
  sampleRow(column: number, category: number, rng: Rng): number {
    const rows = (this.rowsByCategory[column] as Int32Array[])[category] as Int32Array;
    return rows[rng.int(rows.length)] as number;
  }

  /**
   * SDV's sample_original_condvec: one category over all columns, by real frequency. With a missingness-pattern span
   * every row is conditioned on a pattern drawn by its real frequency instead, so each column's missing share and
   * the columns missing together follow the real data however long the generator trained (it learnt p(row | pattern)
   * from the batches conditioned on it).
   */
  sampleForGeneration(n: number, rng: Rng): Float32Array {
    const cond = new Float32Array(n * this.width);
    const pattern = this.patternSpan;
    for (let i = 0; i < n; i++) {
      if (pattern >= 0) {
        cond[i * this.width + (this.offsets[pattern] as number) + this.realCategory(pattern, rng)] = 1;
        continue;
      }
      const u = rng.uniform();
      let j = 0;
      while (j < this.overall.length - 1 && (this.overall[j] as number) <= u) j++;
      cond[i * this.width + j] = 1;
    }
    return cond;
  }

  // A category of span k by its real frequency (the slice of `overall` that belongs to span k).
  private realCategory(k: number, rng: Rng): number {
    const at = this.offsets[k] as number;
    const width = (this.spans[k] as OutputSpan).width;
    const before = at > 0 ? (this.overall[at - 1] as number) : 0;
    const u = before + rng.uniform() * ((this.overall[at + width - 1] as number) - before);
    let j = 0;
    while (j < width - 1 && (this.overall[at + j] as number) <= u) j++;
    return j;
  }
}
