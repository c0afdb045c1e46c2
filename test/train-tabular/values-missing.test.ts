// Missingness learnt per column and jointly: on pbc (lab values absent together for the 106 patients outside the
// trial) and Pima (insulin/triceps), each generator's missing share per column is within a few points of the real
// one, and the share of rows missing two columns together is near the real share. Also: old v1 transformers load.
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../electron/core/train/engine/backend';
import { createRng } from '../../electron/core/train/rng';
import { Transformer, type TransformerJSON } from '../../electron/core/train/tabular/transformer';
import { loadTable, type LoadedTable } from './helpers';
import { jointMissingShare, missingShare, synthesise, type Cells, type GeneratorKind } from './values-helpers';

const KINDS: GeneratorKind[] = ['copula', 'tvae', 'ctgan'];
const CASES = [
  { file: 'pbc.csv', pairs: [['chol', 'copper'], ['trig', 'ascites'], ['alk.phos', 'hepato']] },
  { file: 'PimaIndiansDiabetes2.csv', pairs: [['insulin', 'triceps']] },
] as const;

describe.each(CASES)('missingness on $file', ({ file, pairs }) => {
  let table: LoadedTable;
  let real: Cells;
  const out = new Map<GeneratorKind, Cells>();

  beforeAll(async () => {
    await selectBackend();
    table = await loadTable(file);
    const names = table.schema.columns.map((c) => c.name);
    real = table.rows.map((r) => names.map((n) => r[table.header.indexOf(n)] ?? null));
    for (const kind of KINDS) out.set(kind, synthesise(kind, table.columns, { epochs: kind === 'tvae' ? 40 : 20, rows: 2000 }));
  }, 120_000);

  it.each(KINDS)('%s: every column missing as often as in the real data (± 5 points)', (kind) => {
    const cells = out.get(kind) as Cells;
    table.schema.columns.forEach((c, j) => {
      expect(Math.abs(missingShare(cells, j) - missingShare(real, j)), `${c.name}: real ${missingShare(real, j)}`).toBeLessThanOrEqual(0.05);
    });
  });

  it.each(KINDS)('%s: columns missing together stay missing together (± 5 points; copula ± 8)', (kind) => {
    const cells = out.get(kind) as Cells;
    const at = (n: string) => table.schema.columns.findIndex((c) => c.name === n);
    for (const [a, b] of pairs) {
      const want = jointMissingShare(real, at(a), at(b));
      expect(want).toBeGreaterThan(0.1);
      // The copula's nearest positive-definite correlation bends a nested pair (Pima: triceps missing ⊂ insulin missing).
      const tolerance = kind === 'copula' ? 0.08 : 0.05;
      expect(Math.abs(jointMissingShare(cells, at(a), at(b)) - want), `${a} & ${b}: real ${want}`).toBeLessThanOrEqual(tolerance);
    }
  });

  it('reads a stored version-1 transformer (one present/missing span per column) and decodes it as before', () => {
    const t = Transformer.fit(table.columns, createRng(1));
    const v2 = t.toJSON();
    expect(v2.version).toBe(2);
    const v1: TransformerJSON = { format: 'airlock.tabular-transformer', version: 1, columns: v2.columns };
    const old = Transformer.fromJSON(JSON.parse(JSON.stringify(v1)) as TransformerJSON);
    expect(old.spans.filter((s) => s.kind === 'missing').length).toBeGreaterThan(0);
    const back = old.inverse(old.transform(table.columns, createRng(2)), table.rows.length);
    table.schema.columns.forEach((_, j) => expect(missingShare(back, j)).toBeCloseTo(missingShare(real, j), 12));
  });
});
