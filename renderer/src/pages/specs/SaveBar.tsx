import { Button, Group, Modal, Paper, Stack, Text } from '@mantine/core';
import { FormError } from '../../components/FormError';
import { ErrorSummary } from './ErrorSummary';
import type { SpecDraft } from './useSpecDraft';

interface Props {
  model: SpecDraft;
  columnNames: string[];
  formError: string | null;
  onDismissError: () => void;
  status: string;
  busy: boolean;
  onSave: () => void;
}

// Stays in view at the bottom of the window, so Save and what blocks it are never scrolled away.
export function SaveBar({ model, columnNames, formError, onDismissError, status, busy, onSave }: Props) {
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      shadow="sm"
      style={{ position: 'sticky', bottom: 12, zIndex: 5, background: 'var(--mantine-color-white)' }}
    >
      <Stack gap="sm">
        <ErrorSummary issues={model.issues} jsonError={model.jsonError} columnNames={columnNames} />
        <FormError message={formError} onClose={onDismissError} />
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" c="dimmed" data-testid="spec-save-status">
            {status}
          </Text>
          <Button data-testid="spec-save" disabled={!model.valid} loading={busy} onClick={onSave}>
            Save
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

export function DiscardModal({ onKeep, onDiscard }: { onKeep: () => void; onDiscard: () => void }) {
  return (
    <Modal opened onClose={onKeep} title="Discard unsaved changes?">
      <Stack gap="md">
        <Text size="sm">Your edits to this spec are not saved. Save them first if you want to keep them as a new version.</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onKeep} data-testid="discard-keep">
            Keep editing
          </Button>
          <Button color="red" onClick={onDiscard} data-testid="discard-confirm">
            Discard changes
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
