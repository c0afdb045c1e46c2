// The report document of an image validation: verdict, criteria, every figure with its definition, the plots,
// the encoder record and a grid of synthetic samples, in the same shape as a table report (same HTML, JSON,
// PDF and screen). It is built from aggregates only: no real frame and no memorisation pair ever enters it.
import { TIER_LABELS } from '../../../shared/criteria';
import { criterionRow } from '../report/format';
import type { ReportDocument, ReportSection } from '../report/html';
import type { SampleGrid } from '../report/image-sections';
import type { ValidationFacts } from '../protocol';
import { diversitySection, featuresSection, intensitySection, memorisationSection, spectrumSection, utilitySection } from './document-sections';
import type { ImageValidationResult } from './result';

export interface ImageSample {
  classLabel: string | null;
  png: Uint8Array;
}

/** At most this many synthetic samples per class in the report's grid. */
export const SAMPLES_PER_CLASS = 12;


function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Synthetic samples grouped by class (in first-seen order), up to SAMPLES_PER_CLASS each. */
export function sampleGrids(samples: ImageSample[]): SampleGrid[] {
  const byClass = new Map<string | null, { index: number; png: Uint8Array }[]>();
  samples.forEach((s, index) => {
    const list = byClass.get(s.classLabel) ?? [];
    if (list.length < SAMPLES_PER_CLASS) list.push({ index, png: s.png });
    byClass.set(s.classLabel, list);
  });
  return [...byClass.entries()].map(([label, items]) => ({
    caption: `${label === null ? 'Synthetic images' : `Synthetic images of class “${label}”`}: the first ${items.length} the generator made, as stored in the dataset.`,
    items: items.map((i) => ({ label: label ?? `Image ${i.index + 1}`, pngBase64: base64(i.png) })),
  }));
}

function samplesSection(samples: ImageSample[]): ReportSection {
  return {
    id: 'samples',
    title: 'Synthetic samples',
    intro: 'Examples of the synthetic images this report judges. They are generated images only: no real patient image is ever shown in a report.',
    grids: sampleGrids(samples),
  };
}

export interface DocumentMeta {
  generatedAt: string;
  resultSha256: string;
}

/** The report document of an image validation; `result.findings` (the memorisation pairs) is never read. */
export async function buildImageDocument(result: ImageValidationResult, facts: ValidationFacts, samples: ImageSample[], meta: DocumentMeta): Promise<ReportDocument> {
  const applicable = result.criteria.filter((c) => c.status !== 'not-applicable');
  const { rows, size, classes, tier } = result.inputs;
  const ev = result.evidence;
  return {
    kind: 'images',
    title: `Validation report: ${facts.specName}`,
    subtitle: `Synthetic image dataset #${facts.datasetId} (version ${facts.datasetVersion}) from run #${facts.runId}, judged against the ${TIER_LABELS[tier].toLowerCase()} criteria.`,
    generatedAt: meta.generatedAt,
    facts: [
      { label: 'Dataset', value: `#${facts.datasetId} v${facts.datasetVersion}, SHA-256 ${facts.datasetSha256}` },
      { label: 'Spec', value: `#${facts.specId} v${facts.specVersion} “${facts.specName}”, SHA-256 ${facts.specHash}` },
      { label: 'Generator', value: `${facts.generator} (run #${facts.runId})` },
      { label: 'Release tier', value: TIER_LABELS[tier] },
      { label: 'Images', value: `${rows.train} real training frames, ${rows.holdout} real holdout frames (patients the generator never saw), ${rows.synthetic} synthetic images, all ${size} × ${size}` },
      { label: 'Classes', value: classes.length ? classes.join(', ') : 'none (the spec sets no class labels)' },
      { label: 'Holdout', value: facts.split },
      { label: 'Validator', value: `${result.validator.version}, seed “${result.validator.seed}”` },
      { label: 'Result SHA-256', value: meta.resultSha256 },
    ],
    verdict: {
      pass: result.verdict.pass,
      headline: result.verdict.pass
        ? `All ${applicable.length} applicable criteria passed (${result.criteria.length - applicable.length} not applicable).`
        : `${result.verdict.failed.length} of ${applicable.length} applicable criteria failed.`,
      failed: result.verdict.failed,
    },
    criteria: result.criteria.map(criterionRow),
    sections: [
      samplesSection(samples),
      await intensitySection(ev.intensity.result, ev.intensity.info),
      featuresSection(ev.features, ev.features.infos),
      await diversitySection(ev.diversity, ev.diversity.info, ev.diversity.ratioInfo),
      await spectrumSection(ev.spectrum.result, ev.spectrum.info),
      await memorisationSection(ev.memorisation.summary, rows.synthetic, ev.memorisation.infos),
      await utilitySection(ev.utility),
    ],
    suppressionNote: `Aggregates and synthetic examples only: histograms, spectra, quantiles and means over ${rows.train} training and ${rows.holdout} holdout frames. No real image, no real frame's index and no memorisation pair is printed; the closest pairs are shown only inside Airlock.`,
  };
}
