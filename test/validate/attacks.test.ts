// The Anonymeter-style attacks (singling out, linkability, inference) on the real pbc and Pima tables: a "generator"
// that returns its training rows must score high, one unrelated to them near 0, and planted training rows must be
// named; the rates, risk formula, neighbour searches and the size model are checked against numpy/scipy.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../electron/core/errors';
import type { ColumnType } from '../../electron/core/ingest/table/types';
import { createRng } from '../../electron/core/train/rng';
import { attacks, residualRisk, successRate, type AttackOutcome, type AttackResult, type NotApplicable, type SinglingOutOutcome } from '../../electron/core/validate/attacks';
import { guessIsRight, inferenceHits, linkHits } from '../../electron/core/validate/attacks-link';
import { betaBinomialFit, logGamma, singlingOutShare } from '../../electron/core/validate/attacks-singling';
import type { Cells } from '../../electron/core/validate/frames';
import type { Column, Frame, Frames } from '../../electron/core/validate/types';
import { framesOf, PBC_TYPES, PIMA_TYPES, readCsv, type CsvTable } from './fixtures';
import { hasSciPy, python } from './python';

const PBC = { file: 'pbc.csv', types: PBC_TYPES, qi: ['age', 'sex', 'bili', 'albumin'], sensitive: ['status', 'chol'] };
const PIMA = { file: 'PimaIndiansDiabetes2.csv', types: PIMA_TYPES, qi: ['age', 'pregnant', 'mass', 'pressure'], sensitive: ['diabetes', 'glucose'] };
type Case = typeof PBC;

/** Independent column noise: Gaussian numbers (training mean and sd, clipped to the range), categories by frequency, missing at the training rate. */
function noise(table: CsvTable, rows: Cells, types: Record<string, ColumnType>, n: number, seed: string): Cells {
  const rng = createRng(seed);
  const draw = table.header.map((h, i) => {
    const type = types[h];
    const present = rows.map((r) => r[i] ?? null).filter((v): v is string => v !== null);
    const missing = 1 - present.length / rows.length;
    if (!type) return () => null;
    if (type !== 'integer' && type !== 'number') return () => (rng.uniform() < missing ? null : present[rng.int(present.length)]!);
    const x = present.map(Number);
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length);
    const [lo, hi] = [Math.min(...x), Math.max(...x)];
    return () => {
      if (rng.uniform() < missing) return null;
      const v = Math.min(hi, Math.max(lo, m + sd * rng.normal()));
      return type === 'integer' ? String(Math.round(v)) : v.toFixed(3);
    };
  });
  return Array.from({ length: n }, () => draw.map((f) => f()));
}

function scenario(c: Case, kind: 'copy' | 'noise' | 'planted'): Frames {
  const table = readCsv(c.file);
  const { train } = framesOf(table, c.types, []);
  const synthetic =
    kind === 'copy' ? train : kind === 'noise' ? noise(table, table.rows, c.types, train.length, 'noise') : [...noise(table, table.rows, c.types, train.length - 5, 'planted'), ...train.slice(0, 5)];
  return framesOf(table, c.types, synthetic).frames;
}

const run = (frames: Frames, c: Case, seed = 'attack-test'): AttackResult => attacks(frames, { seed, quasiIdentifiers: c.qi, sensitive: c.sensitive });

function applicable<T extends AttackOutcome>(o: T | NotApplicable): T {
  if (!o.applicable) throw new Error(`not applicable: ${o.reason}`);
  return o;
}

function outcomes(r: AttackResult): Record<string, AttackOutcome> {
  const out: Record<string, AttackOutcome> = {
    'singling out, univariate': applicable(r.singlingOut.univariate),
    'singling out, multivariate': applicable(r.singlingOut.multivariate),
    linkability: applicable(r.linkability),
  };
  if (!r.inference.applicable) throw new Error(r.inference.reason);
  for (const s of r.inference.secrets) out[`inference ${s.secret}`] = applicable(s);
  return out;
}

