// One validation, start to end, as the worker runs it: typed frames, every metric family, the gate, and the
// report document. Pure apart from the seeded randomness: the same request gives the same result.
import { resolveCriteria, TIER_LABELS } from '../../shared/criteria';
import { criteriaOverrides } from '../../shared/spec-schema';
import { attacks } from './attacks';
import { detection } from './detection';
import { buildFrames } from './frames';
import { judge, type Verdict } from './gate';
import { measure, type Evidence } from './measure';
import { columnPairs, qualityScore } from './pairs';
import { privacyDistances } from './privacy';
import type { StageId, ValidationRequest } from './protocol';
import { attacksSection } from './report/attacks-section';
import { detectionSection, pairsSection, shapesSection, subgroupsSection } from './report/fidelity-sections';
import { criterionRow } from './report/format';
import type { ReportDocument } from './report/html';
import { privacySection } from './report/privacy-section';
import { utilitySection } from './report/utility-section';
import { columnShapes } from './shapes';
import { rareCategories, subgroupShapes } from './subgroups';
import { utility } from './utility';
import { resultHash } from './result-hash';

export type StageCallback = (stage: StageId, progress: number) => void;

// Progress messages at most every 200 ms, so a tight loop does not flood the main thread.
function reporter(onStage: StageCallback) {
  let last = 0;
  return (stage: StageId) => {
    onStage(stage, 0);
    return (p = 0) => {
      const now = Date.now();
      if (now - last > 200) {
        last = now;
        onStage(stage, Math.min(1, Math.max(0, p)));
      }
    };
  };
}


export async function runValidation(req: ValidationRequest, onStage: StageCallback): Promise<{ result: unknown; resultContent: string; resultSha256: string; verdict: 'pass' | 'fail'; document: ReportDocument; findings: unknown }> {
  const stage = reporter(onStage);
  const { spec, seed } = req;
  const ev = spec.evaluation;
  stage('prepare');
  const side = (rows: typeof req.train) => ({ header: req.header, rows });
  const frames = buildFrames(req.columns, { train: side(req.train), holdout: side(req.holdout), synthetic: side(req.synthetic) });
  stage('shapes');
  const shapes = columnShapes(frames.train, frames.synthetic, { bins: 20 });
  const pairsCheck = stage('pairs');
  const pairs = columnPairs(frames.train, frames.synthetic, { correlation: ev.correlation, bins: 10 });
  pairsCheck(1);
  const quality = qualityScore(shapes.score, pairs.score);
  const det = detection(frames.train, frames.synthetic, { seed: `${seed}/detection` }, stage('detection'));
  stage('subgroups');
  const subgroups = ev.stratifyBy.length > 0 ? subgroupShapes(frames.train, frames.synthetic, ev.stratifyBy) : null;
  const rare = rareCategories(frames.train, frames.synthetic);
  const target = spec.acceptance.utility.target;
  const util = target ? utility(frames, target, { seed: `${seed}/utility` }, stage('utility')) : ({ applicable: false, reason: 'The spec names no utility target column, so no model was trained.' } as const);
  const distances = privacyDistances(frames, { seed: `${seed}/distances` }, stage('distances'));
  const att = attacks(frames, { seed: `${seed}/attacks`, quasiIdentifiers: ev.quasiIdentifiers, sensitive: ev.sensitive }, stage('attacks'));
  stage('report');
  const evidence: Evidence = { shapes, pairs, quality, detection: det, subgroups, utility: util, distances, attacks: att };
  const criteria = resolveCriteria(spec.tier, criteriaOverrides(spec));
  const verdict: Verdict = judge(criteria, measure(evidence));
  const findings = {
    identical: distances.identical.matches.map((m) => ({ syntheticRow: m.synthetic, trainingRow: m.training })),
    singledOut: [att.singlingOut.univariate, att.singlingOut.multivariate].flatMap((o) => (o.applicable ? o.found.map((f) => ({ predicate: f.predicate, trainingRow: f.row })) : [])),
  };
  const result = {
    validator: { version: req.validatorVersion, seed },
    inputs: { ...req.facts, tier: spec.tier, rows: { train: frames.train.rows, holdout: frames.holdout.rows, synthetic: frames.synthetic.rows }, columns: req.columns },
    verdict: { pass: verdict.pass, failed: verdict.failed },
    criteria: verdict.criteria,
    evidence,
    findings,
  };
  const { content, sha256 } = resultHash(result);
  const min = ev.smallCellMin;
  const applicable = verdict.criteria.filter((c) => c.status !== 'not-applicable');
  const subgroupCriterion = verdict.criteria.find((c) => c.id === 'fidelity.subgroupMin');
  const document: ReportDocument = {
    title: `Validation report: ${req.facts.specName}`,
    subtitle: `Synthetic dataset #${req.facts.datasetId} (version ${req.facts.datasetVersion}) from run #${req.facts.runId}, judged against the ${TIER_LABELS[spec.tier].toLowerCase()} criteria.`,
    generatedAt: req.generatedAt,
    facts: [
      { label: 'Dataset', value: `#${req.facts.datasetId} v${req.facts.datasetVersion}, SHA-256 ${req.facts.datasetSha256}` },
      { label: 'Spec', value: `#${req.facts.specId} v${req.facts.specVersion} “${req.facts.specName}”, SHA-256 ${req.facts.specHash}` },
      { label: 'Generator', value: `${req.facts.generator} (run #${req.facts.runId})` },
      { label: 'Release tier', value: TIER_LABELS[spec.tier] },
      { label: 'Rows', value: `${frames.train.rows} real training, ${frames.holdout.rows} real holdout (never seen by the generator), ${frames.synthetic.rows} synthetic` },
      { label: 'Holdout', value: req.facts.split },
      { label: 'Validator', value: `${req.validatorVersion}, seed “${seed}”` },
      { label: 'Result SHA-256', value: sha256 },
    ],
    verdict: {
      pass: verdict.pass,
      headline: verdict.pass
        ? `All ${applicable.length} applicable criteria passed (${verdict.criteria.length - applicable.length} not applicable).`
        : `${verdict.failed.length} of ${applicable.length} applicable criteria failed.`,
      failed: verdict.failed,
    },
    criteria: verdict.criteria.map(criterionRow),
    sections: [
      await shapesSection(shapes, min),
      await pairsSection(pairs, quality),
      await detectionSection(det),
      await subgroupsSection(subgroups, rare, min, subgroupCriterion?.status === 'not-applicable' ? null : (subgroupCriterion?.threshold ?? null)),
      await utilitySection(util),
      await privacySection(distances, min),
      await attacksSection(att),
    ],
    suppressionNote: `Aggregates only: any count, histogram bin or category share resting on fewer than ${min} real rows is merged or suppressed, and says so. Real minima and maxima, row values and the rows that attacks singled out are never printed; they are shown only inside Airlock.`,
  };
  return { result, resultContent: content, resultSha256: sha256, verdict: verdict.pass ? 'pass' : 'fail', document, findings };
}
