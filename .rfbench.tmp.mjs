import { RandomForestClassifier, RandomForestRegression } from 'ml-random-forest';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
let s = 1; const r = () => (s = (s * 16807) % 2147483647) / 2147483647;
for (const n of [500, 1000, 2000]) {
  const d = 20;
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => r()));
  const y = X.map((x) => (x[0] + x[1] + 0.3 * r() > 1.1 ? 1 : 0));
  let t = Date.now();
  const rf = new RandomForestClassifier({ nEstimators: 50, seed: 3, maxFeatures: 0.5, replacement: false, noOOB: true, treeOptions: { maxDepth: 8, minNumSamples: 5 } });
  rf.train(X, y);
  console.log('rf cls', n, Date.now() - t, 'ms');
  t = Date.now();
  const yr = X.map((x) => x[0] + x[1] + 0.3 * r());
  const rr = new RandomForestRegression({ nEstimators: 10, seed: 3, maxFeatures: 0.5, replacement: false, noOOB: true, treeOptions: { maxDepth: 8, minNumSamples: 5 } });
  rr.train(X, yr);
  console.log('rf reg (10 trees)', n, Date.now() - t, 'ms');
  t = Date.now();
  const lr = new LogisticRegression({ numSteps: 1000, learningRate: 5e-3 });
  lr.train(new Matrix(X), Matrix.columnVector(y));
  console.log('logreg 1000 steps', n, Date.now() - t, 'ms');
}
