// Missingness, presence, combination and value-shape rules that hold in every training row.
import { countAnd, countAndNot, sameBits, type Bits, type RuleColumn } from './suggest-columns';
import { CHANCE, MIN_SUPPORT, show, type Candidate } from './suggest-pairs';

const q = (name: string): string => `“${name}”`;
const orList = (vs: string[]): string => (vs.length === 1 ? String(vs[0]) : `${vs.slice(0, -1).join(', ')} or ${String(vs.at(-1))}`);
/** Fewest missing cells a missingness pattern must have before it is more than a coincidence. */
const MIN_MISSING = 3;

/** Groups of columns missing in exactly the same rows; returns the groups too, so presence rules use one member. */
export function missingTogether(columns: RuleColumn[], n: number): { candidates: Candidate[]; groups: RuleColumn[][] } {
  const groups: RuleColumn[][] = [];
  for (const c of columns) {
    if (n - c.presentCount < MIN_MISSING) continue;
    const g = groups.find((m) => sameBits((m[0] as RuleColumn).present, c.present));
    if (g) g.push(c);
    else groups.push([c]);
  }
  const multi = groups.filter((g) => g.length >= 2);
  const candidates = multi.map((g) => {
    const missing = n - (g[0] as RuleColumn).presentCount;
    const names = g.slice(0, 20).map((c) => c.name);
    return {
      rule: { kind: 'missing-together' as const, columns: names },
      support: n,
      why: `In all ${n} training rows, ${names.map(q).join(', ')} are either all missing (${missing} rows) or all present.`,
      score: 800 + missing / n,
    };
  });
  return { candidates, groups };
}

/** “x has a value only (or exactly) when flag is …”, for columns with missing cells. */
export function presence(columns: RuleColumn[], flags: RuleColumn[], groups: RuleColumn[][], n: number): Candidate[] {
  const out: Candidate[] = [];
  for (const x of columns) {
    const missing = n - x.presentCount;
    if (missing < MIN_MISSING) continue;
    // Columns missing together share their presence rules: suggest them for the group's first column only.
    const group = groups.find((g) => g.includes(x));
    if (group && group[0] !== x) continue;
    let best: Candidate | null = null;
    for (const f of flags) {
      const flag = f.flag;
      if (f === x || !flag || (group?.includes(f) ?? false)) continue;
      // Present where the flag is missing: the condition is false there, so no rule of this form holds.
      if (countAndNot(x.present, f.present) > 0) continue;
      const within = flag.masks.map((m) => countAnd(x.present, m));
      const codes = within.map((k, c) => (k > 0 ? c : -1)).filter((c) => c >= 0);
      // Every value allowed says only "where the flag has a value": a rule only when the flag is missing somewhere.
      if (codes.length === 0 || (codes.length === flag.categories.length && f.presentCount === n)) continue;
      const rows = codes.reduce((s, c) => s + (flag.counts[c] ?? 0), 0);
      const outside = n - rows;
      // Unrelated, x would be missing on all the other rows this rarely.
      if (outside < MIN_MISSING || (missing / n) ** outside > CHANCE || rows < MIN_SUPPORT) continue;
      const required = codes.every((c) => within[c] === flag.counts[c]);
      const values = codes.map((c) => flag.categories[c] as string);
      const why = required
        ? `In all ${n} training rows, ${q(x.name)} has a value exactly when ${q(f.name)} is ${orList(values)} (${rows} rows).`
        : `${q(x.name)} has a value in ${x.presentCount} training rows, all where ${q(f.name)} is ${orList(values)}; in the other ${outside} rows it is always missing.`;
      const c: Candidate = { rule: { kind: 'presence', column: x.name, when: { column: f.name, values }, required }, support: n, why, score: (required ? 900 : 700) + outside / n };
      if (!best || c.score > best.score) best = c;
    }
    if (best) out.push(best);
  }
  return out;
}

/** Pairs of low-cardinality columns whose seen combinations are markedly fewer than all possible ones. */
export function combinations(flags: RuleColumn[]): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < flags.length; i++) {
    for (let j = i + 1; j < flags.length; j++) {
      const a = (flags[i] as RuleColumn).flag;
      const b = (flags[j] as RuleColumn).flag;
      const [fa, fb] = [flags[i] as RuleColumn, flags[j] as RuleColumn];
      if (!a || !b) continue;
      const both = countAnd(fa.present, fb.present);
      if (both < MIN_SUPPORT) continue;
      const rowA = a.masks.map((m) => countAnd(m, fb.present));
      const rowB = b.masks.map((m) => countAnd(m, fa.present));
      const possible = rowA.filter((k) => k > 0).length * rowB.filter((k) => k > 0).length;
      let seen = 0;
      let expectedUnseen = 0;
      a.masks.forEach((ma: Bits, u) => {
        b.masks.forEach((mb: Bits, v) => {
          if ((rowA[u] ?? 0) === 0 || (rowB[v] ?? 0) === 0) return;
          if (countAnd(ma, mb) > 0) seen++;
          else expectedUnseen += ((rowA[u] ?? 0) * (rowB[v] ?? 0)) / both;
        });
      });
      // A few gaps among rare values are sampling noise; many gaps where many rows were expected are structure.
      if (possible < 4 || seen > 0.75 * possible || expectedUnseen < Math.max(10, 0.05 * both)) continue;
      out.push({
        rule: { kind: 'combinations', columns: [fa.name, fb.name] },
        support: both,
        why: `Only ${seen} of the ${possible} combinations of ${q(fa.name)} and ${q(fb.name)} occur in the ${both} training rows where both have a value; if the two were unrelated, about ${Math.round(expectedUnseen)} rows would have one of the others.`,
        score: 600 + (1 - seen / possible),
      });
    }
  }
  return out;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** ≥ 0 for columns that crowd towards zero, and a coarser step than the written precision (e.g. multiples of 5). */
export function valueShapes(columns: RuleColumn[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of columns) {
    // Few-level columns are snapped to their levels by the generators, and dates have no sign to keep.
    if (c.scale !== 'number' || c.levels !== null || c.presentCount < MIN_SUPPORT || c.min === c.max) continue;
    const values = c.sorted as Float64Array;
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    // Zero within half a standard deviation of the smallest value: a generator's spread could cross it; farther, the range is enough.
    if (c.min >= 0 && c.min <= 0.5 * sd) {
      const strict = c.min > 0;
      out.push({
        rule: { kind: 'positive', column: c.name, strict },
        support: c.presentCount,
        why: `All ${c.presentCount} values are ${strict ? 'above 0' : '0 or more'} (smallest ${show(c, c.min)}) and they crowd towards 0, where a generator's spread could cross it.`,
        score: 400 + c.presentCount / values.length,
      });
    }
    const unit = 10 ** c.decimals;
    let g = 0;
    for (const v of values) {
      const k = Math.round(Math.abs(v) * unit);
      if (!Number.isSafeInteger(k) || Math.abs(k - Math.abs(v) * unit) > 1e-6 * Math.max(1, k)) {
        g = 1;
        break;
      }
      g = gcd(g, k);
      if (g === 1) break;
    }
    if (g > 1) {
      const step = Number((g / unit).toPrecision(12));
      out.push({ rule: { kind: 'rounded', column: c.name, step }, support: c.presentCount, why: `All ${c.presentCount} values are multiples of ${step}.`, score: 150 + c.presentCount / values.length });
    }
  }
  return out;
}
