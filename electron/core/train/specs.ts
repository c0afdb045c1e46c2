// Generation specs: validated against the source table, stored as immutable, hashed versions.
// Every save makes a new version (so the audit trail and the diff show each change); a version a run
// has used is frozen.
import canonicalize from 'canonicalize';
import diff from 'microdiff';
import { createHash } from 'node:crypto';
import { imageSpecSchema, type ImageSpec } from '../../shared/image-spec-schema';
import { specSchema, type Spec, type SpecSummaryView, type SpecVersionView } from '../../shared/spec-schema';
import { AirlockError } from '../errors';
import { appendAudit } from '../govern/audit';
import { getTable } from '../ingest/sources-repo';
import type { SourceCodec } from '../store/sources-seal';
import type { Db } from '../store/database';
import { parseOrThrow } from '../validate-input';
import { checkDateTreatments } from './tabular/treatments';
import { isDateColumn } from '../../shared/date-schema';
import { checkSpecRules } from './rules/source';
import { refuseColourSeries } from './image/colour';

interface VersionRow {
  spec_id: number;
  version: number;
  content: string;
  hash: string;
  frozen: number;
  created_at: string;
  created_by: string;
}

export function specHash(spec: Spec | ImageSpec): { content: string; hash: string } {
  const content = canonicalize(spec);
  if (content === undefined) throw new AirlockError('INTERNAL', 'The spec cannot be serialised.');
  return { content, hash: createHash('sha256').update(content, 'utf8').digest('hex') };
}

// The spec must describe the table it names: every column once, nothing synthesised that cannot be.
function checkAgainstSource(db: Db, codec: SourceCodec, spec: Spec): void {
  const table = getTable(db, codec, spec.source.tableId, 0);
  if (table.sha256 !== spec.source.sha256) {
    throw new AirlockError('INVALID_ARGUMENT', `The spec names table #${table.id} with a different content hash than “${table.name}” has.`);
  }
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  for (const c of spec.columns) {
    const col = byName.get(c.name);
    if (!col) throw new AirlockError('INVALID_ARGUMENT', `The source table “${table.name}” has no column “${c.name}”.`);
    if (c.treatment !== 'drop' && (col.type === 'identifier' || col.type === 'text')) {
      throw new AirlockError('INVALID_ARGUMENT', `Column “${c.name}” is ${col.type === 'identifier' ? 'an identifier' : 'free text'}; drop it (generators learn distributions, not identities).`);
    }
  }
  if (spec.generator.kind !== 'copula') {
    // TVAE and CTGAN meet conditions by sampling until rows match, which needs few distinct condition values.
    for (const c of spec.columns.filter((s) => s.treatment === 'condition')) {
      const col = byName.get(c.name);
      if (col && col.distinct > 50) {
        throw new AirlockError('INVALID_ARGUMENT', `Column “${c.name}” has ${col.distinct} distinct values: TVAE and CTGAN can condition on columns with at most 50. Use the Gaussian copula, or synthesise it.`);
      }
    }
  }
  // generalise and shift apply to dates only (ISO, or numbers recognised or confirmed as dates).
  checkDateTreatments(spec, table);
  const missing = table.columns.filter((c) => !spec.columns.some((s) => s.name === c.name));
  if (missing.length > 0) throw new AirlockError('INVALID_ARGUMENT', `Give a treatment for every column; missing: ${missing.map((c) => c.name).join(', ')}.`);
  // Subgroups, attack columns and the utility target must be columns the synthetic table has.
  const kept = new Set(spec.columns.filter((c) => c.treatment !== 'drop').map((c) => c.name));
  const evaluated: [string, string[]][] = [
    ['stratification column', spec.evaluation.stratifyBy],
    ['quasi-identifier', spec.evaluation.quasiIdentifiers],
    ['sensitive column', spec.evaluation.sensitive],
  ];
  for (const [what, names] of evaluated) {
    const bad = names.filter((n) => !kept.has(n));
    if (bad.length > 0) throw new AirlockError('INVALID_ARGUMENT', `The ${what}${bad.length > 1 ? 's' : ''} ${bad.map((n) => `“${n}”`).join(', ')} must be synthesised or conditioned on, not dropped or absent.`);
  }
  const both = spec.evaluation.sensitive.filter((n) => spec.evaluation.quasiIdentifiers.includes(n));
  if (both.length > 0) throw new AirlockError('INVALID_ARGUMENT', `A column cannot be both a quasi-identifier and sensitive: ${both.join(', ')}.`);
  const target = spec.acceptance.utility.target;
  if (target !== null && !spec.columns.some((c) => c.name === target && c.treatment !== 'drop')) {
    throw new AirlockError('INVALID_ARGUMENT', `The utility target “${target}” must be a column that is synthesised or conditioned on.`);
  }
  // Rules read kept columns of a suitable kind, and hold in every real training row.
  checkSpecRules(db, codec, spec, table);
}

