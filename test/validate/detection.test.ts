// Detection on the real PBC and Pima tables: the AUCs equal sklearn's on the same encoded features and folds, are
// close to sklearn's own cross-validation, tell independent noise from real rows, and not one real half from another.
import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../electron/core/errors';
import { createRng } from '../../electron/core/train/rng';
import { detection, detectionDesign, detectionScore, type DetectionOptions } from '../../electron/core/validate/detection';
import { FOREST_DEFAULTS } from '../../electron/core/validate/models';
import { rocAuc } from '../../electron/core/validate/stats';
import type { Frames } from '../../electron/core/validate/types';
import { framesOf, halves, PBC_TYPES, PIMA_TYPES, readCsv, withNoise, type CsvTable } from './fixtures';
import { hasSciPy, python } from './python';

const pbc = readCsv('pbc.csv');
const pima = readCsv('PimaIndiansDiabetes2.csv');
type Types = typeof PBC_TYPES;
const TABLES: { name: string; table: CsvTable; types: Types }[] = [
  { name: 'pbc', table: pbc, types: PBC_TYPES },
  { name: 'pima', table: pima, types: PIMA_TYPES },
];
const OPTS: DetectionOptions = { seed: 'detection-test' };

/** The holdout rows with one column shifted: detectable, but not trivially. */
const shifted = (t: CsvTable, types: Types, column: string, by: number): Frames => {
  const { holdout } = framesOf(t, types, []);
  const c = t.header.indexOf(column);
  return framesOf(t, types, holdout.map((r) => r.map((v, k) => (k === c && v !== null ? String(Number(v) + by) : v)))).frames;
};

const SKLEARN_PY = `
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
X = np.array(data['X'], dtype=float).reshape(data['rows'], data['width']); y = np.array(data['y']); folds = np.array(data['folds'])
def oof(make, splits):
    p = np.zeros(len(y))
    for tr, te in splits:
        p[te] = make().fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]
    return float(roc_auc_score(y, p))
same = [(np.where(folds != f)[0], np.where(folds == f)[0]) for f in range(folds.max() + 1)]
own = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
lr = lambda: LogisticRegression(C=1.0, solver='newton-cholesky', tol=1e-12, max_iter=1000)
rf = lambda: RandomForestClassifier(n_estimators=data['trees'], max_depth=data['depth'], max_features='sqrt', random_state=0)
print(json.dumps(dict(lrSame=oof(lr, same), lrOwn=oof(lr, own), rfSame=oof(rf, same))))
`;

describe.skipIf(!hasSciPy())('detection equals sklearn', () => {
  it('rocAuc equals sklearn.metrics.roc_auc_score, ties included', () => {
    const rng = createRng('auc');
    const labels = Array.from({ length: 500 }, () => (rng.uniform() < 0.4 ? 1 : 0));
    const scores = labels.map((l) => Math.round((rng.normal() + l * 0.7) * 4) / 4);
    const ref = python<number>('from sklearn.metrics import roc_auc_score\nprint(json.dumps(float(roc_auc_score(data["y"], data["s"]))))', { y: labels, s: scores });
    expect(Math.abs(rocAuc(scores, labels) - ref)).toBeLessThan(1e-12);
  });

  const cases = [
    ...TABLES.map((t) => ({ name: `${t.name}, noise`, frames: withNoise(t.table, t.types), detectable: true })),
    ...TABLES.map((t) => ({ name: `${t.name}, halves`, frames: halves(t.table, t.types), detectable: false })),
    { name: 'pima, glucose + 15', frames: shifted(pima, PIMA_TYPES, 'glucose', 15), detectable: true },
    { name: 'pbc, albumin − 0.3', frames: shifted(pbc, PBC_TYPES, 'albumin', -0.3), detectable: true },
  ];
  for (const c of cases) {
    it(`${c.name}: logistic AUC = sklearn's on the same folds (1e-6); forest within 0.04, sklearn's own CV within 0.03`, () => {
      const { design, labels, folds } = detectionDesign(c.frames.train, c.frames.synthetic, OPTS);
      const mine = detection(c.frames.train, c.frames.synthetic, OPTS);
      const ref = python<{ lrSame: number; lrOwn: number; rfSame: number }>(SKLEARN_PY, {
        X: Array.from(design.X),
        rows: design.rows,
        width: design.width,
        y: Array.from(labels),
        folds: Array.from(folds),
        trees: FOREST_DEFAULTS.trees,
        depth: FOREST_DEFAULTS.maxDepth,
      });
      const [lr, rf] = mine.models;
      console.log(
        `${c.name}: logistic ${lr!.auc.toFixed(4)} (sklearn same folds ${ref.lrSame.toFixed(4)}, own CV ${ref.lrOwn.toFixed(4)}); ` +
          `forest ${rf!.auc.toFixed(4)} (sklearn same folds ${ref.rfSame.toFixed(4)})`,
      );
      // The same penalised objective solved to convergence on both sides (sklearn's lbfgs stops short; its
      // Newton solver does not): equal up to solver tolerance.
      expect(Math.abs(lr!.auc - ref.lrSame)).toBeLessThan(1e-6);
      // Another forest: other bootstrap draws, thresholds on ≤ 64 bins.
      expect(Math.abs(rf!.auc - ref.rfSame)).toBeLessThan(0.04);
      // Other folds (sklearn's shuffle). Under the null (two real halves) the CV AUC varies with the folds by more
      // than 0.03 — and sits below 0.5, the known pessimism of cross-validated AUC — so there both must be < 0.6.
      if (c.detectable) expect(Math.abs(lr!.auc - ref.lrOwn)).toBeLessThan(0.03);
      else expect(Math.max(lr!.auc, ref.lrOwn, rf!.auc, ref.rfSame)).toBeLessThan(0.6);
    });
  }
});

