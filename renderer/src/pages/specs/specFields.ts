// What each tunable field of a spec means, with the default's reason, for the form and the error summary.
import { CRITERIA, evaluationSchema, RELEASE_TIERS, TIER_LABELS, type CriterionFamily, type Evaluation, type ReleaseTier } from '../../../../electron/shared/criteria';
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
export const EVALUATION_DEFAULTS: Evaluation = evaluationSchema.parse(undefined);

export const CRITERION_FAMILIES: { id: CriterionFamily; title: string; lead: string }[] = [
  { id: 'fidelity', title: 'Fidelity', lead: 'Does the synthetic data look like the source, column by column and pair by pair?' },
  { id: 'utility', title: 'Utility', lead: 'Does a model trained on it do the same job on real patients?' },
  { id: 'privacy', title: 'Privacy', lead: 'Does it keep individual training patients out of reach?' },
];

// What each tier is for, in the words a reviewer reads on the dataset card.
export const TIER_HELP: Record<ReleaseTier, string> = {
  'internal-prototyping': 'Stays inside the team for trying out pipelines; the most lenient defaults.',
  'model-development': 'Used to develop and tune models inside the hospital; the usual defaults.',
  'external-sharing': 'Leaves the hospital; the strictest privacy defaults.',
};

export const TIER_OPTIONS = RELEASE_TIERS.map((t) => ({ value: t, label: TIER_LABELS[t] }));

export const EVALUATION_HELP = {
  stratifyBy: 'Column shapes are checked again inside each subgroup of these columns (e.g. sex, an age band); at most 5.',
  quasiIdentifiers: 'Columns an attacker could know about a patient from elsewhere; the linkability and inference attacks use them.',
  sensitive: 'Columns an attacker must not be able to guess from the quasi-identifiers through the synthetic data.',
  correlation: 'How correlations between numeric columns are compared: Pearson (linear) or Spearman (rank, robust to outliers).',
  smallCellMin: 'A report that leaves the workstation suppresses or merges any count, bin or share resting on fewer real rows than this (default 10).',
} as const;

export const UTILITY_TARGET_HELP = 'The column a model learns to predict in the utility test; leave it empty to skip that test.';

const TOP_LABELS: Record<string, string> = {
  name: 'Name',
  source: 'Source',
  columns: 'Columns',
  generator: 'Generator',
  rows: 'Rows to generate',
  seed: 'Seed',
  acceptance: 'Acceptance (legacy thresholds)',
  tier: 'Release tier',
  criteria: 'Acceptance criteria',
  evaluation: 'Evaluation',
  'evaluation.stratifyBy': 'Stratification columns',
  'evaluation.quasiIdentifiers': 'Quasi-identifiers',
  'evaluation.sensitive': 'Sensitive columns',
  'evaluation.correlation': 'Correlation',
  'evaluation.smallCellMin': 'Small-cell minimum',
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
  if (parts[0] === 'criteria' && parts.length > 1) {
    // Criterion ids contain a dot themselves ("privacy.nndrMin").
    const id = parts.slice(1).join('.');
    const def = CRITERIA.find((c) => c.id === id);
    return def ? `Criterion: ${def.label}` : 'Acceptance criteria';
  }
  if (parts[0] === 'evaluation' && parts[1] !== undefined) return TOP_LABELS[`evaluation.${parts[1]}`] ?? 'Evaluation';
  if (parts[0] === 'prohibitedUses' && parts[1] !== undefined) return `Prohibited use ${Number(parts[1]) + 1}`;
  if (parts[0] === 'columns' && parts[1] !== undefined) return `Column ${columnNames[Number(parts[1])] ?? Number(parts[1]) + 1}`;
  return TOP_LABELS[parts[0] ?? ''] ?? path;
}
