// The data layout every validation metric reads: one Frame per side (real training rows, real holdout rows,
// synthetic rows), the same columns in the same order, categorical codes from one dictionary shared by the three.

/** Integer, number, date (days since epoch) or datetime (ms since epoch) values; NaN marks a missing cell. */
export interface NumericColumn {
  kind: 'numeric';
  name: string;
  type: 'integer' | 'number' | 'date' | 'datetime';
  values: Float64Array;
}

/** Categorical or boolean cells as codes into `levels` (shared by every frame); -1 marks a missing cell. */
export interface CategoricalColumn {
  kind: 'categorical';
  name: string;
  type: 'categorical' | 'boolean';
  codes: Int32Array;
  levels: string[];
}

export type Column = NumericColumn | CategoricalColumn;

export interface Frame {
  rows: number;
  columns: Column[];
}

/** The three sides of a validation. The holdout was never seen by the generator: it is the control. */
export interface Frames {
  train: Frame;
  holdout: Frame;
  synthetic: Frame;
}

export type Goal = 'maximize' | 'minimize';

/** What a metric is, beside its value (SDMetrics' shape): the report prints these next to every number. */
export interface MetricInfo {
  /** Stable identifier, e.g. 'KSComplement'. */
  name: string;
  /** One line a reviewer can read. */
  definition: string;
  goal: Goal;
  min: number;
  max: number;
}

/** A 95% interval (bootstrap, exact binomial or Wilson, as the metric says). */
export interface Interval {
  low: number;
  high: number;
}

/** Checked between stages and inside long loops; throws to stop the work (the worker's cancel). */
export type Checkpoint = (progress?: number) => void;
