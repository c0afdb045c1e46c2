import { Badge, Box, Button, Center, Group, Loader, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { TableSummaryView } from '../../../../../electron/shared/ingest-schemas';
import { AlertIcon, SpecsIcon } from '../../../components/icons';
import { formatCount, formatPercent, holdoutDetails, plural } from '../sourcesFormat';
import { TableDetail } from './TableDetail';

interface Props {
  tables: TableSummaryView[] | null;
  onChanged: () => void;
  onImport: () => void;
}

export function TablesPanel({ tables, onChanged, onImport }: Props) {
  const [selected, setSelected] = useState<number | null>(null);
  const first = tables?.[0]?.id ?? null;
  const current = tables?.find((t) => t.id === selected) ?? null;

  // Opening the tab shows a table straight away; a table that disappears falls back to the first one.
  useEffect(() => {
    if (tables && !tables.some((t) => t.id === selected)) setSelected(first);
  }, [tables, selected, first]);

  if (tables === null)
    return (
      <Center p="xl">
        <Loader size="sm" />
      </Center>
    );
  if (tables.length === 0)
    return (
      <Paper withBorder radius="md" p="xl" data-testid="tables-empty">
        <Stack align="center" gap="sm">
          <SpecsIcon size={28} />
          <Text fw={600}>No clinical tables yet</Text>
          <Text size="sm" c="dimmed" ta="center" maw={420}>
            Import a CSV or TSV file to see its columns, inferred types, identifying columns and holdout split here.
          </Text>
          <Button variant="light" onClick={onImport}>
            Go to Import
          </Button>
        </Stack>
      </Paper>
    );

  return (
    <Group gap="lg" align="flex-start" wrap="nowrap">
      <Box w={250} style={{ flex: 'none' }}>
        <Stack gap="xs" role="list" aria-label="Imported tables">
          {tables.map((t) => (
            <div key={t.id} role="listitem">
              <TableItem table={t} active={t.id === current?.id} onSelect={() => setSelected(t.id)} />
            </div>
          ))}
        </Stack>
      </Box>
      <Box miw={0} style={{ flex: 1 }}>
        {current && <TableDetail key={current.id} summary={current} onChanged={onChanged} />}
      </Box>
    </Group>
  );
}

function TableItem({ table, active, onSelect }: { table: TableSummaryView; active: boolean; onSelect: () => void }) {
  const h = table.holdout;
  return (
    <UnstyledButton
      w="100%"
      data-testid={`table-item-${table.id}`}
      aria-current={active ? 'true' : undefined}
      onClick={onSelect}
      p="sm"
      style={{
        borderRadius: 'var(--mantine-radius-md)',
        border: `1px solid ${active ? 'var(--mantine-color-teal-5)' : 'var(--mantine-color-gray-3)'}`,
        background: active ? 'var(--mantine-color-teal-0)' : 'var(--mantine-color-white)',
      }}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
        <Text fw={600} size="sm" truncate="end" title={table.name}>
          {table.name}
        </Text>
        {table.identifyingColumns > 0 && (
          <Badge color="orange" variant="light" size="sm" leftSection={<AlertIcon size={12} />} miw="max-content" title="Columns flagged as identifying">
            {table.identifyingColumns} identifying
          </Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        {formatCount(table.rowCount)} rows × {formatCount(table.columnCount)} columns
      </Text>
      <Text size="xs" c="dimmed">
        Holdout {plural(h.rows, 'row')} ({formatPercent(h.fraction)}, {holdoutDetails(h)})
      </Text>
      {h.leaks.length > 0 && (
        <Text size="xs" c="orange.8" fw={600} mt={2} data-testid={`table-item-leak-${table.id}`}>
          Holdout leaks patients (“{h.leaks[0]?.column}”)
        </Text>
      )}
    </UnstyledButton>
  );
}
