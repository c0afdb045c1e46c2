// Helpers for the "real kind of value" tests: train each tabular generator briefly on prepared columns and read
// back the synthetic cells, and the measures the tests compare (missing shares, shares on the extremes, decimals).
import { CtganTrainer, ctganConfigSchema } from '../../electron/core/train/models/ctgan';
import { TvaeTrainer, tvaeConfigSchema } from '../../electron/core/train/models/tvae';
import { Rng } from '../../electron/core/train/engine/rng';
import { createRng } from '../../electron/core/train/rng';
import { fitCopula, sampleCopula } from '../../electron/core/train/tabular/copula';
import type { PreparedColumn } from '../../electron/core/train/tabular/schema';
import { Transformer } from '../../electron/core/train/tabular/transformer';

export type Cells = (string | null)[][];
export type GeneratorKind = 'copula' | 'tvae' | 'ctgan';

export interface TrainOptions {
  epochs: number;
  seed?: number;
  rows?: number;
  batchSize?: number;
}

/** Synthetic cells from `kind` trained on `columns` (small networks, a few epochs: these tests check decoding). */
export function synthesise(kind: GeneratorKind, columns: PreparedColumn[], opts: TrainOptions): Cells {
  const seed = opts.seed ?? 1;
  const n = opts.rows ?? columns[0]?.values.length ?? 0;
  if (kind === 'copula') return sampleCopula(fitCopula(columns, createRng(seed)), n, createRng(seed + 1));
  const transformer = Transformer.fit(columns, createRng(seed));
  const rows = columns[0]?.values.length ?? 0;
  const table = { values: transformer.transform(columns, createRng(seed + 1)), rows, width: transformer.width, spans: transformer.spans };
  const rng = Rng.fromSeed(seed);
  const trainer =
    kind === 'tvae'
      ? new TvaeTrainer(tvaeConfigSchema.parse({ embeddingDim: 32, compressDims: [64, 64], decompressDims: [64, 64] }), table, opts.batchSize ?? 50, rng)
      : new CtganTrainer(ctganConfigSchema.parse({ embeddingDim: 32, generatorDims: [64, 64], discriminatorDims: [64, 64] }), table, opts.batchSize ?? 50, rng);
  try {
    for (let e = 0; e < opts.epochs; e++) {
      trainer.beginEpoch(rng);
      for (let s = 0; s < trainer.stepsPerEpoch(); s++) trainer.trainStep(s, rng);
    }
    const data = trainer instanceof TvaeTrainer ? trainer.model.sample(n, Rng.fromSeed(seed + 2)) : trainer.sample(n, Rng.fromSeed(seed + 2));
    return transformer.inverse(data, n, createRng(`${seed}:inverse`));
  } finally {
    trainer.dispose();
  }
}

/** Share of rows whose cell in column j is missing. */
export function missingShare(cells: Cells, j: number): number {
  return cells.filter((r) => r[j] === null || r[j] === undefined).length / cells.length;
}

/** Share of rows missing in both columns. */
export function jointMissingShare(cells: Cells, a: number, b: number): number {
  return cells.filter((r) => (r[a] ?? null) === null && (r[b] ?? null) === null).length / cells.length;
}

/** Share of rows whose cell in column j equals `value` as a number. */
export function shareAt(cells: Cells, j: number, value: number): number {
  return cells.filter((r) => r[j] !== null && r[j] !== undefined && Number(r[j]) === value).length / cells.length;
}

/** Decimal places written in a cell. */
export function decimalsOf(cell: string): number {
  return cell.includes('.') ? (cell.split('.')[1] ?? '').length : 0;
}
