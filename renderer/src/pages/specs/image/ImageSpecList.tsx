import { Button, Center, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ResultOf } from '../../../../../electron/shared/contract';
import { api, errorMessage } from '../../../api';
import { FormError } from '../../../components/FormError';
import { formatDateTime, formatTime } from '../../../format';
import { GeneratorBadge } from '../SpecList';

type ImageSpecSummary = ResultOf<'imagespecs:list'>[number];

interface Props {
  canEdit: boolean;
  onOpenRun: (runId: number) => void;
}

// Image specs, newest first, each with a button that trains its latest version.
export function ImageSpecList({ canEdit, onOpenRun }: Props) {
  const [specs, setSpecs] = useState<ImageSpecSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState<number | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.imagespecs
      .list()
      .then((list) => !cancelled && setSpecs(list))
      .catch((e: unknown) => {
        if (cancelled) return;
        setError(errorMessage(e));
        setSpecs([]);
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const train = async (specId: number) => {
    setStarting(specId);
    setError(null);
    try {
      onOpenRun((await api.runs.start({ specId })).id);
    } catch (e) {
      setError(errorMessage(e));
      setStarting(null);
    }
  };

  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }} data-testid="image-spec-section">
      <Stack gap={2} p="md" pb="sm">
        <Title order={4}>Image specs</Title>
        <Text size="sm" c="dimmed">
          Synthetic images learned from DICOM series.
        </Text>
      </Stack>
      {error && (
        <Stack px="md" pb="sm">
          <FormError message={error} onClose={() => setError(null)} />
        </Stack>
      )}
      {specs === null ? (
        <Center p="lg">
          <Loader size="sm" aria-label="Loading image specs" />
        </Center>
      ) : specs.length === 0 ? (
        <Text size="sm" c="dimmed" px="md" pb="md" data-testid="image-specs-empty">
          {canEdit ? 'No image specs yet. Start one from imported DICOM series with New image spec.' : 'No image specs yet.'}
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing="sm" horizontalSpacing="md" data-testid="image-spec-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Spec</Table.Th>
              <Table.Th>Generator</Table.Th>
              <Table.Th>Latest version</Table.Th>
              <Table.Th>Updated</Table.Th>
              {canEdit && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {specs.map((s) => (
              <Table.Tr key={s.specId} data-testid={`image-spec-item-${s.specId}`}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {s.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {s.seriesIds.length} DICOM series
                  </Text>
                </Table.Td>
                <Table.Td>
                  <GeneratorBadge kind={s.generator} />
                </Table.Td>
                <Table.Td>v{s.latestVersion}</Table.Td>
                <Table.Td title={formatDateTime(s.updatedAt)}>{formatTime(s.updatedAt)}</Table.Td>
                {canEdit && (
                  <Table.Td ta="right">
                    <Button size="xs" variant="light" data-testid={`image-spec-train-${s.specId}`} loading={starting === s.specId} disabled={starting !== null} onClick={() => void train(s.specId)}>
                      Train v{s.latestVersion}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