const fmt = (o: AttackOutcome) => `${o.risk.value!.toFixed(3)} [${o.risk.interval!.low.toFixed(3)}, ${o.risk.interval!.high.toFixed(3)}]`;

describe.each([PBC, PIMA])('attacks on $file', (c) => {
  it('a generator that returns its training rows scores a high risk on every attack', () => {
    const r = run(scenario(c, 'copy'), c);
    const o = outcomes(r);
    console.log(`${c.file} copy:`, Object.entries(o).map(([k, v]) => `${k} ${fmt(v)}`).join('; '));
    // Every predicate that isolates a synthetic row isolates that same training row.
    for (const mode of ['univariate', 'multivariate'] as const) {
      const s = applicable(r.singlingOut[mode]);
      expect(s.train.successes).toBe(s.queries);
      expect(s.risk.value).toBeGreaterThan(0.95);
      expect(s.betterThanBaseline).toBe(true);
    }
    // Ties on integer quasi-identifiers (Pima) send some halves to an earlier identical row, so linkability is lower.
    expect(o.linkability!.risk.value).toBeGreaterThan(c === PBC ? 0.75 : 0.3);
    for (const secret of c.sensitive) expect(o[`inference ${secret}`]!.risk.value).toBeGreaterThan(0.9);
    for (const v of Object.values(o)) expect(v.risk.interval!.low).toBeGreaterThan(0.25);
  });

  it('a synthetic table unrelated to the real rows scores risks near 0, intervals covering 0', () => {
    const o = outcomes(run(scenario(c, 'noise'), c));
    console.log(`${c.file} noise:`, Object.entries(o).map(([k, v]) => `${k} ${fmt(v)}`).join('; '));
    for (const [name, v] of Object.entries(o)) {
      expect(v.risk.interval!.low, name).toBe(0);
      expect(v.risk.value!, name).toBeLessThan(0.1);
      if (!v.betterThanBaseline) expect(v.notes.join(' ')).toMatch(/not meaningful/);
    }
  });

  it('planted training rows are named by the singling-out attack and their secrets are inferred', () => {
    const frames = scenario(c, 'planted');
    const r = run(frames, c);
    const planted = [0, 1, 2, 3, 4];
    const found = [applicable(r.singlingOut.univariate), applicable(r.singlingOut.multivariate)].flatMap((s) => s.found);
    const named = [...new Set(found.map((f) => f.row).filter((row) => planted.includes(row)))];
    const onPlanted = found.filter((f) => planted.includes(f.row));
    console.log(`${c.file} planted: ${named.length} of 5 planted rows named, by ${onPlanted.length} of ${found.length} singling-out predicates, e.g.`, onPlanted.slice(0, 3).map((f) => `row ${f.row}: ${f.predicate}`));
    expect(named.length).toBeGreaterThanOrEqual(1);
    // The share of findings that are planted rows is far above their share of the training rows.
    expect(onPlanted.length / found.length).toBeGreaterThan((3 * planted.length) / frames.train.rows);
    for (const secret of c.sensitive) {
      const aux = c.qi.filter((q) => q !== secret);
      expect(inferenceHits(frames.train, frames.train, planted, frames.synthetic, aux, secret)).toEqual(planted.map(() => true));
    }
  });
});

