// The facts rule suggestion reads from the training rows: per column a typed value array, a presence bitset and,
// for low-cardinality columns, integer codes with a bitset per code. Bitsets make the pairwise counts word-wide.
import type { ColumnType } from '../../ingest/table/types';
import { prepareColumns } from '../tabular/schema';
import { DAY_MS, LEVELS_MAX } from '../tabular/format';

/** Most distinct values a column may have to serve as a flag (a `when`, a presence condition, a combination). */
export const FLAG_MAX = 10;

export type Bits = Uint32Array;

export function bitsOf(n: number): Bits {
  return new Uint32Array(Math.ceil(n / 32));
}

export function setBit(b: Bits, i: number): void {
  b[i >>> 5] = (b[i >>> 5] ?? 0) | (1 << (i & 31));
}

export function hasBit(b: Bits, i: number): boolean {
  return ((b[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
}

function pop32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Rows set in every one of the bitsets. */
export function countAnd(...sets: Bits[]): number {
  const [first, ...rest] = sets;
  if (!first) return 0;
  let total = 0;
  for (let w = 0; w < first.length; w++) {
    let x = first[w] ?? 0;
    for (const s of rest) x &= s[w] ?? 0;
    total += pop32(x);
  }
  return total;
}

/** Rows set in `a` but not in `b` (and in every `also`). */
export function countAndNot(a: Bits, b: Bits, ...also: Bits[]): number {
  let total = 0;
  for (let w = 0; w < a.length; w++) {
    let x = (a[w] ?? 0) & ~(b[w] ?? 0);
    for (const s of also) x &= s[w] ?? 0;
    total += pop32(x);
  }
  return total;
}

export function sameBits(a: Bits, b: Bits): boolean {
  for (let w = 0; w < a.length; w++) if (a[w] !== b[w]) return false;
  return true;
}

export interface RuleColumn {
  name: string;
  type: ColumnType;
  /** Numeric columns compare with numeric ones, dates and datetimes (both in ms) with each other. */
  scale: 'number' | 'time' | null;
  /** ms for dates and datetimes; NaN marks a missing cell. Null for categorical and boolean columns. */
  values: Float64Array | null;
  /** Present values, ascending (for the comparisons under independence). */
  sorted: Float64Array | null;
  min: number;
  max: number;
  /** Most decimal places written (numbers only). */
  decimals: number;
  /** Distinct present values, when there are at most LEVELS_MAX (the generators snap to them). */
  levels: number[] | null;
  present: Bits;
  presentCount: number;
  /** A flag: 2..FLAG_MAX distinct cells. Codes index `categories` (−1 = missing); one bitset per code. */
  flag: { categories: string[]; codes: Int32Array; masks: Bits[]; counts: number[] } | null;
}

export interface ColumnInput {
  name: string;
  type: ColumnType;
  /** Position of the column's cell in each row. */
  index: number;
}

function flagOf(cells: (string | null)[], n: number): RuleColumn['flag'] {
  const index = new Map<string, number>();
  const codes = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = cells[i];
    if (c === null || c === undefined) continue;
    let k = index.get(c);
    if (k === undefined) {
      if (index.size >= FLAG_MAX) return null;
      k = index.size;
      index.set(c, k);
    }
    codes[i] = k;
  }
  if (index.size < 2) return null;
  const masks = [...index.keys()].map(() => bitsOf(n));
  const counts = masks.map(() => 0);
  for (let i = 0; i < n; i++) {
    const k = codes[i] ?? -1;
    if (k < 0) continue;
    setBit(masks[k] as Bits, i);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return { categories: [...index.keys()], codes, masks, counts };
}

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

// The common case read fast (import checked every value against the type); anything unusual goes the generators' way.
function numbersOf(cells: (string | null)[]): Pick<RuleColumn, 'values' | 'sorted' | 'min' | 'max' | 'decimals' | 'levels'> | null {
  const values = new Float64Array(cells.length).fill(Number.NaN);
  let [min, max, decimals] = [Infinity, -Infinity, 0];
  const distinct = new Set<number>();
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c === null || c === undefined) continue;
    const t = c.trim();
    if (!PLAIN_NUMBER.test(t)) return null;
    const x = Number(t);
    values[i] = x;
    if (x < min) min = x;
    if (x > max) max = x;
    const dot = t.indexOf('.');
    if (dot >= 0) decimals = Math.max(decimals, t.length - dot - 1);
    if (distinct.size <= LEVELS_MAX) distinct.add(x);
  }
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  return { values, sorted, min, max, decimals, levels: distinct.size <= LEVELS_MAX ? [...distinct].sort((a, b) => a - b) : null };
}

/** Typed columns from stored rows; a column the generators could not read (all missing, say) is left out. */
export function ruleColumns(rows: (string | null)[][], inputs: ColumnInput[]): RuleColumn[] {
  const n = rows.length;
  const header: string[] = [];
  for (const c of inputs) header[c.index] = c.name;
  const out: RuleColumn[] = [];
  for (const input of inputs) {
    const cells = rows.map((r) => r[input.index] ?? null);
    const present = bitsOf(n);
    let presentCount = 0;
    cells.forEach((c, i) => {
      if (c !== null) {
        setBit(present, i);
        presentCount++;
      }
    });
    if (presentCount === 0) continue;
    const base: RuleColumn = { name: input.name, type: input.type, scale: null, values: null, sorted: null, min: Number.NaN, max: Number.NaN, decimals: 0, levels: null, present, presentCount, flag: input.type === 'date' || input.type === 'datetime' ? null : flagOf(cells, n) };
    if (input.type === 'integer' || input.type === 'number') {
      const numeric = numbersOf(cells);
      if (numeric) {
        out.push({ ...base, scale: 'number', ...numeric });
        continue;
      }
    }
    if (input.type === 'integer' || input.type === 'number' || input.type === 'date' || input.type === 'datetime') {
      let prepared;
      try {
        [prepared] = prepareColumns(rows, header, { columns: [{ name: input.name, type: input.type, role: 'synthesise' }] });
      } catch {
        continue; // a cell that does not fit the column's type: the generators refuse it too, with the reason
      }
      if (!prepared || prepared.kind !== 'continuous') continue;
      const values = input.type === 'date' ? prepared.values.map((d) => d * DAY_MS) : prepared.values;
      const sorted = values.filter((v) => !Number.isNaN(v)).sort();
      const f = prepared.format;
      const scaleBy = input.type === 'date' ? DAY_MS : 1;
      out.push({ ...base, scale: input.type === 'date' || input.type === 'datetime' ? 'time' : 'number', values, sorted, min: f.min * scaleBy, max: f.max * scaleBy, decimals: f.decimals, levels: f.levels });
    } else out.push(base);
  }
  return out;
}
