// Fidelity on the real PBC and Pima tables: column shapes, column pairs, subgroups and rare categories equal
// scipy / numpy / pandas on the same data, and the scores tell a copy and a random half from independent noise.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../electron/core/train/rng';
import { columnPairs, qualityScore } from '../../electron/core/validate/pairs';
import { columnShapes, ksStatistic, sortedFinite } from '../../electron/core/validate/shapes';
import { rareCategories, subgroupShapes } from '../../electron/core/validate/subgroups';
import type { Frame } from '../../electron/core/validate/types';
import { framesOf, halves, PBC_TYPES, PIMA_TYPES, readCsv, withNoise, type CsvTable } from './fixtures';
import { hasSciPy, python } from './python';

const pbc = readCsv('pbc.csv');
const pima = readCsv('PimaIndiansDiabetes2.csv');
type Types = typeof PBC_TYPES;
const TABLES: { name: string; table: CsvTable; types: Types }[] = [
  { name: 'pbc', table: pbc, types: PBC_TYPES },
  { name: 'pima', table: pima, types: PIMA_TYPES },
];


/** Columns as plain arrays for python: numbers (NaN → null) or codes (−1 = missing). */
const plain = (f: Frame) => f.columns.map((c) => (c.kind === 'numeric' ? { kind: 'numeric', values: Array.from(c.values) } : { kind: 'categorical', values: Array.from(c.codes), levels: c.levels.length }));

const SHAPES_PY = `
import numpy as np
from scipy.stats import ks_2samp
out = []
for r, s in zip(data['real'], data['syn']):
    if r['kind'] == 'numeric':
        a = np.array(r['values'], dtype=float); b = np.array(s['values'], dtype=float)
        ra, sb = a[~np.isnan(a)], b[~np.isnan(b)]
        lo, hi = ra.min(), ra.max()
        hr, edges = np.histogram(ra, bins=20, range=(lo, hi) if hi > lo else None)
        hs, _ = np.histogram(sb, bins=edges)
        cov = max(1 - (max((sb.min() - lo) / (hi - lo), 0) + max((hi - sb.max()) / (hi - lo), 0)), 0)
        out.append(dict(score=1 - ks_2samp(ra, sb).statistic, mr=float(np.isnan(a).mean()), ms=float(np.isnan(b).mean()),
            cov=cov, edges=edges.tolist(), hr=hr.tolist(), hs=hs.tolist(), below=int((sb < lo).sum()), above=int((sb > hi).sum())))
    else:
        a = np.array(r['values']); b = np.array(s['values'])
        pa = np.bincount(a[a >= 0], minlength=r['levels']) / (a >= 0).sum()
        pb = np.bincount(b[b >= 0], minlength=r['levels']) / (b >= 0).sum()
        seen = set(a[a >= 0].tolist())
        out.append(dict(score=1 - 0.5 * np.abs(pa - pb).sum(), mr=float((a < 0).mean()), ms=float((b < 0).mean()),
            cov=len(seen & set(b[b >= 0].tolist())) / len(seen)))
print(json.dumps(out))
`;

const PAIRS_PY = `
import numpy as np, pandas as pd
from scipy.stats import pearsonr, spearmanr
def cells(x, col, edges):
    x = np.array(x, dtype=float)
    if col['kind'] == 'categorical':
        return np.where(x < 0, np.nan, x)
    c = pd.cut(x, edges, include_lowest=True, labels=False).astype(float)
    c = np.where(x < edges[0], -1, np.where(x > edges[-1], len(edges), c))
    return np.where(np.isnan(x), np.nan, c)
real, syn, bins = data['real'], data['syn'], data['bins']
edges = [np.histogram_bin_edges(np.array(c['values'], dtype=float)[~np.isnan(np.array(c['values'], dtype=float))], bins=bins)
         if c['kind'] == 'numeric' else None for c in real]
out = []
for i in range(len(real)):
    for j in range(i + 1, len(real)):
        if real[i]['kind'] == 'numeric' and real[j]['kind'] == 'numeric':
            rho = []
            for side in (real, syn):
                x = np.array(side[i]['values'], dtype=float); y = np.array(side[j]['values'], dtype=float)
                m = ~np.isnan(x) & ~np.isnan(y)
                rho.append(float((pearsonr if data['kind'] == 'pearson' else spearmanr)(x[m], y[m])[0]))
            out.append(dict(score=1 - abs(rho[0] - rho[1]) / 2, r=rho[0], s=rho[1]))
        else:
            tabs = []
            for side in (real, syn):
                df = pd.DataFrame({'a': cells(side[i]['values'], real[i], edges[i]), 'b': cells(side[j]['values'], real[j], edges[j])}).dropna()
                tabs.append(df.groupby(['a', 'b']).size() / len(df))
            t = pd.concat(tabs, axis=1).fillna(0)
            out.append(dict(score=1 - 0.5 * (t[0] - t[1]).abs().sum()))
print(json.dumps(dict(pairs=out, edges=[e.tolist() for e in edges if e is not None])))
`;

