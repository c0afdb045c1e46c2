import { Badge, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import type { ColumnView, TableDetailView } from '../../../../../electron/shared/ingest-schemas';
import { AlertIcon } from '../../../components/icons';
import { formatCount } from '../sourcesFormat';

interface Props {
  columns: ColumnView[];
  rows: TableDetailView['preview'];
  rowCount: number;
}

const IDENTIFYING_HEADER = { background: 'var(--mantine-color-orange-1)', color: 'var(--mantine-color-orange-9)' };

export function TablePreview({ columns, rows, rowCount }: Props) {
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <Stack gap={2} p="md" pb="sm">
        <Title order={4}>Preview</Title>
        <Text size="sm" c="dimmed">
          {rows.length === 0
            ? 'This table has no rows.'
            : `The first ${formatCount(rows.length)} of ${formatCount(rowCount)} rows, as stored. Identifying columns are highlighted.`}
        </Text>
      </Stack>
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={Math.max(600, 120 + columns.length * 110)} maxHeight={520} type="native">
          <Table striped stickyHeader fz="xs" verticalSpacing={4} horizontalSpacing="sm" withColumnBorders data-testid="table-preview">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={120}>Row</Table.Th>
                {columns.map((c) => (
                  <Table.Th key={c.index} style={c.phi.identifying ? IDENTIFYING_HEADER : undefined} data-identifying={c.phi.identifying}>
                    {c.phi.identifying ? (
                      <Tooltip label={`Identifying: ${(c.phi.kind ?? 'identifying').replace(/-/g, ' ')}`} withArrow>
                        <Group gap={4} wrap="nowrap">
                          <AlertIcon size={12} />
                          <span className="nowrap">{c.name}</span>
                        </Group>
                      </Tooltip>
                    ) : (
                      <span className="nowrap">{c.name}</span>
                    )}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.row} data-holdout={r.holdout}>
                  <Table.Td className="nowrap">
                    <Group gap={6} wrap="nowrap">
                      <Text span size="xs" c="dimmed" ff="monospace">
                        {r.row + 1}
                      </Text>
                      {r.holdout && (
                        <Badge size="xs" variant="light" color="grape" radius="sm" miw="max-content">
                          holdout
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  {columns.map((c) => {
                    const cell = r.cells[c.index] ?? null;
                    return (
                      <Table.Td key={c.index} maw={240} title={cell !== null && cell.length > 40 ? cell : undefined}>
                        {cell === null ? (
                          <Text span size="xs" c="dimmed" fs="italic" title="Missing">
                            NA
                          </Text>
                        ) : (
                          <Text span size="xs" lineClamp={1} style={{ wordBreak: 'break-all' }}>
                            {cell}
                          </Text>
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
