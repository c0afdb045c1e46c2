// Report section for utility: train on synthetic, test on the real holdout (TSTR) beside train on real (TRTR).
import { AugmentationLift, ImportanceAgreement, UtilityRatio, type UtilityResult } from '../utility';
import { barChart, renderSvg } from './charts';
import { interval, metricRow, num } from './format';
import type { ReportChart, ReportSection } from './html';

export async function utilitySection(u: UtilityResult | { applicable: false; reason: string }): Promise<ReportSection> {
  if ('applicable' in u) return { id: 'utility', title: 'Utility', intro: u.reason, notes: [] };
  const charts: ReportChart[] = [];
  const bars = u.models.flatMap((m) =>
    m.metrics
      .filter((c) => c.metric === u.headline.metric)
      .flatMap((c) => [
        { label: m.label, group: 'TRTR (trained on real)', value: c.trtr ?? 0, ...(c.trtrInterval ? { low: c.trtrInterval.low, high: c.trtrInterval.high } : {}) },
        { label: m.label, group: 'TSTR (trained on synthetic)', value: c.tstr ?? 0, ...(c.tstrInterval ? { low: c.tstrInterval.low, high: c.tstrInterval.high } : {}) },
      ]),
  );
  charts.push({ caption: `${u.headline.metric} on the real holdout, with bootstrap 95% intervals.`, svg: await renderSvg(barChart({ title: `Predicting ${u.target}: TSTR vs TRTR`, bars, xTitle: u.headline.metric })) });
  if (u.importance) {
    const imp = u.importance;
    const ibars = imp.columns.flatMap((c, i) => [
      { label: c, group: 'TRTR forest', value: imp.trtr[i]! },
      { label: c, group: 'TSTR forest', value: imp.tstr[i]! },
    ]);
    charts.push({ caption: `Permutation importance of each column (drop in ${u.headline.metric} when it is shuffled); rank agreement ${num(imp.spearman)}.`, svg: await renderSvg(barChart({ title: 'What the models rely on', bars: ibars, xTitle: `Drop in ${u.headline.metric}` })) });
  }
  return {
    id: 'utility',
    title: 'Utility: train on synthetic, test on real',
    intro: `Models predicting “${u.target}” (${u.task === 'regression' ? 'regression' : `${u.task} classification`}) were trained on the synthetic rows (TSTR) and on the real training rows (TRTR), and tested on the same real holdout rows that no generator saw (${u.rows.holdout} rows).`,
    metrics: [
      metricRow(UtilityRatio, u.headline.ratio, u.headline.interval, `${u.headline.metric} ratio TSTR/TRTR (headline)`),
      metricRow(AugmentationLift, u.headline.lift, u.headline.liftInterval),
      metricRow(ImportanceAgreement, u.importance?.spearman ?? null),
    ],
    tables: [
      {
        caption: 'Every model and metric, with bootstrap 95% intervals over the holdout rows (the ratio is paired: both scores on the same resample). For MAE the ratio is TRTR/TSTR, so 1 is as good either way.',
        columns: ['model', 'metric', 'TSTR', 'TRTR', 'ratio', 'ratio interval'],
        rows: u.models.flatMap((m) => m.metrics.map((c) => [m.label, c.metric, num(c.tstr), num(c.trtr), num(c.ratio), interval(c.ratioInterval) ?? '—'])),
      },
      {
        caption: 'Augmentation: real training rows plus synthetic rows, against real rows alone.',
        columns: ['model', 'metric', 'real only', 'real + synthetic', 'lift', 'interval'],
        rows: u.models.map((m) => [m.label, m.augmentation.metric, num(m.augmentation.real), num(m.augmentation.augmented), num(m.augmentation.lift), interval(m.augmentation.interval) ?? '—']),
      },
    ],
    charts,
    notes: u.notes,
  };
}
