import { Badge, Center, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ColumnView, TableDetailView, TableSummaryView } from '../../../../../electron/shared/ingest-schemas';
import { api, errorMessage } from '../../../api';
import { FormError } from '../../../components/FormError';
import { formatDateTimeShort } from '../../../format';
import { formatCount } from '../sourcesFormat';
import { ColumnsTable } from './ColumnsTable';
import { HoldoutCard } from './HoldoutCard';
import { TablePreview } from './TablePreview';

const PREVIEW_ROWS = 50;
const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

export function TableDetail({ summary, onChanged }: { summary: TableSummaryView; onChanged: () => void }) {
  const [detail, setDetail] = useState<TableDetailView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  const load = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const d = await api.tables.get({ tableId: summary.id, previewRows: PREVIEW_ROWS });
      if (mine !== seq.current) return;
      setDetail(d);
      setError(null);
    } catch (e) {
      if (mine === seq.current) setError(errorMessage(e));
    }
  }, [summary.id]);

  useEffect(() => {
    void load();
  }, [load]);

  const onColumnChanged = useCallback((column: ColumnView) => {
    setDetail((d) => (d ? { ...d, columns: d.columns.map((c) => (c.index === column.index ? column : c)) } : d));
  }, []);

  if (!detail)
    return (
      <Paper withBorder radius="md" p="xl" data-testid="table-detail">
        {error ? <FormError message={error} /> : <Center><Loader size="sm" /></Center>}
      </Paper>
    );

  return (
    <Stack gap="lg" data-testid="table-detail">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={3} style={{ overflowWrap: 'anywhere' }}>
            {detail.name}
          </Title>
          <Text size="sm" c="dimmed" mt={2}>
            {formatCount(detail.rowCount)} rows × {formatCount(detail.columns.length)} columns · {detail.encoding}, {DELIMITER_NAMES[detail.delimiter] ?? detail.delimiter}-separated · imported{' '}
            {formatDateTimeShort(detail.importedAt)}
          </Text>
          <Text size="xs" c="dimmed" ff="monospace" title="SHA-256 of the imported file">
            sha256 {detail.sha256.slice(0, 16)}…
          </Text>
        </div>
        {detail.identifyingColumns > 0 && (
          <Badge color="orange" variant="light" size="lg" miw="max-content">
            {detail.identifyingColumns} identifying {detail.identifyingColumns === 1 ? 'column' : 'columns'}
          </Badge>
        )}
      </Group>
      <FormError message={error} onClose={() => setError(null)} />
      <HoldoutCard
        table={detail}
        onRedrawn={() => {
          void load();
          onChanged();
        }}
      />
      <ColumnsTable tableId={detail.id} rowCount={detail.rowCount} columns={detail.columns} onColumnChanged={onColumnChanged} />
      <TablePreview columns={detail.columns} rows={detail.preview} rowCount={detail.rowCount} />
    </Stack>
  );
}
