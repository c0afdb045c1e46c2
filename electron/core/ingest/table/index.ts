// The clinical-table ingest core: read and profile a CSV/TSV, flag identifying columns, split off a holdout.
export { readTable } from './read';
export { categoricalLimit, DISTINCT_CAP, overrideType } from './profile';
export { coerceValue, validateOverride, ValueTypeError, type OverrideCheck, type TypedValue } from './values';
export { flagIdentifying, type IdentifyingFlag, type IdentifyingKind, type Treatment } from './phi';
export { holdoutAssignment, type HoldoutOptions, type HoldoutSplit } from './holdout';
export * from './types';
