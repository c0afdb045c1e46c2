// Report section for the distance-based privacy evidence: identical copies, distance to closest record, DCR
// share, NNDR and the membership-inference attack. Distributions are binned and small bins merged.
import { DCR_RATIO, DCR_SHARE, IDENTICAL_MATCH, MEMBERSHIP_AUC, NNDR_P5, NNDR_RATIO, type PrivacyDistanceResult } from '../privacy';
import { distributionChart, renderSvg, rocChart } from './charts';
import { metricRow, num, pct } from './format';
import type { ReportChart, ReportSection } from './html';
import { suppressBins, suppressCount } from './suppression';

type Binned = { start: number; end: number; count: number }[];

// Two binned distributions on the same bins, merged until every bin holds `min` rows of each.
function pairedBins(a: Binned, b: Binned, min: number, subject: string): { a: { start: number; end: number; share: number }[]; b: { start: number; end: number; share: number }[]; note: string | null } {
  const s = suppressBins(a.map((x, i) => ({ start: x.start, end: x.end, realCount: Math.min(x.count, b[i]?.count ?? 0), syntheticCount: 0 })), min, subject);
  const share = (bins: Binned) => {
    const total = bins.reduce((t, x) => t + x.count, 0) || 1;
    return s.bins.map((m) => ({ start: m.start, end: m.end, share: bins.filter((x) => x.start >= m.start && x.end <= m.end).reduce((t, x) => t + x.count, 0) / total }));
  };
  return { a: share(a), b: share(b), note: s.merged > 0 || s.suppressed ? s.note : null };
}

export async function privacySection(d: PrivacyDistanceResult, min: number): Promise<ReportSection> {
  const charts: ReportChart[] = [];
  const notes: string[] = [];
  const dcr = pairedBins(d.dcr.synthetic.bins, d.dcr.holdout.bins, min, 'Distance to closest record');
  if (dcr.note) notes.push(dcr.note);
  if (dcr.a.length > 0) {
    charts.push({
      caption: 'Distance from each synthetic row to its closest training row, beside the same for holdout rows the generator never saw. A synthetic curve piled up near 0, left of the holdout curve, means copies or near-copies.',
      svg: await renderSvg(distributionChart({ title: 'Distance to closest training record (Gower)', series: [{ name: 'Holdout → training', bins: dcr.b }, { name: 'Synthetic → training', bins: dcr.a }], xTitle: 'Gower distance' })),
    });
  }
  const nn = pairedBins(d.nndr.bins, d.holdoutNndr.bins, min, 'NNDR');
  if (nn.note) notes.push(nn.note);
  if (nn.a.length > 0) charts.push({ caption: 'Nearest-neighbour distance ratio (closest / second-closest training row) of synthetic rows beside holdout rows: mass near 0 means rows that sit on one patient.', svg: await renderSvg(distributionChart({ title: 'Nearest-neighbour distance ratio', series: [{ name: 'Holdout → training', bins: nn.b }, { name: 'Synthetic → training', bins: nn.a }], xTitle: 'NNDR' })) });
  // Each ROC step is one patient: keep no more points than small cells allow.
  const maxPoints = Math.max(2, Math.floor(Math.min(d.membership.members, d.membership.nonMembers) / min));
  const step = Math.max(1, Math.ceil(d.membership.roc.length / maxPoints));
  const roc = d.membership.roc.filter((_, i) => i % step === 0 || i === d.membership.roc.length - 1);
  charts.push({ caption: `Membership inference: telling training patients from unseen ones by their distance to the synthetic data (ROC coarsened to ${roc.length} points so that no step is one patient).`, svg: await renderSvg(rocChart({ title: 'Membership-inference attack', curves: [{ name: 'Distance attack', points: roc, auc: d.membership.auc }] })) });
  return {
    id: 'privacy',
    title: 'Privacy: distances to real patients',
    intro: `Every synthetic row is compared with every real training row, exactly, under the Gower distance (numeric differences scaled by the real column's range and capped at 1, categories equal or not, missing equals missing; the mean over ${d.columns} columns). Holdout rows, which no generator saw, are the control: synthetic rows should be no closer to training patients than unseen patients are.`,
    metrics: [
      metricRow(IDENTICAL_MATCH, d.identical.syntheticShare, null, 'Identical-match share, synthetic'),
      metricRow(IDENTICAL_MATCH, d.identical.holdoutShare, null, 'Identical-match share, holdout (control)'),
      metricRow(DCR_RATIO, d.dcr.ratio),
      metricRow(DCR_SHARE, d.dcrShare.share, d.dcrShare.interval),
      metricRow(NNDR_P5, d.nndr.p5, null, 'NNDR, 5th percentile, synthetic'),
      metricRow(NNDR_P5, d.holdoutNndr.p5, null, 'NNDR, 5th percentile, holdout (control)'),
      metricRow(NNDR_RATIO, d.nndrRatio),
      metricRow(MEMBERSHIP_AUC, d.membership.auc, d.membership.interval),
    ],
    tables: [
      {
        caption: 'Distance to closest training record.',
        columns: ['from', '5th percentile', 'median', 'mean'],
        rows: [
          ['Synthetic rows', num(d.dcr.synthetic.p5), num(d.dcr.synthetic.median), num(d.dcr.synthetic.mean)],
          ['Holdout rows (control)', num(d.dcr.holdout.p5), num(d.dcr.holdout.median), num(d.dcr.holdout.mean)],
        ],
      },
      {
        caption: 'Exact copies and the DCR share test.',
        columns: ['finding', 'value'],
        rows: [
          ['Synthetic rows identical to a training row', String(suppressCount(d.identical.syntheticCount, min))],
          ['Holdout rows identical to a training row', pct(d.identical.holdoutShare, 2)],
          [`Synthetic rows closer to a training row than to a holdout row (equal samples of ${d.dcrShare.sampleSize})`, pct(d.dcrShare.share)],
          ['Exact binomial test against 50%, p-value', num(d.dcrShare.pValue)],
        ],
      },
    ],
    charts,
    notes,
  };
}
