import { ActionIcon, Button, Group, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { Section } from './Section';

interface Props {
  intendedUse: string;
  prohibitedUses: string[];
  readOnly: boolean;
  errorAt: (path: string) => string | undefined;
  onIntended: (text: string) => void;
  onProhibited: (uses: string[]) => void;
  // Test ids are `${testIdPrefix}-intended-use` and so on; the image spec editor uses 'image'.
  testIdPrefix?: string;
}

export function UsesSection({ intendedUse, prohibitedUses, readOnly, errorAt, onIntended, onProhibited, testIdPrefix = 'spec' }: Props) {
  const setAt = (i: number, text: string) => onProhibited(prohibitedUses.map((u, j) => (j === i ? text : u)));
  return (
    <Section title="Use" description="Both go on the dataset card that travels with any export.">
      <Stack gap="md">
        <Textarea
          data-testid={`${testIdPrefix}-intended-use`}
          label="Intended use"
          description="What the synthetic data is for, and who will use it."
          withAsterisk
          autosize
          minRows={2}
          maxRows={8}
          value={intendedUse}
          readOnly={readOnly}
          error={errorAt('intendedUse')}
          onChange={(e) => onIntended(e.currentTarget.value)}
        />
        <div>
          <Text size="sm" fw={500}>
            Prohibited uses
          </Text>
          <Text size="xs" c="dimmed" mb={6}>
            What recipients must not do with it.
          </Text>
          <Stack gap="xs">
            {prohibitedUses.length === 0 && (
              <Text size="sm" c="dimmed">
                None listed.
              </Text>
            )}
            {prohibitedUses.map((use, i) => (
              <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
                <TextInput
                  data-testid={`${testIdPrefix}-prohibited-${i}`}
                  aria-label={`Prohibited use ${i + 1}`}
                  value={use}
                  readOnly={readOnly}
                  error={errorAt(`prohibitedUses.${i}`)}
                  onChange={(e) => setAt(i, e.currentTarget.value)}
                  style={{ flex: 1 }}
                />
                {!readOnly && (
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    size={36}
                    aria-label={`Remove prohibited use ${i + 1}`}
                    data-testid={`${testIdPrefix}-prohibited-remove-${i}`}
                    onClick={() => onProhibited(prohibitedUses.filter((_, j) => j !== i))}
                  >
                    ×
                  </ActionIcon>
                )}
              </Group>
            ))}
            {!readOnly && (
              <Group>
                <Button variant="light" size="xs" data-testid={`${testIdPrefix}-prohibited-add`} onClick={() => onProhibited([...prohibitedUses, ''])}>
                  Add prohibited use
                </Button>
              </Group>
            )}
          </Stack>
        </div>
      </Stack>
    </Section>
  );
}
