import { Badge, Button, Group, Paper, ScrollArea, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { FileResult, ImportJobView } from '../../../../../electron/shared/ingest-schemas';
import type { SourcesTab } from '../SourcesPage';
import { basename, formatCount, plural } from '../sourcesFormat';

const KIND_LABEL: Record<FileResult['kind'], string> = { table: 'Table', dicom: 'DICOM', unknown: 'Unknown' };
const STATUS: Record<FileResult['status'], { label: string; color: string; variant: string }> = {
  imported: { label: 'imported', color: 'teal', variant: 'light' },
  duplicate: { label: 'already present', color: 'gray', variant: 'light' },
  refused: { label: 'refused', color: 'red', variant: 'filled' },
};
const END: Record<Exclude<ImportJobView['status'], 'running'>, { text: string; color: string }> = {
  done: { text: 'Finished', color: 'teal' },
  cancelled: { text: 'Cancelled', color: 'orange' },
  failed: { text: 'Stopped by an error', color: 'red' },
};

type Filter = 'all' | FileResult['status'];

export function ImportResults({ job, onShow }: { job: ImportJobView; onShow: (tab: SourcesTab) => void }) {
  const [filter, setFilter] = useState<Filter>('all');
  const { imported, duplicates, refused } = job.counts;
  const importedKinds = new Set(job.results.filter((r) => r.status === 'imported').map((r) => r.kind));
  const rows = job.results.map((result, index) => ({ result, index })).filter(({ result }) => filter === 'all' || result.status === filter);
  const end = job.status === 'running' ? null : job.status === 'done' && refused > 0 ? { text: 'Finished with refusals', color: 'orange' } : END[job.status];

  return (
    <Paper withBorder radius="md" data-testid="import-report" style={{ overflow: 'hidden' }}>
      <Stack gap="sm" p="lg" pb="sm">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="sm" wrap="nowrap">
            {end && (
              <Badge color={end.color} variant="light" data-testid="import-status">
                {end.text}
              </Badge>
            )}
            <Text fw={600} data-testid="import-summary">
              Imported {formatCount(imported)} · already present {formatCount(duplicates)} · refused {formatCount(refused)}
            </Text>
          </Group>
          <Group gap="xs">
            {end && importedKinds.has('table') && (
              <Button size="compact-sm" variant="light" onClick={() => onShow('tables')}>
                Review tables
              </Button>
            )}
            {end && importedKinds.has('dicom') && (
              <Button size="compact-sm" variant="light" onClick={() => onShow('images')}>
                Browse images
              </Button>
            )}
          </Group>
        </Group>
        {job.status === 'cancelled' && (
          <Text size="sm" c="dimmed">
            The import was cancelled after {formatCount(job.filesDone)} of {plural(job.filesTotal, 'file')}; the file being read was rolled back.
          </Text>
        )}
        {job.results.length > 0 && (
          <SegmentedControl
            size="xs"
            w="fit-content"
            value={filter}
            onChange={(v) => setFilter(v)}
            data={[
              { value: 'all', label: `All ${formatCount(job.results.length)}` },
              { value: 'imported', label: `Imported ${formatCount(imported)}` },
              { value: 'duplicate', label: `Already present ${formatCount(duplicates)}` },
              { value: 'refused', label: `Refused ${formatCount(refused)}` },
            ]}
          />
        )}
      </Stack>
      {job.results.length === 0 ? (
        <Text size="sm" c="dimmed" px="lg" pb="lg">
          {job.filesTotal === 0 ? 'No files were found at these paths.' : 'No file was imported.'}
        </Text>
      ) : (
        <ScrollArea.Autosize mah={460} type="auto">
          <Table striped highlightOnHover stickyHeader fz="sm" verticalSpacing={8} horizontalSpacing="md" data-testid="import-results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={260}>File</Table.Th>
                <Table.Th w={80}>Kind</Table.Th>
                <Table.Th w={140}>Status</Table.Th>
                <Table.Th>Message</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(({ result, index }) => (
                <ResultRow key={index} result={result} index={index} />
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
}

function ResultRow({ result, index }: { result: FileResult; index: number }) {
  const status = STATUS[result.status];
  return (
    <Table.Tr data-testid={`import-result-${index}`} data-status={result.status}>
      <Table.Td title={result.path} maw={260}>
        <Text size="sm" ff="monospace" truncate="end">
          {basename(result.path)}
        </Text>
      </Table.Td>
      <Table.Td>{KIND_LABEL[result.kind]}</Table.Td>
      <Table.Td>
        <Badge color={status.color} variant={status.variant} size="sm" miw="max-content">
          {status.label}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={result.status === 'refused' ? 'red.9' : undefined} style={{ wordBreak: 'break-word' }}>
          {result.message}
        </Text>
        {result.code && result.status === 'refused' && (
          <Text size="xs" c="dimmed" ff="monospace" mt={2}>
            {result.code}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
