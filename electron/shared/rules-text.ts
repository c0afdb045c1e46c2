// A rule in the words a steward reads, the same in the spec editor, the run view, the CLI and the card.
import type { Rule, RuleCheck } from './rules-schema';

const q = (name: string): string => `“${name}”`;

function values(vs: string[]): string {
  if (vs.length === 1) return String(vs[0]);
  return `${vs.slice(0, -1).join(', ')} or ${String(vs[vs.length - 1])}`;
}

export function describeRule(rule: Rule): string {
  switch (rule.kind) {
    case 'inequality': {
      const where = rule.when ? ` where ${q(rule.when.column)} is ${values(rule.when.values)}` : '';
      return `${q(rule.low)} ${rule.strict ? '<' : '≤'} ${q(rule.high)}${where}`;
    }
    case 'combinations':
      return `${rule.columns.map(q).join(', ')} only in combinations seen in the real data`;
    case 'presence':
      return rule.required
        ? `${q(rule.column)} has a value exactly when ${q(rule.when.column)} is ${values(rule.when.values)}`
        : `${q(rule.column)} has a value only when ${q(rule.when.column)} is ${values(rule.when.values)}`;
    case 'missing-together':
      return `${rule.columns.map(q).join(', ')} are missing together or present together`;
    case 'range': {
      if (rule.min !== undefined && rule.max !== undefined) return `${q(rule.column)} between ${String(rule.min)} and ${String(rule.max)}`;
      if (rule.min !== undefined) return `${q(rule.column)} at least ${String(rule.min)}`;
      if (rule.max !== undefined) return `${q(rule.column)} at most ${String(rule.max)}`;
      return `${q(rule.column)} within any range (no bound given)`;
    }
    case 'positive':
      return `${q(rule.column)} ${rule.strict ? 'greater than 0' : 'zero or more'}`;
    case 'integer':
      return `${q(rule.column)} a whole number`;
    case 'rounded':
      return `${q(rule.column)} a multiple of ${String(rule.step)}`;
  }
}

/** The columns a rule reads, for checks against the spec and the table. */
export function ruleColumns(rule: Rule): string[] {
  switch (rule.kind) {
    case 'inequality':
      return [rule.low, rule.high, ...(rule.when ? [rule.when.column] : [])];
    case 'combinations':
    case 'missing-together':
      return rule.columns;
    case 'presence':
      return [rule.column, rule.when.column];
    default:
      return [rule.column];
  }
}

const METHOD_WORDS: Record<RuleCheck['method'], string> = { construction: 'built in', rejection: 'by rejection', clip: 'values moved' };

/** The share of a table's rows a rule applies to that break it, as the run view and the CLI show it ("0.0%"). */
export function brokenShare(c: Pick<RuleCheck, 'rows' | 'violations'>): string {
  return `${c.rows === 0 ? '0.0' : ((100 * c.violations) / c.rows).toFixed(1)}%`;
}

/** How a rule was honoured, in words ("built in", "by rejection", "values moved"). */
export function methodText(method: RuleCheck['method']): string {
  return METHOD_WORDS[method];
}

/** One line per rule check, for the CLI and plain-text reports. */
export function ruleCheckLines(checks: RuleCheck[]): string[] {
  return checks.map(
    (c) => `${c.text}: ${brokenShare(c)} broken (${c.violations} of ${c.rows} rows it applies to), ${c.rejected} rows rejected, ${methodText(c.method)}; real rows breaking it: ${c.realViolations} of ${c.realRows}`,
  );
}
