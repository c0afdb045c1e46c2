// Colour series in image specs: found from the stored instance headers when a spec is saved (so the steward hears
// it then, not when training starts), and, on request, turned into greyscale with the ITU-R BT.601 luma.
import type { DecodedFrame } from '../../imaging/pixels';
import { AirlockError } from '../../errors';
import type { Db } from '../../store/database';
import type { SourceCodec } from '../../store/sources-seal';
import { instanceMetadata } from '../../ingest/sources-repo';

const MONO = new Set(['MONOCHROME1', 'MONOCHROME2']);

export interface ColourSeries {
  seriesId: number;
  description: string | null;
  /** The photometric interpretation (RGB, YBR_FULL_422, PALETTE COLOR, …). */
  photometric: string;
}

/** The chosen series whose instances are colour (Samples per Pixel 3, RGB/YBR, or a palette). */
export function colourSeries(db: Db, codec: SourceCodec, seriesIds: readonly number[]): ColourSeries[] {
  const found: ColourSeries[] = [];
  // The headers are sealed, so they are opened and read in JS (one opening per instance).
  const stmt = db.prepare('SELECT id, metadata FROM dicom_instances WHERE series_id = ?');
  const described = db.prepare('SELECT description FROM dicom_series WHERE id = ?');
  for (const id of seriesIds) {
    const rows = (stmt.all(id) as { id: number; metadata: unknown }[]).map((r) => {
      const f = instanceMetadata<{ fields?: { samplesPerPixel?: number | null; photometricInterpretation?: string | null } }>(codec, r.id, r.metadata).fields;
      return { spp: f?.samplesPerPixel ?? null, pi: f?.photometricInterpretation ?? null };
    });
    const colour = rows.find((r) => r.spp === 3 || (r.pi !== null && !MONO.has(r.pi)));
    if (!colour) continue;
    const d = described.get(id) as { description: unknown } | undefined;
    found.push({ seriesId: id, description: codec.getMaybe({ table: 'dicom_series', column: 'description', rowId: id }, d?.description), photometric: colour.pi ?? (colour.spp === 3 ? 'RGB' : 'colour') });
  }
  return found;
}

/** Refuses colour series unless the spec converts them; names each one. */
export function refuseColourSeries(db: Db, codec: SourceCodec, seriesIds: readonly number[], colour: 'refuse' | 'greyscale' | undefined): void {
  if (colour === 'greyscale') return;
  const found = colourSeries(db, codec, seriesIds);
  if (found.length === 0) return;
  const named = found.map((s) => `Series #${s.seriesId}${s.description ? ` “${s.description}”` : ''} is colour (${s.photometric})`).join('; ');
  throw new AirlockError(
    'INVALID_ARGUMENT',
    `Image generators train on greyscale images: ${named}. Leave ${found.length === 1 ? 'it' : 'them'} out, or choose “Convert colour to greyscale” (ITU-R BT.601 luma) in the spec.`,
  );
}

/** 8-bit luma of a colour frame: round(0.299 R + 0.587 G + 0.114 B) per pixel (ITU-R BT.601 weights). */
export function lumaBt601(frame: DecodedFrame): Uint8Array {
  const rgb = frame.rgb;
  if (!rgb) throw new TypeError('lumaBt601 needs a colour frame');
  const out = new Uint8Array(frame.width * frame.height);
  for (let i = 0; i < out.length; i++) {
    const y = 0.299 * (rgb[3 * i] as number) + 0.587 * (rgb[3 * i + 1] as number) + 0.114 * (rgb[3 * i + 2] as number);
    out[i] = Math.min(255, Math.round(y));
  }
  return out;
}
