// The model registry: a validated job's kind and config to a trainer.
import type { Rng } from '../engine/rng';
import type { CtganConfig, TvaeConfig } from './config';
import { CtganTrainer } from './ctgan';
import type { EncodedTable, ModelTrainer } from './model';
import { TvaeTrainer } from './tvae';

export type ModelSpec = { kind: 'tvae'; config: TvaeConfig } | { kind: 'ctgan'; config: CtganConfig };

export function createTrainer(spec: ModelSpec, table: EncodedTable, batchSize: number, rng: Rng): ModelTrainer {
  switch (spec.kind) {
    case 'tvae':
      return new TvaeTrainer(spec.config, table, batchSize, rng);
    case 'ctgan':
      return new CtganTrainer(spec.config, table, batchSize, rng);
  }
}
