// Distance-based privacy metrics and the exact Gower nearest-neighbour search: the fast search equals the plain
// definition bit for bit (fast-check, including tie order and the helper thread), Gower distances equal numpy's on
// pbc, planted copies are found, the DCR share, binomial test and membership AUC match scipy/sklearn and behave
// on rows the generator never saw vs rows it copied.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../electron/core/ingest/table/types';
import { createRng } from '../../electron/core/train/rng';
import { gowerSpace, nearestNeighbours, type GowerSpace, type Neighbours } from '../../electron/core/validate/distance';
import { buildFrames, type Cells } from '../../electron/core/validate/frames';
import { runSearch, type KnnTask } from '../../electron/core/validate/knn-worker';
import { binomialTwoSided, clopperPearson, closest, membershipAttack, nndrValues, privacyDistances } from '../../electron/core/validate/privacy';
import type { Column, Frame } from '../../electron/core/validate/types';
import { framesOf, PBC_TYPES, PIMA_TYPES, readCsv, type CsvTable } from './fixtures';
import { hasSciPy, python } from './python';

/** The plain definition (the reference the fast search must equal): column-major, one pair at a time. */
function naive(space: GowerSpace, query: Frame, reference: Frame, k: number, selfExclude = false): Neighbours {
  const embed = (f: Frame): Float64Array[] =>
    space.columns.map((sc) => {
      const c = f.columns.find((x) => x.name === sc.name)!;
      if (c.kind === 'categorical') return Float64Array.from(c.codes);
      return c.values.map((v) => (sc.range > 0 ? v / sc.range : v === v ? 0 : Number.NaN));
    });
  const q = embed(query);
  const r = embed(reference);
  const indices = new Int32Array(query.rows * k).fill(-1);
  const distances = new Float64Array(query.rows * k).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < query.rows; i++) {
    const base = i * k;
    for (let j = 0; j < reference.rows; j++) {
      if (selfExclude && i === j) continue;
      let s = 0;
      for (let c = 0; c < q.length; c++) {
        const a = q[c]![i]!;
        const b = r[c]![j]!;
        if (space.columns[c]!.kind === 'categorical') s += a === b ? 0 : 1;
        else if (a !== a || b !== b) s += a !== a && b !== b ? 0 : 1;
        else s += Math.min(1, Math.abs(a - b));
      }
      const d = s / q.length;
      if (d >= distances[base + k - 1]!) continue;
      let p = k - 1;
      while (p > 0 && distances[base + p - 1]! > d) {
        distances[base + p] = distances[base + p - 1]!;
        indices[base + p] = indices[base + p - 1]!;
        p--;
      }
      distances[base + p] = d;
      indices[base + p] = j;
    }
  }
  return { k, indices, distances };
}

/** Random frames: coarse numeric values (many ties), a constant column, missing cells, categorical codes. */
function randomFrame(rows: number, seed: string, shape: { num: number; cat: number; missing: number; levels: number }): Frame {
  const rng = createRng(seed);
  const columns: Column[] = [];
  for (let c = 0; c < shape.num; c++) {
    const constant = c === 2;
    columns.push({ kind: 'numeric', name: `n${c}`, type: 'number', values: Float64Array.from({ length: rows }, () => (rng.uniform() < shape.missing ? Number.NaN : constant ? 7 : Math.round(rng.normal() * 3) * (c + 1) * 0.37)) });
  }
  for (let c = 0; c < shape.cat; c++) {
    columns.push({ kind: 'categorical', name: `c${c}`, type: 'categorical', levels: Array.from({ length: shape.levels }, (_, l) => `l${l}`), codes: Int32Array.from({ length: rows }, () => (rng.uniform() < shape.missing ? -1 : rng.int(shape.levels))) });
  }
  return { rows, columns };
}

function expectSame(a: Neighbours, b: Neighbours): void {
  expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
  for (let i = 0; i < a.distances.length; i++) expect(Object.is(a.distances[i], b.distances[i])).toBe(true);
}

