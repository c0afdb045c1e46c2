// The three attack-based risks the Article 29 Working Party's anonymisation criteria name (singling out,
// linkability, inference), measured as Anonymeter does (Giomi et al. 2022, statice/anonymeter): each attack is run
// on training targets, on holdout (control) targets the generator never saw, and as a naive baseline; the risk is
// the attack's excess success on training rows over control rows, (train − control) / (1 − control).
import { InvalidArgumentError } from '../errors';
import { createRng } from '../train/rng';
import { inference, linkability, type InferenceCounts, type LinkabilityCounts } from './attacks-link';
import { singlingOut, type SingledOut, type SinglingOutCounts } from './attacks-singling';
import { wilsonInterval } from './stats';
import type { Checkpoint, Frames, Interval, MetricInfo } from './types';

export type { Condition, PredicateOp, SingledOut } from './attacks-singling';

export const SinglingOutRisk: MetricInfo = {
  name: 'SinglingOutRisk',
  definition: 'Excess share of predicates written from the synthetic rows that isolate exactly one training row, over the same for holdout rows (Anonymeter).',
  goal: 'minimize',
  min: 0,
  max: 1,
};

export const LinkabilityRisk: MetricInfo = {
  name: 'LinkabilityRisk',
  definition: 'Excess share of training rows whose two halves of quasi-identifiers have a common nearest synthetic row, over the same for holdout rows (Anonymeter).',
  goal: 'minimize',
  min: 0,
  max: 1,
};

export const InferenceRisk: MetricInfo = {
  name: 'InferenceRisk',
  definition: 'Excess share of training rows whose sensitive value is guessed from the nearest synthetic row on the quasi-identifiers, over the same for holdout rows (Anonymeter).',
  goal: 'minimize',
  min: 0,
  max: 1,
};

/** Successes out of attempts; the interval is Wilson's 95% score interval, as Anonymeter's. */
export interface SuccessRate {
  /** May be fractional for the singling-out control, whose count is rescaled to the training size. */
  successes: number;
  attempts: number;
  rate: number | null;
  interval: Interval | null;
}

/** The risk and its 95% interval, both bounded to [0, 1]; null when it cannot be computed. */
export interface Risk {
  value: number | null;
  interval: Interval | null;
}

export interface AttackOutcome {
  applicable: true;
  train: SuccessRate;
  control: SuccessRate;
  baseline: SuccessRate;
  risk: Risk;
  /** False when the attack on training rows did no better than the naive baseline: the risk is then not meaningful. */
  betterThanBaseline: boolean;
  notes: string[];
}

export interface NotApplicable {
  applicable: false;
  reason: string;
}

export interface SinglingOutOutcome extends AttackOutcome {
  mode: 'univariate' | 'multivariate';
  nCols: number;
  requested: number;
  queries: number;
  trainRows: number;
  controlRows: number;
  /** Factor applied to the control's success count for the size difference (1 when the sizes are equal). */
  controlCorrection: number;
  /** Each predicate that singled out one training row, in words, with that row's index in the training frame. */
  found: SingledOut[];
}

export type LinkabilityOutcome = AttackOutcome & Omit<LinkabilityCounts, 'train' | 'control' | 'baseline'>;
export type InferenceOutcome = AttackOutcome & Omit<InferenceCounts, 'train' | 'control' | 'baseline'>;

export interface AttackResult {
  singlingOut: { univariate: SinglingOutOutcome | NotApplicable; multivariate: SinglingOutOutcome | NotApplicable };
  linkability: LinkabilityOutcome | NotApplicable;
  inference: NotApplicable | { applicable: true; secrets: (InferenceOutcome | (NotApplicable & { secret: string }))[] };
}

export interface AttackOptions {
  seed: string;
  quasiIdentifiers: string[];
  sensitive: string[];
  /** Predicates per singling-out mode, and targets per linkability and inference attack (Anonymeter's 500). */
  nAttacks?: number;
  /** Columns per multivariate singling-out predicate (Anonymeter's 3). */
  nCols?: number;
  /** The two column sets of the linkability attack; by default the quasi-identifiers split in two halves in order. */
  linkColumns?: [string[], string[]];
  /** Nearest synthetic rows per half in the linkability attack (Anonymeter's 1). */
  neighbours?: number;
}

