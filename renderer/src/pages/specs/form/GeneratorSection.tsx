import { Select, SimpleGrid, Stack, Text } from '@mantine/core';
import type { Spec } from '../../../../../electron/shared/spec-schema';
import { GENERATOR_FIELDS, GENERATOR_OPTIONS, generatorDefaults } from '../specFields';
import { NumField, NumListField } from './NumField';
import { Section } from './Section';

interface Props {
  generator: Spec['generator'];
  readOnly: boolean;
  errorAt: (path: string) => string | undefined;
  errorUnder: (path: string) => string | undefined;
  onChange: (generator: Spec['generator']) => void;
}

const SELECT_DATA = GENERATOR_OPTIONS.map(({ value, label }) => ({ value, label }));

export function GeneratorSection({ generator, readOnly, errorAt, errorUnder, onChange }: Props) {
  const option = GENERATOR_OPTIONS.find((o) => o.value === generator.kind);
  const values = generator as unknown as Record<string, unknown>;
  const set = (key: string, value: unknown) => onChange({ ...generator, [key]: value });
  const batchSize = values.batchSize;
  const pac = values.pac;
  // Not a schema rule, but CTGAN splits each batch into packs of `pac` rows.
  const pacWarning = generator.kind === 'ctgan' && typeof batchSize === 'number' && typeof pac === 'number' && pac > 0 && batchSize % pac !== 0;

  return (
    <Section title="Generator" description="The model that learns the source’s distribution and samples new rows from it.">
      <Stack gap="md">
        <div>
          <Select
            data-testid="spec-generator"
            label="Generator"
            data={SELECT_DATA}
            value={generator.kind}
            allowDeselect={false}
            readOnly={readOnly}
            maw={320}
            error={errorUnder('generator.kind')}
            // Switching generator starts from its defaults rather than carrying numbers across models.
            onChange={(v) => v && v !== generator.kind && onChange(generatorDefaults(v))}
          />
          {option && (
            <Text size="xs" c="dimmed" mt={4}>
              {option.description}
            </Text>
          )}
        </div>
        {generator.kind !== 'copula' && (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" verticalSpacing="md">
            {GENERATOR_FIELDS[generator.kind].map((f) => {
              const common = {
                label: f.label,
                description: f.help,
                readOnly,
                'data-testid': f.key === 'epochs' ? 'spec-epochs' : `spec-gen-${f.key}`,
              };
              return f.list ? (
                <NumListField
                  {...common}
                  key={f.key}
                  value={Array.isArray(values[f.key]) ? (values[f.key] as number[]) : []}
                  error={errorUnder(`generator.${f.key}`)}
                  onChange={(v) => set(f.key, v)}
                />
              ) : (
                <NumField
                  {...common}
                  key={f.key}
                  value={typeof values[f.key] === 'number' ? (values[f.key] as number) : Number.NaN}
                  error={errorAt(`generator.${f.key}`)}
                  onChange={(v) => set(f.key, v)}
                />
              );
            })}
          </SimpleGrid>
        )}
        {pacWarning && (
          <Text size="xs" c="orange.8" data-testid="spec-pac-warning">
            CTGAN splits each batch into packs of {String(pac)} rows; a batch size that is a multiple of pac uses every row.
          </Text>
        )}
      </Stack>
    </Section>
  );
}
