// Labels and colours shared by the validation screen's parts.
import { GENERATOR_OPTIONS } from '../specs/specFields';
import type { ValidationView } from '../../../../electron/shared/validation-schemas';
import type { DatasetSummaryView, RunView } from '../../../../electron/shared/train-schemas';
import { isImageGenerator } from '../specs/image/imageFields';

export interface Candidate {
  run: RunView;
  dataset: DatasetSummaryView;
  /** An image dataset (its `rows` count images). */
  images: boolean;
}

/** Synthetic tables and image sets that can be validated here, newest run first, newest version first. */
export function validationCandidates(runs: RunView[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const run of runs) {
    const images = isImageGenerator(run.generator);
    for (const dataset of [...run.datasets].sort((a, b) => b.version - a.version)) candidates.push({ run, dataset, images });
  }
  return candidates;
}

export const generatorLabel = (kind: string): string => GENERATOR_OPTIONS.find((o) => o.value === kind)?.label ?? kind;

export type Outcome = 'pass' | 'fail' | 'running' | 'failed' | 'cancelled';

export function outcomeOf(v: ValidationView): Outcome {
  if (v.status === 'done') return v.verdict === 'pass' ? 'pass' : 'fail';
  return v.status;
}

export const OUTCOME: Record<Outcome, { label: string; color: string }> = {
  pass: { label: 'PASS', color: 'teal' },
  fail: { label: 'FAIL', color: 'red' },
  running: { label: 'Running', color: 'blue' },
  failed: { label: 'Stopped by an error', color: 'orange' },
  cancelled: { label: 'Cancelled', color: 'gray' },
};

/** Splits "0.952 (95% CI 0.917 – 0.982)" into the value and "95% CI 0.917 – 0.982". */
export function splitInterval(text: string): { value: string; interval: string | null } {
  const m = /^(.*?)\s*\((95% CI [^)]*)\)\s*$/.exec(text);
  return m?.[1] && m[2] ? { value: m[1], interval: m[2] } : { value: text, interval: null };
}

/** A column whose every cell is a number, a share or "n/a" reads best right-aligned in monospace. */
export function numericColumns(rows: string[][], width: number): boolean[] {
  const numeric = /^(?:[-−+]?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?%?|n\/a|—|-|under \d+|95% CI .*)$/i;
  return Array.from({ length: width }, (_, j) => rows.length > 0 && rows.every((r) => numeric.test((r[j] ?? '').trim())));
}