describe('exact Gower nearest neighbours', () => {
  it('equals the plain definition bit for bit, tie order included (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.record({ q: fc.integer({ min: 0, max: 40 }), r: fc.integer({ min: 1, max: 60 }), num: fc.integer({ min: 0, max: 13 }), cat: fc.integer({ min: 0, max: 10 }), levels: fc.integer({ min: 1, max: 300 }), missing: fc.constantFrom(0, 0.1, 0.5), k: fc.integer({ min: 1, max: 5 }), seed: fc.string() }),
        (p) => {
          if (p.num + p.cat === 0) return;
          const shape = { num: p.num, cat: p.cat, missing: p.missing, levels: p.levels };
          const ref = randomFrame(p.r, `${p.seed}r`, shape);
          const query = randomFrame(p.q, `${p.seed}q`, shape);
          const space = gowerSpace(ref);
          expectSame(nearestNeighbours(space, query, ref, p.k, { threads: 1 }), naive(space, query, ref, p.k));
          expectSame(nearestNeighbours(space, ref, ref, p.k, { threads: 1, selfExclude: true }), naive(space, ref, ref, p.k, true));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same answer with a helper thread, and checks for cancel after every chunk of ~1M row pairs', () => {
    const shape = { num: 6, cat: 5, missing: 0.1, levels: 4 };
    const ref = randomFrame(3000, 'big r', shape);
    const query = randomFrame(2500, 'big q', shape);
    const space = gowerSpace(ref);
    const seen: number[] = [];
    const check = (p = 0): void => {
      seen.push(p);
    };
    const threaded = nearestNeighbours(space, query, ref, 3, { threads: 2, check });
    expectSame(threaded, naive(space, query, ref, 3));
    // Counted, not timed: 2,500 × 3,000 pairs in chunks of 333 query rows is at least 8 checks (the bench times them).
    expect(seen.length).toBeGreaterThanOrEqual(Math.ceil(2500 / Math.floor(1_000_000 / 3000)));
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((p, i) => i === 0 || p >= seen[i - 1]!)).toBe(true);
    expectSame(nearestNeighbours(space, ref, ref, 2, { threads: 2, selfExclude: true }), naive(space, ref, ref, 2, true));
  });

  it('spreads the chunks over a helper thread', () => {
    const rng = createRng('helper');
    const [W, q, r] = [8, 6000, 3000];
    const qv = Float64Array.from({ length: q * W }, () => rng.uniform());
    const rv = Float64Array.from({ length: r * W }, () => Math.round(rng.uniform() * 4) / 4);
    const task = (): KnnTask => ({ k: 2, selfExclude: false, width: W, numWidth: W, catWords: 0, qRows: q, rRows: r, qFull: qv, rFull: rv, qNum: qv, rNum: rv, qCat: new Int32Array(0), rCat: new Int32Array(0), order: Int32Array.from({ length: r }, (_, i) => i), skipFirst: new Int32Array(0), skipAll: new Int32Array(0), indices: new Int32Array(q * 2).fill(-1), distances: new Float64Array(q * 2).fill(Infinity) });
    const [one, two] = [task(), task()];
    expect(runSearch(one, { threads: 1 }).byHelpers).toBe(0);
    expect(runSearch(two, { threads: 2 }).byHelpers).toBeGreaterThan(0);
    expect(Array.from(two.indices)).toEqual(Array.from(one.indices));
    expect(Array.from(two.distances)).toEqual(Array.from(one.distances));
  });

  it('stops when the checkpoint throws, in one thread or two', () => {
    const shape = { num: 4, cat: 3, missing: 0, levels: 3 };
    const ref = randomFrame(2000, 'c r', shape);
    const query = randomFrame(2000, 'c q', shape);
    for (const threads of [1, 2]) {
      let calls = 0;
      const check = (): void => {
        if (++calls === 3) throw new Error('cancelled');
      };
      expect(() => nearestNeighbours(gowerSpace(ref), query, ref, 1, { threads, check })).toThrow('cancelled');
    }
  });

  it('refuses infinite values and unknown columns with a sentence', () => {
    const f = randomFrame(5, 'x', { num: 2, cat: 1, missing: 0, levels: 2 });
    expect(() => gowerSpace(f, ['nope'])).toThrow(/Unknown columns/);
    const bad: Frame = { rows: 5, columns: [{ kind: 'numeric', name: 'n0', type: 'number', values: Float64Array.from([1, 2, Infinity, 3, 4]) }] };
    expect(() => nearestNeighbours(gowerSpace(f, ['n0']), bad, f, 1)).toThrow(/infinite/);
  });
});

/** Independent column noise: numbers uniform over the real range, categories drawn from the real column. */
function noise(table: CsvTable, types: Record<string, ColumnType>, n: number, seed: string): Cells {
  const rng = createRng(seed);
  const draw = table.header.map((h, i) => {
    const present = table.rows.map((r) => r[i] ?? null).filter((v): v is string => v !== null);
    const type = types[h];
    if (!type) return () => null;
    if (type !== 'integer' && type !== 'number') return () => present[rng.int(present.length)]!;
    const x = present.map(Number);
    const [lo, hi] = [Math.min(...x), Math.max(...x)];
    return () => (type === 'integer' ? String(Math.round(lo + (hi - lo) * rng.uniform())) : (lo + (hi - lo) * rng.uniform()).toFixed(4));
  });
  return Array.from({ length: n }, () => draw.map((f) => f()));
}