describe('attack results', () => {
  const frames = scenario(PBC, 'planted');

  it('are deterministic for a seed, plain JSON, and differ for another seed', () => {
    const a = run(frames, PBC, 'seed-1');
    expect(run(frames, PBC, 'seed-1')).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(JSON.stringify(run(frames, PBC, 'seed-2'))).not.toEqual(JSON.stringify(a));
  });

  it('say what does not apply, and refuse unknown columns', () => {
    const one = attacks(frames, { seed: 's', quasiIdentifiers: ['age'], sensitive: ['status'], nAttacks: 50 });
    expect(one.linkability.applicable).toBe(false);
    expect(one.inference.applicable && one.inference.secrets[0]!.applicable).toBe(true);
    const none = attacks(frames, { seed: 's', quasiIdentifiers: [], sensitive: ['status'], nAttacks: 50 });
    expect(none.inference.applicable && none.inference.secrets[0]).toMatchObject({ applicable: false, secret: 'status' });
    expect(attacks(frames, { seed: 's', quasiIdentifiers: ['age', 'sex'], sensitive: [], nAttacks: 50 }).inference.applicable).toBe(false);
    expect(() => attacks(frames, { seed: 's', quasiIdentifiers: ['postcode'], sensitive: [] })).toThrow(InvalidArgumentError);
    expect(() => attacks(frames, { seed: 's', quasiIdentifiers: ['age'], sensitive: [], nAttacks: 0 })).toThrow(InvalidArgumentError);
  });

  it('report progress from 0 to 1 and stop when the checkpoint throws', () => {
    const seen: number[] = [];
    attacks(frames, { seed: 's', quasiIdentifiers: PBC.qi, sensitive: PBC.sensitive, nAttacks: 100 }, (p = 0) => seen.push(p));
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((p, i) => p >= 0 && p <= 1 && (i === 0 || p >= seen[i - 1]! - 1e-12))).toBe(true);
    let calls = 0;
    expect(() =>
      attacks(frames, { seed: 's', quasiIdentifiers: PBC.qi, sensitive: PBC.sensitive }, () => {
        if (++calls > 3) throw new Error('cancelled');
      }),
    ).toThrow('cancelled');
  });

  it('judge numeric guesses within 5% of the guess, categories exactly, missing against missing', () => {
    const num = { kind: 'numeric', name: 'x', type: 'number', values: new Float64Array() } as Column;
    const cat = { kind: 'categorical', name: 'c', type: 'categorical', codes: new Int32Array(), levels: ['a', 'b'] } as Column;
    expect([guessIsRight(num, 100, 105), guessIsRight(num, 100, 105.01), guessIsRight(num, 100, 95), guessIsRight(num, -100, -104)]).toEqual([true, false, true, true]);
    // Anonymeter divides by the signed guess, so a negative guess would be "right" about anything; not here.
    expect(guessIsRight(num, -100, 50)).toBe(false);
    expect([guessIsRight(num, 0, 0), guessIsRight(num, Number.NaN, Number.NaN), guessIsRight(num, Number.NaN, 1)]).toEqual([true, true, false]);
    expect([guessIsRight(cat, 1, 1), guessIsRight(cat, 1, 0), guessIsRight(cat, -1, -1)]).toEqual([true, false, true]);
  });
});

