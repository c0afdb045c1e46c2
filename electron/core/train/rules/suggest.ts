// Suggested rules: what holds in every real training row (never the holdout), ranked so the strongest come first,
// with implied and duplicate ones removed and the list capped, for the steward to accept or dismiss.
import { ruleSuggestionSchema, type RuleSuggestion } from '../../../shared/rules-schema';
import { getTable } from '../../ingest/sources-repo';
import type { SourceCodec } from '../../store/sources-seal';
import type { Db } from '../../store/database';
import { trainingRows } from '../runs-repo';
import { ruleColumns, type ColumnInput } from './suggest-columns';
import { inequalities, type Candidate } from './suggest-pairs';
import { combinations, missingTogether, presence, valueShapes } from './suggest-patterns';

/** At most this many suggestions: a list a steward reads through, not every pattern a table has. */
export const MAX_SUGGESTIONS = 30;

/** At most this many inequalities that hold mostly because the two columns' ranges hardly overlap. */
const MAX_WEAK = 8;
const WEAK_SCORE = 400;

export interface SuggestOptions {
  max?: number;
  /** Only rules over these columns (e.g. the ones a spec keeps); all but identifiers and free text by default. */
  columns?: string[];
}

/** Suggestions from rows of stored cells; `columns` are the ones rules may read (identifiers and text excluded). */
export function suggestRulesFromRows(rows: (string | null)[][], columns: ColumnInput[], options: SuggestOptions = {}): RuleSuggestion[] {
  const n = rows.length;
  if (n === 0) return [];
  const usable = columns.filter((c) => c.type !== 'identifier' && c.type !== 'text' && (options.columns?.includes(c.name) ?? true));
  const cols = ruleColumns(rows, usable);
  const flags = cols.filter((c) => c.flag !== null);
  const together = missingTogether(cols, n);
  const candidates: Candidate[] = [
    ...inequalities(cols, flags, n),
    ...together.candidates,
    ...presence(cols, flags, together.groups, n),
    ...combinations(flags),
    ...valueShapes(cols),
  ];
  const seen = new Set<string>();
  let weak = 0;
  return candidates
    .sort((a, b) => b.score - a.score || b.support - a.support)
    .filter((c) => {
      const key = JSON.stringify(c.rule);
      if (seen.has(key)) return false;
      seen.add(key);
      // Inequalities the ranges alone keep are real but say little: a few of them, not a page.
      if (c.rule.kind === 'inequality' && c.score < WEAK_SCORE && ++weak > MAX_WEAK) return false;
      return true;
    })
    .slice(0, options.max ?? MAX_SUGGESTIONS)
    .map((c) => ruleSuggestionSchema.parse({ rule: c.rule, support: c.support, rows: n, why: c.why }));
}

/**
 * Suggestions for a table, from its training rows. Identifiers and free text are never read; other identifying columns
 * (dates, say) are, since a spec may keep them generalised: callers pass `columns` to keep to what a spec synthesises.
 */
export function suggestRules(db: Db, codec: SourceCodec, tableId: number, options: SuggestOptions = {}): RuleSuggestion[] {
  const table = getTable(db, codec, tableId, 0);
  const columns = table.columns.map((c) => ({ name: c.name, type: c.type, index: c.index }));
  return suggestRulesFromRows(trainingRows(db, codec, tableId), columns, options);
}
