// Small-cell suppression for everything that can leave the workstation: no bin, category share or count in a
// report may rest on fewer than `minCount` real rows. Only real counts matter (synthetic rows are nobody), and
// each function returns the sentence the report prints about what it merged or hid.
import { AirlockError } from '../../errors';
import type { CategoryShare, HistogramBin } from './charts';

export const DEFAULT_MIN_COUNT = 10;

export interface BinCount {
  start: number;
  end: number;
  realCount: number;
  syntheticCount: number;
}
export interface SuppressedBins {
  /** Bins in order, shares of all real (synthetic) rows in the histogram; empty when the whole histogram is suppressed. */
  bins: HistogramBin[];
  /** How many input bins ended up inside a merged bin (0 when nothing was merged). */
  merged: number;
  /** True when the histogram as a whole rests on fewer than minCount real rows and is not shown. */
  suppressed: boolean;
  note: string;
}

export interface CategoryCount {
  label: string;
  realCount: number;
  syntheticCount: number;
}
export interface SuppressedCategories {
  /** Kept categories in input order, then the "Other" bucket if any (real/synthetic null when it is suppressed). */
  categories: (CategoryShare & { suppressed: boolean })[];
  /** How many input categories went into the "Other" bucket. */
  merged: number;
  /** True when the "Other" bucket is itself under minCount real rows and is shown as suppressed. */
  suppressed: boolean;
  note: string;
}

export type SuppressedCount = number | `under ${number}`;

function checkMin(minCount: number): void {
  if (!Number.isInteger(minCount) || minCount < 1) {
    throw new AirlockError('INVALID_ARGUMENT', `The small-cell threshold must be a whole number of rows of at least 1 (got ${minCount}).`);
  }
}

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new AirlockError('INVALID_ARGUMENT', `${what} must be a whole, non-negative number of rows (got ${n}).`);
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

// "age: bins were merged…" with a subject, "Bins were merged…" without.
function sentence(subject: string | undefined, body: string): string {
  return subject ? `${subject}: ${body}` : body.charAt(0).toUpperCase() + body.slice(1);
}

function share(n: number, total: number): number {
  return total > 0 ? n / total : 0;
}

/**
 * Merges adjacent bins until every bin rests on at least minCount real rows. The bin with the fewest real
 * rows is merged first, into whichever neighbour has fewer real rows (the left one on a tie), so the
 * histogram keeps as much shape as the rule allows. Shares are of all rows in the input bins.
 */
export function suppressBins(bins: BinCount[], minCount = DEFAULT_MIN_COUNT, subject?: string): SuppressedBins {
  checkMin(minCount);
  bins.forEach((b, i) => {
    checkCount(b.realCount, `The real count of histogram bin ${i + 1}`);
    checkCount(b.syntheticCount, `The synthetic count of histogram bin ${i + 1}`);
    if (!(b.start <= b.end) || (i > 0 && b.start < bins[i - 1]!.end)) {
      throw new AirlockError('INVALID_ARGUMENT', `Histogram bins must be in order and must not overlap (bin ${i + 1} does not follow bin ${i}).`);
    }
  });
  const totalReal = bins.reduce((s, b) => s + b.realCount, 0);
  const totalSynthetic = bins.reduce((s, b) => s + b.syntheticCount, 0);
  if (totalReal < minCount) {
    return {
      bins: [],
      merged: bins.length,
      suppressed: true,
      note: sentence(subject, `the histogram is suppressed: it rests on fewer than ${minCount} real rows in total.`),
    };
  }
  const groups = bins.map((b) => ({ start: b.start, end: b.end, real: b.realCount, synthetic: b.syntheticCount, members: 1 }));
  for (;;) {
    let i = -1;
    groups.forEach((g, k) => {
      if (g.real < minCount && (i < 0 || g.real < groups[i]!.real)) i = k;
    });
    if (i < 0) break;
    const left = groups[i - 1];
    const right = groups[i + 1];
    // totalReal >= minCount guarantees a small group always has a neighbour.
    const j = left && (!right || left.real <= right.real) ? i - 1 : i + 1;
    const [a, b] = [groups[Math.min(i, j)]!, groups[Math.max(i, j)]!];
    groups.splice(Math.min(i, j), 2, { start: a.start, end: b.end, real: a.real + b.real, synthetic: a.synthetic + b.synthetic, members: a.members + b.members });
  }
  const merged = groups.filter((g) => g.members > 1).reduce((s, g) => s + g.members, 0);
  const note =
    merged === 0
      ? sentence(subject, `no bin rests on fewer than ${minCount} real rows; ${bins.length === 1 ? 'the bin is' : `all ${bins.length} bins are`} shown as computed.`)
        : sentence(subject, `bins resting on fewer than ${minCount} real rows were merged with their neighbours: ${plural(bins.length, 'bin', 'bins')} became ${groups.length} (${plural(merged, 'original bin is', 'original bins are')} part of a merged bin).`);
  return {
    bins: groups.map((g) => ({ start: g.start, end: g.end, real: share(g.real, totalReal), synthetic: share(g.synthetic, totalSynthetic) })),
    merged,
    suppressed: false,
    note,
  };
}