function toView(r: VersionRow): SpecVersionView {
  return { specId: r.spec_id, version: r.version, hash: r.hash, frozen: r.frozen === 1, createdAt: r.created_at, createdBy: r.created_by, spec: specSchema.parse(JSON.parse(r.content)) };
}

export function getSpecVersion(db: Db, specId: number, version?: number): SpecVersionView {
  // An image spec has its own schema: parsing it as a table spec would be a ZodError, not an answer.
  const kind = db.prepare('SELECT kind FROM specs WHERE id = ?').get(specId) as { kind: string } | undefined;
  if (kind?.kind === 'image') throw new AirlockError('INVALID_ARGUMENT', `Spec #${specId} is an image spec; it is listed with the image specs (“airlock spec list”, or the Specs screen).`);
  const row = (
    version === undefined
      ? db.prepare('SELECT * FROM spec_versions WHERE spec_id = ? ORDER BY version DESC LIMIT 1').get(specId)
      : db.prepare('SELECT * FROM spec_versions WHERE spec_id = ? AND version = ?').get(specId, version)
  ) as VersionRow | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', version === undefined ? `There is no spec #${specId}.` : `Spec #${specId} has no version ${version}.`);
  return toView(row);
}

export function listSpecVersions(db: Db, specId: number): SpecVersionView[] {
  return (db.prepare('SELECT * FROM spec_versions WHERE spec_id = ? ORDER BY version').all(specId) as VersionRow[]).map(toView);
}

export function listSpecs(db: Db): SpecSummaryView[] {
  const rows = db
    .prepare(
      `SELECT s.id, s.name, s.table_id, max(v.version) AS latest, count(v.id) AS versions, max(v.created_at) AS updated
       FROM specs s JOIN spec_versions v ON v.spec_id = s.id WHERE s.kind = 'table' GROUP BY s.id ORDER BY updated DESC`,
    )
    .all() as { id: number; name: string; table_id: number; latest: number; versions: number; updated: string }[];
  return rows.map((r) => ({
    specId: r.id,
    name: r.name,
    latestVersion: r.latest,
    versions: r.versions,
    tableId: r.table_id,
    generator: getSpecVersion(db, r.id, r.latest).spec.generator.kind,
    updatedAt: r.updated,
  }));
}

// Saves a spec: a new spec when specId is null, else its next version (unchanged content saves nothing).
export function saveSpec(db: Db, codec: SourceCodec, actor: string, specId: number | null, input: unknown, now: Date): SpecVersionView {
  const spec = parseOrThrow(specSchema, input);
  checkAgainstSource(db, codec, spec);
  const { content, hash } = specHash(spec);
  if (specId !== null) {
    const latest = getSpecVersion(db, specId);
    if (latest.hash === hash) return latest;
  }
  return db.transaction(() => {
    const ts = now.toISOString();
    const id = specId ?? Number(db.prepare('INSERT INTO specs (name, table_id, created_at, created_by) VALUES (?, ?, ?, ?)').run(spec.name, spec.source.tableId, ts, actor).lastInsertRowid);
    const next = ((db.prepare('SELECT max(version) AS v FROM spec_versions WHERE spec_id = ?').get(id) as { v: number | null }).v ?? 0) + 1;
    db.prepare('INSERT INTO spec_versions (spec_id, version, content, hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)').run(id, next, content, hash, ts, actor);
    db.prepare('UPDATE specs SET name = ? WHERE id = ?').run(spec.name, id);
    appendAudit(db, { actor, action: next === 1 ? 'spec.created' : 'spec.versioned', subject: spec.name, details: { specId: id, version: next, hash, generator: spec.generator.kind } }, now);
    return getSpecVersion(db, id, next);
  })();
}

