import { Alert, Paper, Stack, Text, Textarea } from '@mantine/core';
import { AlertIcon } from '../../components/icons';

interface Props {
  json: string;
  error: string | null;
  readOnly: boolean;
  onChange: (text: string) => void;
}

export function SpecJsonView({ json, error, readOnly, onChange }: Props) {
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          The same spec as the form, as JSON. {readOnly ? '' : 'Edits here update the form as soon as they parse.'}
        </Text>
        {error && (
          <Alert data-testid="spec-json-error" color="red" variant="light" icon={<AlertIcon />} p="sm" role="alert">
            Not applied: {error}. The form keeps the last valid spec until this parses.
          </Alert>
        )}
        <Textarea
          data-testid="spec-json"
          aria-label="Spec as JSON"
          value={json}
          readOnly={readOnly}
          onChange={(e) => onChange(e.currentTarget.value)}
          autosize
          minRows={16}
          maxRows={40}
          spellCheck={false}
          autoComplete="off"
          error={Boolean(error)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)', lineHeight: 1.5, color: 'var(--mantine-color-text)' } }}
        />
      </Stack>
    </Paper>
  );
}
