// The dataset card of a validated synthetic dataset, built only from the store: lineage, spec, run, source
// summary and the stored validation report. Deterministic (same store and inputs give the same bytes), so the
// card's SHA-256 is what reviewers sign; steward sections are the only free text.
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { datasetCardSchema, stewardSectionsSchema, type CardCriterion, type DatasetCard, type StewardSection } from '../../../shared/card-schema';
import { RELEASE_TIERS, TIER_LABELS, type ReleaseTier } from '../../../shared/criteria';
import type { ImageSpec } from '../../../shared/image-spec-schema';
import type { Spec } from '../../../shared/spec-schema';
import { reportDocumentSchema } from '../../../shared/validation-schemas';
import { AirlockError } from '../../errors';
import { columnTypes } from '../../ingest/sources-repo';
import type { SourceCodec } from '../../store/sources-seal';
import type { Db } from '../../store/database';
import { getDatasetRow, getRunRow } from '../../train/runs-repo';
import { getImageSpecVersion, getSpecVersion, specKind } from '../../train/specs';
import { getResultRow, getValidationRow } from '../../validate/validations-repo';
import { datasetMakers } from '../lineage';
import { limitationsFrom } from './limitations';
import { dicomSource, tableSource, type SourceSection, type SplitCounts } from './source-summary';
import { distributionFor, maintenanceFor, TIER_MEANING, usesFor } from './uses';

export interface BuildCardInput {
  datasetId: number;
  validationId: number;
  requestedBy: string;
  stewardSections: StewardSection[];
  generatedAt: Date;
}

type Sections = DatasetCard['sections'];

function checkStewardSections(input: unknown): StewardSection[] {
  const r = stewardSectionsSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const index = typeof issue.path[0] === 'number' ? issue.path[0] : null;
  const raw = index !== null && Array.isArray(input) ? (input[index] as { title?: unknown } | undefined) : undefined;
  const title = typeof raw?.title === 'string' && raw.title.trim() ? ` (“${raw.title.trim().slice(0, 120)}”)` : '';
  const where = index !== null ? `Steward section ${index + 1}${title}` : 'The steward sections';
  throw new AirlockError('INVALID_ARGUMENT', `${where}: ${issue.message.replace(/\.$/, '')}.`);
}

// What the stored result recorded about its inputs: the split used and the tier judged against.
const resultInputsSchema = z.object({
  inputs: z.object({ tier: z.enum(RELEASE_TIERS).optional(), rows: z.object({ train: z.number().int(), holdout: z.number().int() }).optional() }).optional(),
});

interface Judged {
  kind: 'table' | 'image';
  name: string;
  tier: ReleaseTier;
  intendedUse: string;
  prohibitedUses: string[];
  requestedRecords: number;
  table: Spec | null;
  image: ImageSpec | null;
}

function judgedSpec(db: Db, specId: number, version: number, resultTier: ReleaseTier | undefined): Judged {
  if (specKind(db, specId) === 'table') {
    const s = getSpecVersion(db, specId, version).spec;
    return { kind: 'table', name: s.name, tier: s.tier, intendedUse: s.intendedUse, prohibitedUses: s.prohibitedUses, requestedRecords: s.rows, table: s, image: null };
  }
  const s = getImageSpecVersion(db, specId, version).spec;
  if (!resultTier) throw new AirlockError('CONFLICT', `The validation of image spec “${s.name}” recorded no release tier, so its card cannot say what the images are released for.`);
  return { kind: 'image', name: s.name, tier: resultTier, intendedUse: s.intendedUse, prohibitedUses: s.prohibitedUses, requestedRecords: s.images, table: null, image: s };
}

function composition(db: Db, kind: 'table' | 'images', header: string, records: number, judged: Judged): Sections['composition'] {
  if (kind === 'images') {
    const size = (JSON.parse(header) as { size?: number }).size ?? judged.image?.image.size ?? 0;
    return {
      kind,
      records,
      unit: 'images',
      recordMeaning: 'Each image is one synthetic image drawn by the generator; it shows no real patient.',
      columns: [],
      image: { size, images: records },
      text: [`${records} synthetic greyscale images of ${size} × ${size} pixels, each a DICOM Secondary Capture file carrying fresh identifiers. Of the sources it carries only its class (Series Description, Image Comments) and that class’s modality and body part; no patient, study, date or device attribute.`],
    };
  }
  const spec = judged.table!;
  const types = new Map(columnTypes(db, spec.source.tableId).map((c) => [c.name, c.type]));
  const treatment = new Map(spec.columns.map((c) => [c.name, c.treatment]));
  const columns = (JSON.parse(header) as string[]).map((name) => ({ name, type: types.get(name) ?? null, treatment: treatment.get(name) ?? 'synthesise' }));
  return {
    kind,
    records,
    unit: 'rows',
    recordMeaning: 'Each row is one synthetic record drawn by the generator; it is not a real person and no row corresponds to one.',
    columns,
    image: null,
    text: [`${records} synthetic rows of ${columns.length} columns: ${columns.map((c) => `${c.name} (${c.type ?? 'unknown type'})`).join(', ')}.`],
  };
}

