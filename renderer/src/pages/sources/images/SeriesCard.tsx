import { Badge, Box, Center, Group, Loader, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { SeriesSummaryView } from '../../../../../electron/shared/ingest-schemas';
import { api, errorMessage } from '../../../api';
import { AlertIcon } from '../../../components/icons';
import { plural } from '../sourcesFormat';
import { limited } from './thumbnails';

const THUMB_BOX = 96;

type Thumb = { kind: 'loading' } | { kind: 'ready'; dataUrl: string; small: boolean } | { kind: 'failed'; message: string };

export function seriesTitle(series: SeriesSummaryView): string {
  return series.description?.trim() || (series.number !== null ? `Series ${series.number}` : 'Untitled series');
}

export function imageCount(series: SeriesSummaryView): string {
  const images = plural(series.instances, 'image');
  return series.frames > series.instances ? `${images} · ${plural(series.frames, 'frame')}` : images;
}

export function SeriesCard({ series, load, onOpen }: { series: SeriesSummaryView; load: boolean; onOpen: () => void }) {
  const [thumb, setThumb] = useState<Thumb>({ kind: 'loading' });

  useEffect(() => {
    if (!load) return;
    let cancelled = false;
    limited(() => (cancelled ? Promise.reject(new Error('cancelled')) : api.dicom.thumbnail({ seriesId: series.id })))
      .then((r) => {
        if (!cancelled) setThumb({ kind: 'ready', dataUrl: r.dataUrl, small: Math.max(r.width, r.height) < THUMB_BOX });
      })
      .catch((e: unknown) => {
        if (!cancelled) setThumb({ kind: 'failed', message: errorMessage(e) });
      });
    return () => {
      cancelled = true;
    };
  }, [load, series.id]);

  const title = seriesTitle(series);
  return (
    <UnstyledButton
      onClick={onOpen}
      data-testid={`series-card-${series.id}`}
      aria-label={`Open ${series.modality ?? ''} series ${title}, ${imageCount(series)}${series.burnedIn ? ', burned-in annotation' : series.burnedInUnknown ? ', may have burned-in text' : ''}`}
      className="series-card"
    >
      <Paper withBorder radius="md" p="xs" h="100%">
        <Group wrap="nowrap" gap="sm" align="flex-start">
          <Box w={THUMB_BOX} h={THUMB_BOX} bg="dark.8" style={{ borderRadius: 'var(--mantine-radius-sm)', overflow: 'hidden', flex: 'none' }}>
            <Center h="100%">
              {thumb.kind === 'ready' ? (
                <img
                  src={thumb.dataUrl}
                  alt={`Middle slice of ${title}`}
                  data-testid={`series-thumb-${series.id}`}
                  style={{ width: '100%', height: '100%', objectFit: 'contain', display: 'block', imageRendering: thumb.small ? 'pixelated' : 'auto' }}
                />
              ) : thumb.kind === 'failed' ? (
                <Text size="xs" c="gray.5" ta="center" px={4} title={thumb.message}>
                  No preview
                </Text>
              ) : (
                <Loader size="xs" color="gray.5" />
              )}
            </Center>
          </Box>
          <Stack gap={4} miw={0} style={{ flex: 1 }}>
            <Group gap={6} wrap="nowrap">
              {series.modality && (
                <Badge size="sm" variant="light" color="indigo" radius="sm">
                  {series.modality}
                </Badge>
              )}
              {series.number !== null && (
                <Text size="xs" c="dimmed">
                  #{series.number}
                </Text>
              )}
            </Group>
            <Text size="sm" fw={600} lineClamp={2} title={title}>
              {title}
            </Text>
            <Text size="xs" c="dimmed">
              {imageCount(series)}
              {series.bodyPart ? ` · ${series.bodyPart.toLowerCase()}` : ''}
            </Text>
            {series.burnedIn && (
              <Badge color="red" variant="filled" size="sm" leftSection={<AlertIcon size={12} />} w="fit-content" data-testid={`series-burned-in-${series.id}`}>
                burned-in annotation
              </Badge>
            )}
            {!series.burnedIn && series.burnedInUnknown && (
              <Badge
                color="orange"
                variant="light"
                size="sm"
                leftSection={<AlertIcon size={12} />}
                w="fit-content"
                title="These images do not say whether they have burned-in text (BurnedInAnnotation is missing), and images of this kind often do."
                data-testid={`series-burned-in-unknown-${series.id}`}
              >
                may have burned-in text
              </Badge>
            )}
          </Stack>
        </Group>
      </Paper>
    </UnstyledButton>
  );
}