describe.skipIf(!hasSciPy())('column shapes and pairs equal scipy / numpy / pandas', () => {
  for (const { name, table, types } of TABLES) {
    for (const [variant, frames] of [['halves', halves(table, types)], ['noise', withNoise(table, types)]] as const) {
      it(`${name}, ${variant}: KS, TVD, missing shares, coverage and histograms`, () => {
        const mine = columnShapes(frames.train, frames.synthetic);
        const ref = python<{ score: number; mr: number; ms: number; cov: number; edges?: number[]; hr?: number[]; hs?: number[]; below?: number; above?: number }[]>(SHAPES_PY, {
          real: plain(frames.train),
          syn: plain(frames.synthetic),
        });
        mine.columns.forEach((c, i) => {
          const r = ref[i]!;
          expect(c.score!, c.column).toBeCloseTo(r.score, 12);
          expect(c.realMissingShare!).toBeCloseTo(r.mr, 12);
          expect(c.syntheticMissingShare!).toBeCloseTo(r.ms, 12);
          expect(c.missingValueSimilarity!).toBeCloseTo(1 - Math.abs(r.mr - r.ms), 12);
          if (c.histogram?.kind === 'numeric') {
            expect(c.rangeCoverage!).toBeCloseTo(r.cov, 12);
            c.histogram.edges.forEach((e, k) => expect(e).toBeCloseTo(r.edges![k]!, 9));
            expect(c.histogram.real).toEqual(r.hr);
            expect(c.histogram.synthetic).toEqual(r.hs);
            expect([c.histogram.syntheticBelow, c.histogram.syntheticAbove]).toEqual([r.below, r.above]);
          } else expect(c.categoryCoverage!).toBeCloseTo(r.cov, 12);
        });
        const scores = ref.map((r) => r.score);
        expect(mine.score!).toBeCloseTo(scores.reduce((s, v) => s + v, 0) / scores.length, 12);
      });

      for (const kind of ['pearson', 'spearman'] as const) {
        it(`${name}, ${variant}: ${kind} correlation similarity and contingency similarity (10 bins)`, () => {
          const mine = columnPairs(frames.train, frames.synthetic, { correlation: kind, bins: 10 });
          const ref = python<{ pairs: { score: number; r?: number; s?: number }[]; edges: number[][] }>(PAIRS_PY, { real: plain(frames.train), syn: plain(frames.synthetic), bins: 10, kind });
          expect(mine.pairs).toHaveLength(ref.pairs.length);
          mine.pairs.forEach((p, k) => {
            const r = ref.pairs[k]!;
            expect(p.score!, p.columns.join(' × ')).toBeCloseTo(r.score, 9);
            if (r.r !== undefined) {
              expect(p.realCorrelation!).toBeCloseTo(r.r, 9);
              expect(p.syntheticCorrelation!).toBeCloseTo(r.s!, 9);
            }
          });
          // The edges are np.histogram_bin_edges exactly (the same float operations as np.linspace).
          expect(mine.binEdges.map((b) => b.edges)).toEqual(ref.edges);
        });
      }
    }
  }

  it('KS statistic with ties and unequal sizes', () => {
    const rng = createRng('ks');
    const a = Float64Array.from({ length: 301 }, () => Math.round(rng.normal() * 3));
    const b = Float64Array.from({ length: 157 }, () => Math.round(rng.normal() * 3 + 0.5));
    const ref = python<number>('from scipy.stats import ks_2samp\nprint(json.dumps(float(ks_2samp(data["a"], data["b"]).statistic)))', { a: Array.from(a), b: Array.from(b) });
    expect(Math.abs(ksStatistic(sortedFinite(a), sortedFinite(b)) - ref)).toBeLessThan(1e-12);
  });

  it('quartile bands of a numeric stratification column are numpy quantiles, and band sizes match', () => {
    const f = halves(pbc, PBC_TYPES);
    const res = subgroupShapes(f.train, f.synthetic, ['age', 'bili'], 10);
    const age = f.train.columns.find((c) => c.name === 'age')!;
    const bili = f.train.columns.find((c) => c.name === 'bili')!;
    if (age.kind !== 'numeric' || bili.kind !== 'numeric') throw new Error('numeric columns expected');
    const ref = python<{ cuts: number[]; counts: number[] }[]>(
      `import numpy as np
out = []
for v in data:
    x = np.array(v, dtype=float); x = x[~np.isnan(x)]
    cuts = np.unique(np.quantile(x, [0.25, 0.5, 0.75]))
    out.append(dict(cuts=cuts.tolist(), counts=np.bincount(np.searchsorted(cuts, x, side='left'), minlength=len(cuts) + 1).tolist()))
print(json.dumps(out))`,
      [Array.from(age.values), Array.from(bili.values)],
    );
    res.strata.forEach((s, k) => {
      s.cuts.forEach((c, i) => expect(c).toBeCloseTo(ref[k]!.cuts[i]!, 12));
      expect(s.subgroups.map((g) => g.realRows)).toEqual(ref[k]!.counts);
    });
  });
});

