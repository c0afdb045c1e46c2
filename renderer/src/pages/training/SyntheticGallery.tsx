import { Box, Center, Group, Loader, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { DatasetSummaryView } from '../../../../electron/shared/train-schemas';
import { api } from '../../api';
import { limited } from '../sources/images/thumbnails';
import { HashValue } from './HashValue';
import { SyntheticViewer } from './SyntheticViewer';

const SHOWN = 64;
const TILE = 128;

// The first images of a synthetic image dataset as tiles; a click opens the viewer.
export function SyntheticGallery({ dataset }: { dataset: DatasetSummaryView }) {
  const count = Math.min(SHOWN, dataset.rows);
  const [open, setOpen] = useState<number | null>(null);
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
      <SimpleGrid cols={{ base: 4, sm: 6, lg: 8 }} spacing={8}>
        {Array.from({ length: count }, (_, i) => (
          <Tile key={i} datasetId={dataset.id} index={i} onOpen={() => setOpen(i)} />
        ))}
      </SimpleGrid>
      {open !== null && <SyntheticViewer datasetId={dataset.id} index={open} count={dataset.rows} onIndex={setOpen} onClose={() => setOpen(null)} />}
    </Stack>
  );
}

function Tile({ datasetId, index, onOpen }: { datasetId: number; index: number; onOpen: () => void }) {
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
    <UnstyledButton onClick={onOpen} aria-label={`Open synthetic image ${index + 1}`} data-testid={`synthetic-tile-${index}`}>
      <Box bg="dark.8" style={{ aspectRatio: '1', borderRadius: 'var(--mantine-radius-sm)', overflow: 'hidden' }}>
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
