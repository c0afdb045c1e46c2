import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { dateFormText } from '../../../../../electron/shared/date-schema';
import type { ColumnView } from '../../../../../electron/shared/ingest-schemas';
import { api, errorMessage } from '../../../api';

interface Props {
  tableId: number;
  column: ColumnView;
  onChanged: (column: ColumnView) => void;
}

// Under a column offered as "date?": the steward's answer is recorded (and audited); a confirmed date is flagged
// as identifying and gets the date treatments in specs.
export function DateQuestionRow({ tableId, column, onChanged }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hint = column.date;
  if (!hint || hint.status !== 'candidate') return null;
  const answer = async (dates: boolean) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await api.tables.setDate({ tableId, column: column.index, form: dates ? hint.form : null }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Table.Tr bg="yellow.0" data-testid={`column-date-question-${column.index}`}>
      <Table.Td colSpan={6} py={6}>
        <Group gap="sm" wrap="wrap" justify="space-between">
          <Group gap={8} wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
            <Badge color="yellow" variant="light" size="sm" tt="none" miw="max-content">
              date?
            </Badge>
            <Text size="sm">
              <Text span ff="monospace" fw={600}>
                {column.name}
              </Text>{' '}
              may hold dates written as {dateFormText(hint.form)} ({hint.range.from} to {hint.range.to}). Dates are flagged as identifying and can be generalised or shifted.
            </Text>
          </Group>
          <Group gap={6} wrap="nowrap">
            <Button size="compact-sm" variant="light" loading={busy} onClick={() => void answer(true)} data-testid={`column-date-confirm-${column.index}`}>
              Confirm dates
            </Button>
            <Button size="compact-sm" variant="subtle" color="gray" disabled={busy} onClick={() => void answer(false)} data-testid={`column-date-reject-${column.index}`}>
              Not a date
            </Button>
          </Group>
        </Group>
        {error && (
          <Text size="xs" c="red.8" mt={4} role="alert">
            {error}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