/** Training rows with small noise: numbers moved by 1% of their value (at least 0.01), categories kept. */
function jitter(table: CsvTable, types: Record<string, ColumnType>, rows: Cells, seed: string): Cells {
  const rng = createRng(seed);
  return rows.map((r) => r.map((v, i) => {
    const type = types[table.header[i]!];
    if (v === null || (type !== 'number' && type !== 'integer')) return v;
    const x = Number(v) + Math.max(0.01, Math.abs(Number(v)) * 0.01) * rng.normal();
    return type === 'integer' ? String(Math.round(x)) : String(x);
  }));
}

const pbc = readCsv('pbc.csv');
const pima = readCsv('PimaIndiansDiabetes2.csv');

describe('privacy distances on the real tables', () => {
  it('finds exactly the planted copies of training rows', () => {
    const base = framesOf(pbc, PBC_TYPES, []);
    const planted = [3, 50, 111, 200, 250];
    const synthetic = noise(pbc, PBC_TYPES, 300, 'planted');
    const at = [7, 42, 99, 180, 299];
    at.forEach((pos, n) => (synthetic[pos] = base.train[planted[n]!]!));
    const { frames } = framesOf(pbc, PBC_TYPES, synthetic);
    const d = privacyDistances(frames, { seed: 'planted' });
    expect(d.identical.matches).toEqual(at.map((pos, n) => ({ synthetic: pos, training: planted[n]! })));
    expect(d.identical.syntheticCount).toBe(5);
    expect(d.identical.syntheticShare).toBeCloseTo(5 / 300, 12);
    expect(d.identical.holdoutCount).toBe(0);
    const nndr = nndrValues(nearestNeighbours(gowerSpace(frames.train), frames.synthetic, frames.train, 2));
    for (const pos of at) expect(nndr[pos]).toBe(0); // a copy sits on one patient (pbc has no duplicate rows)
    expect(JSON.parse(JSON.stringify(d))).toEqual(d); // plain JSON, no NaN or typed arrays
    expect(privacyDistances(frames, { seed: 'planted' })).toEqual(d);
  });

  it('DCR share ≈ 50% for unseen real rows, far above for noisy copies, and copies fail every distance metric', () => {
    const split = framesOf(pima, PIMA_TYPES, [], { holdoutShare: 0.5, seed: 'share' });
    const half = Math.floor(split.holdout.length / 2);
    const columns = Object.entries(PIMA_TYPES).map(([name, type]) => ({ name, type }));
    const side = (rows: Cells) => ({ header: pima.header, rows });
    const fresh = buildFrames(columns, { train: side(split.train), holdout: side(split.holdout.slice(half)), synthetic: side(split.holdout.slice(0, half)) });
    const unseen = privacyDistances(fresh, { seed: 'share' });
    expect(Math.abs(unseen.dcrShare.share - 0.5)).toBeLessThan(0.1);
    expect(unseen.dcrShare.pValue).toBeGreaterThan(0.01);
    expect(unseen.dcrShare.interval.low).toBeLessThan(0.5);
    expect(unseen.dcrShare.interval.high).toBeGreaterThan(0.5);
    expect(Math.abs(unseen.membership.auc - 0.5)).toBeLessThan(0.1);

    const noisy = privacyDistances(buildFrames(columns, { train: side(split.train), holdout: side(split.holdout), synthetic: side(jitter(pima, PIMA_TYPES, split.train, 'jitter')) }), { seed: 'share' });
    expect(noisy.dcrShare.share).toBeGreaterThan(0.9);
    expect(noisy.dcrShare.pValue).toBeLessThan(1e-12);
    expect(noisy.dcr.ratio!).toBeLessThan(0.5);

    const copies = privacyDistances(buildFrames(columns, { train: side(split.train), holdout: side(split.holdout), synthetic: side(split.train) }), { seed: 'share' });
    expect(copies.identical.syntheticShare).toBe(1);
    expect(copies.dcr.synthetic.p5).toBe(0);
    expect(copies.dcr.ratio).toBe(0);
    expect(copies.nndr.p5).toBe(0);
    expect(copies.membership.auc).toBeGreaterThan(0.95);
    expect(copies.membership.interval.low).toBeGreaterThan(0.9);
  });
});

