import { Badge, Center, Group, Loader, Modal, Stack, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { TableSummaryView } from '../../../../electron/shared/ingest-schemas';
import type { Spec } from '../../../../electron/shared/spec-schema';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { AlertIcon } from '../../components/icons';
import { formatDateTimeShort } from '../../format';

interface Props {
  onClose: () => void;
  onDraft: (spec: Spec) => void;
}

export function NewSpecModal({ onClose, onDraft }: Props) {
  const [tables, setTables] = useState<TableSummaryView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [drafting, setDrafting] = useState<number | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.sources
      .list()
      .then((s) => !cancelled && setTables(s.tables))
      .catch((e: unknown) => {
        if (cancelled) return;
        setError(errorMessage(e));
        setTables([]);
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const pick = async (tableId: number) => {
    setDrafting(tableId);
    setError(null);
    try {
      onDraft(await api.specs.draft({ tableId }));
    } catch (e) {
      setError(errorMessage(e));
      setDrafting(null);
    }
  };

  return (
    <Modal opened onClose={onClose} title="New spec" size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Choose the table to synthesise. The draft drops identifying columns and uses the Gaussian copula; change anything before saving.
        </Text>
        <FormError message={error} />
        {tables === null ? (
          <Center p="lg">
            <Loader size="sm" aria-label="Loading tables" />
          </Center>
        ) : tables.length === 0 && !error ? (
          <Text size="sm" data-testid="spec-no-tables">
            No tables imported yet. Import a CSV or TSV file on the Sources screen first.
          </Text>
        ) : (
          <Stack gap="xs" role="list" aria-label="Imported tables">
            {tables.map((t) => (
              <UnstyledButton
                key={t.id}
                role="listitem"
                data-testid={`spec-table-${t.id}`}
                disabled={drafting !== null}
                onClick={() => void pick(t.id)}
                p="sm"
                style={{ borderRadius: 'var(--mantine-radius-md)', border: '1px solid var(--mantine-color-gray-3)', opacity: drafting !== null && drafting !== t.id ? 0.5 : 1 }}
              >
                <Group justify="space-between" wrap="nowrap" gap="sm">
                  <div style={{ minWidth: 0 }}>
                    <Text fw={600} size="sm" truncate="end">
                      {t.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t.rowCount.toLocaleString()} rows × {t.columnCount} columns · imported {formatDateTimeShort(t.importedAt)}
                    </Text>
                  </div>
                  {drafting === t.id ? (
                    <Loader size="xs" />
                  ) : (
                    t.identifyingColumns > 0 && (
                      <Badge color="orange" variant="light" size="sm" leftSection={<AlertIcon size={12} />} miw="max-content">
                        {t.identifyingColumns} identifying
                      </Badge>
                    )
                  )}
                </Group>
              </UnstyledButton>
            ))}
          </Stack>
        )}
      </Stack>
    </Modal>
  );
}
