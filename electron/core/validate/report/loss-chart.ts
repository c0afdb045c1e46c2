// A run's losses per epoch as the same kind of chart the reports use (one charting library for UI and report).
import type { Db } from '../../store/database';
import { getRunRow } from '../../train/runs-repo';
import { lossChart, renderSvg } from './charts';

export async function runLossChart(db: Db, runId: number): Promise<{ svg: string | null }> {
  const run = getRunRow(db, runId);
  const epochs = JSON.parse(run.losses) as { epoch: number; losses: Record<string, number> }[];
  if (epochs.length === 0) return { svg: null };
  const names = [...new Set(epochs.flatMap((e) => Object.keys(e.losses)))];
  const series = names.map((name) => ({ name, points: epochs.filter((e) => Number.isFinite(e.losses[name])).map((e) => ({ epoch: e.epoch, value: e.losses[name]! })) }));
  return { svg: await renderSvg(lossChart({ series })) };
}
