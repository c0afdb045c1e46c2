import { Badge, Button, Center, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { DatasetPreviewView, DatasetSummaryView, RunView } from '../../../../electron/shared/train-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { formatDateTime, formatDateTimeShort } from '../../format';
import { HashValue } from './HashValue';
import { SampleModal } from './SampleModal';
import { SyntheticGallery } from './SyntheticGallery';
import { isImageGenerator } from '../specs/image/imageFields';

const PREVIEW_ROWS = 100;

interface Props {
  run: RunView;
  canSample: boolean;
  selected: number | null;
  onSelect: (datasetId: number) => void;
  onSampled: (dataset: DatasetSummaryView) => void;
}

export function DatasetsPanel({ run, canSample, selected, onSelect, onSampled }: Props) {
  const [sampling, setSampling] = useState(false);
  const datasets = [...run.datasets].sort((a, b) => b.version - a.version);
  const current = datasets.find((d) => d.id === selected) ?? datasets[0] ?? null;
  const images = isImageGenerator(run.generator);

  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <Group justify="space-between" p="md" pb="sm" align="flex-start">
        <div>
          <Title order={4}>Synthetic datasets</Title>
          <Text size="sm" c="dimmed">
            {images ? 'The images the trained model generated, as a dataset with its own hash.' : 'Each sample from the trained model is a new, numbered dataset version with its own hash.'}
          </Text>
        </div>
        {canSample && !images && (
          <Button variant="light" data-testid="run-sample" onClick={() => setSampling(true)}>
            Sample more…
          </Button>
        )}
      </Group>
      {datasets.length === 0 ? (
        <Text size="sm" c="dimmed" px="md" pb="md">
          This run has not produced a dataset.
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={6} horizontalSpacing="md" highlightOnHover data-testid="run-datasets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th ta="right">{images ? 'Images' : 'Rows'}</Table.Th>
              <Table.Th>SHA-256</Table.Th>
              <Table.Th>Created</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {datasets.map((d) => (
              <Table.Tr
                key={d.id}
                data-testid={`dataset-item-${d.id}`}
                aria-selected={d.id === current?.id}
                onClick={() => onSelect(d.id)}
                bg={d.id === current?.id ? 'teal.0' : undefined}
                style={{ cursor: 'pointer' }}
              >
                <Table.Td>
                  <Group gap={6}>
                    v{d.version}
                    {d.id === current?.id && (
                      <Badge size="xs" variant="light">
                        shown
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">{d.rows.toLocaleString()}</Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace" title={d.sha256}>
                    {d.sha256.slice(0, 16)}…
                  </Text>
                </Table.Td>
                <Table.Td title={formatDateTime(d.createdAt)}>
                  {d.createdBy} · {formatDateTimeShort(d.createdAt)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {current && (images ? <SyntheticGallery key={current.id} dataset={current} /> : <DatasetPreview key={current.id} dataset={current} />)}
      {sampling && (
        <SampleModal
          runId={run.id}
          defaultRows={datasets[0]?.rows ?? 1000}
          onClose={() => setSampling(false)}
          onSampled={(d) => {
            setSampling(false);
            onSampled(d);
          }}
        />
      )}
    </Paper>
  );
}

function DatasetPreview({ dataset }: { dataset: DatasetSummaryView }) {
  const [preview, setPreview] = useState<DatasetPreviewView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.datasets
      .preview({ datasetId: dataset.id, limit: PREVIEW_ROWS })
      .then((p) => !cancelled && setPreview(p))
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [dataset.id]);

  return (
    <Stack gap="xs" p="md" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Text size="sm" fw={600}>
          Dataset v{dataset.version}: first {Math.min(PREVIEW_ROWS, dataset.rows).toLocaleString()} of {dataset.rows.toLocaleString()} synthetic rows
        </Text>
        <Group gap={6} wrap="nowrap">
          <Text size="xs" c="dimmed">
            sha256
          </Text>
          <HashValue value={dataset.sha256} testId="dataset-sha" length={64} />
        </Group>
      </Group>
      <FormError message={error} />
      {!preview ? (
        !error && (
          <Center p="lg">
            <Loader size="sm" aria-label="Loading preview" />
          </Center>
        )
      ) : (
        <Table.ScrollContainer minWidth={Math.max(600, preview.header.length * 110)} maxHeight={480} type="native">
          <Table striped stickyHeader fz="xs" verticalSpacing={4} horizontalSpacing="sm" withColumnBorders withTableBorder data-testid="dataset-preview">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={56}>#</Table.Th>
                {preview.header.map((h) => (
                  <Table.Th key={h} className="nowrap">
                    {h}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.preview.map((row, i) => (
                <Table.Tr key={i}>
                  <Table.Td c="dimmed" ff="monospace">
                    {i + 1}
                  </Table.Td>
                  {preview.header.map((h, j) => {
                    const cell = row[j] ?? null;
                    return (
                      <Table.Td key={h} className="nowrap">
                        {cell === null ? (
                          <Text span size="xs" c="dimmed" fs="italic">
                            NA
                          </Text>
                        ) : (
                          cell
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
    </Stack>
  );
}