describe.skipIf(!hasSciPy())('against numpy, scipy and sklearn', () => {
  it('Gower distances and neighbours equal numpy on pbc (1e-12)', () => {
    const { frames } = framesOf(pbc, PBC_TYPES, noise(pbc, PBC_TYPES, 150, 'gower'));
    const space = gowerSpace(frames.train);
    const k = 4;
    const ours = nearestNeighbours(space, frames.synthetic, frames.train, k);
    const cols = (f: Frame) => f.columns.map((c) => (c.kind === 'numeric' ? Array.from(c.values, (v) => (Number.isNaN(v) ? null : v)) : Array.from(c.codes)));
    const ref = python<{ d: number[][]; i: number[][] }>(
      `import numpy as np
kinds = data['kinds']; ranges = data['ranges']
q = [np.array(c, dtype=float) for c in data['q']]; r = [np.array(c, dtype=float) for c in data['r']]
D = np.zeros((len(q[0]), len(r[0])))
for c, kind in enumerate(kinds):
    a = q[c][:, None]; b = r[c][None, :]
    if kind == 'categorical':
        D += (a != b)
    else:
        na, nb = np.isnan(a), np.isnan(b)
        diff = np.minimum(1.0, np.abs(a - b) / ranges[c]) if ranges[c] > 0 else np.zeros_like(a - b)
        D += np.where(na & nb, 0.0, np.where(na | nb, 1.0, diff))
D /= len(kinds)
idx = np.argsort(D, axis=1, kind='stable')[:, :data['k']]
print(json.dumps({'d': np.take_along_axis(D, idx, 1).tolist(), 'i': idx.tolist()}))`,
      { kinds: space.columns.map((c) => c.kind), ranges: space.columns.map((c) => c.range), q: cols(frames.synthetic), r: cols(frames.train), k },
    );
    let differentIndex = 0;
    ref.d.forEach((row, i) =>
      row.forEach((d, j) => {
        expect(Math.abs(ours.distances[i * k + j]! - d)).toBeLessThan(1e-12);
        if (ours.indices[i * k + j] !== ref.i[i]![j]) differentIndex++;
      }),
    );
    expect(differentIndex).toBe(0);
  });

  it('the binomial p-value and the Clopper–Pearson interval equal scipy.stats.binomtest (1e-9)', () => {
    const cases: [number, number, number][] = [[0, 1, 0.5], [3, 10, 0.5], [5, 10, 0.5], [9, 10, 0.5], [480, 1000, 0.5], [400, 1000, 0.5], [26_000, 50_000, 0.5], [24_700, 50_001, 0.5], [10, 40, 0.3], [30, 40, 0.3], [1, 7, 0.5], [100, 120, 0.5], [0, 30, 0.5]];
    const ref = python<[number, number, number][]>(
      `from scipy.stats import binomtest
out = []
for k, n, p in data:
    r = binomtest(k, n, p); ci = binomtest(k, n).proportion_ci()
    out.append([r.pvalue, ci.low, ci.high])
print(json.dumps(out))`,
      cases,
    );
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
    cases.forEach(([k, n, p], i) => {
      const [pv, lo, hi] = ref[i]!;
      expect(rel(binomialTwoSided(k, n, p), pv)).toBeLessThan(1e-9);
      const ci = clopperPearson(k, n);
      expect(Math.abs(ci.low - lo)).toBeLessThan(1e-9);
      expect(Math.abs(ci.high - hi)).toBeLessThan(1e-9);
    });
  });

  it('the membership AUC equals sklearn roc_auc_score on the same scores (1e-12)', () => {
    const { frames } = framesOf(pima, PIMA_TYPES, noise(pima, PIMA_TYPES, 400, 'mia'));
    const space = gowerSpace(frames.train);
    const members = closest(nearestNeighbours(space, frames.train, frames.synthetic, 1));
    const others = closest(nearestNeighbours(space, frames.holdout, frames.synthetic, 1));
    const ours = membershipAttack(members, others, 'mia');
    const auc = python<number>(`from sklearn.metrics import roc_auc_score
print(json.dumps(roc_auc_score([1] * len(data['m']) + [0] * len(data['o']), [-x for x in data['m'] + data['o']])))`, { m: Array.from(members), o: Array.from(others) });
    expect(Math.abs(ours.auc - auc)).toBeLessThan(1e-12);
    expect(ours.interval.low).toBeLessThanOrEqual(ours.auc);
    expect(ours.interval.high).toBeGreaterThanOrEqual(ours.auc);
    expect(ours.roc[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(ours.roc.at(-1)).toEqual({ fpr: 1, tpr: 1 });
  });
});
