import { Button, Group, Modal, NumberInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { DatasetSummaryView } from '../../../../electron/shared/train-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';

const MAX_ROWS = 10_000_000;

interface Props {
  runId: number;
  defaultRows: number;
  onClose: () => void;
  onSampled: (dataset: DatasetSummaryView) => void;
}

export function SampleModal({ runId, defaultRows, onClose, onSampled }: Props) {
  const [rows, setRows] = useState<number | string>(defaultRows);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 1 || rows > MAX_ROWS) {
      setFieldError(`Enter a whole number of rows from 1 to ${MAX_ROWS.toLocaleString()}.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSampled(await api.runs.sample({ runId, rows }));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Sample more rows">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Draws a new dataset version from this run’s trained model. The source data is not read again, and earlier versions stay as they are.
          </Text>
          <NumberInput
            data-testid="sample-rows"
            data-autofocus
            label="Rows"
            min={1}
            max={MAX_ROWS}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=","
            value={rows}
            error={fieldError}
            onChange={(v) => {
              setRows(v);
              setFieldError(null);
            }}
          />
          <FormError message={error} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="sample-submit">
              Sample
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
