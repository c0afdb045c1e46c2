// What each tunable field of a spec means, with the default's reason, for the form and the error summary.
import { acceptanceSchema, generatorSchema, type Acceptance, type GeneratorConfig } from '../../../../electron/shared/spec-schema';

export type GeneratorKind = GeneratorConfig['kind'];
export type NeuralKind = Exclude<GeneratorKind, 'copula'>;

export interface NumericField {
  key: string;
  label: string;
  help: string;
  // List fields are edited as comma-separated numbers.
  list?: boolean;
  step?: 'int' | 'decimal';
}

export const GENERATOR_OPTIONS: { value: GeneratorKind; label: string; description: string }[] = [
  { value: 'copula', label: 'Gaussian copula', description: 'Fits each column’s distribution and the correlations between them. Fast, no training epochs; a solid baseline.' },
  { value: 'tvae', label: 'TVAE', description: 'A variational autoencoder for tables. Trains for a number of epochs on this workstation.' },
  { value: 'ctgan', label: 'CTGAN', description: 'A conditional GAN for tables. Copes with rare categories better; the slowest to train.' },
];

const checkpoint: NumericField = { key: 'checkpointEvery', label: 'Checkpoint every N epochs', help: 'default 10: a cancelled or interrupted run resumes losing at most 10 epochs.', step: 'int' };

export const GENERATOR_FIELDS: Record<NeuralKind, NumericField[]> = {
  tvae: [
    { key: 'epochs', label: 'Epochs', help: 'default 300 (the TVAE paper’s setting).', step: 'int' },
    { key: 'batchSize', label: 'Batch size', help: 'default 500 (the reference implementation); rows per gradient step.', step: 'int' },
    { key: 'learningRate', label: 'Learning rate', help: 'default 0.001 (Adam’s usual rate, as in the reference implementation).' },
    { key: 'embeddingDim', label: 'Embedding dimension', help: 'default 128: size of the latent code each row is compressed to.', step: 'int' },
    { key: 'hiddenDims', label: 'Hidden layers', help: 'default 128, 128: two hidden layers, as in the paper. Comma-separated widths.', list: true },
    { key: 'l2scale', label: 'L2 weight decay', help: 'default 0.00001: light regularisation against memorising individual rows.' },
    { key: 'lossFactor', label: 'Reconstruction loss factor', help: 'default 2: weight of reconstruction against the KL term, as in the reference implementation.' },
    checkpoint,
  ],
  ctgan: [
    { key: 'epochs', label: 'Epochs', help: 'default 300 (the CTGAN paper’s setting).', step: 'int' },
    { key: 'batchSize', label: 'Batch size', help: 'default 500 (the CTGAN paper); keep it a multiple of pac.', step: 'int' },
    { key: 'generatorLr', label: 'Generator learning rate', help: 'default 0.0002 (Adam, as in the CTGAN paper).' },
    { key: 'discriminatorLr', label: 'Discriminator learning rate', help: 'default 0.0002 (Adam, as in the CTGAN paper).' },
    { key: 'embeddingDim', label: 'Noise dimension', help: 'default 128: size of the random input the generator starts from.', step: 'int' },
    { key: 'generatorDims', label: 'Generator layers', help: 'default 256, 256 (the CTGAN paper). Comma-separated widths.', list: true },
    { key: 'discriminatorDims', label: 'Discriminator layers', help: 'default 256, 256 (the CTGAN paper). Comma-separated widths.', list: true },
    { key: 'discriminatorSteps', label: 'Discriminator steps', help: 'default 1 (the CTGAN paper): critic updates per generator update.', step: 'int' },
    { key: 'pac', label: 'Pac', help: 'default 10 (PacGAN): the critic judges 10 rows together, which discourages mode collapse.', step: 'int' },
    checkpoint,
  ],
};

export function generatorDefaults(kind: GeneratorKind): GeneratorConfig {
  return generatorSchema.parse({ kind });
}

export const ACCEPTANCE_DEFAULTS: Acceptance = acceptanceSchema.parse({});

export interface AcceptanceField {
  group: 'fidelity' | 'utility' | 'privacy';
  key: string;
  label: string;
  help: string;
  step?: 'int' | 'decimal';
}

// One sentence each, written for a model-risk reviewer rather than for a data scientist.
export const ACCEPTANCE_FIELDS: AcceptanceField[] = [
  { group: 'fidelity', key: 'ksMax', label: 'KS distance, max', help: 'For each numeric column, the real and synthetic cumulative distributions may differ by at most this much (0.1 = 10 percentage points).' },
  { group: 'fidelity', key: 'categoricalTvMax', label: 'Categorical TV distance, max', help: 'For each categorical column, at most this share of the probability mass may sit in the wrong categories.' },
  { group: 'fidelity', key: 'correlationDiffMax', label: 'Correlation difference, max', help: 'The correlation of any pair of columns may move by at most this much, so relationships survive, not just single columns.' },
  { group: 'utility', key: 'minScoreRatio', label: 'Minimum score ratio', help: 'A model trained on synthetic data must score at least this share of a model trained on real data, both tested on the real holdout.' },
  { group: 'privacy', key: 'exactCopiesMax', label: 'Exact copies, max', help: 'Synthetic rows identical to a real training row; each one may disclose a patient, so the default allows none.', step: 'int' },
  { group: 'privacy', key: 'dcrRatioMin', label: 'DCR ratio, min', help: 'Synthetic rows must lie at least as far from the training rows as unseen holdout patients do (1.0 = no closer).' },
  { group: 'privacy', key: 'nndrMin', label: 'NNDR, min', help: 'A low nearest-neighbour distance ratio means a synthetic row sits on top of one real patient rather than between several.' },
  { group: 'privacy', key: 'membershipAucMax', label: 'Membership-inference AUC, max', help: 'How well an attacker can tell whether a patient was in the training data; 0.5 is guessing, so 0.6 allows only a weak signal.' },
];

export const UTILITY_TARGET_HELP = 'The column a model learns to predict in the utility test; leave it empty to skip that test.';

const TOP_LABELS: Record<string, string> = {
  name: 'Name',
  source: 'Source',
  columns: 'Columns',
  generator: 'Generator',
  rows: 'Rows to generate',
  seed: 'Seed',
  acceptance: 'Acceptance criteria',
  intendedUse: 'Intended use',
  prohibitedUses: 'Prohibited uses',
  'acceptance.utility.target': 'Utility target column',
};

// A readable name for an issue path, for the summary above Save.
export function labelForPath(path: string, columnNames: string[]): string {
  if (TOP_LABELS[path]) return TOP_LABELS[path];
  const parts = path.split('.');
  if (parts[0] === 'generator') {
    const field = [...GENERATOR_FIELDS.tvae, ...GENERATOR_FIELDS.ctgan].find((f) => f.key === parts[1]);
    return field ? `Generator: ${field.label}` : 'Generator';
  }
  if (parts[0] === 'acceptance') {
    const field = ACCEPTANCE_FIELDS.find((f) => f.group === parts[1] && f.key === parts[2]);
    return field ? `Acceptance: ${field.label}` : 'Acceptance criteria';
  }
  if (parts[0] === 'prohibitedUses' && parts[1] !== undefined) return `Prohibited use ${Number(parts[1]) + 1}`;
  if (parts[0] === 'columns' && parts[1] !== undefined) return `Column ${columnNames[Number(parts[1])] ?? Number(parts[1]) + 1}`;
  return TOP_LABELS[parts[0] ?? ''] ?? path;
}
