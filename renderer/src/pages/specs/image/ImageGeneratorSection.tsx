import { Select, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ImageGeneratorConfig } from '../../../../../electron/shared/image-spec-schema';
import { NumField } from '../form/NumField';
import { Section } from '../form/Section';
import { IMAGE_GENERATOR_FIELDS, IMAGE_GENERATOR_OPTIONS, imageGeneratorDefaults } from './imageFields';

interface Props {
  generator: ImageGeneratorConfig;
  errorAt: (path: string) => string | undefined;
  onChange: (generator: ImageGeneratorConfig) => void;
}

const SELECT_DATA = IMAGE_GENERATOR_OPTIONS.map(({ value, label }) => ({ value, label }));

export function ImageGeneratorSection({ generator, errorAt, onChange }: Props) {
  const option = IMAGE_GENERATOR_OPTIONS.find((o) => o.value === generator.kind);
  const values = generator as unknown as Record<string, unknown>;
  return (
    <Section title="Generator" description="The convolutional model trained on this workstation to produce new images.">
      <Stack gap="md">
        <div>
          <Select
            data-testid="image-generator"
            label="Generator"
            data={SELECT_DATA}
            value={generator.kind}
            allowDeselect={false}
            maw={320}
            // Switching generator starts from its defaults rather than carrying numbers across models.
            onChange={(v) => (v === 'dcgan' || v === 'cvae') && v !== generator.kind && onChange(imageGeneratorDefaults(v))}
          />
          {option && (
            <Text size="xs" c="dimmed" mt={4}>
              {option.description}
            </Text>
          )}
        </div>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" verticalSpacing="md">
          {IMAGE_GENERATOR_FIELDS[generator.kind].map((f) => (
            <NumField
              key={f.key}
              label={f.label}
              description={f.help}
              data-testid={f.testId ?? `image-gen-${f.key}`}
              value={typeof values[f.key] === 'number' ? (values[f.key] as number) : Number.NaN}
              error={errorAt(`generator.${f.key}`)}
              onChange={(v) => onChange({ ...generator, [f.key]: v })}
            />
          ))}
        </SimpleGrid>
      </Stack>
    </Section>
  );
}
