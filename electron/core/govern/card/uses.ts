// What the card says per release tier: what the tier means, the uses it allows and forbids, how the data may
// leave, and how the card is maintained. Written once here so every card of a tier reads the same.
import { TIER_LABELS, type ReleaseTier } from '../../../shared/criteria';

export const TIER_MEANING: Record<ReleaseTier, string> = {
  'internal-prototyping':
    'Internal prototyping: the data stays inside the hospital and is meant for building and trying out software, pipelines and analyses; its acceptance criteria are the most lenient.',
  'model-development':
    'Model development: the data stays inside the hospital and is meant for developing and evaluating models; fidelity and utility criteria are stricter than for prototyping.',
  'external-sharing':
    'External sharing: the data may be given to partners outside the hospital; it had to meet the strictest privacy criteria, and its approval needs more reviewers.',
};

// Forbidden whatever the tier: synthetic rows describe no one, and nobody may try to make them describe someone.
const ALWAYS_PROHIBITED = [
  'Using it as, or mixing it with, real patient data: every record is synthetic and describes no real person.',
  'Any attempt to re-identify a person, or to find out whether a particular person’s record was used to train the generator.',
  'Clinical decisions about individual patients, or any claim about a real patient, based on this data.',
];

const INTENDED: Record<ReleaseTier, string[]> = {
  'internal-prototyping': [
    'Building and testing software, data pipelines and analysis code inside the hospital.',
    'Demonstrations and training for hospital staff.',
  ],
  'model-development': [
    'Developing, tuning and evaluating models inside the hospital, with findings confirmed on real data before any use in care.',
    'Building and testing software, data pipelines and analysis code inside the hospital.',
  ],
  'external-sharing': [
    'Sharing with partners outside the hospital for method development, benchmarking and teaching.',
    'Developing and evaluating models, with findings confirmed on real data before any use in care.',
  ],
};

const PROHIBITED: Record<ReleaseTier, string[]> = {
  'internal-prototyping': [
    'Giving it to anyone outside the hospital: that needs a new dataset validated and approved for external sharing.',
    'Training or evaluating models meant for deployment, or drawing research conclusions from it: it was approved for prototyping only.',
  ],
  'model-development': ['Giving it to anyone outside the hospital: that needs a new dataset validated and approved for external sharing.'],
  'external-sharing': [
    'Linking it with other data sets, registers or public sources, or combining it with them to learn about real people.',
    'Passing it on to anyone not covered by the agreement it was shared under.',
  ],
};

export function usesFor(tier: ReleaseTier, specIntendedUse: string, specProhibitedUses: string[]): { intended: string[]; prohibited: string[]; specIntendedUse: string; specProhibitedUses: string[] } {
  return { intended: INTENDED[tier], prohibited: [...ALWAYS_PROHIBITED, ...PROHIBITED[tier]], specIntendedUse, specProhibitedUses };
}

export function distributionFor(tier: ReleaseTier): { tier: ReleaseTier; tierLabel: string; text: string[] } {
  return {
    tier,
    tierLabel: TIER_LABELS[tier],
    text: [
      `Released for ${TIER_LABELS[tier].toLowerCase()}.`,
      'The data leaves the workstation only as a signed export bundle, and only after the approvals this tier’s policy requires have been signed by reviewers who did not make the dataset.',
      'The bundle holds the synthetic data, this card, the aggregate-only validation report, the signed approvals and a manifest of SHA-256 hashes; anyone can check it offline with `airlock verify BUNDLE`.',
      'Nothing from the source data is in a bundle.',
    ],
  };
}

export function maintenanceFor(contact: string): { contact: string; text: string[] } {
  return {
    contact,
    text: [
      `Questions about this dataset go to the steward who requested its approval: ${contact}.`,
      'Any change to the data makes a new dataset version with a new hash and a new card; approvals never carry over to a new version.',
      'An approval can be revoked by its signer or an admin; a revoked approval no longer allows export.',
      'A dataset can be retired with a reason; a retired dataset can no longer be exported.',
    ],
  };
}
