import { Divider, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import type { Acceptance, Spec } from '../../../../../electron/shared/spec-schema';
import { ACCEPTANCE_DEFAULTS, ACCEPTANCE_FIELDS, UTILITY_TARGET_HELP, type AcceptanceField } from '../specFields';
import { NumField } from './NumField';
import { Section } from './Section';

interface Props {
  acceptance: Acceptance;
  columns: Spec['columns'];
  readOnly: boolean;
  errorAt: (path: string) => string | undefined;
  onChange: (acceptance: Acceptance) => void;
}

const GROUPS = [
  { id: 'fidelity', title: 'Fidelity', lead: 'Does the synthetic data look like the source?' },
  { id: 'utility', title: 'Utility', lead: 'Does it support the same analysis?' },
  { id: 'privacy', title: 'Privacy', lead: 'Does it keep individual patients out of reach?' },
] as const;

export function AcceptanceSection({ acceptance, columns, readOnly, errorAt, onChange }: Props) {
  const setField = (f: AcceptanceField, value: number | string | null) => {
    const group = { ...(acceptance[f.group] as Record<string, unknown>), [f.key]: value };
    onChange({ ...acceptance, [f.group]: group });
  };
  const valueOf = (f: AcceptanceField) => (acceptance[f.group] as Record<string, unknown>)[f.key];
  const defaultOf = (f: AcceptanceField) => (ACCEPTANCE_DEFAULTS[f.group] as Record<string, unknown>)[f.key];
  // The utility model predicts a column the synthetic data actually contains.
  const target = acceptance.utility.target;
  const targets = columns.filter((c) => c.treatment !== 'drop').map((c) => c.name);
  if (target && !targets.includes(target)) targets.push(target);

  return (
    <Section title="Acceptance criteria" description="The thresholds a synthetic dataset must meet before anyone may approve it. Validation checks each one.">
      <Stack gap="lg">
        {GROUPS.map((g, gi) => (
          <Stack key={g.id} gap="sm">
            {gi > 0 && <Divider />}
            <div>
              <Text fw={650}>{g.title}</Text>
              <Text size="sm" c="dimmed">
                {g.lead}
              </Text>
            </div>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
              {g.id === 'utility' && (
                <Select
                  data-testid="spec-utility-target"
                  label="Target column"
                  description={UTILITY_TARGET_HELP}
                  placeholder="No utility test"
                  inputWrapperOrder={['label', 'input', 'description', 'error']}
                  data={targets}
                  value={target}
                  clearable
                  searchable
                  readOnly={readOnly}
                  error={errorAt('acceptance.utility.target')}
                  onChange={(v) => onChange({ ...acceptance, utility: { ...acceptance.utility, target: v } })}
                />
              )}
              {ACCEPTANCE_FIELDS.filter((f) => f.group === g.id).map((f) => {
                const v = valueOf(f);
                return (
                  <NumField
                    key={f.key}
                    data-testid={`spec-acc-${f.key}`}
                    label={f.label}
                    description={`${f.help} Default ${String(defaultOf(f))}.`}
                    value={typeof v === 'number' ? v : Number.NaN}
                    readOnly={readOnly}
                    error={errorAt(`acceptance.${f.group}.${f.key}`)}
                    onChange={(n) => setField(f, n)}
                  />
                );
              })}
            </SimpleGrid>
          </Stack>
        ))}
      </Stack>
    </Section>
  );
}