export function freezeSpecVersion(db: Db, specId: number, version: number): void {
  db.prepare('UPDATE spec_versions SET frozen = 1 WHERE spec_id = ? AND version = ? AND frozen = 0').run(specId, version);
}

export interface SpecChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  from: unknown;
  to: unknown;
}

export function diffSpecVersions(db: Db, specId: number, from: number, to: number): SpecChange[] {
  const a = getSpecVersion(db, specId, from).spec;
  const b = getSpecVersion(db, specId, to).spec;
  return diff(a, b).map((d) => ({
    path: d.path.join('.'),
    kind: d.type === 'CREATE' ? 'added' : d.type === 'REMOVE' ? 'removed' : 'changed',
    from: d.type === 'CREATE' ? null : (d.oldValue as unknown),
    to: d.type === 'REMOVE' ? null : (d.value as unknown),
  }));
}

// Column names that usually describe who a patient is rather than their condition.
const QUASI_IDENTIFIER_NAME = /^(age|sex|gender|race|ethnic(ity)?|height|weight|bmi|zip|post_?code|marital|education|occupation|country|region|year_of_birth)([._ -]|$)/i;

// A starting point for a new spec: identifying columns dropped as suggested, the rest synthesised.
export function draftSpec(db: Db, codec: SourceCodec, tableId: number): Spec {
  const table = getTable(db, codec, tableId, 0);
  const trainingRows = table.rowCount - table.holdout.rows;
  return specSchema.parse({
    // Not the file's name: a spec's name travels on the card and in the bundle, and file names can identify people.
    name: `Table #${table.id} synthetic`,
    source: { kind: 'table', tableId, sha256: table.sha256 },
    columns: table.columns.map((c) =>
      // Identifying dates are kept at the year: the spec can do that, where the old draft could only drop them.
      c.phi.identifying && (c.phi.kind === 'date' || c.phi.kind === 'date-of-birth') && isDateColumn(c)
        ? { name: c.name, treatment: 'generalise' as const, to: 'year' as const }
        : { name: c.name, treatment: c.phi.identifying || c.type === 'identifier' || c.type === 'text' ? 'drop' : 'synthesise' },
    ),
    generator: { kind: 'copula' },
    rows: Math.max(1, trainingRows),
    seed: 1,
    tier: 'model-development',
    // Quasi-identifiers an attacker may know from elsewhere (the privacy attacks use them); the steward confirms.
    evaluation: {
      quasiIdentifiers: table.columns
        .filter((c) => !(c.phi.identifying || c.type === 'identifier' || c.type === 'text') && QUASI_IDENTIFIER_NAME.test(c.name))
        .map((c) => c.name),
    },
    intendedUse: 'Method development and testing; not for clinical decisions.',
    prohibitedUses: ['Re-identification of individuals', 'Clinical decision-making about real patients'],
  });
}

export function specKind(db: Db, specId: number): 'table' | 'image' {
  const row = db.prepare('SELECT kind FROM specs WHERE id = ?').get(specId) as { kind: 'table' | 'image' } | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `There is no spec #${specId}.`);
  return row.kind;
}

export interface ImageSpecVersion {
  specId: number;
  version: number;
  hash: string;
  frozen: boolean;
  createdAt: string;
  createdBy: string;
  spec: ImageSpec;
}

