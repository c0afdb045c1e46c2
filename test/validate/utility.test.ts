// Utility (TSTR vs TRTR) on the real Pima and PBC tables: the scores equal sklearn.metrics on the same predictions,
// the models behave like sklearn's on the same encoded features, and the ratio tells a copy from noise.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../electron/core/train/rng';
import { encode, fitEncoder } from '../../electron/core/validate/encode';
import type { Cells } from '../../electron/core/validate/frames';
import { fitLogistic, fitRidge } from '../../electron/core/validate/models';
import { accuracy, argmaxRows, aucScore, macroF1, meanAbsoluteError, r2Score, utility, utilityPredictions, type UtilityResult } from '../../electron/core/validate/utility';
import { framesOf, PBC_TYPES, PIMA_TYPES, readCsv, uniformNoise, type CsvTable } from './fixtures';
import { hasSciPy, python } from './python';

const pima = readCsv('PimaIndiansDiabetes2.csv');
const pbc = readCsv('pbc.csv');
const OPTS = { seed: 'utility-test', bootstrap: 100 };

const trainOf = (table: CsvTable, types: typeof PIMA_TYPES) => framesOf(table, types, []).train;

/** Independent uniform noise in every column: numbers between the training min and max, categories uniformly. */
const noise = (table: CsvTable, types: typeof PIMA_TYPES, n: number, seed: string): Cells => uniformNoise(table, types, n, seed, trainOf(table, types));

const flat = (rows: number[][]) => rows.flat();
const primary = (r: UtilityResult) => r.headline;

describe.skipIf(!hasSciPy())('utility scores equal sklearn.metrics on the same predictions', () => {
  const cases = [
    { name: 'Pima diabetes', table: pima, types: PIMA_TYPES, target: 'diabetes' },
    { name: 'PBC status (3 classes)', table: pbc, types: PBC_TYPES, target: 'status' },
    { name: 'PBC albumin (regression)', table: pbc, types: PBC_TYPES, target: 'albumin' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { frames } = framesOf(c.table, c.types, noise(c.table, c.types, 300, 'noise-scores'));
      const preds = utilityPredictions(frames, c.target, OPTS);
      const result = utility(frames, c.target, { ...OPTS, bootstrap: 20 });
      const K = Math.max(1, preds.classes.length);
      const sets = preds.models.flatMap((m) => [m.tstr!, m.trtr]);
      // Bootstrap resamples are scored as row weights (draw counts): checked against sklearn's sample_weight.
      const wRng = createRng('weights');
      const w = preds.holdout.map(() => 1 + wRng.int(3));
      const score = (P: number[], weights?: number[]) => {
        if (preds.task === 'regression') return [r2Score(preds.holdout, P, weights), meanAbsoluteError(preds.holdout, P, weights)];
        const labels = argmaxRows(P, K);
        return [aucScore(preds.holdout, P, K, weights), accuracy(preds.holdout, labels, weights), macroF1(preds.holdout, labels, weights)];
      };
      const mine = sets.map((p) => score(flat(p)));
      const weighted = sets.map((p) => score(flat(p), w));
      const ref = python<number[][][]>(
        `import numpy as np
from sklearn import metrics as M
y = np.array(data['y'])
def scores(P, w):
    if data['task'] == 'regression':
        return [M.r2_score(y, P[:, 0], sample_weight=w), M.mean_absolute_error(y, P[:, 0], sample_weight=w)]
    auc = M.roc_auc_score(y, P[:, 1], sample_weight=w) if P.shape[1] == 2 else M.roc_auc_score(y, P, multi_class='ovr', average='macro', sample_weight=w)
    pred = P.argmax(axis=1)
    return [auc, M.accuracy_score(y, pred, sample_weight=w), M.f1_score(y, pred, average='macro', sample_weight=w)]
sets = [np.array(P) for P in data['sets']]
print(json.dumps([[scores(P, None) for P in sets], [scores(P, np.array(data['w'], dtype=float)) for P in sets]]))`,
        { y: preds.holdout, sets, task: preds.task, w },
      );
      expect(mine.length).toBe(4);
      mine.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - ref[0]![i]![j]!)).toBeLessThan(1e-9)));
      weighted.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - ref[1]![i]![j]!)).toBeLessThan(1e-9)));
      console.log(`${c.name}: [rf tstr, rf trtr, linear tstr, linear trtr] = ${JSON.stringify(mine.map((r) => r.map((v) => +v.toFixed(4))))}; max |mine − sklearn| = ${Math.max(...mine.flatMap((r, i) => r.map((v, j) => Math.abs(v - ref[0]![i]![j]!))), ...weighted.flatMap((r, i) => r.map((v, j) => Math.abs(v - ref[1]![i]![j]!))))}`);
      // utility() reports exactly these scores: [rf tstr, rf trtr, linear tstr, linear trtr].
      result.models.forEach((m, mi) =>
        m.metrics.forEach((s, j) => {
          expect(s.tstr).toBeCloseTo(mine[2 * mi]![j]!, 12);
          expect(s.trtr).toBeCloseTo(mine[2 * mi + 1]![j]!, 12);
        }),
      );
    });
  }
});

