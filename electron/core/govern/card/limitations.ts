// Known limitations, written from the stored report: every failed criterion in plain words naming what is not
// preserved (columns and subgroup columns, never values), the least preserved columns and pairs even when all
// passed, and every criterion that did not apply with the reason.
import type { CardCriterion } from '../../../shared/card-schema';
import type { ReportDocumentView } from '../../../shared/validation-schemas';

type Section = ReportDocumentView['sections'][number];
type Table = NonNullable<Section['tables']>[number];

const listOf = (names: string[]): string => {
  const u = [...new Set(names)];
  return u.length <= 1 ? (u[0] ?? '') : `${u.slice(0, -1).join(', ')} and ${u[u.length - 1]!}`;
};
const quoted = (names: string[]): string => listOf(names.map((n) => `“${n}”`));
const numberIn = (text: string | undefined): number | null => {
  const m = /-?\d+(\.\d+)?(e-?\d+)?/i.exec(text ?? '');
  return m ? Number(m[0]) : null;
};

/** A report table found by its column headings; each row as a heading → cell map. */
function rowsOf(doc: ReportDocumentView, sectionId: string, firstColumn: string, needs: string[]): Record<string, string>[] {
  const section = doc.sections.find((s) => s.id === sectionId);
  const table: Table | undefined = section?.tables?.find((t) => t.columns[0] === firstColumn && needs.every((n) => t.columns.includes(n)));
  if (!table) return [];
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i] ?? ''])));
}

interface ColumnScore {
  column: string;
  metric: string;
  score: number | null;
  missingReal: number | null;
  missingSynthetic: number | null;
  neverGenerated: boolean;
}

function columnScores(doc: ReportDocumentView): ColumnScore[] {
  return rowsOf(doc, 'shapes', 'column', ['metric', 'score']).map((r) => ({
    column: r.column!,
    metric: r.metric!,
    score: numberIn(r.score),
    missingReal: numberIn(r['missing, real']),
    missingSynthetic: numberIn(r['missing, synthetic']),
    neverGenerated: (r['real categories never generated'] ?? '—') !== '—',
  }));
}

function worstPairs(doc: ReportDocumentView, n: number): string[] {
  return rowsOf(doc, 'pairs', 'pair', ['score'])
    .filter((r) => numberIn(r.score) !== null)
    .slice(0, n)
    .map((r) => r.pair!);
}

// The subgroup label is "column = value": only the column may go on the card.
const subgroupColumn = (label: string): string => label.split(' = ')[0] ?? label;

