// What a bench section is given: the command-line options, and a way to record its figures and notes so that
// bench/run.ts prints them as the section's table and writes them to the JSON file.
import { runComparison, type CliOptions, type Comparison, type Figure } from './harness';

export interface BenchContext {
  readonly opts: CliOptions;
  /** Runs a comparison with the options' warm-ups and pairs, and records its figures. */
  compare(c: Comparison, override?: { pairs?: number; warmup?: number }): Promise<Figure[]>;
  /** Records figures measured another way (scaling points, lag percentiles). */
  add(...figures: Figure[]): void;
  /** A line printed under the section's table. */
  note(line: string): void;
}

export class SectionContext implements BenchContext {
  readonly figures: Figure[] = [];
  readonly notes: string[] = [];

  constructor(
    readonly section: string,
    readonly opts: CliOptions,
  ) {}

  async compare(c: Comparison, override: { pairs?: number; warmup?: number } = {}): Promise<Figure[]> {
    const figs = await runComparison(this.section, c, { pairs: override.pairs ?? this.opts.pairs, warmup: override.warmup ?? this.opts.warmup });
    this.figures.push(...figs);
    return figs;
  }

  add(...figures: Figure[]): void {
    this.figures.push(...figures);
  }

  note(line: string): void {
    this.notes.push(line);
  }
}
