import { Badge, Button, Center, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { InstanceView } from '../../../../../electron/shared/ingest-schemas';
import { api, errorMessage } from '../../../api';
import { FormError } from '../../../components/FormError';
import { AlertIcon, ArrowLeftIcon } from '../../../components/icons';
import type { Opened } from './ImagesPanel';
import { basisLabel, formatStudyDate, patientLabel } from './ImagesPanel';
import { imageCount, seriesTitle } from './SeriesCard';
import { Viewer } from './viewer/Viewer';

export function SeriesView({ opened, onClose }: { opened: Opened; onClose: () => void }) {
  const { study, series } = opened;
  const [instances, setInstances] = useState<InstanceView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.dicom
      .instances({ seriesId: series.id })
      .then((list) => {
        if (!cancelled) setInstances(list);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(errorMessage(e));
      });
    return () => {
      cancelled = true;
    };
  }, [series.id]);

  const close = () => {
    onClose();
    // Back to where the user came from, for keyboard users.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="series-card-${series.id}"]`)?.focus());
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (e.key === 'Escape' && target.tagName !== 'INPUT' && !e.defaultPrevented) close();
  };

  const title = seriesTitle(series);
  return (
    <Stack gap="sm" data-testid="series-view" onKeyDown={onKeyDown}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="md" wrap="nowrap" align="flex-start" miw={0}>
          <Button variant="default" leftSection={<ArrowLeftIcon size={16} />} onClick={close} data-testid="viewer-back">
            All studies
          </Button>
          <div style={{ minWidth: 0 }}>
            <Group gap="xs" wrap="nowrap">
              {series.modality && (
                <Badge variant="light" color="indigo" radius="sm">
                  {series.modality}
                </Badge>
              )}
              <Title order={4} lineClamp={1} title={title}>
                {title}
              </Title>
              {series.burnedIn && (
                <Badge color="red" variant="filled" leftSection={<AlertIcon size={12} />} miw="max-content">
                  burned-in annotation
                </Badge>
              )}
            </Group>
            <Text size="sm" c="dimmed" mt={2}>
              {patientLabel(study.patient)}
              {study.patient.holdout ? ' (holdout)' : ''}
              {study.patient.identifiedBy !== 'patient-id' ? ` · ${basisLabel(study.patient).toLowerCase()}` : ''} · {study.description?.trim() || 'Study without description'}
              {study.date ? ` · ${formatStudyDate(study.date)}` : ''} · {imageCount(series)}
            </Text>
          </div>
        </Group>
      </Group>
      {error ? (
        <FormError message={error} />
      ) : instances === null ? (
        <Paper withBorder radius="md" p="xl">
          <Center>
            <Loader size="sm" aria-label="Loading the series" />
          </Center>
        </Paper>
      ) : (
        <Viewer instances={instances} title={title} />
      )}
    </Stack>
  );
}