export function getImageSpecVersion(db: Db, specId: number, version?: number): ImageSpecVersion {
  if (specKind(db, specId) !== 'image') throw new AirlockError('INVALID_ARGUMENT', `Spec #${specId} is a table spec.`);
  const row = (
    version === undefined
      ? db.prepare('SELECT * FROM spec_versions WHERE spec_id = ? ORDER BY version DESC LIMIT 1').get(specId)
      : db.prepare('SELECT * FROM spec_versions WHERE spec_id = ? AND version = ?').get(specId, version)
  ) as VersionRow | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `Spec #${specId} has no version ${version ?? ''}.`);
  return { specId: row.spec_id, version: row.version, hash: row.hash, frozen: row.frozen === 1, createdAt: row.created_at, createdBy: row.created_by, spec: imageSpecSchema.parse(JSON.parse(row.content)) };
}

// Saves an image spec (new, or the next version of one); its series must exist in the store.
export function saveImageSpec(db: Db, codec: SourceCodec, actor: string, specId: number | null, input: unknown, now: Date): ImageSpecVersion {
  const spec = parseOrThrow(imageSpecSchema, input);
  for (const id of spec.source.seriesIds) {
    if (!db.prepare('SELECT 1 FROM dicom_series WHERE id = ?').get(id)) throw new AirlockError('INVALID_ARGUMENT', `There is no series #${id} in this workspace.`);
  }
  // Colour series are refused now, naming each, not when training starts (unless the spec converts them).
  refuseColourSeries(db, codec, spec.source.seriesIds, spec.image.colour);
  const { content, hash } = specHash(spec);
  if (specId !== null) {
    const latest = getImageSpecVersion(db, specId);
    if (latest.hash === hash) return latest;
  }
  return db.transaction(() => {
    const ts = now.toISOString();
    const id = specId ?? Number(db.prepare("INSERT INTO specs (name, kind, table_id, created_at, created_by) VALUES (?, 'image', NULL, ?, ?)").run(spec.name, ts, actor).lastInsertRowid);
    const next = ((db.prepare('SELECT max(version) AS v FROM spec_versions WHERE spec_id = ?').get(id) as { v: number | null }).v ?? 0) + 1;
    db.prepare('INSERT INTO spec_versions (spec_id, version, content, hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)').run(id, next, content, hash, ts, actor);
    db.prepare('UPDATE specs SET name = ? WHERE id = ?').run(spec.name, id);
    appendAudit(db, { actor, action: next === 1 ? 'spec.created' : 'spec.versioned', subject: spec.name, details: { specId: id, version: next, hash, generator: spec.generator.kind, kind: 'image' } }, now);
    return getImageSpecVersion(db, id, next);
  })();
}

export function listImageSpecs(db: Db): { specId: number; name: string; latestVersion: number; generator: string; seriesIds: number[]; updatedAt: string }[] {
  const ids = db.prepare("SELECT s.id FROM specs s JOIN spec_versions v ON v.spec_id = s.id WHERE s.kind = 'image' GROUP BY s.id ORDER BY max(v.created_at) DESC").all() as { id: number }[];
  return ids.map(({ id }) => {
    const v = getImageSpecVersion(db, id);
    return { specId: id, name: v.spec.name, latestVersion: v.version, generator: v.spec.generator.kind, seriesIds: v.spec.source.seriesIds, updatedAt: v.createdAt };
  });
}

/** A spec version's name, whatever its kind (table or image), for lists and cards. */
export function specName(db: Db, specId: number, version: number): string {
  const row = db.prepare('SELECT content FROM spec_versions WHERE spec_id = ? AND version = ?').get(specId, version) as { content: string } | undefined;
  if (!row) throw new AirlockError('NOT_FOUND', `Spec #${specId} has no version ${version}.`);
  const name = (JSON.parse(row.content) as { name?: unknown }).name;
  return typeof name === 'string' ? name : `Spec #${specId}`;
}
