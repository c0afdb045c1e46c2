// Window/level presets and the arithmetic of dragging a window on the image.
import type { RenderResult, WindowRequest } from '../../../../../../electron/shared/ingest-schemas';

export type PresetName = 'softTissue' | 'lung' | 'liver' | 'bone' | 'brain';

// The same CT windows (Hounsfield units) main applies for these names; repeated here only to label the buttons.
export const PRESETS: readonly { name: PresetName; label: string; center: number; width: number }[] = [
  { name: 'softTissue', label: 'Soft tissue', center: 40, width: 400 },
  { name: 'lung', label: 'Lung', center: -600, width: 1500 },
  { name: 'liver', label: 'Liver', center: 90, width: 150 },
  { name: 'bone', label: 'Bone', center: 480, width: 2500 },
  { name: 'brain', label: 'Brain', center: 40, width: 80 },
];

export interface Wl {
  center: number;
  width: number;
}

// What the W/L readout shows: the window asked for, or for the file default the one main reported.
export function displayedWindow(request: WindowRequest, last: { request: WindowRequest; result: RenderResult } | null): Wl | null {
  if (request.kind === 'custom') return { center: request.center, width: request.width };
  if (request.kind === 'preset') {
    const p = PRESETS.find((x) => x.name === request.name);
    return p ? { center: p.center, width: p.width } : null;
  }
  if (!last || last.request.kind !== 'file' || last.result.center === null || last.result.windowWidth === null) return null;
  return { center: last.result.center, width: last.result.windowWidth };
}

// Readable at a glance: whole numbers for wide ranges, two decimals for small (e.g. PET SUV) ones.
export function formatWl(value: number): string {
  const rounded = Math.abs(value) >= 100 || Number.isInteger(value) ? Math.round(value) : Math.round(value * 100) / 100;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

// One pixel of drag moves the window by 1/500 of the frame's value range.
export function dragStep(min: number, max: number): number {
  const range = max - min;
  return range > 0 ? range / 500 : 1;
}

export function draggedWindow(start: Wl, dx: number, dy: number, step: number): Wl {
  const minWidth = Math.max(step, 1e-6);
  const round = (v: number) => (step >= 1 ? Math.round(v) : Math.round(v * 1000) / 1000);
  // Right widens the window; down raises the centre (a darker image), as in Cornerstone/OHIF viewers.
  return { center: round(start.center + dy * step), width: Math.max(minWidth, round(start.width + dx * step)) };
}

export const ZOOM_MIN = 0.1;
export const ZOOM_MAX = 16;
export const clampZoom = (z: number): number => Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, z));