describe.skipIf(!hasSciPy())('the models match sklearn on the same encoded features', () => {
  const { frames } = framesOf(pima, PIMA_TYPES, []);
  const enc = fitEncoder([frames.train], ['diabetes']);
  const [Xtr, Xte] = [encode(enc, frames.train), encode(enc, frames.holdout)];
  const label = (f: typeof frames.train) => {
    const c = f.columns.find((col) => col.name === 'diabetes');
    return c?.kind === 'categorical' ? Array.from(c.codes) : [];
  };
  const [ytr, yte] = [label(frames.train), label(frames.holdout)];
  const rows = (e: typeof Xtr) => Array.from({ length: e.rows }, (_, r) => Array.from(e.X.subarray(r * e.width, (r + 1) * e.width)));
  // Computed on first use, so a skipped suite never calls Python.
  let cached: { ref: { rf: number[]; lr: number; proba: number[] }; result: UtilityResult } | undefined;
  const get = () => (cached ??= { ref: python<{ rf: number[]; lr: number; proba: number[] }>(
    `import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
Xtr, ytr, Xte, yte = (np.array(data[k]) for k in ('Xtr', 'ytr', 'Xte', 'yte'))
rf = [roc_auc_score(yte, RandomForestClassifier(n_estimators=50, max_depth=12, random_state=s).fit(Xtr, ytr).predict_proba(Xte)[:, 1]) for s in range(5)]
lr = LogisticRegression(C=1.0, solver='newton-cholesky', tol=1e-12, max_iter=1000).fit(Xtr, ytr).predict_proba(Xte)[:, 1]
print(json.dumps({'rf': rf, 'lr': roc_auc_score(yte, lr), 'proba': lr.tolist()}))`,
    { Xtr: rows(Xtr), ytr, Xte: rows(Xte), yte },
  ), result: utility(frames, 'diabetes', OPTS) });

  it('logistic regression: the same probabilities as sklearn (within 1e-6) and so the same AUC', () => {
    const { ref, result } = get();
    const mine = fitLogistic(Xtr, ytr, 2).predict(Xte);
    const p1 = Array.from({ length: Xte.rows }, (_, r) => mine[2 * r + 1]!);
    expect(Math.max(...p1.map((p, i) => Math.abs(p - ref.proba[i]!)))).toBeLessThan(1e-6);
    const trtr = result.models.find((m) => m.model === 'logistic_regression')!.metrics[0]!.trtr!;
    expect(Math.abs(trtr - ref.lr)).toBeLessThan(1e-6);
  });

  it('random forest: TRTR AUC within 0.03 of the mean of five sklearn forests', () => {
    const { ref, result } = get();
    const sk = ref.rf.reduce((a, b) => a + b, 0) / ref.rf.length;
    const trtr = result.models.find((m) => m.model === 'random_forest')!.metrics[0]!.trtr!;
    console.log(`Pima TRTR AUC: random forest ${trtr.toFixed(4)} vs sklearn ${sk.toFixed(4)} (${ref.rf.map((v) => v.toFixed(3)).join(', ')}); logistic ${result.models[1]!.metrics[0]!.trtr!.toFixed(6)} vs ${ref.lr.toFixed(6)}`);
    expect(Math.abs(trtr - sk)).toBeLessThan(0.03);
  });

  it('ridge and one-vs-rest logistic regression match sklearn on PBC', () => {
    const p = framesOf(pbc, PBC_TYPES, []).frames;
    const e = fitEncoder([p.train], ['status', 'albumin']);
    const [A, B] = [encode(e, p.train), encode(e, p.holdout)];
    const col = (f: typeof p.train, name: string) => {
      const c = f.columns.find((x) => x.name === name)!;
      return c.kind === 'numeric' ? Array.from(c.values) : Array.from(c.codes);
    };
    const status = col(p.train, 'status');
    const skl = python<{ ridge: number[]; ovr: number[][] }>(
      `import numpy as np
from sklearn.linear_model import Ridge, LogisticRegression
A, B = np.array(data['A']), np.array(data['B'])
ridge = Ridge(alpha=1e-3).fit(A, data['albumin']).predict(B)
ovr = LogisticRegression(multi_class='ovr', solver='newton-cholesky', C=1.0, tol=1e-12, max_iter=1000).fit(A, data['status']).predict_proba(B)
print(json.dumps({'ridge': ridge.tolist(), 'ovr': ovr.tolist()}))`,
      { A: rows(A), B: rows(B), albumin: col(p.train, 'albumin'), status },
    );
    const ridge = fitRidge(A, col(p.train, 'albumin'), 1e-3).predict(B);
    expect(Math.max(...Array.from(ridge, (v, i) => Math.abs(v - skl.ridge[i]!)))).toBeLessThan(1e-8);
    const ovr = fitLogistic(A, status, 3).predict(B);
    expect(Math.max(...Array.from(ovr, (v, i) => Math.abs(v - skl.ovr.flat()[i]!)))).toBeLessThan(1e-6);
  });
});

