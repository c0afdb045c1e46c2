// Per-column statistics gathered while streaming (bounded memory), and the type inferred from them at the end.
import { createHash } from 'node:crypto';
import type { DateHint } from '../../../shared/date-schema';
import { recogniseDate } from './dates';
import { looksLikeIdName } from './names';
import type { ColumnProfile, ColumnStats, ColumnType, TopValue } from './types';
import { looksLikeEmail, looksLikePhone, looksLikePostcode, parseBoolean, parseDate, parseNumber, ZIP5_RE } from './values';

/** Distinct values remembered with their counts per column (top values, categories). */
export const DISTINCT_CAP = 1000;
/** Distinct values counted exactly (by a 53-bit digest, ~8 bytes each); beyond it the count is a lower bound. */
export const DISTINCT_COUNT_CAP = 2_000_000;
const TOP_N = 20;
const TEXT_AVG_LENGTH = 30;
// Long values are remembered by digest so 1000 distinct free-text notes cannot fill memory.
const LONG_VALUE = 256;
const DIGEST_PREFIX = '\u0000';

/** More distinct values than this and a column is not a category: max(20, 5% of values), within the cap. */
export function categoricalLimit(count: number): number {
  return Math.min(DISTINCT_CAP, Math.max(20, Math.ceil(0.05 * count)));
}

export class ColumnAccumulator {
  private count = 0;
  private missing = 0;
  private readonly seen = new Map<string, number>();
  // Every distinct value's digest, so counts in messages are exact far beyond the remembered values.
  private readonly digests = new Set<number>();
  private capped = false;
  private countCapped = false;
  private repeated = false;
  private numeric = true;
  private integral = true;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;
  private boolean = true;
  private trues = 0;
  private falses = 0;
  private dates = true;
  private withTime = false;
  private dateMin = '';
  private dateMax = '';
  private lenMin = Infinity;
  private lenMax = 0;
  private lenSum = 0;
  private spaced = 0;
  private digited = 0;
  private signed = 0;
  private email = 0;
  private phone = 0;
  private postcode = 0;
  private zip5 = 0;

  add(value: string | null): void {
    if (value === null) {
      this.missing++;
      return;
    }
    this.count++;
    this.remember(value);
    const t = value.trim();
    this.lenMin = Math.min(this.lenMin, t.length);
    this.lenMax = Math.max(this.lenMax, t.length);
    this.lenSum += t.length;
    if (/\s/.test(t)) this.spaced++;
    if (/\d/.test(t)) this.digited++;
    if (t.startsWith('-') || t.startsWith('+')) this.signed++;
    if (this.numeric) this.addNumber(t);
    if (this.boolean) this.addBoolean(t);
    if (this.dates) this.addDate(t);
    // Postcodes before phones: a ZIP+4 (10001-1234) also has a phone number's shape.
    if (looksLikeEmail(t)) this.email++;
    else if (looksLikePostcode(t)) this.postcode++;
    else if (looksLikePhone(t)) this.phone++;
    else if (ZIP5_RE.test(t)) this.zip5++;
  }

  private remember(value: string): void {
    const key = value.length > LONG_VALUE ? DIGEST_PREFIX + createHash('sha256').update(value).digest('base64') : value;
    const n = this.seen.get(key);
    if (n !== undefined) {
      this.seen.set(key, n + 1);
      this.repeated = true;
      return;
    }
    if (this.seen.size < DISTINCT_CAP) this.seen.set(key, 1);
    else this.capped = true;
    if (!this.capped) {
      this.digests.add(digest53(key));
      return;
    }
    const d = digest53(key);
    if (this.digests.has(d)) this.repeated = true;
    else if (this.digests.size < DISTINCT_COUNT_CAP) this.digests.add(d);
    else this.countCapped = true;
  }

  /** Distinct non-missing values: exact up to DISTINCT_COUNT_CAP. */
  private get distinct(): number {
    return this.capped ? this.digests.size : this.seen.size;
  }

  private addNumber(t: string): void {
    const x = parseNumber(t);
    if (x === null) {
      this.numeric = false;
      return;
    }
    if (!Number.isInteger(x)) this.integral = false;
    // Welford's update (one pass, no cancellation); numbers are only added while every value so far was one, so n = count.
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
    this.min = Math.min(this.min, x);
    this.max = Math.max(this.max, x);
  }

  private addBoolean(t: string): void {
    const b = parseBoolean(t);
    if (b === null) this.boolean = false;
    else if (b) this.trues++;
    else this.falses++;
  }

  private addDate(t: string): void {
    const d = parseDate(t);
    if (d === null) {
      this.dates = false;
      return;
    }
    if (d.time) this.withTime = true;
    if (this.dateMin === '' || d.iso < this.dateMin) this.dateMin = d.iso;
    if (d.iso > this.dateMax) this.dateMax = d.iso;
  }

