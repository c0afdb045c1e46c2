// What each synthetic image says about itself: its class, and the attributes the real training series of that
// class had — Modality always (the most common, by training frames, when they disagree, with a note), Body Part
// Examined and the resampled pixel spacing only where every series of the class agrees. An unlabelled run is
// one group: the series' modality when they all agree, else OT ("other") with a note.
import type { Db } from '../../store/database';
import type { SourceCodec } from '../../store/sources-seal';
import { instanceMetadata } from '../../ingest/sources-repo';
import type { FrameSource } from '../image-data';

export interface ClassAttributes {
  /** The class label as written on the images (control characters made spaces); null for an unlabelled run. */
  label: string | null;
  modality: string;
  bodyPart: string | null;
  pixelSpacing: [number, number] | null;
  /** Why an attribute is not the series' own (mixed modalities), or null. */
  note: string | null;
}

interface SeriesFacts {
  modality: string | null;
  bodyPart: string | null;
  spacing: [number, number] | null;
}

const CODE_STRING = /^[A-Z0-9_ ]{1,16}$/;

/** One line of text safe for a DICOM LO/LT value and a bundle: no control characters or backslashes. */
export function cleanLabel(label: string): string {
  const text = label.replace(/[\p{Cc}\\]/gu, ' ').trim();
  return text === '' ? '(empty)' : text;
}

function seriesFacts(db: Db, codec: SourceCodec, seriesId: number, size: number): SeriesFacts {
  const se = db.prepare('SELECT modality, body_part FROM dicom_series WHERE id = ?').get(seriesId) as { modality: string | null; body_part: string | null } | undefined;
  const row = db.prepare('SELECT id, metadata FROM dicom_instances WHERE series_id = ? LIMIT 1').get(seriesId) as { id: number; metadata: unknown } | undefined;
  const f = row ? instanceMetadata<{ fields?: { pixelSpacing?: number[] | null; rows?: number; columns?: number } }>(codec, row.id, row.metadata).fields : undefined;
  const ps = f?.pixelSpacing;
  // The source spacing scaled by the resampling to size × size.
  const spacing: [number, number] | null = ps && ps.length === 2 && f?.rows && f.columns ? [Number((((ps[0] ?? 0) * f.rows) / size).toFixed(6)), Number((((ps[1] ?? 0) * f.columns) / size).toFixed(6))] : null;
  const modality = se?.modality?.trim().toUpperCase() ?? null;
  const bodyPart = se?.body_part?.trim().toUpperCase() ?? null;
  return { modality: modality && /^[A-Z0-9_]{1,16}$/.test(modality) ? modality : null, bodyPart: bodyPart && CODE_STRING.test(bodyPart) ? bodyPart : null, spacing: spacing && spacing[0] > 0 && spacing[1] > 0 ? spacing : null };
}

// The single value every series shares, or null.
function uniform<T>(values: readonly (T | null)[], same: (a: T, b: T) => boolean): T | null {
  const first = values[0];
  if (first === undefined || first === null) return null;
  return values.every((v) => v !== null && same(v, first)) ? first : null;
}

function counts(sources: readonly { facts: SeriesFacts; frames: number }[]): [string, number][] {
  const by = new Map<string, number>();
  for (const s of sources) by.set(s.facts.modality ?? 'OT', (by.get(s.facts.modality ?? 'OT') ?? 0) + s.frames);
  // Most frames first; ties alphabetically, so the choice does not depend on the order the series were picked.
  return [...by.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

const listed = (c: [string, number][]) => c.map(([m, n]) => `${m} ${n} frame${n === 1 ? '' : 's'}`).join(', ');

/** One entry per class (index = label), or a single entry with label null for an unlabelled run. */
export function classAttributes(db: Db, codec: SourceCodec, size: number, classes: readonly string[], sources: readonly FrameSource[]): ClassAttributes[] {
  const facts = new Map<number, SeriesFacts>();
  const factsOf = (id: number) => facts.get(id) ?? facts.set(id, seriesFacts(db, codec, id, size)).get(id)!;
  const groups = classes.length === 0 ? [{ label: null, index: -1 }] : classes.map((label, index) => ({ label: cleanLabel(label), index }));
  return groups.map(({ label, index }) => {
    const members = sources.filter((s) => s.label === index).map((s) => ({ facts: factsOf(s.seriesId), frames: s.frames }));
    const c = counts(members);
    const bodyPart = uniform(members.map((m) => m.facts.bodyPart), (a, b) => a === b);
    const pixelSpacing = uniform(members.map((m) => m.facts.spacing), (a, b) => Math.abs(a[0] - b[0]) < 1e-6 && Math.abs(a[1] - b[1]) < 1e-6);
    if (c.length <= 1) return { label, modality: c[0]?.[0] ?? 'OT', bodyPart, pixelSpacing, note: null };
    if (label === null) {
      return { label, modality: 'OT', bodyPart, pixelSpacing, note: `The training series have different modalities (${listed(c)}), so the synthetic images are marked OT (other).` };
    }
    const modality = c[0]?.[0] ?? 'OT';
    return { label, modality, bodyPart, pixelSpacing, note: `Class “${label}” mixes modalities (${listed(c)}); its synthetic images carry ${modality}, the most common.` };
  });
}