export function successRate(successes: number, attempts: number): SuccessRate {
  if (attempts === 0) return { successes, attempts, rate: null, interval: null };
  return { successes, attempts, rate: successes / attempts, interval: wilsonInterval(successes, attempts) };
}

/**
 * Anonymeter's residual risk: the rates are the Wilson centres, (k + z²/2) / (n + z²); the error is propagated from
 * the two Wilson half-widths, √((e_t / (1 − c))² + (e_c (t − 1) / (1 − c)²)²); value and interval are bounded to [0, 1].
 */
export function residualRisk(train: SuccessRate, control: SuccessRate): Risk {
  if (!train.interval || !control.interval) return { value: null, interval: null };
  const t = (train.interval.low + train.interval.high) / 2;
  const et = (train.interval.high - train.interval.low) / 2;
  const c = (control.interval.low + control.interval.high) / 2;
  const ec = (control.interval.high - control.interval.low) / 2;
  if (!(c < 1)) return { value: null, interval: null };
  const value = (t - c) / (1 - c);
  const error = Math.hypot(et / (1 - c), (ec * (t - 1)) / (1 - c) ** 2);
  const bound = (x: number) => Math.min(1, Math.max(0, x));
  return { value: bound(value), interval: { low: bound(value - error), high: bound(value + error) } };
}

const pct = (r: SuccessRate) => (r.rate === null ? 'n/a' : `${(100 * r.rate).toFixed(1)}%`);

function outcome(train: SuccessRate, control: SuccessRate, baseline: SuccessRate, notes: string[]): AttackOutcome {
  const centre = (r: SuccessRate) => (r.interval ? (r.interval.low + r.interval.high) / 2 : Number.NaN);
  // Anonymeter's sanity check: an attack no better than guessing says nothing about the synthetic data.
  const betterThanBaseline = centre(train) > centre(baseline);
  const all = betterThanBaseline ? notes : [...notes, `The attack did no better than the naive baseline (${pct(train)} against ${pct(baseline)}): its risk figure is not meaningful.`];
  return { applicable: true, train, control, baseline, risk: residualRisk(train, control), betterThanBaseline, notes: all };
}

function singlingOutOutcome(s: SinglingOutCounts): SinglingOutOutcome | NotApplicable {
  if (s.queries === 0) return { applicable: false, reason: `No ${s.mode} predicate isolates a single synthetic row, so there is nothing to attack with.` };
  const notes: string[] = [];
  if (s.queries < s.requested) notes.push(`Only ${s.queries} of the ${s.requested} requested ${s.mode} predicates isolate one synthetic row; the rates are over those ${s.queries}.`);
  if (s.correction !== 1) notes.push(`The control has ${s.controlRows} distinct rows and the training ${s.trainRows}: its ${s.controlRaw} successes were rescaled by ${s.correction.toFixed(3)} to the training size, as Anonymeter does, by a fitted model of how often a predicate isolates one person in a population of a given size.`);
  const { found, mode, nCols, requested, queries, trainRows, controlRows } = s;
  const base = outcome(successRate(s.train, queries), successRate(s.control, queries), successRate(s.baseline, s.baselineAttempts), notes);
  return { ...base, mode, nCols, requested, queries, trainRows, controlRows, controlCorrection: s.correction, found };
}

function checkColumns(frames: Frames, names: string[], role: string): void {
  const unknown = names.filter((n) => !frames.train.columns.some((c) => c.name === n));
  if (unknown.length) throw new InvalidArgumentError(`The ${role} ${unknown.map((n) => `“${n}”`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a column of the validated table.`);
}

function positiveInteger(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(`The ${what} must be a whole number of at least 1, not ${v}.`);
  return v;
}

/** The default linkability split: the first half of the quasi-identifiers (rounded up) against the rest. */
export function splitQuasiIdentifiers(qi: readonly string[]): [string[], string[]] {
  const half = Math.ceil(qi.length / 2);
  return [qi.slice(0, half), qi.slice(half)];
}

/**
 * Runs the singling-out attack (univariate and multivariate, on every column), the linkability attack (with at least
 * two quasi-identifiers) and an inference attack per sensitive column (with quasi-identifiers to guess from).
 */
