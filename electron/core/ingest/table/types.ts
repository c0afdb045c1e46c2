// Shapes shared by the table reader, the profiler and the identifying-column flags.
import type { DateHint } from '../../../shared/date-schema';

export const COLUMN_TYPES = ['integer', 'number', 'boolean', 'categorical', 'date', 'datetime', 'identifier', 'text'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export type Delimiter = ',' | ';' | '\t' | '|';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

export type TableEncoding = 'utf-8' | 'windows-1252';

// Missing markers by default; '' is always included so an empty field is never a value.
export const DEFAULT_MISSING_MARKERS: readonly string[] = ['', 'NA', 'N/A', 'NULL', 'null', 'NaN'];

export interface ReadTableOptions {
  /** Receives parsed rows in batches (~500); awaited, so a slow store slows the reader instead of filling memory. */
  onRows: (batch: (string | null)[][]) => void | Promise<void>;
  signal?: AbortSignal;
  /** Bytes of the parsing pass; the faster encoding/hash pass before it is not reported. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  delimiter?: Delimiter;
  /** Field texts (compared after trimming, quoted or not, as pandas does) that mean "missing"; '' always does. */
  missingMarkers?: readonly string[];
  /** Rows per onRows call. */
  batchSize?: number;
}

export interface NumericStats {
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation (n − 1); null below two values. */
  std: number | null;
  /** Every value is a whole number. */
  integral: boolean;
}

export interface TopValue {
  value: string;
  count: number;
}

export interface ColumnStats {
  /** Present when every non-missing value is a number. */
  numeric?: NumericStats;
  /** Present when every non-missing value is a date or datetime (ISO strings, time zone ignored). */
  dates?: { min: string; max: string; withTime: boolean };
  /** Characters per non-missing value. */
  length: { min: number; max: number; mean: number };
  /** Up to 20 most frequent values, for category-sized categorical/boolean/numeric columns only (never keys, text or dates). */
  top?: TopValue[];
}

export interface ColumnProfile {
  name: string;
  index: number;
  inferredType: ColumnType;
  /** The type in use: inferredType until overridden. */
  type: ColumnType;
  /** One sentence: why inferredType was chosen. */
  why: string;
  /** Non-missing values. */
  count: number;
  missing: number;
  /** Distinct non-missing values; a lower bound when distinctCapped. */
  distinct: number;
  /** More distinct values than the profiler remembers (DISTINCT_CAP). */
  distinctCapped: boolean;
  /** No value was seen twice (exact when distinct is not capped). */
  unique: boolean;
  /** How many non-missing values look like each kind of direct identifier. */
  patterns: { email: number; phone: number; postcode: number };
  stats: ColumnStats;
  /** Numbers that read as dates (decimal years, years, day counts): recognised, or offered as "date?". */
  date?: DateHint;
}

export interface TableSummary {
  encoding: TableEncoding;
  bom: boolean;
  delimiter: Delimiter;
  header: string[];
  rowCount: number;
  bytes: number;
  sha256: string;
  profiles: ColumnProfile[];
}

// validateOverride lives with the value parsers; re-exported here because callers check overrides next to these types.
export { validateOverride, type OverrideCheck } from './values';