describe.skipIf(!hasSciPy())('attacks against numpy and scipy', () => {
  const frames = scenario(PBC, 'planted');
  const result = run(frames, PBC);

  it('Wilson rates and the residual risk equal Anonymeter’s formulas (numpy) within 1e-12', () => {
    const o = Object.values(outcomes(result));
    const pairs = [
      ...o.map((v) => ({ t: [v.train.successes, v.train.attempts], c: [v.control.successes, v.control.attempts] })),
      { t: [500, 500], c: [0, 500] },
      { t: [0, 500], c: [500, 500] },
      { t: [37, 125], c: [12.5, 125] },
      { t: [3, 10], c: [7, 10] },
    ];
    const ours = pairs.map((p) => {
      const [t, c] = [successRate(p.t[0]!, p.t[1]!), successRate(p.c[0]!, p.c[1]!)];
      return { t: [t.interval!.low, t.interval!.high], c: [c.interval!.low, c.interval!.high], risk: residualRisk(t, c) };
    });
    const ref = python<{ t: number[]; c: number[]; risk: { value: number; interval: { low: number; high: number } } }[]>(
      `
import numpy as np
from scipy.stats import norm
z = norm.ppf(0.975)
def rate(k, n):
    centre = (k + 0.5 * z * z) / (n + z * z)
    err = z / (n + z * z) * np.sqrt(k * (n - k) / n + 0.25 * z * z)
    return centre, err
out = []
for p in data:
    (t, et), (c, ec) = rate(*p['t']), rate(*p['c'])
    r = (t - c) / (1 - c)
    e = np.sqrt((et / abs(1 - c)) ** 2 + (ec * (t - 1) / (1 - c) ** 2) ** 2)
    b = lambda x: float(min(max(x, 0.0), 1.0))
    out.append({'t': [b(t - et), b(t + et)], 'c': [b(c - ec), b(c + ec)], 'risk': {'value': b(r), 'interval': {'low': b(r - e), 'high': b(r + e)}}})
print(json.dumps(out))
`,
      pairs,
    );
    ours.forEach((v, i) => {
      const w = ref[i]!;
      [...v.t, ...v.c, v.risk.value!, v.risk.interval!.low, v.risk.interval!.high].forEach((x, j) =>
        expect(Math.abs(x - [...w.t, ...w.c, w.risk.value, w.risk.interval.low, w.risk.interval.high][j]!)).toBeLessThan(1e-12),
      );
    });
  });

  it('every predicate named as singling out matches exactly that one distinct training row (numpy)', () => {
    const found = [applicable(result.singlingOut.univariate), applicable(result.singlingOut.multivariate)].flatMap((s: SinglingOutOutcome) => s.found);
    expect(found.length).toBeGreaterThan(20);
    const columns = Object.fromEntries(frames.train.columns.map((c) => [c.name, c.kind === 'numeric' ? Array.from(c.values, (v) => (Number.isNaN(v) ? null : v)) : Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k]))]));
    const rows = python<number[]>(
      `
import pandas as pd, numpy as np
df = pd.DataFrame(data['columns']).drop_duplicates()
ops = {'eq': lambda s, v: s == v, 'ne': lambda s, v: (s != v) | s.isna(), 'lt': lambda s, v: s < v, 'le': lambda s, v: s <= v,
       'gt': lambda s, v: s > v, 'ge': lambda s, v: s >= v, 'missing': lambda s, v: s.isna(), 'present': lambda s, v: s.notna()}
out = []
for f in data['found']:
    m = np.ones(len(df), dtype=bool)
    for c in f['conditions']:
        m &= ops[c['op']](df[c['column']], c['value']).to_numpy()
    hits = df.index[m].tolist()
    out.append(hits[0] if len(hits) == 1 else -1)
print(json.dumps(out))
`,
      { columns, found },
    );
    expect(rows).toEqual(found.map((f) => f.row));
  });

  it('linkability and inference hits equal a brute-force Gower search in numpy', () => {
    const targets = Array.from({ length: 60 }, (_, i) => i * 2);
    const cols = (f: Frame, names: string[]) =>
      names.map((n) => {
        const c = f.columns.find((x) => x.name === n)!;
        return c.kind === 'numeric' ? { kind: 'numeric', v: Array.from(c.values, (x) => (Number.isNaN(x) ? null : x)) } : { kind: 'categorical', v: Array.from(c.codes) };
      });
    const all = PBC.qi;
    const ref = python<{ link: boolean[]; infer: boolean[] }>(
      `
import numpy as np
def arr(c): return np.array([np.nan if x is None else x for x in c['v']], dtype=float)
ref = [arr(c) for c in data['train']]
rng = [np.nanmax(x) - np.nanmin(x) if data['kinds'][i] == 'numeric' else 1 for i, x in enumerate(ref)]
# distance.ts's order of operations (scale, then subtract), so that ties break the same way
def scaled(x, r): return x / r if r > 0 else np.where(np.isnan(x), np.nan, 0.0)
def nearest(cols, k):
    q = [arr(data['query'][i])[data['targets']] for i in cols]
    s = [arr(data['syn'][i]) for i in cols]
    out = []
    for t in range(len(data['targets'])):
        d = np.zeros(len(s[0]))
        for j, i in enumerate(cols):
            if data['kinds'][i] == 'categorical':
                d += (q[j][t] != s[j])
            else:
                a, b = scaled(np.array([q[j][t]]), rng[i]), scaled(s[j], rng[i])
                both, one = np.isnan(a) & np.isnan(b), np.isnan(a) ^ np.isnan(b)
                d += np.where(both, 0, np.where(one, 1, np.minimum(1, np.abs(a - b))))
        d /= len(cols)
        out.append(list(np.argsort(d, kind='stable')[:k]))
    return out
A, B = nearest([0, 1], 3), nearest([2, 3], 3)
link = [len(set(a) & set(b)) > 0 for a, b in zip(A, B)]
g = nearest([0, 1, 2, 3], 1)
secret = arr(data['secret_syn'])
truth = arr(data['secret_query'])[data['targets']]
infer = [bool(secret[g[t][0]] == truth[t]) for t in range(len(g))]
print(json.dumps({'link': link, 'infer': infer}))
`,
      {
        targets,
        kinds: cols(frames.train, all).map((c) => c.kind),
        train: cols(frames.train, all),
        query: cols(frames.train, all),
        syn: cols(frames.synthetic, all),
        secret_syn: cols(frames.synthetic, ['status'])[0],
        secret_query: cols(frames.train, ['status'])[0],
      },
    );
    const link = linkHits(frames.train, frames.train, targets, frames.synthetic, [all.slice(0, 2), all.slice(2)], 3);
    const infer = inferenceHits(frames.train, frames.train, targets, frames.synthetic, all, 'status');
    expect(link).toEqual(ref.link);
    expect(infer).toEqual(ref.infer);
    console.log(`brute force: ${link.filter(Boolean).length}/60 links and ${infer.filter(Boolean).length}/60 inferences, identical per target`);
  });

  it('the size model: log Γ, the beta-binomial fit and the singling-out share agree with scipy', () => {
    const xs = [0.1, 0.5, 1, 1.5, 2, 3.7, 10, 123.4, 5000.5];
    const counts = [...Array(300).fill(0), ...Array(80).fill(1), ...Array(40).fill(2), ...Array(25).fill(3), 4, 5, 5, 7, 9, 12, 20, 31, 60];
    const n = 125;
    const fit = betaBinomialFit(counts, n);
    const ref = python<{ lg: number[]; a: number; b: number; nllOurs: number; nllRef: number; share: number[] }>(
      `
import numpy as np
from scipy.special import gammaln
from scipy.stats import betabinom, beta
from scipy.optimize import minimize
from scipy.integrate import quad
m, n = np.array(data['counts']), data['n']
nll = lambda p: -betabinom.logpmf(m, n, np.exp(p[0]), np.exp(p[1])).sum()
best = minimize(nll, [0.0, 2.0], method='Nelder-Mead', options={'xatol': 1e-10, 'fatol': 1e-12, 'maxiter': 20000})
a, b = np.exp(best.x)
share = [quad(lambda w: s * w * (1 - w) ** (s - 1) * beta.pdf(w, data['a'], data['b']), 0, 1, points=[1 / s], limit=200, epsabs=1e-13)[0] for s in data['sizes']]
print(json.dumps({'lg': [float(gammaln(x)) for x in data['xs']], 'a': a, 'b': b, 'nllOurs': nll(np.log([data['a'], data['b']])), 'nllRef': best.fun, 'share': share}))
`,
      { xs, counts, n, a: fit.a, b: fit.b, sizes: [125, 293, 538] },
    );
    xs.forEach((x, i) => expect(Math.abs(logGamma(x) - ref.lg[i]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(ref.lg[i]!))));
    expect(ref.nllOurs).toBeLessThanOrEqual(ref.nllRef + 1e-7);
    expect(Math.abs(fit.a / ref.a - 1)).toBeLessThan(1e-4);
    expect(Math.abs(fit.b / ref.b - 1)).toBeLessThan(1e-4);
    [125, 293, 538].forEach((s, i) => expect(Math.abs(singlingOutShare(fit.a, fit.b, s) - ref.share[i]!)).toBeLessThan(1e-9));
    console.log(`beta-binomial fit a=${fit.a.toFixed(5)} b=${fit.b.toFixed(3)} (scipy ${ref.a.toFixed(5)}, ${ref.b.toFixed(3)}); share 125→293: ${(singlingOutShare(fit.a, fit.b, 293) / singlingOutShare(fit.a, fit.b, 125)).toFixed(4)}`);
  });
});