export function attacks(frames: Frames, opts: AttackOptions, check?: Checkpoint): AttackResult {
  const nAttacks = positiveInteger(opts.nAttacks ?? 500, 'number of attacks');
  const nCols = positiveInteger(opts.nCols ?? 3, 'number of columns per predicate');
  const neighbours = positiveInteger(opts.neighbours ?? 1, 'number of neighbours');
  const qi = [...new Set(opts.quasiIdentifiers)];
  checkColumns(frames, qi, 'quasi-identifier');
  checkColumns(frames, opts.sensitive, 'sensitive column');
  const rng = createRng(opts.seed).fork('attacks');
  const stage = (from: number, to: number): Checkpoint | undefined => check && ((p = 0) => check(from + (to - from) * p));
  const { train, holdout, synthetic } = frames;
  const empty = train.rows === 0 ? 'training' : holdout.rows === 0 ? 'holdout' : synthetic.rows === 0 ? 'synthetic' : null;
  const none = (reason: string): NotApplicable => ({ applicable: false, reason });
  if (empty) {
    const reason = `There are no ${empty} rows to attack with or to attack.`;
    return { singlingOut: { univariate: none(reason), multivariate: none(reason) }, linkability: none(reason), inference: none(reason) };
  }

  check?.(0);
  const univariate = singlingOutOutcome(singlingOut(frames, 'univariate', { nAttacks, nCols, rng: rng.fork('singling-out:univariate'), check: stage(0, 0.1) }));
  const multivariate =
    synthetic.columns.length < 2
      ? none('A multivariate predicate needs at least two columns.')
      : singlingOutOutcome(singlingOut(frames, 'multivariate', { nAttacks, nCols, rng: rng.fork('singling-out:multivariate'), check: stage(0.1, 0.5) }));

  let link: LinkabilityOutcome | NotApplicable;
  const columns = opts.linkColumns ?? splitQuasiIdentifiers(qi);
  if (opts.linkColumns) {
    checkColumns(frames, [...columns[0], ...columns[1]], 'linkability column');
    if (columns[0].some((c) => columns[1].includes(c))) throw new InvalidArgumentError('The two column sets of the linkability attack must not share a column.');
  }
  if (columns[0].length === 0 || columns[1].length === 0) link = none('Linkability needs at least two quasi-identifiers, split into two disjoint sets.');
  else {
    const l = linkability(frames, columns, { nAttacks, neighbours, rng: rng.fork('linkability'), check: stage(0.5, 0.7) });
    const { train: t, control: c, baseline: b, ...rest } = l;
    link = { ...outcome(successRate(t, l.targets), successRate(c, l.targets), successRate(b, l.targets), []), ...rest };
  }

  let inf: AttackResult['inference'];
  if (opts.sensitive.length === 0) inf = none('The spec declares no sensitive column.');
  else {
    const secrets = opts.sensitive.map((secret, i): InferenceOutcome | (NotApplicable & { secret: string }) => {
      const aux = qi.filter((q) => q !== secret);
      if (aux.length === 0) return { ...none(`There is no quasi-identifier, other than “${secret}” itself, to guess it from.`), secret };
      const at = 0.7 + (0.3 * i) / opts.sensitive.length;
      const r = inference(frames, secret, aux, { nAttacks, rng: rng.fork(`inference:${secret}`), check: stage(at, at + 0.3 / opts.sensitive.length) });
      const { train: t, control: c, baseline: b, ...rest } = r;
      return { ...outcome(successRate(t, r.targets), successRate(c, r.targets), successRate(b, r.targets), []), ...rest };
    });
    inf = { applicable: true, secrets };
  }
  check?.(1);
  return { singlingOut: { univariate, multivariate }, linkability: link, inference: inf };
}

/** Every attack by name, inference once per sensitive column: the order the gate and the report list them in. */
export type NamedAttack = { name: string; outcome: AttackOutcome | NotApplicable };

export function attackList(a: AttackResult): NamedAttack[] {
  const list: NamedAttack[] = [
    { name: 'Singling out (univariate)', outcome: a.singlingOut.univariate },
    { name: 'Singling out (multivariate)', outcome: a.singlingOut.multivariate },
    { name: 'Linkability', outcome: a.linkability },
  ];
  if (a.inference.applicable) for (const s of a.inference.secrets) list.push({ name: `Inference of ${'secret' in s ? s.secret : '?'}`, outcome: s });
  else list.push({ name: 'Inference', outcome: a.inference });
  return list;
}