function failedSentence(c: CardCriterion, doc: ReportDocumentView, limit: number | null): string {
  const cols = columnScores(doc);
  const beyond = (metric: string) => cols.filter((x) => x.metric === metric && x.score !== null && limit !== null && 1 - x.score > limit).map((x) => x.column);
  const measured = `(measured ${c.measured}, required ${c.threshold})`;
  switch (c.id) {
    case 'fidelity.qualityMin':
      return `Overall fidelity is below what was required ${measured}: the synthetic table does not reproduce the real columns and their relationships well enough.`;
    case 'fidelity.ksMax': {
      const bad = beyond('KSComplement');
      return `The distribution of ${bad.length ? `the numeric or date column${bad.length > 1 ? 's' : ''} ${quoted(bad)}` : 'at least one numeric or date column'} is not preserved ${measured}.`;
    }
    case 'fidelity.categoricalTvMax': {
      const bad = beyond('TVComplement');
      return `The category shares of ${bad.length ? `the column${bad.length > 1 ? 's' : ''} ${quoted(bad)}` : 'at least one categorical column'} are not preserved ${measured}.`;
    }
    case 'fidelity.missingDiffMax': {
      // The report prints missing shares as percentages.
      const bad = cols.filter((x) => x.missingReal !== null && x.missingSynthetic !== null && limit !== null && Math.abs(x.missingReal - x.missingSynthetic) / 100 > limit).map((x) => x.column);
      return `The share of missing values is not preserved in ${bad.length ? quoted(bad) : 'at least one column'} ${measured}.`;
    }
    case 'fidelity.correlationDiffMax': {
      const pairs = worstPairs(doc, 3);
      return `Relationships between numeric columns are not preserved ${measured}${pairs.length ? `; the most changed pairs are ${listOf(pairs)}` : ''}.`;
    }
    case 'fidelity.detectionMin':
      return `A classifier can tell synthetic rows from real ones ${measured}: the synthetic rows do not pass for real ones.`;
    case 'fidelity.subgroupMin': {
      const bad = rowsOf(doc, 'subgroups', 'subgroup', ['score']).filter((r) => r[''] === 'worst' || r[''] === 'absent from the synthetic data' || (limit !== null && (numberIn(r.score) ?? 1) < limit));
      return `Some subgroups are served badly ${measured}${bad.length ? `: subgroups of ${quoted(bad.map((r) => subgroupColumn(r.subgroup!)))} fall short` : ''}.`;
    }
    case 'utility.scoreRatioMin':
      return `Models trained on the synthetic data predict less well than models trained on real data ${measured}: do not expect a model built on it to perform as one built on the real data.`;
    case 'privacy.identicalExcessMax':
      return `Some synthetic rows are exact copies of training rows, more often than chance explains ${measured}.`;
    case 'privacy.dcrShareMax':
      return `Too many synthetic rows lie closer to a training patient than to an unseen one ${measured}: the generator may have memorised patients.`;
    case 'privacy.dcrRatioMin':
      return `The closest synthetic rows sit nearer to training patients than unseen patients do ${measured}: near-copies of real patients are likely.`;
    case 'privacy.nndrRatioMin':
      return `Some synthetic rows sit on a single real patient rather than between several ${measured}.`;
    case 'privacy.membershipAucMax':
      return `An attacker can tell, better than allowed, whether a patient was in the training data ${measured}.`;
    case 'privacy.singlingOutMax':
      return `Combinations of values in the synthetic data single out individual training patients more than allowed ${measured}.`;
    case 'privacy.linkabilityMax':
      return `The synthetic data helps link two halves of a patient’s quasi-identifiers more than allowed ${measured}.`;
    case 'privacy.inferenceMax': {
      const bad = rowsOf(doc, 'attacks', 'attack', ['risk'])
        .filter((r) => r.attack!.startsWith('Inference of ') && limit !== null && (numberIn(r.risk) ?? 0) > limit)
        .map((r) => r.attack!.slice('Inference of '.length));
      return `Sensitive values can be inferred from the quasi-identifiers through the synthetic data more than allowed ${measured}${bad.length ? `, for ${quoted(bad)}` : ''}.`;
    }
    default:
      return `The criterion “${c.sentence}” failed ${measured}.`;
  }
}

export function limitationsFrom(doc: ReportDocumentView, criteria: CardCriterion[]): string[] {
  const out: string[] = [];
  for (const c of criteria.filter((x) => x.status === 'fail')) out.push(`Failed: ${failedSentence(c, doc, numberIn(c.threshold))}`);
  const scored = columnScores(doc).filter((c) => c.score !== null);
  const worst = [...scored].sort((a, b) => a.score! - b.score! || a.column.localeCompare(b.column)).slice(0, 3);
  if (worst.length) out.push(`The least preserved columns (lowest column-shape scores) are ${listOf(worst.map((w) => `“${w.column}” (${w.score!})`))}; analyses that rest on them deserve the most caution.`);
  const never = scored.filter((c) => c.neverGenerated).map((c) => c.column);
  if (never.length) out.push(`Some real categories of ${quoted(never)} never appear in the synthetic data.`);
  const pairs = worstPairs(doc, 3);
  if (pairs.length) out.push(`The least preserved relationships between columns are ${listOf(pairs)}.`);
  const rare = rowsOf(doc, 'subgroups', 'column', ['category']);
  const vanished = rare.filter((r) => r[''] === 'vanished').map((r) => r.column!);
  const amplified = rare.filter((r) => r[''] === 'amplified').map((r) => r.column!);
  if (vanished.length) out.push(`Rare categories of ${quoted(vanished)} vanished from the synthetic data.`);
  if (amplified.length) out.push(`Rare categories of ${quoted(amplified)} are over-represented in the synthetic data.`);
  for (const c of criteria.filter((x) => x.status === 'not-applicable')) out.push(`Not assessed: ${c.sentence.replace(/\.$/, '')} — not applicable${c.note ? `: ${c.note}` : '.'}`);
  out.push('Every record is synthetic: it describes no real person, and findings from it must be confirmed on real data before they inform care.');
  return out;
}
