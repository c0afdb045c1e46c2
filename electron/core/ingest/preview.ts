// Previews of stored images: decode once, keep the last frames in memory, so scrolling slices and
// dragging window/level only re-window and re-encode the PNG.
import type { RenderResult, WindowRequest } from '../../shared/ingest-schemas';
import { AirlockError } from '../errors';
import { parseDicom, type ParsedDicom } from '../imaging/dicom';
import { decodeFrame, type DecodedFrame } from '../imaging/pixels';
import { CT_PRESETS, defaultWindow, renderPng } from '../imaging/render';
import type { Db } from '../store/database';
import type { SourceCodec } from '../store/sources-seal';
import { readFileContent } from './files-repo';
import { instanceFile, seriesInstances } from './sources-repo';

const CACHE_FRAMES = 32;

export class PreviewCache {
  private frames = new Map<string, { parsed: ParsedDicom; frame: DecodedFrame }>();

  async frame(db: Db, codec: SourceCodec, instanceId: number, index: number): Promise<{ parsed: ParsedDicom; frame: DecodedFrame; frames: number }> {
    // A cached frame is a source value too: only a session that could open it is served.
    codec.requireKey();
    const { fileId, frames } = instanceFile(db, instanceId);
    if (index >= frames) throw new AirlockError('INVALID_ARGUMENT', `This image has ${frames} frame${frames === 1 ? '' : 's'}; frame ${index + 1} does not exist.`);
    const key = `${instanceId}:${index}`;
    const hit = this.frames.get(key);
    if (hit) {
      // Re-insert to keep the map in least-recently-used order.
      this.frames.delete(key);
      this.frames.set(key, hit);
      return { ...hit, frames };
    }
    const bytes = readFileContent(db, codec, fileId);
    if (!bytes) throw new AirlockError('NOT_FOUND', 'The stored file for this image is missing.');
    const parsed = parseDicom(bytes);
    const frame = await decodeFrame(bytes, parsed, index);
    this.frames.set(key, { parsed, frame });
    while (this.frames.size > CACHE_FRAMES) this.frames.delete(this.frames.keys().next().value as string);
    return { parsed, frame, frames };
  }

  // A DICOM held as bytes elsewhere in the store (a synthetic image), rendered the same way as a source frame.
  async renderBytes(key: string, bytes: Uint8Array, request: WindowRequest, maxSize?: number): Promise<RenderResult> {
    let hit = this.frames.get(key);
    if (!hit) {
      const parsed = parseDicom(bytes);
      hit = { parsed, frame: await decodeFrame(bytes, parsed, 0) };
      this.frames.set(key, hit);
      while (this.frames.size > CACHE_FRAMES) this.frames.delete(this.frames.keys().next().value as string);
    }
    return this.draw(hit.parsed, hit.frame, 1, request, maxSize);
  }

  async render(db: Db, codec: SourceCodec, instanceId: number, index: number, request: WindowRequest, maxSize?: number): Promise<RenderResult> {
    const { parsed, frame, frames } = await this.frame(db, codec, instanceId, index);
    return this.draw(parsed, frame, frames, request, maxSize);
  }

  private async draw(parsed: ParsedDicom, frame: DecodedFrame, frames: number, request: WindowRequest, maxSize?: number): Promise<RenderResult> {
    const window =
      frame.samples === 3
        ? null
        : request.kind === 'preset'
          ? { center: CT_PRESETS[request.name].center, width: CT_PRESETS[request.name].width }
          : request.kind === 'custom'
            ? { center: request.center, width: request.width }
            : defaultWindow(parsed, frame);
    const png = await renderPng(frame, window, maxSize ? { maxSize } : {});
    const scale = maxSize ? Math.min(1, maxSize / Math.max(frame.width, frame.height)) : 1;
    return {
      dataUrl: `data:image/png;base64,${png.toString('base64')}`,
      width: Math.max(1, Math.round(frame.width * scale)),
      height: Math.max(1, Math.round(frame.height * scale)),
      center: window?.center ?? null,
      windowWidth: window?.width ?? null,
      min: frame.min,
      max: frame.max,
      frames,
    };
  }

  async thumbnail(db: Db, codec: SourceCodec, seriesId: number): Promise<RenderResult> {
    const instances = seriesInstances(db, seriesId);
    const middle = instances[Math.floor(instances.length / 2)];
    if (!middle) throw new AirlockError('NOT_FOUND', `Series #${seriesId} has no images.`);
    return this.render(db, codec, middle.id, Math.floor(middle.frames / 2), { kind: 'file' }, 128);
  }
}
