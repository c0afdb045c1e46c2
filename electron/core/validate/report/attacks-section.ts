// Report section for the attack-based risks (Anonymeter): singling out, linkability, inference. Counts only:
// the predicates that singled a patient out and the rows they found stay inside the app.
import { attackList, InferenceRisk, LinkabilityRisk, SinglingOutRisk, type AttackOutcome, type AttackResult, type NotApplicable } from '../attacks';
import { barChart, renderSvg } from './charts';
import { interval, metricRow, num, pct } from './format';
import type { ReportSection } from './html';

export async function attacksSection(a: AttackResult): Promise<ReportSection> {
  const list = attackList(a);
  const applicable = list.filter((x): x is { name: string; outcome: AttackOutcome } => x.outcome.applicable);
  const bars = applicable.map((x) => ({ label: x.name, value: x.outcome.risk.value ?? 0, ...(x.outcome.risk.interval ? { low: x.outcome.risk.interval.low, high: x.outcome.risk.interval.high } : {}) }));
  const notes = [
    ...list.filter((x) => !x.outcome.applicable).map((x) => `${x.name}: ${(x.outcome as NotApplicable).reason}`),
    ...applicable.filter((x) => !x.outcome.betterThanBaseline).map((x) => `${x.name}: the attack did no better than a naive guess, so its risk figure is not meaningful (it is reported, not relied on).`),
    ...applicable.flatMap((x) => x.outcome.notes.map((n) => `${x.name}: ${n}`)),
  ];
  const risk = (n: string) => applicable.find((x) => x.name.startsWith(n))?.outcome.risk;
  return {
    id: 'attacks',
    title: 'Privacy: attacks',
    intro: 'The three risks the Article 29 Working Party names for anonymisation, measured as Anonymeter does: each attack uses only the synthetic data, is run against training patients and against holdout patients the generator never saw (the control), and beside a naive baseline. Risk = (success on training − success on control) / (1 − success on control).',
    metrics: [
      metricRow(SinglingOutRisk, risk('Singling out (multi')?.value ?? null, risk('Singling out (multi')?.interval, 'Singling-out risk (multivariate)'),
      metricRow(SinglingOutRisk, risk('Singling out (uni')?.value ?? null, risk('Singling out (uni')?.interval, 'Singling-out risk (univariate)'),
      metricRow(LinkabilityRisk, risk('Linkability')?.value ?? null, risk('Linkability')?.interval),
      ...applicable.filter((x) => x.name.startsWith('Inference')).map((x) => metricRow(InferenceRisk, x.outcome.risk.value, x.outcome.risk.interval, `Inference risk — ${x.name.replace('Inference of ', '')}`)),
    ],
    tables: [
      {
        caption: 'Success rates with Wilson 95% intervals.',
        columns: ['attack', 'on training', 'on control', 'naive baseline', 'risk', 'risk interval'],
        rows: applicable.map((x) => [x.name, pct(x.outcome.train.rate), pct(x.outcome.control.rate), pct(x.outcome.baseline.rate), num(x.outcome.risk.value), interval(x.outcome.risk.interval) ?? '—']),
      },
    ],
    charts: bars.length ? [{ caption: 'Attack risks with their 95% intervals (0 = the synthetic data tells an attacker nothing about training patients beyond the population).', svg: await renderSvg(barChart({ title: 'Attack-based privacy risks', bars, xTitle: 'Risk' })) }] : [],
    notes,
  };
}
