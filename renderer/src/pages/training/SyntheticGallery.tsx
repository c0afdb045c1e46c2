import { Badge, Box, Center, Group, Loader, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { DatasetSummaryView, ImageClassView } from '../../../../electron/shared/train-schemas';
import { api } from '../../api';
import { limited } from '../sources/images/thumbnails';
import { HashValue } from './HashValue';
import { SyntheticViewer } from './SyntheticViewer';

const SHOWN = 64;
const TILE = 128;

/** The class (and the attributes it carries) of image i, when the dataset recorded classes. */
export function classOfImage(dataset: DatasetSummaryView, index: number): ImageClassView | null {
  const k = dataset.imageClasses?.[index];
  return k === undefined ? null : (dataset.classes?.[k] ?? null);
}

// The first images of a synthetic image dataset as tiles, each with its class; a click opens the viewer.
export function SyntheticGallery({ dataset }: { dataset: DatasetSummaryView }) {
  const count = Math.min(SHOWN, dataset.rows);
  const [open, setOpen] = useState<number | null>(null);
  const labelled = (dataset.classes ?? []).some((c) => c.label !== null);
  return (
    <Stack gap="xs" p="md" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }} data-testid="synthetic-gallery">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <div>
          <Text size="sm" fw={600}>
            Synthetic images — not real patients
          </Text>
          <Text size="xs" c="dimmed">
            Dataset v{dataset.version}: {count < dataset.rows ? `first ${count} of ${dataset.rows.toLocaleString()}` : `${dataset.rows.toLocaleString()}`} images. Click one to view it
            larger with window presets.
          </Text>
        </div>
        <Group gap={6} wrap="nowrap">
          <Text size="xs" c="dimmed">
            sha256
          </Text>
          <HashValue value={dataset.sha256} testId="dataset-sha" length={64} />
        </Group>
      </Group>
      {dataset.classes && dataset.classes.length > 0 && <ClassList classes={dataset.classes} />}
      <SimpleGrid cols={{ base: 4, sm: 6, lg: 8 }} spacing={8}>
        {Array.from({ length: count }, (_, i) => (
          <Tile key={i} datasetId={dataset.id} index={i} label={labelled ? (classOfImage(dataset, i)?.label ?? null) : null} onOpen={() => setOpen(i)} />
        ))}
      </SimpleGrid>
      {open !== null && <SyntheticViewer datasetId={dataset.id} index={open} count={dataset.rows} imageClass={classOfImage(dataset, open)} onIndex={setOpen} onClose={() => setOpen(null)} />}
    </Stack>
  );
}

// Each class with the modality (and body part) its images carry as DICOM, and why, when its series disagreed.
function ClassList({ classes }: { classes: ImageClassView[] }) {
  return (
    <Stack gap={2} data-testid="synthetic-classes">
      {classes.map((c, i) => (
        <Text key={i} size="xs" data-testid={`synthetic-class-${i}`}>
          <b>{c.label === null ? 'All images' : `Class “${c.label}”`}</b>: {c.images.toLocaleString()} images, modality {c.modality}
          {c.bodyPart ? `, body part ${c.bodyPart}` : ''}
          {c.note ? <Text span size="xs" c="orange.8">{` — ${c.note}`}</Text> : null}
        </Text>
      ))}
    </Stack>
  );
}

function Tile({ datasetId, index, label, onOpen }: { datasetId: number; index: number; label: string | null; onOpen: () => void }) {
  const [url, setUrl] = useState<{ src: string } | 'loading' | 'failed'>('loading');
  useEffect(() => {
    let cancelled = false;
    limited(() => (cancelled ? Promise.reject(new Error('cancelled')) : api.datasets.image({ datasetId, index, window: { kind: 'file' }, maxSize: TILE })))
      .then((r) => !cancelled && setUrl({ src: r.dataUrl }))
      .catch(() => !cancelled && setUrl('failed'));
    return () => {
      cancelled = true;
    };
  }, [datasetId, index]);
  return (
    <UnstyledButton onClick={onOpen} aria-label={`Open synthetic image ${index + 1}${label !== null ? `, class ${label}` : ''}`} data-testid={`synthetic-tile-${index}`}>
      <Box bg="dark.8" pos="relative" style={{ aspectRatio: '1', borderRadius: 'var(--mantine-radius-sm)', overflow: 'hidden' }}>
        {label !== null && (
          <Badge pos="absolute" top={2} left={2} size="xs" variant="filled" color="dark.5" maw="90%" style={{ zIndex: 1, textTransform: 'none' }} data-testid={`synthetic-tile-class-${index}`}>
            {label}
          </Badge>
        )}
        <Center h="100%">
          {url === 'loading' ? (
            <Loader size="xs" color="gray.5" />
          ) : url === 'failed' ? (
            <Text fz={10} c="gray.5">
              No preview
            </Text>
          ) : (
            <img data-testid={`synthetic-image-${index}`} src={url.src} alt={`Synthetic image ${index + 1}`} style={{ width: '100%', height: '100%', objectFit: 'contain', display: 'block', imageRendering: 'pixelated' }} />
          )}
        </Center>
      </Box>
    </UnstyledButton>
  );
}