describe('behaviour on the real tables', () => {
  for (const { name, table, types } of TABLES) {
    it(`${name}: a table against itself scores 1 everywhere`, () => {
      const { frames } = framesOf(table, types, []);
      const shapes = columnShapes(frames.train, frames.train);
      expect(shapes.score).toBe(1);
      for (const c of shapes.columns) {
        expect([c.score, c.missingValueSimilarity]).toEqual([1, 1]);
        expect(c.rangeCoverage ?? c.categoryCoverage).toBe(1);
        expect(c.missingCategories).toEqual([]);
      }
      const pairs = columnPairs(frames.train, frames.train, { correlation: 'pearson', bins: 10 });
      expect(pairs.score).toBeCloseTo(1, 12);
      for (const row of pairs.matrices.difference) for (const v of row) expect(Math.abs(v ?? 0)).toBeLessThan(1e-12);
      expect(qualityScore(shapes.score, pairs.score)).toBeCloseTo(1, 12);
    });

    it(`${name}: independent uniform noise scores clearly lower than a random half of the real rows`, () => {
      const h = halves(table, types);
      const n = withNoise(table, types);
      const hs = columnShapes(h.train, h.synthetic).score!;
      const ns = columnShapes(n.train, n.synthetic).score!;
      const hp = columnPairs(h.train, h.synthetic, { correlation: 'spearman', bins: 10 }).score!;
      const np = columnPairs(n.train, n.synthetic, { correlation: 'spearman', bins: 10 }).score!;
      console.log(`${name}: column shapes halves ${hs.toFixed(3)} vs noise ${ns.toFixed(3)}; pairs halves ${hp.toFixed(3)} vs noise ${np.toFixed(3)}`);
      expect(hs).toBeGreaterThan(0.88);
      expect(hp).toBeGreaterThan(0.85);
      expect(ns).toBeLessThan(0.75);
      expect(np).toBeLessThan(hp - 0.1);
      expect(qualityScore(ns, np)!).toBeLessThan(qualityScore(hs, hp)! - 0.15);
    });
  }

  it('correlation matrices: real, synthetic and their difference, symmetric, for numeric columns only', () => {
    const f = halves(pima, PIMA_TYPES);
    const p = columnPairs(f.train, f.synthetic, { correlation: 'pearson', bins: 10 });
    expect(p.matrices.columns).toEqual(['pregnant', 'glucose', 'pressure', 'triceps', 'insulin', 'mass', 'pedigree', 'age']);
    const pair = p.pairs.find((q) => q.columns.join() === 'glucose,insulin')!;
    expect(p.matrices.real[1]![4]).toBe(pair.realCorrelation);
    expect(p.matrices.difference[4]![1]).toBeCloseTo(pair.syntheticCorrelation! - pair.realCorrelation!, 15);
    expect(p.matrices.real[0]![0]).toBe(1);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it('a planted rare category that vanishes is named, one that is amplified shows its ratio', () => {
    const stage = pbc.header.indexOf('stage');
    const edema = pbc.header.indexOf('edema');
    // Planted: stage "0" on 12 of the real rows (under 3%); the synthetic side is the training rows with that
    // stage gone (turned into "4") and every edema = 1 row doubled.
    const planted: CsvTable = { header: pbc.header, rows: pbc.rows.map((r, i) => (i % 35 === 0 ? r.map((v, c) => (c === stage ? '0' : v)) : r)) };
    const { train } = framesOf(planted, PBC_TYPES, []);
    const syn = train.flatMap((r) => {
      const row = r.map((v, c) => (c === stage && v === '0' ? '4' : v));
      return r[edema] === '1' ? [row, row] : [row];
    });
    const f = framesOf(planted, PBC_TYPES, syn).frames;
    const rare = rareCategories(f.train, f.synthetic);
    const s0 = rare.categories.find((c) => c.column === 'stage' && c.category === '0')!;
    expect(s0).toMatchObject({ syntheticCount: 0, syntheticShare: 0, ratio: 0, vanished: true, amplified: false, preservation: 0 });
    expect(s0.realCount).toBe(train.filter((r) => r[stage] === '0').length);
    const e1 = rare.categories.find((c) => c.column === 'edema' && c.category === '1')!;
    expect(e1.amplified).toBe(true);
    expect(e1.ratio!).toBeCloseTo(2 / (1 + e1.realShare), 12);
    expect(e1.preservation!).toBeCloseTo(1 / e1.ratio!, 12);
    // Only categories under 5% of the real non-missing cells are listed.
    for (const c of rare.categories) expect(c.realShare).toBeLessThan(0.05);
    expect(rare.categories.filter((c) => c.vanished).map((c) => `${c.column}=${c.category}`)).toEqual(['stage=0']);
    const shapes = columnShapes(f.train, f.synthetic);
    expect(shapes.columns.find((c) => c.column === 'stage')!.missingCategories).toEqual(['0']);
    expect(shapes.columns.find((c) => c.column === 'stage')!.categoryCoverage).toBeCloseTo(4 / 5, 12);
  });

  it('subgroups: an absent subgroup scores 0 and is the worst; small ones are listed, not scored', () => {
    const { train } = framesOf(pbc, PBC_TYPES, []);
    const sex = pbc.header.indexOf('sex');
    const f = framesOf(pbc, PBC_TYPES, train.filter((r) => r[sex] !== 'm')).frames;
    const res = subgroupShapes(f.train, f.synthetic, ['sex', 'stage'], 30);
    const m = res.strata[0]!.subgroups.find((g) => g.value === 'm')!;
    expect(m).toMatchObject({ absent: true, score: 0, syntheticRows: 0 });
    expect(res.worst).toEqual(m);
    expect(res.overall!).toBeGreaterThan(0.9);
    const stage = res.strata[1]!;
    expect(stage.tooSmall.map((g) => g.value)).toEqual(['1', '(missing)']);
    // A scored subgroup is the column shapes of its rows, the stratification column left out.
    const f2 = res.strata[0]!.subgroups.find((g) => g.value === 'f')!;
    expect(f2.score!).toBeGreaterThan(0.95);
    expect(() => subgroupShapes(f.train, f.synthetic, ['nope'])).toThrow(/not a column/);
  });

  it('32,000 rows × 20 columns: shapes, pairs (Spearman) and subgroups in a few seconds', () => {
    const rng = createRng('big');
    const big = (shift: number): Frame => ({
      rows: 32_000,
      columns: [
        ...Array.from({ length: 14 }, (_, j) => ({ kind: 'numeric' as const, name: `n${j}`, type: 'number' as const, values: Float64Array.from({ length: 32_000 }, () => (rng.uniform() < 0.05 ? Number.NaN : rng.normal() + shift)) })),
        ...Array.from({ length: 6 }, (_, j) => ({ kind: 'categorical' as const, name: `c${j}`, type: 'categorical' as const, levels: Array.from({ length: 3 + 5 * j }, (_, k) => `l${k}`), codes: Int32Array.from({ length: 32_000 }, () => rng.int(3 + 5 * j)) })),
      ],
    });
    const [a, b] = [big(0), big(0.1)];
    const t = Date.now(); // printed for the reader, not asserted: speed belongs in npm run bench
    const s = columnShapes(a, b);
    const p = columnPairs(a, b, { correlation: 'spearman', bins: 10 });
    subgroupShapes(a, b, ['c1', 'n0']);
    const ms = Date.now() - t;
    console.log(`32k × 20: shapes + pairs + subgroups ${ms} ms`);
    expect(s.columns[0]!.score!).toBeLessThan(0.97); // a 0.1 sd shift is seen
    expect(p.pairs).toHaveLength(190);
  });
});
