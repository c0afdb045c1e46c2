import { threadsPhrase, type RunView } from '../../../../electron/shared/train-schemas';

export const STATUS_COLOR: Record<RunView['status'], string> = { running: 'blue', done: 'teal', cancelled: 'gray', failed: 'red' };

export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `≈ ${s} s left`;
  const m = Math.round(s / 60);
  if (m < 90) return `≈ ${m} min left`;
  return `≈ ${Math.floor(m / 60)} h ${m % 60} min left`;
}

export function backendLabel(backend: NonNullable<RunView['backend']>): string {
  const parts = [backend.name];
  if (backend.tfjsVersion) parts.push(`tfjs ${backend.tfjsVersion}`);
  if (backend.backendVersion && backend.backendVersion !== backend.tfjsVersion) parts.push(`backend ${backend.backendVersion}`);
  const threads = threadsPhrase(backend);
  if (threads) parts.push(threads);
  return parts.join(' · ');
}

// Losses are reported with a few significant digits: enough to see a trend, not noise.
export function formatLoss(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0) ? v.toExponential(2) : v.toPrecision(3);
}