function backendOf(raw: string): Sections['preprocessing']['backend'] {
  const b = JSON.parse(raw) as { name?: unknown; tfjsVersion?: unknown; backendVersion?: unknown; fallbacks?: { name?: unknown }[] };
  if (typeof b.name !== 'string') return null;
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return { name: b.name, tfjsVersion: str(b.tfjsVersion), backendVersion: str(b.backendVersion), skipped: (b.fallbacks ?? []).map((f) => String(f.name)) };
}

function preprocessing(db: Db, runId: number, judged: Judged): Sections['preprocessing'] {
  const run = getRunRow(db, runId);
  const hyper = JSON.parse(run.hyperparameters) as Record<string, unknown>;
  const hyperparameters = Object.keys(hyper)
    .sort()
    .map((name) => {
      const value = hyper[name];
      return { name, value: typeof value === 'string' ? value : JSON.stringify(value) };
    });
  const epochs = run.generator === 'copula' ? 1 : typeof hyper.epochs === 'number' ? hyper.epochs : run.epochs_done;
  const backend = backendOf(run.backend);
  const durationSeconds = run.finished_at ? Math.round((Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000) : null;
  const columns = judged.table ? judged.table.columns.map((c) => ({ name: c.name, treatment: c.treatment })) : [];
  const dropped = columns.filter((c) => c.treatment === 'drop');
  const conditioned = columns.filter((c) => c.treatment === 'condition');
  const hp = hyperparameters.filter((h) => h.name !== 'kind');
  return {
    columns,
    kept: columns.length - dropped.length,
    dropped: dropped.length,
    requestedRecords: judged.requestedRecords,
    generator: { kind: run.generator, seed: run.seed, hyperparameters },
    backend,
    training: { runId: run.id, startedAt: run.started_at, finishedAt: run.finished_at, durationSeconds, epochs },
    text: [
      ...(judged.table
        ? [
            `Spec “${judged.name}” kept ${columns.length - dropped.length} of ${columns.length} source columns${dropped.length ? `; dropped ${dropped.map((c) => c.name).join(', ')}` : ''}${conditioned.length ? `; conditioned on ${conditioned.map((c) => c.name).join(', ')}` : ''}.`,
          ]
        : [`Image spec “${judged.name}”: images resized to ${judged.image!.image.size} × ${judged.image!.image.size} pixels${judged.image!.image.window ? `, window centre ${judged.image!.image.window.center}, width ${judged.image!.image.window.width}` : ''}.`]),
      `Generator: ${run.generator}, seed ${run.seed}${hp.length ? `, with ${hp.map((h) => `${h.name} ${h.value}`).join(', ')}` : ', no hyperparameters to set'}.`,
      backend
        ? `Trained on the ${backend.name} backend (TensorFlow.js ${backend.tfjsVersion ?? 'version not recorded'}, backend package ${backend.backendVersion ?? 'version not recorded'})${backend.skipped.length ? `; skipped ${backend.skipped.join(', ')}` : ''}.`
        : 'Fitted in plain JavaScript, without a TensorFlow.js backend.',
      `Run #${run.id} started ${run.started_at}${run.finished_at ? `, finished ${run.finished_at} (${durationSeconds} s)` : ', not finished'}, ${epochs} epoch${epochs === 1 ? '' : 's'}; ${judged.requestedRecords} records requested.`,
    ],
  };
}

export function buildCard(db: Db, codec: SourceCodec, input: BuildCardInput): DatasetCard {
  const stewardSections = checkStewardSections(input.stewardSections);
  const v = getValidationRow(db, input.validationId);
  if (v.dataset_id !== input.datasetId) {
    throw new AirlockError('CONFLICT', `Validation #${v.id} is of dataset #${v.dataset_id}, not dataset #${input.datasetId}; choose a validation of this dataset.`);
  }
  const result = getResultRow(db, v.id);
  if (v.status !== 'done' || !result) {
    throw new AirlockError('CONFLICT', `Validation #${v.id} is ${v.status === 'done' ? 'without a stored result' : v.status}, not done; validate the dataset and wait for a passing or failed result.`);
  }
  const dataset = getDatasetRow(db, input.datasetId);
  if (dataset.sha256 !== v.dataset_sha256) {
    throw new AirlockError('CONFLICT', `Dataset #${dataset.id} no longer has the content validation #${v.id} checked (its hash changed); validate it again.`);
  }
  const kind = (db.prepare('SELECT kind FROM datasets WHERE id = ?').get(dataset.id) as { kind: 'table' | 'images' }).kind;
  const doc = reportDocumentSchema.parse(JSON.parse(result.document));
  const recorded = resultInputsSchema.safeParse(JSON.parse(result.result));
  const inputs = recorded.success ? recorded.data.inputs : undefined;
  const judged = judgedSpec(db, v.spec_id, v.spec_version, inputs?.tier);
  const split: SplitCounts | null = inputs?.rows ?? null;
  const source: SourceSection = judged.table ? tableSource(db, codec, judged.table, split) : dicomSource(db, codec, judged.image!.source.seriesIds);
  const makers = datasetMakers(db, dataset.id);
  const criteria: CardCriterion[] = doc.criteria.map((c) => ({ id: c.id, sentence: c.sentence, measured: c.measured, threshold: c.threshold, status: c.status, straddles: c.straddles, note: c.note ?? null }));
  const failed = criteria.filter((c) => c.status === 'fail').length;
  const requestedBy = input.requestedBy.toLowerCase();
  const card: DatasetCard = {
    kind: 'airlock-card/1',
    identity: {
      datasetId: dataset.id,
      datasetVersion: dataset.version,
      datasetKind: kind,
      datasetSha256: dataset.sha256,
      rows: dataset.row_count,
      specId: v.spec_id,
      specVersion: v.spec_version,
      specHash: v.spec_hash,
      specName: judged.name,
      validationId: v.id,
      resultSha256: result.result_sha256,
      verdict: result.verdict,
      validatorVersion: v.validator_version,
      validationSeed: v.seed,
      tier: judged.tier,
      generatedAt: input.generatedAt.toISOString(),
    },
    sections: {
      motivation: {
        purpose: judged.intendedUse,
        tier: judged.tier,
        tierLabel: TIER_LABELS[judged.tier],
        tierMeaning: TIER_MEANING[judged.tier],
        text: [
          `This synthetic dataset exists so that work can be done without moving the real data it was learned from. Its purpose, in the words of its spec: ${judged.intendedUse}`,
          TIER_MEANING[judged.tier],
        ],
      },
      composition: composition(db, kind, dataset.header, dataset.row_count, judged),
      source,
      preprocessing: preprocessing(db, dataset.run_id, judged),
      validation: {
        verdict: result.verdict,
        headline: doc.verdict.headline,
        startedAt: v.started_at,
        finishedAt: v.finished_at,
        criteria,
        text: [
          `Validation #${v.id} (validator ${v.validator_version}, seed “${v.seed}”) judged the dataset against the ${TIER_LABELS[judged.tier].toLowerCase()} criteria: ${result.verdict === 'pass' ? 'PASS' : 'FAIL'}. ${doc.verdict.headline}`,
          failed ? `${failed} criterion${failed === 1 ? '' : 'a'} failed; see the known limitations.` : 'No criterion failed.',
          `The full result is stored in the workspace; its SHA-256 is ${result.result_sha256}. The aggregate-only report travels with the data.`,
        ],
      },
      uses: usesFor(judged.tier, judged.intendedUse, judged.prohibitedUses),
      distribution: distributionFor(judged.tier),
      maintenance: maintenanceFor(requestedBy),
    },
    limitations: limitationsFrom(doc, criteria),
    lineage: { specAuthors: makers.specAuthors, runStartedBy: makers.runStartedBy, datasetCreatedBy: makers.datasetCreatedBy, requestedBy },
    stewardSections,
  };
  // The schema is the contract the renderer and the bundle verifier read; a card that breaks it is a bug here.
  const checked = datasetCardSchema.safeParse(card);
  if (!checked.success) throw new AirlockError('INTERNAL', `The dataset card could not be built: ${checked.error.issues[0]?.message ?? 'it does not match its schema'}.`);
  return card;
}

/** The card as written to card/card.json (RFC 8785 canonical JSON) and the SHA-256 hex reviewers sign. */
export function cardContent(card: DatasetCard): { content: string; sha256: string } {
  const content = canonicalize(card);
  if (content === undefined) throw new AirlockError('INTERNAL', 'The dataset card cannot be serialised.');
  return { content, sha256: createHash('sha256').update(content, 'utf8').digest('hex') };
}