  private infer(name: string, date: DateHint | undefined): { type: ColumnType; why: string } {
    const { count } = this;
    if (count === 0) return { type: 'categorical', why: 'Every value is missing.' };
    const limit = categoricalLimit(count);
    const manyDistinct = this.distinct > limit;
    const unique = !this.repeated;
    const idName = looksLikeIdName(name);
    if (this.boolean && this.trues > 0 && this.falses > 0)
      return { type: 'boolean', why: 'Every value is a true/false word (true/false, yes/no, y/n, t/f), and both occur.' };
    if (this.numeric) {
      const fixedCode = unique && this.signed === 0 && this.lenMin === this.lenMax && this.lenMin >= 5;
      // Day counts of dates are unique five-digit numbers too; a date-like name says they are dates, not codes.
      if (date?.status === 'recognised') return { type: this.integral ? 'integer' : 'number', why: `Every value is a number; ${date.why}` };
      if (this.integral && manyDistinct && (idName || fixedCode))
        return { type: 'identifier', why: idName ? `Whole numbers under a key-like name, with more distinct values (${this.distinctText()}) than a category.` : 'Unique whole numbers of one fixed length: a code, not a quantity.' };
      if (this.integral) return { type: 'integer', why: `Every value is a whole number (${this.distinctText()} distinct).` };
      return { type: 'number', why: 'Every value is a number.' };
    }
    if (this.dates)
      return this.withTime ? { type: 'datetime', why: 'Every value is a date, some with a time of day.' } : { type: 'date', why: 'Every value is a date (YYYY-MM-DD or DD/MM/YYYY).' };
    if (manyDistinct && (idName || (unique && this.digited === count && this.spaced === 0)))
      return { type: 'identifier', why: idName ? 'A key-like name, with more distinct values than a category.' : 'Unique codes containing digits and no spaces.' };
    if (this.lenSum / count > TEXT_AVG_LENGTH) return { type: 'text', why: `Long strings (average over ${TEXT_AVG_LENGTH} characters): free text.` };
    if (!manyDistinct) return { type: 'categorical', why: `${this.distinctText()} distinct values, at most ${limit} for a category.` };
    return { type: 'text', why: `More distinct strings (${this.distinctText()}) than a category can have (${limit}).` };
  }

  private distinctText(): string {
    return this.countCapped ? `over ${DISTINCT_COUNT_CAP.toLocaleString('en-GB')}` : String(this.distinct);
  }

  private top(): TopValue[] {
    return [...this.seen.entries()]
      .filter(([value]) => !value.startsWith(DIGEST_PREFIX))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, TOP_N)
      .map(([value, count]) => ({ value, count }));
  }

  finish(name: string, index: number): ColumnProfile {
    const { count } = this;
    const stats: ColumnStats = {
      length: { min: count ? this.lenMin : 0, max: this.lenMax, mean: count ? this.lenSum / count : 0 },
    };
    if (this.numeric && count > 0)
      stats.numeric = { min: this.min, max: this.max, mean: this.mean, std: count > 1 ? Math.sqrt(this.m2 / (count - 1)) : null, integral: this.integral };
    // A single distinct value says nothing about a range.
    const date = this.numeric && this.seen.size > 1 ? recogniseDate(name, stats.numeric) : undefined;
    const { type, why } = this.infer(name, date);
    if (this.dates && count > 0) stats.dates = { min: this.dateMin, max: this.dateMax, withTime: this.withTime };
    // Only for category-sized columns of non-identifying types: keys, free text and exact dates must not reach reports.
    const categorySized = !this.capped && this.seen.size <= categoricalLimit(count);
    if (categorySized && !date && (type === 'categorical' || type === 'boolean' || type === 'integer' || type === 'number')) stats.top = this.top();
    // A bare 5-digit value is a ZIP code only in a column that is not numbers (leading zeros kept, or mixed with ZIP+4).
    const postcode = this.postcode + (this.numeric ? 0 : this.zip5);
    return {
      name,
      index,
      inferredType: type,
      type,
      why,
      count,
      missing: this.missing,
      distinct: this.distinct,
      distinctCapped: this.countCapped,
      unique: !this.repeated,
      patterns: { email: this.email, phone: this.phone, postcode },
      stats,
      ...(date ? { date } : {}),
    };
  }
}

/** FNV-1a over UTF-16 code units in two 32-bit lanes, folded to 53 bits: collisions ~n²/2⁵⁴ (≈5e-5 at 1M values). */
function digest53(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/** The same profile with a different type in use; check the data first with validateOverride. */
export function overrideType(profile: ColumnProfile, type: ColumnType): ColumnProfile {
  return { ...profile, type, stats: { ...profile.stats } };
}