/** The label of the bucket that collects every category under minCount real rows. */
export function otherLabel(n: number, minCount = DEFAULT_MIN_COUNT): string {
  return n === 1 ? `Other (1 category, under ${minCount} real rows)` : `Other (${n} categories, each under ${minCount} real rows)`;
}

/**
 * Every category with fewer than minCount real rows goes into one "Other" bucket (unnamed, so a rare
 * category is never named in a report); if the bucket itself rests on fewer than minCount real rows, its
 * shares are suppressed too (null, shown as "suppressed").
 */
export function suppressCategories(cats: CategoryCount[], minCount = DEFAULT_MIN_COUNT, subject?: string): SuppressedCategories {
  checkMin(minCount);
  cats.forEach((c) => {
    checkCount(c.realCount, 'The real count of a category');
    checkCount(c.syntheticCount, 'The synthetic count of a category');
  });
  const totalReal = cats.reduce((s, c) => s + c.realCount, 0);
  const totalSynthetic = cats.reduce((s, c) => s + c.syntheticCount, 0);
  const kept = cats.filter((c) => c.realCount >= minCount);
  const small = cats.filter((c) => c.realCount < minCount);
  const categories: SuppressedCategories['categories'] = kept.map((c) => ({
    label: c.label,
    real: share(c.realCount, totalReal),
    synthetic: share(c.syntheticCount, totalSynthetic),
    suppressed: false,
  }));
  if (small.length === 0) {
    return { categories, merged: 0, suppressed: false, note: sentence(subject, `no category rests on fewer than ${minCount} real rows; ${cats.length === 1 ? 'the category is' : `all ${cats.length} categories are`} shown.`) };
  }
  const bucketReal = small.reduce((s, c) => s + c.realCount, 0);
  const bucketSynthetic = small.reduce((s, c) => s + c.syntheticCount, 0);
  const label = otherLabel(small.length, minCount);
  const suppressed = bucketReal < minCount;
  categories.push({
    label,
    real: suppressed ? null : share(bucketReal, totalReal),
    synthetic: suppressed ? null : share(bucketSynthetic, totalSynthetic),
    suppressed,
  });
  const merged = `${plural(small.length, 'category', 'categories')} with fewer than ${minCount} real rows ${small.length === 1 ? 'was' : 'were'} merged into "${label}"`;
  const note = suppressed
    ? sentence(subject, `${merged}; together ${small.length === 1 ? 'it rests' : 'they rest'} on fewer than ${minCount} real rows, so that bucket is suppressed.`)
    : sentence(subject, `${merged}.`);
  return { categories, merged: small.length, suppressed, note };
}

/** A count of real rows as a report may show it: the number itself, or "under 10". Zero concerns nobody and is shown. */
export function suppressCount(n: number, minCount = DEFAULT_MIN_COUNT): SuppressedCount {
  checkMin(minCount);
  checkCount(n, 'A count');
  return n === 0 || n >= minCount ? n : `under ${minCount}`;
}
