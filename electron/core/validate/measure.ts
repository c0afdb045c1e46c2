// From metric results to the measured value of each acceptance criterion (with its interval and a sentence
// saying where the value comes from, e.g. the worst column), or why the criterion does not apply.
import type { CriterionId } from '../../shared/criteria';
import { attackList, type AttackOutcome, type AttackResult } from './attacks';
import type { DetectionResult } from './detection';
import type { Measurement } from './gate';
import type { PairsResult } from './pairs';
import type { PrivacyDistanceResult } from './privacy';
import { num, pct } from './report/format';
import type { ShapesResult } from './shapes';
import type { SubgroupsResult } from './subgroups';
import type { UtilityResult } from './utility';

export interface Evidence {
  shapes: ShapesResult;
  pairs: PairsResult;
  quality: number | null;
  detection: DetectionResult;
  subgroups: SubgroupsResult | null;
  utility: UtilityResult | { applicable: false; reason: string };
  distances: PrivacyDistanceResult;
  attacks: AttackResult;
}

const na = (reason: string): Measurement => ({ applicable: false, reason });

function worst<T>(items: T[], value: (t: T) => number | null, name: (t: T) => string, what: string): Measurement | null {
  let best: { v: number; t: T } | null = null;
  for (const t of items) {
    const v = value(t);
    if (v !== null && Number.isFinite(v) && (best === null || v > best.v)) best = { v, t };
  }
  return best ? { applicable: true, value: best.v, detail: `Worst ${what}: ${name(best.t)}.` } : null;
}

function riskOf(o: AttackOutcome, name: string): Measurement {
  if (o.risk.value === null) return { applicable: true, value: Number.NaN, detail: `${name}: the risk could not be computed.` };
  return { applicable: true, value: o.risk.value, ...(o.risk.interval ? { interval: o.risk.interval } : {}), detail: `${name}: success ${pct(o.train.rate)} on training patients, ${pct(o.control.rate)} on unseen ones.` };
}

