// Inequalities between numeric (or date) columns that hold in every training row, unconditionally or only where a
// flag column has some values; implied ones (a ≤ b ≤ c makes a ≤ c) are dropped.
import type { Rule } from '../../../shared/rules-schema';
import { countAnd, countAndNot, type Bits, type RuleColumn } from './suggest-columns';

/** Fewest rows a suggestion must rest on. */
export const MIN_SUPPORT = 20;
/** A pattern is suggested only when chance would produce it this rarely in unrelated columns. */
export const CHANCE = 1e-3;

export interface Candidate {
  rule: Rule;
  support: number;
  why: string;
  /** Larger first; classes are spaced by 100 so support only orders within a class. */
  score: number;
}

const q = (name: string): string => `“${name}”`;

export function show(c: RuleColumn, v: number): string {
  if (c.scale === 'time') return new Date(v).toISOString().slice(0, c.type === 'date' ? 10 : 19).replace('T', ' ');
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

function orList(vs: string[]): string {
  return vs.length === 1 ? String(vs[0]) : `${vs.slice(0, -1).join(', ')} or ${String(vs.at(-1))}`;
}

// Share of (x from a, y from b) pairs with x > y, for sorted a and b: how often a ≤ b would break if the two were unrelated.
function breakShare(a: Float64Array, b: Float64Array): number {
  let j = 0;
  let pairs = 0;
  for (const x of a) {
    while (j < b.length && (b[j] ?? 0) < x) j++;
    pairs += j;
  }
  return a.length * b.length === 0 ? 0 : pairs / (a.length * b.length);
}

interface Edge {
  low: RuleColumn;
  high: RuleColumn;
  support: number;
  ties: number;
}

// One pass over a pair: how many rows break low ≤ high and high ≤ low, stopping once both are broken.
function tally(a: RuleColumn, b: RuleColumn, n: number): { aGt: number; bGt: number; ties: number; both: number } {
  const x = a.values as Float64Array;
  const y = b.values as Float64Array;
  let [aGt, bGt, ties, both] = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const u = x[i] ?? Number.NaN;
    const v = y[i] ?? Number.NaN;
    if (Number.isNaN(u) || Number.isNaN(v)) continue;
    both++;
    if (u > v) aGt++;
    else if (u < v) bGt++;
    else ties++;
    if (aGt > 0 && bGt > 0) return { aGt, bGt, ties, both: -1 };
  }
  return { aGt, bGt, ties, both };
}

// low ≤ high where a flag is in some values: the flag whose allowed values cover the most rows wins.
function conditional(low: RuleColumn, high: RuleColumn, flags: RuleColumn[], n: number): Candidate | null {
  const x = low.values as Float64Array;
  const y = high.values as Float64Array;
  const alive = flags.filter((f) => f !== low && f !== high);
  // Per flag, the codes seen on a breaking row: those values cannot be in the `when`.
  const seen = alive.map(() => 0);
  const full = alive.map((f) => (1 << (f.flag?.categories.length ?? 0)) - 1);
  let broken = 0;
  let both = 0;
  let live = alive.length;
  for (let i = 0; i < n && live > 0; i++) {
    const u = x[i] ?? Number.NaN;
    const v = y[i] ?? Number.NaN;
    if (Number.isNaN(u) || Number.isNaN(v)) continue;
    both++;
    if (u <= v) continue;
    broken++;
    alive.forEach((f, k) => {
      if (seen[k] === full[k]) return;
      const code = f.flag?.codes[i] ?? -1;
      if (code >= 0) {
        seen[k] = (seen[k] ?? 0) | (1 << code);
        if (seen[k] === full[k]) live--;
      }
    });
  }
  if (live === 0) return null;
  const pair: Bits[] = [low.present, high.present];
  const bothRows = countAnd(...pair);
  const share = broken / Math.max(1, both);
  let best: { f: RuleColumn; values: string[]; rows: number } | null = null;
  alive.forEach((f, k) => {
    const flag = f.flag;
    if (!flag || seen[k] === full[k]) return;
    const codes = flag.categories.map((_, c) => c).filter((c) => ((seen[k] ?? 0) & (1 << c)) === 0);
    const rows = codes.reduce((s, c) => s + countAnd(low.present, high.present, flag.masks[c] as Bits), 0);
    if (rows < MIN_SUPPORT) return;
    // Unrelated columns would keep low ≤ high on that many rows this rarely: else the flag explains nothing.
    if ((1 - share) ** rows > CHANCE) return;
    if (!best || rows > best.rows || (rows === best.rows && codes.length < best.values.length)) best = { f, values: codes.map((c) => flag.categories[c] as string), rows };
  });
  if (!best) return null;
  const b: { f: RuleColumn; values: string[]; rows: number } = best;
  // Within those rows the two must overlap enough that unrelated columns would break it: else it is range, not rule.
  const inS = (i: number): boolean => b.values.includes(b.f.flag?.categories[b.f.flag.codes[i] ?? -1] ?? '\u0000');
  const pick = (v: Float64Array, other: Float64Array): Float64Array => v.filter((u, i) => !Number.isNaN(u) && !Number.isNaN(other[i] ?? Number.NaN) && inS(i)).sort();
  if (breakShare(pick(x, y), pick(y, x)) * b.rows < 5) return null;
  const others = bothRows - b.rows;
  return {
    rule: { kind: 'inequality', low: low.name, high: high.name, strict: false, when: { column: b.f.name, values: b.values } },
    support: b.rows,
    why: `In all ${b.rows} training rows where ${q(b.f.name)} is ${orList(b.values)} (and both have a value), ${q(low.name)} ≤ ${q(high.name)}; elsewhere ${broken} of ${others} rows break it.`,
    score: 850 + b.rows / n,
  };
}