describe('detection behaviour on the real tables', () => {
  for (const { name, table, types } of TABLES) {
    it(`${name}: independent noise is detected (AUC near 1), a random half of the real rows is not (near 0.5)`, () => {
      const n = withNoise(table, types);
      const h = halves(table, types);
      const dn = detection(n.train, n.synthetic, OPTS);
      const dh = detection(h.train, h.synthetic, OPTS);
      console.log(`${name}: noise AUC ${dn.models.map((m) => `${m.model} ${m.auc.toFixed(3)}`).join(', ')}; halves ${dh.models.map((m) => `${m.model} ${m.auc.toFixed(3)}`).join(', ')}`);
      expect(dn.headline.auc).toBeGreaterThan(0.95);
      expect(dn.headline.score).toBeLessThan(0.1);
      // Cross-validated AUC on indistinguishable sides sits at or a little below 0.5 (see above).
      for (const m of dh.models) expect(m.auc).toBeGreaterThan(0.35);
      expect(dh.headline.auc).toBeLessThan(0.6);
      expect(dh.headline.score).toBeGreaterThan(0.8);
      // The headline is the model with the higher AUC.
      expect(dn.headline.auc).toBe(Math.max(...dn.models.map((m) => m.auc)));
    });
  }

  it('balanced, capped and seeded: the same seed gives the same result, JSON round-trips', () => {
    const f = withNoise(pima, PIMA_TYPES);
    const opts = { seed: 's1', maxRowsPerSide: 150, folds: 5 };
    const a = detection(f.train, f.synthetic, opts);
    expect(a.rowsPerSide).toBe(150);
    expect(a.folds).toBe(5);
    expect(a.models.every((m) => m.foldAuc.length === 5)).toBe(true);
    expect(detection(f.train, f.synthetic, opts)).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    const { labels, folds } = detectionDesign(f.train, f.synthetic, opts);
    for (let k = 0; k < 5; k++) {
      const inFold = [...folds.keys()].filter((i) => folds[i] === k);
      expect(inFold.filter((i) => labels[i] === 1).length).toBe(30);
      expect(inFold.length).toBe(60);
    }
    const b = detectionDesign(f.train, f.synthetic, { ...opts, seed: 's2' });
    expect(Array.from(b.design.X)).not.toEqual(Array.from(detectionDesign(f.train, f.synthetic, opts).design.X));
  });

  it('reports progress from 0 to 1 and stops when the checkpoint throws', () => {
    const f = halves(pima, PIMA_TYPES);
    const seen: number[] = [];
    detection(f.train, f.synthetic, OPTS, (p) => seen.push(p ?? Number.NaN));
    expect(seen.every((p, i) => p >= 0 && p <= 1 && (i === 0 || p >= seen[i - 1]!))).toBe(true);
    expect(seen.at(-1)).toBe(1);
    let calls = 0;
    expect(() =>
      detection(f.train, f.synthetic, OPTS, () => {
        if (++calls > 5) throw new Error('cancelled');
      }),
    ).toThrow('cancelled');
  });

  it('score formula and the errors a steward reads', () => {
    expect([detectionScore(0.5), detectionScore(0.3), detectionScore(0.75), detectionScore(1)]).toEqual([1, 1, 0.5, 0]);
    const f = halves(pima, PIMA_TYPES);
    const few = { ...f.synthetic, rows: 4, columns: f.synthetic.columns.map((c) => (c.kind === 'numeric' ? { ...c, values: c.values.slice(0, 4) } : { ...c, codes: c.codes.slice(0, 4) })) };
    expect(() => detection(f.train, few, OPTS)).toThrow(AirlockError);
    expect(() => detection(f.train, few, OPTS)).toThrow(/at least 6 real and 6 synthetic rows/);
    expect(() => detection(f.train, f.synthetic, { ...OPTS, folds: 1 })).toThrow(/at least 2/);
  });
});
