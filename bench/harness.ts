// The bench's measuring discipline: every comparison alternates the two sides (A B A B …) after warm-up runs that
// are not counted, reports the median of each side and the median, min and max of the pairwise ratios, prints one
// aligned table per section, and keeps every figure for the JSON file (`--json FILE`), with the machine it ran on.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import Table from 'cli-table3';

/** Which direction is good: rates go up, times and memory go down. */
export type Better = 'higher' | 'lower';

export interface Metric {
  key: string;
  label: string;
  unit: string;
  better: Better;
}

/** One run of one side: a value per metric key. */
export type Measure = Record<string, number>;

export interface SideSpec {
  label: string;
  /** Threads the side computes on (reported beside its figures). */
  threads: number | string;
  run: () => Measure | Promise<Measure>;
}

export interface Comparison {
  name: string;
  metrics: Metric[];
  ours: SideSpec;
  /** Null when there is no reference: the figure is ours alone, repeated `pairs` times. */
  reference: SideSpec | null;
}

export interface Figure {
  section: string;
  name: string;
  metric: string;
  unit: string;
  better: Better;
  ours: number;
  reference: number | null;
  /** Median of the pairwise ratios, oriented so that > 1 means Airlock is better (faster, smaller). */
  ratio: number | null;
  ratioMin: number | null;
  ratioMax: number | null;
  pairs: number;
  oursLabel: string;
  referenceLabel: string | null;
  oursThreads: number | string;
  referenceThreads: number | string | null;
  oursRuns: number[];
  referenceRuns: number[];
  note?: string;
}

export interface Machine {
  cores: number;
  cpuModel: string;
  totalMemoryMb: number;
  loadAverageAtStart: [number, number, number];
  node: string;
  gitCommit: string;
  gitDirty: boolean;
  date: string;
}

