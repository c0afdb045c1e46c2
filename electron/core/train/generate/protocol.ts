// Messages to and from the generator worker, which does everything heavy that is not gradient training:
// fitting and sampling the copula, fitting the data transformer and encoding, and sampling a trained network.
import type { CopulaModel } from '../tabular/copula';
import type { ConditionSource } from '../tabular/conditioned';
import type { TableSchema } from '../tabular/schema';
import type { OutputSpan, TransformerJSON } from '../tabular/transformer';
import type { SerializedTensor } from '../engine/tensors';
import type { RuleStats } from '../rules/enforce';
import type { RulePlan } from '../rules/plan';

export type Cells = (string | null)[][];

// With a rule plan, the request's header, rows and schema are the model's (gap columns included) and the reply's
// cells the synthetic table's (rules kept, gap columns gone), with what was discarded on the way.
export type GenerateRequest =
  | { type: 'copula-fit-sample'; header: string[]; rows: Cells; schema: TableSchema; seed: number; n: number; rules?: RulePlan | null }
  | { type: 'copula-sample'; model: CopulaModel; conditions: ConditionSource | null; seed: number; n: number; rules?: RulePlan | null }
  | { type: 'encode'; header: string[]; rows: Cells; schema: TableSchema; seed: number }
  | { type: 'nn-sample'; kind: 'tvae' | 'ctgan'; config: unknown; weights: SerializedTensor[]; transformer: TransformerJSON; seed: number; n: number; batchSize: number; encoded?: ArrayBuffer; header: string[]; conditions?: ConditionSource | null; rules?: RulePlan | null };

export type GenerateReply =
  | { type: 'stage'; stage: string }
  | { type: 'copula'; model: CopulaModel; conditions: ConditionSource | null; cells: Cells; rules: RuleStats | null }
  | { type: 'cells'; cells: Cells; backend?: unknown; rules?: RuleStats | null }
  | { type: 'encoded'; buffer: ArrayBuffer; rows: number; width: number; spans: OutputSpan[]; transformer: TransformerJSON }
  | { type: 'failed'; code: string; message: string };
