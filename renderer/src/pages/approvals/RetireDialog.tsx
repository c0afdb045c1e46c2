import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ExportableDataset } from '../../../../electron/shared/approval-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';

interface Props {
  dataset: ExportableDataset;
  onClose: () => void;
  onRetired: () => void;
}

export function RetireDialog({ dataset, onClose, onRetired }: Props) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.datasets.retire({ datasetId: dataset.datasetId, reason });
      onRetired();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Retire dataset #${dataset.datasetId} v${dataset.datasetVersion}?`}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="retire-dialog">
        <Stack gap="md">
          <Text size="sm">
            A retired dataset can no longer be approved or exported, whatever approvals it has. This cannot be undone; the retirement and its reason are
            recorded in the audit trail.
          </Text>
          <Textarea data-testid="retire-reason" label="Reason" required autosize minRows={2} maxRows={6} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
          <FormError message={error} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={busy} data-testid="retire-submit">
              Retire dataset
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