export interface RunOptions {
  pairs: number;
  warmup: number;
  /** Called before each counted or warm-up run, in order; the tests read the alternation from it. */
  onRun?: (side: 'ours' | 'reference', warmup: boolean) => void;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Ours against the reference, > 1 when ours is better in the metric's direction. */
export function orientedRatio(ours: number, reference: number, better: Better): number {
  return better === 'higher' ? ours / reference : reference / ours;
}

/** Runs both sides `warmup` times (not counted), then `pairs` times alternating ours, reference, ours, … */
export async function runComparison(section: string, c: Comparison, opts: RunOptions): Promise<Figure[]> {
  const oursRuns: Measure[] = [];
  const refRuns: Measure[] = [];
  const once = async (side: 'ours' | 'reference', warmup: boolean): Promise<void> => {
    const spec = side === 'ours' ? c.ours : c.reference;
    if (!spec) return;
    opts.onRun?.(side, warmup);
    const m = await spec.run();
    if (!warmup) (side === 'ours' ? oursRuns : refRuns).push(m);
  };
  for (let i = 0; i < opts.warmup; i++) {
    await once('ours', true);
    await once('reference', true);
  }
  for (let i = 0; i < opts.pairs; i++) {
    await once('ours', false);
    await once('reference', false);
  }
  return summarise(section, c, oursRuns, refRuns);
}

/** The figures of a comparison from its counted runs (pair i = oursRuns[i] with refRuns[i]). */
export function summarise(section: string, c: Comparison, oursRuns: readonly Measure[], refRuns: readonly Measure[]): Figure[] {
  return c.metrics.map((m) => {
    const a = oursRuns.map((r) => r[m.key] ?? Number.NaN);
    const b = refRuns.map((r) => r[m.key] ?? Number.NaN);
    const ratios = c.reference ? a.map((x, i) => orientedRatio(x, b[i] ?? Number.NaN, m.better)) : [];
    return {
      section,
      name: c.name,
      metric: m.label,
      unit: m.unit,
      better: m.better,
      ours: median(a),
      reference: c.reference ? median(b) : null,
      ratio: c.reference ? median(ratios) : null,
      ratioMin: c.reference ? Math.min(...ratios) : null,
      ratioMax: c.reference ? Math.max(...ratios) : null,
      pairs: a.length,
      oursLabel: c.ours.label,
      referenceLabel: c.reference?.label ?? null,
      oursThreads: c.ours.threads,
      referenceThreads: c.reference?.threads ?? null,
      oursRuns: a,
      referenceRuns: b,
    };
  });
}

/** A figure measured once elsewhere (scaling rows, lag percentiles): ours alone, no pairs. */
export function single(section: string, name: string, metric: Metric, value: number, label: string, threads: number | string, note?: string): Figure {
  const f = summarise(section, { name, metrics: [metric], ours: { label, threads, run: () => ({}) }, reference: null }, [{ [metric.key]: value }], [])[0] as Figure;
  return note ? { ...f, note } : f;
}

/** Three significant digits, thousands grouped: 18,700 · 34.1 · 0.113. */
export function fmt(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return x === null ? '' : String(x);
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en');
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  if (abs >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** One aligned table: figure, unit, Airlock, reference, ratio (median, min–max), pairs. */
export function formatTable(figures: readonly Figure[]): string {
  const hasRef = figures.some((f) => f.reference !== null);
  const head = ['figure', 'unit', 'airlock', ...(hasRef ? ['reference', 'ratio', 'min–max'] : []), 'runs'];
  const table = new Table({
    head,
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: ['left', 'left', 'right', ...(hasRef ? (['right', 'right', 'right'] as const) : []), 'right'],
  });
  for (const f of figures) {
    const label = `${f.name} ${f.metric}`.trim();
    const unit = `${f.unit}${f.better === 'lower' ? ' ↓' : ''}`;
    const ref = hasRef ? [fmt(f.reference), f.ratio === null ? '' : `${f.ratio.toFixed(2)}×`, f.ratioMin === null ? '' : `${f.ratioMin.toFixed(2)}–${(f.ratioMax ?? 0).toFixed(2)}`] : [];
    table.push([label, unit, fmt(f.ours), ...ref, String(f.pairs)]);
  }
  return table.toString();
}

/** The sides compared in a section, with their thread counts, one line each. */
export function formatSides(figures: readonly Figure[]): string {
  const lines = new Set<string>();
  for (const f of figures) {
    lines.add(`   airlock: ${f.oursLabel}, ${f.oursThreads} thread(s)`);
    if (f.referenceLabel) lines.add(`   reference (${f.name}): ${f.referenceLabel}, ${f.referenceThreads} thread(s)`);
  }
  return [...lines].join('\n');
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', cwd: import.meta.dirname, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function machine(): Machine {
  const cpu = cpus();
  const [l1, l5, l15] = loadavg();
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    totalMemoryMb: Math.round(totalmem() / 2 ** 20),
    loadAverageAtStart: [l1 ?? 0, l5 ?? 0, l15 ?? 0],
    node: process.version,
    gitCommit: git(['rev-parse', 'HEAD']) || 'unknown',
    gitDirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
    date: new Date().toISOString(),
  };
}

export interface BenchReport {
  machine: Machine;
  options: { pairs: number; warmup: number; quick: boolean; sections: string[] };
  figures: Figure[];
}

export function writeReport(file: string, report: BenchReport): void {
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

export interface CliOptions {
  sections: string[];
  pairs: number;
  warmup: number;
  json: string | null;
  quick: boolean;
  profile: boolean;
}

/** `[section …] [--pairs N] [--warmup N] [--json FILE] [--quick] [--profile]`; unknown sections are refused. */
export function parseArgs(argv: readonly string[], known: readonly string[]): CliOptions {
  const out: CliOptions = { sections: [], pairs: 5, warmup: 1, json: null, quick: false, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value.`);
      return v;
    };
    if (a === '--pairs' || a === '--warmup') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < (a === '--pairs' ? 1 : 0)) throw new Error(`${a} takes a whole number${a === '--pairs' ? ' of at least 1' : ''}.`);
      if (a === '--pairs') out.pairs = n;
      else out.warmup = n;
    } else if (a === '--json') out.json = value();
    else if (a === '--quick') out.quick = true;
    else if (a === '--profile') out.profile = true;
    else if (a.startsWith('--')) throw new Error(`Unknown option ${a}.`);
    else if (!known.includes(a)) throw new Error(`Unknown section "${a}"; the sections are ${known.join(', ')}.`);
    else if (!out.sections.includes(a)) out.sections.push(a);
  }
  return out;
}