export function measure(e: Evidence): Partial<Record<CriterionId, Measurement>> {
  const numeric = e.shapes.columns.filter((c) => c.metric === 'KSComplement');
  const categorical = e.shapes.columns.filter((c) => c.metric === 'TVComplement');
  const numericPairs = e.pairs.pairs.filter((p) => p.metric === 'CorrelationSimilarity');
  const m: Partial<Record<CriterionId, Measurement>> = {};
  m['fidelity.qualityMin'] = e.quality === null ? na('No column could be scored.') : { applicable: true, value: e.quality, detail: `Column shapes ${num(e.shapes.score)}, column pairs ${num(e.pairs.score)}.` };
  m['fidelity.ksMax'] = worst(numeric, (c) => (c.score === null ? null : 1 - c.score), (c) => c.column, 'column') ?? na('The table has no numeric or date column.');
  m['fidelity.categoricalTvMax'] = worst(categorical, (c) => (c.score === null ? null : 1 - c.score), (c) => c.column, 'column') ?? na('The table has no categorical column.');
  m['fidelity.missingDiffMax'] =
    worst(e.shapes.columns, (c) => (c.realMissingShare === null || c.syntheticMissingShare === null ? null : Math.abs(c.realMissingShare - c.syntheticMissingShare)), (c) => `${c.column} (${pct(c.realMissingShare)} real, ${pct(c.syntheticMissingShare)} synthetic)`, 'column') ??
    na('No column to compare.');
  const diffs = numericPairs.filter((p) => p.realCorrelation !== null && p.syntheticCorrelation !== null).map((p) => ({ p, d: Math.abs(p.realCorrelation! - p.syntheticCorrelation!) }));
  const worstPair = diffs.sort((a, b) => b.d - a.d)[0];
  m['fidelity.correlationDiffMax'] = worstPair
    ? { applicable: true, value: diffs.reduce((t, x) => t + x.d, 0) / diffs.length, detail: `Over ${diffs.length} pairs; the largest change is ${num(worstPair.d)} (${worstPair.p.columns[0]} × ${worstPair.p.columns[1]}).` }
    : na('Fewer than two numeric columns with correlations to compare.');
  m['fidelity.detectionMin'] = { applicable: true, value: e.detection.headline.score, detail: `${e.detection.headline.description}: AUC ${num(e.detection.headline.auc)}.` };
  const w = e.subgroups?.worst;
  m['fidelity.subgroupMin'] = !e.subgroups || e.subgroups.strata.length === 0 ? na('The spec declares no stratification columns.') : w ? { applicable: true, value: w.score ?? 0, detail: `Worst subgroup: ${w.column} = ${w.value}${w.absent ? ' (absent from the synthetic data)' : ''}.` } : na('No subgroup has enough real rows to score.');
  if ('applicable' in e.utility) m['utility.scoreRatioMin'] = na(e.utility.reason);
  else {
    const h = e.utility.headline;
    m['utility.scoreRatioMin'] = { applicable: true, value: h.ratio ?? Number.NaN, ...(h.interval ? { interval: h.interval } : {}), detail: `${h.metric}: ${num(h.tstr)} trained on synthetic, ${num(h.trtr)} trained on real (${h.model.replace('_', ' ')}).` };
  }
  const d = e.distances;
  m['privacy.identicalExcessMax'] = { applicable: true, value: d.identical.syntheticShare - d.identical.holdoutShare, detail: `${d.identical.syntheticCount} synthetic rows equal a training row (${pct(d.identical.syntheticShare, 2)}); ${pct(d.identical.holdoutShare, 2)} of holdout rows do.` };
  m['privacy.dcrShareMax'] = { applicable: true, value: d.dcrShare.share, interval: d.dcrShare.interval, detail: `Binomial test against 50%: p = ${num(d.dcrShare.pValue)}.` };
  m['privacy.dcrRatioMin'] = d.dcr.ratio === null ? na('Holdout rows have exact twins among the training rows (5th percentile distance 0), so the ratio is not defined.') : { applicable: true, value: d.dcr.ratio, detail: `5th percentile distance ${num(d.dcr.synthetic.p5)} (synthetic→training) vs ${num(d.dcr.holdout.p5)} (holdout→training).` };
  m['privacy.nndrRatioMin'] = d.nndrRatio === null ? na('Holdout rows have two equally close training rows at the 5th percentile, so the ratio is not defined.') : { applicable: true, value: d.nndrRatio, detail: `5th percentile NNDR ${num(d.nndr.p5)} (synthetic) vs ${num(d.holdoutNndr.p5)} (holdout); medians ${num(d.nndr.median)} and ${num(d.holdoutNndr.median)}.` };
  m['privacy.membershipAucMax'] = { applicable: true, value: d.membership.auc, interval: d.membership.interval, detail: `On ${d.membership.members} training and ${d.membership.nonMembers} holdout patients.` };
  const so = [e.attacks.singlingOut.univariate, e.attacks.singlingOut.multivariate].filter((o): o is Extract<typeof o, { applicable: true }> => o.applicable);
  const soWorst = so.sort((a, b) => (b.risk.value ?? 0) - (a.risk.value ?? 0))[0];
  m['privacy.singlingOutMax'] = soWorst ? riskOf(soWorst, `Singling out (${soWorst.mode})`) : na('No singling-out attack could be run.');
  m['privacy.linkabilityMax'] = e.attacks.linkability.applicable ? riskOf(e.attacks.linkability, 'Linkability') : na(e.attacks.linkability.reason);
  const inf = attackList(e.attacks).filter((x) => x.name.startsWith('Inference') && x.outcome.applicable) as { name: string; outcome: AttackOutcome }[];
  const infWorst = inf.sort((a, b) => (b.outcome.risk.value ?? 0) - (a.outcome.risk.value ?? 0))[0];
  m['privacy.inferenceMax'] = infWorst ? riskOf(infWorst.outcome, infWorst.name) : na(e.attacks.inference.applicable ? 'No sensitive column could be attacked.' : e.attacks.inference.reason);
  return m;
}
