import { Badge, Group, Loader, Paper, Select, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { Fragment, useState } from 'react';
import { COLUMN_TYPES } from '../../../../../electron/shared/ingest-schemas';
import type { ColumnType, ColumnView } from '../../../../../electron/shared/ingest-schemas';
import { api, errorMessage } from '../../../api';
import { AlertIcon } from '../../../components/icons';
import { formatCount, formatPercent } from '../sourcesFormat';
import { summariseStats } from './columnStats';
import { DateQuestionRow } from './DateQuestionRow';

interface Props {
  tableId: number;
  rowCount: number;
  columns: ColumnView[];
  onColumnChanged: (column: ColumnView) => void;
}

const TYPE_OPTIONS = COLUMN_TYPES.map((t) => ({ value: t, label: t }));
const TREATMENT_COLOR = { drop: 'red', generalise: 'orange', keep: 'gray' } as const;

export function ColumnsTable({ tableId, rowCount, columns, onColumnChanged }: Props) {
  const [saving, setSaving] = useState<number | null>(null);
  const [errors, setErrors] = useState<Record<number, string>>({});

  const changeType = async (column: ColumnView, type: ColumnType) => {
    if (type === column.type) return;
    setSaving(column.index);
    setErrors(({ [column.index]: _gone, ...rest }) => rest);
    try {
      onColumnChanged(await api.tables.setType({ tableId, column: column.index, type }));
    } catch (e) {
      setErrors((prev) => ({ ...prev, [column.index]: errorMessage(e) }));
    } finally {
      setSaving(null);
    }
  };

  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <Stack gap={2} p="md" pb="sm">
        <Title order={4}>Columns</Title>
        <Text size="sm" c="dimmed">
          Types are inferred from every value. Change one if the inference is wrong; Airlock checks that every value fits first.
        </Text>
      </Stack>
      <Table.ScrollContainer minWidth={760} type="native">
        <Table fz="sm" verticalSpacing={6} horizontalSpacing="sm" highlightOnHover data-testid="columns-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={140}>Column</Table.Th>
              <Table.Th w={140}>Type</Table.Th>
              <Table.Th w={84} ta="right">Missing</Table.Th>
              <Table.Th w={76} ta="right">Distinct</Table.Th>
              <Table.Th>Statistics</Table.Th>
              <Table.Th w={160}>Identifying</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {columns.map((column) => (
              <Fragment key={column.index}>
                <ColumnRow column={column} rowCount={rowCount} saving={saving === column.index} busy={saving !== null} onType={(t) => void changeType(column, t)} />
                <DateQuestionRow tableId={tableId} column={column} onChanged={onColumnChanged} />
                {errors[column.index] && (
                  <Table.Tr bg="red.0">
                    <Table.Td colSpan={6} py={6}>
                      <Group gap={6} wrap="nowrap" c="red.8" role="alert" data-testid={`column-error-${column.index}`}>
                        <AlertIcon size={16} />
                        <Text size="sm">{errors[column.index]}</Text>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

interface RowProps {
  column: ColumnView;
  rowCount: number;
  saving: boolean;
  busy: boolean;
  onType: (type: ColumnType) => void;
}

function ColumnRow({ column, rowCount, saving, busy, onType }: RowProps) {
  const overridden = column.type !== column.inferredType;
  const stats = summariseStats(column);
  return (
    <Table.Tr data-testid={`column-row-${column.index}`} data-identifying={column.phi.identifying}>
      <Table.Td>
        <Text size="sm" fw={600} ff="monospace" style={{ overflowWrap: 'anywhere' }}>
          {column.name}
        </Text>
      </Table.Td>
      <Table.Td>
        <Select
          data-testid={`column-type-${column.index}`}
          aria-label={`Type of column ${column.name}`}
          size="xs"
          data={TYPE_OPTIONS}
          value={column.type}
          allowDeselect={false}
          disabled={busy}
          rightSection={saving ? <Loader size={12} /> : undefined}
          onChange={(value) => value && onType(value)}
        />
        {overridden && (
          <Text size="xs" c="dimmed" mt={2} data-testid={`column-inferred-${column.index}`}>
            inferred: {column.inferredType}
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right" className="nowrap">
        {column.missing === 0 ? (
          <Text span size="sm" c="dimmed">0</Text>
        ) : (
          <>
            {formatCount(column.missing)}
            <Text size="xs" c="dimmed">
              {formatPercent(rowCount > 0 ? column.missing / rowCount : 0)}
            </Text>
          </>
        )}
      </Table.Td>
      <Table.Td ta="right" title={column.distinctCapped ? 'Counting stopped at this many distinct values.' : undefined}>
        {formatCount(column.distinct)}
        {column.distinctCapped ? '+' : ''}
      </Table.Td>
      <Table.Td>
        {stats.kind === 'top' && stats.top ? (
          <Group gap={4} wrap="wrap">
            {stats.top.map((t) => (
              <Badge key={t.value} variant="default" size="sm" tt="none" fw={500} radius="sm">
                {t.value === '' ? '(empty)' : t.value} <Text span size="xs" c="dimmed" fw={400}>{formatCount(t.count)}</Text>
              </Badge>
            ))}
            {stats.more ? <Text span size="xs" c="dimmed">+{formatCount(stats.more)} more</Text> : null}
          </Group>
        ) : (
          <>
            <Text size="sm" c={stats.kind === 'none' || stats.kind === 'length' ? 'dimmed' : undefined}>
              {stats.text}
            </Text>
            {stats.detail && (
              <Text size="xs" c="dimmed">
                {stats.detail}
              </Text>
            )}
          </>
        )}
      </Table.Td>
      <Table.Td>
        <IdentifyingFlag column={column} />
      </Table.Td>
    </Table.Tr>
  );
}

function IdentifyingFlag({ column }: { column: ColumnView }) {
  const { phi } = column;
  if (!phi.identifying)
    return (
      <Text span size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Tooltip label={phi.reason} multiline w={340} withArrow position="left" openDelay={150}>
      {/* Focusable, so the reason is reachable from the keyboard too. */}
      <Stack gap={2} tabIndex={0} aria-label={`Identifying: ${phi.kind ?? 'identifying'}. ${phi.reason}`} data-testid={`column-phi-${column.index}`} style={{ cursor: 'help', width: 'fit-content' }}>
        <Badge color="orange" variant="light" size="sm" leftSection={<AlertIcon size={12} />} tt="none" miw="max-content">
          {(phi.kind ?? 'identifying').replace(/-/g, ' ')}
        </Badge>
        <Text size="xs" c="dimmed">
          Suggested:{' '}
          <Text span size="xs" fw={600} c={`${TREATMENT_COLOR[phi.suggested]}.8`}>
            {phi.suggested}
          </Text>
        </Text>
      </Stack>
    </Tooltip>
  );
}