/** Unconditional inequalities (implied ones dropped) and, where those fail, conditional ones. */
export function inequalities(columns: RuleColumn[], flags: RuleColumn[], n: number): Candidate[] {
  // Low-cardinality numbers are codes and scores: an order between them is seldom a rule anyone means.
  const ordered = columns.filter((c) => c.scale !== null && c.flag === null && c.min < c.max);
  const edges: Edge[] = [];
  const out: Candidate[] = [];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      const a = ordered[i] as RuleColumn;
      const b = ordered[j] as RuleColumn;
      if (a.scale !== b.scale) continue;
      const t = tally(a, b, n);
      if (t.both >= MIN_SUPPORT) {
        // Equal in every row: one direction is enough (both would make a cycle for the generators).
        if (t.aGt === 0) edges.push({ low: a, high: b, support: t.both, ties: t.ties });
        else if (t.bGt === 0) edges.push({ low: b, high: a, support: t.both, ties: t.ties });
      } else if (t.both === -1 && flags.length > 0) {
        for (const [low, high] of [[a, b], [b, a]] as const) {
          const c = conditional(low, high, flags, n);
          if (c) out.push(c);
        }
      }
    }
  }
  const has = new Set(edges.map((e) => `${e.low.name}\u0000${e.high.name}`));
  for (const e of edges) {
    // Implied by low ≤ m ≤ high, provided m has a value wherever low and high both do, or the ranges alone make a chain.
    const implied = columns.some(
      (m) =>
        m !== e.low &&
        m !== e.high &&
        has.has(`${e.low.name}\u0000${m.name}`) &&
        has.has(`${m.name}\u0000${e.high.name}`) &&
        (countAndNot(e.low.present, m.present, e.high.present) === 0 || (e.low.max <= m.min && m.max <= e.high.min)),
    );
    if (!implied) out.push(edgeCandidate(e, n));
  }
  return out;
}

function edgeCandidate(e: Edge, n: number): Candidate {
  const { low, high, support } = e;
  const rule: Rule = { kind: 'inequality', low: low.name, high: high.name, strict: false };
  const head = `In all ${support} training rows where both have a value, ${q(low.name)} ≤ ${q(high.name)}${e.ties === support ? ' (they are equal in every one)' : ''}`;
  if (low.max <= high.min) {
    return { rule, support, why: `${head}, but their ranges do not even overlap (${q(low.name)} at most ${show(low, low.max)}, ${q(high.name)} at least ${show(high, high.min)}): a weak rule.`, score: 200 + support / n };
  }
  const expected = Math.round(breakShare(low.sorted as Float64Array, high.sorted as Float64Array) * support);
  if (expected < 5) return { rule, support, why: `${head}; their ranges barely overlap (unrelated columns would break it in about ${expected} rows): a weak rule.`, score: 350 + support / n };
  return { rule, support, why: `${head}; if the two were unrelated, about ${expected} rows would break it.`, score: 750 + support / n };
}