describe('utility behaviour on the real tables', () => {
  const copy = (table: CsvTable, types: typeof PIMA_TYPES, target: string) => utility(framesOf(table, types, trainOf(table, types)).frames, target, OPTS);
  const noisy = (table: CsvTable, types: typeof PIMA_TYPES, target: string) => utility(framesOf(table, types, noise(table, types, 500, 'noise')).frames, target, OPTS);

  const report = (name: string, r: UtilityResult) => {
    const h = primary(r);
    const lift = h.lift === null ? 'n/a' : `${h.lift.toFixed(3)} [${h.liftInterval?.low.toFixed(3)}, ${h.liftInterval?.high.toFixed(3)}]`;
    console.log(`${name}: ${h.model} ${h.metric} TSTR ${h.tstr?.toFixed(3)} TRTR ${h.trtr?.toFixed(3)} ratio ${h.ratio?.toFixed(3)} [${h.interval?.low.toFixed(3)}, ${h.interval?.high.toFixed(3)}], lift ${lift}, importance ρ ${r.importance?.spearman?.toFixed(3)}`);
  };

  it('a copy of the training rows gives a ratio of 1; uniform noise a low one (Pima)', () => {
    const [c, n] = [copy(pima, PIMA_TYPES, 'diabetes'), noisy(pima, PIMA_TYPES, 'diabetes')];
    report('Pima copy', c);
    report('Pima noise', n);
    expect(c.task).toBe('binary');
    expect(c.headline.metric).toBe('RocAuc');
    expect(c.headline.trtr!).toBeGreaterThan(0.75);
    // Same rows, same seed for the forest: TSTR and TRTR are the same model, so the ratio is 1 exactly.
    expect(c.headline.ratio!).toBeCloseTo(1, 9);
    expect(c.headline.interval!.low).toBeCloseTo(1, 9);
    expect(c.importance!.spearman!).toBeCloseTo(1, 9);
    expect(n.headline.ratio!).toBeLessThan(0.8);
    expect(n.headline.interval!.high).toBeLessThan(0.85);
    expect(n.importance!.spearman ?? 0).toBeLessThan(0.8);
    for (const m of n.models) for (const s of m.metrics) expect(s.ratioInterval!.low).toBeLessThanOrEqual(s.ratio!);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });

  it('PBC status (3 classes) and albumin (regression): copy ≈ 1, noise low', () => {
    const [c, n] = [copy(pbc, PBC_TYPES, 'status'), noisy(pbc, PBC_TYPES, 'status')];
    report('PBC status copy', c);
    report('PBC status noise', n);
    expect(c.task).toBe('multiclass');
    expect(c.classes).toEqual(['0', '2', '1']);
    expect(c.headline.ratio!).toBeCloseTo(1, 9);
    expect(n.headline.ratio!).toBeLessThan(0.8);
    const [rc, rn] = [copy(pbc, PBC_TYPES, 'albumin'), noisy(pbc, PBC_TYPES, 'albumin')];
    report('PBC albumin copy', rc);
    report('PBC albumin noise', rn);
    expect(rc.task).toBe('regression');
    expect(rc.headline.metric).toBe('R2');
    expect(rc.headline.ratio!).toBeCloseTo(1, 9);
    const mae = rc.models[0]!.metrics.find((s) => s.metric === 'MeanAbsoluteError')!;
    expect(mae.ratio!).toBeCloseTo(1, 9);
    expect(rn.headline.ratio ?? 0).toBeLessThan(0.5);
    // For MAE, lower is better: the ratio is TRTR/TSTR, so noise gives a ratio below 1.
    expect(rn.models[0]!.metrics.find((s) => s.metric === 'MeanAbsoluteError')!.ratio!).toBeLessThan(1);
  });

  it('a synthetic table missing a class is reported in words and still scored', () => {
    const train = trainOf(pbc, PBC_TYPES);
    const at = pbc.header.indexOf('status');
    const r = utility(framesOf(pbc, PBC_TYPES, train.filter((row) => row[at] !== '1')).frames, 'status', OPTS);
    console.log(r.notes);
    expect(r.notes.some((n) => n.includes('lack class “1”'))).toBe(true);
    expect(r.headline.tstr).not.toBeNull();
    expect(r.headline.ratio!).toBeGreaterThan(0.7);
    report('PBC status, synthetic without class 1', r);
    const pAt = pima.header.indexOf('diabetes');
    const single = utility(framesOf(pima, PIMA_TYPES, trainOf(pima, PIMA_TYPES).filter((row) => row[pAt] === 'neg')).frames, 'diabetes', OPTS);
    console.log(single.notes);
    expect(single.notes.some((n) => n.includes('single class'))).toBe(true);
    expect(single.headline.tstr).toBeCloseTo(0.5, 12);
    expect(single.models[0]!.metrics.find((s) => s.metric === 'Accuracy')!.tstr).not.toBeNull();
  });

  it('rows with a missing target are left out and counted; same seed, same result', () => {
    const syn = noise(pbc, PBC_TYPES, 200, 'noise-det');
    const stageAt = pbc.header.indexOf('stage');
    const frames = framesOf(pbc, PBC_TYPES, syn).frames;
    const a = utility(frames, 'stage', { seed: 's1', bootstrap: 50 });
    const b = utility(frames, 'stage', { seed: 's1', bootstrap: 50 });
    const other = utility(frames, 'stage', { seed: 's2', bootstrap: 50 });
    expect(b).toEqual(a);
    expect(other.headline.interval).not.toEqual(a.headline.interval);
    const missing = pbc.rows.filter((row) => row[stageAt] === null).length;
    expect(a.dropped.train + a.dropped.holdout).toBe(missing);
    expect(a.notes.some((n) => n.includes('were left out'))).toBe(true);
  });

  it('reports rising progress and stops when the checkpoint throws', () => {
    const frames = framesOf(pima, PIMA_TYPES, noise(pima, PIMA_TYPES, 200, 'noise-progress')).frames;
    const seen: number[] = [];
    utility(frames, 'diabetes', { seed: 'p', bootstrap: 20 }, (p) => void seen.push(p ?? 0));
    expect(seen.every((p, i) => i === 0 || p >= seen[i - 1]!)).toBe(true);
    expect(seen[seen.length - 1]).toBe(1);
    expect(() =>
      utility(frames, 'diabetes', { seed: 'p' }, (p) => {
        if ((p ?? 0) > 0.3) throw new Error('cancelled');
      }),
    ).toThrow('cancelled');
  });
});
