import { Badge, Box, Center, Checkbox, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { SeriesSummaryView, StudySummaryView } from '../../../../../electron/shared/ingest-schemas';
import { api, errorMessage } from '../../../api';
import { FormError } from '../../../components/FormError';
import { formatStudyDate, patientLabel } from '../../sources/images/ImagesPanel';
import { imageCount, seriesTitle } from '../../sources/images/SeriesCard';
import { limited } from '../../sources/images/thumbnails';

const THUMB = 56;

interface Props {
  selected: number[];
  error: string | undefined;
  onChange: (seriesIds: number[]) => void;
}

// Every imported study with its series as checkbox rows; held-out patients are marked, since training skips them.
export function SeriesPicker({ selected, error, onChange }: Props) {
  const [studies, setStudies] = useState<StudySummaryView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.sources
      .list()
      .then((s) => !cancelled && setStudies(s.studies))
      .catch((e: unknown) => !cancelled && setLoadError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, []);

  const toggle = (id: number, on: boolean) => onChange(on ? [...selected.filter((s) => s !== id), id] : selected.filter((s) => s !== id));

  if (loadError) return <FormError message={loadError} />;
  if (!studies)
    return (
      <Center p="md">
        <Loader size="sm" aria-label="Loading studies" />
      </Center>
    );
  if (studies.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="image-no-studies">
        No DICOM studies imported yet. Import a folder of DICOM files on the Sources screen first.
      </Text>
    );

  return (
    <Stack gap="sm">
      {error && (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      )}
      {studies.map((study) => (
        <Paper key={study.id} withBorder radius="md" p="sm">
          <Group gap="xs" mb={6} wrap="wrap">
            <Text size="sm" fw={600}>
              {patientLabel(study.patient)}
            </Text>
            {study.patient.holdout && (
              <Badge color="orange" variant="light" size="sm" data-testid={`image-study-holdout-${study.id}`}>
                holdout
              </Badge>
            )}
            <Text size="xs" c="dimmed">
              {study.description?.trim() || 'Study without description'}
              {study.date ? ` · ${formatStudyDate(study.date)}` : ''}
            </Text>
          </Group>
          {study.patient.holdout && (
            <Text size="xs" c="orange.8" mb={6}>
              This patient is held out: held-out patients’ images are never used for training.
            </Text>
          )}
          <Stack gap={4}>
            {study.series.map((series) => (
              <SeriesRow key={series.id} series={series} checked={selected.includes(series.id)} onToggle={(on) => toggle(series.id, on)} />
            ))}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

function SeriesRow({ series, checked, onToggle }: { series: SeriesSummaryView; checked: boolean; onToggle: (on: boolean) => void }) {
  const title = seriesTitle(series);
  return (
    <Group gap="sm" wrap="nowrap" component="label" style={{ cursor: 'pointer' }}>
      <Checkbox data-testid={`image-series-${series.id}`} checked={checked} onChange={(e) => onToggle(e.currentTarget.checked)} aria-label={`Use series ${title}`} />
      <Thumb seriesId={series.id} title={title} />
      <Stack gap={0} miw={0} style={{ flex: 1 }}>
        <Group gap={6} wrap="nowrap">
          {series.modality && (
            <Badge size="sm" variant="light" color="indigo" radius="sm">
              {series.modality}
            </Badge>
          )}
          <Text size="sm" fw={500} truncate="end" title={title}>
            {title}
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          {imageCount(series)}
          {series.bodyPart ? ` · ${series.bodyPart.toLowerCase()}` : ''}
        </Text>
      </Stack>
    </Group>
  );
}

function Thumb({ seriesId, title }: { seriesId: number; title: string }) {
  const [url, setUrl] = useState<{ src: string } | 'loading' | 'failed'>('loading');
  useEffect(() => {
    let cancelled = false;
    limited(() => (cancelled ? Promise.reject(new Error('cancelled')) : api.dicom.thumbnail({ seriesId })))
      .then((r) => !cancelled && setUrl({ src: r.dataUrl }))
      .catch(() => !cancelled && setUrl('failed'));
    return () => {
      cancelled = true;
    };
  }, [seriesId]);
  return (
    <Box w={THUMB} h={THUMB} bg="dark.8" style={{ borderRadius: 'var(--mantine-radius-sm)', overflow: 'hidden', flex: 'none' }}>
      <Center h="100%">
        {url === 'loading' ? (
          <Loader size="xs" color="gray.5" />
        ) : url === 'failed' ? (
          <Text fz={10} c="gray.5">
            No preview
          </Text>
        ) : (
          <img src={url.src} alt={`Middle slice of ${title}`} style={{ width: '100%', height: '100%', objectFit: 'contain', display: 'block' }} />
        )}
      </Center>
    </Box>
  );
}
