import { Box, Button, Center, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { RenderResult, WindowRequest } from '../../../../electron/shared/ingest-schemas';
import type { ImageClassView } from '../../../../electron/shared/train-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { WindowPresets } from '../sources/images/viewer/ViewerControls';
import { formatWl } from '../sources/images/viewer/windowing';
import '../sources/sources.css';

const VIEW_SIZE = 512;

interface Props {
  datasetId: number;
  index: number;
  count: number;
  /** The image's class and the attributes its DICOM carries (null: the dataset recorded none). */
  imageClass?: ImageClassView | null;
  onIndex: (index: number) => void;
  onClose: () => void;
}

// One synthetic image large, with the Sources viewer's window presets; ← and → step through the dataset.
export function SyntheticViewer({ datasetId, index, count, imageClass = null, onIndex, onClose }: Props) {
  const [windowRequest, setWindowRequest] = useState<WindowRequest>({ kind: 'file' });
  const [shown, setShown] = useState<{ key: string; result: RenderResult } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = `${index}:${JSON.stringify(windowRequest)}`;

  useEffect(() => {
    let cancelled = false;
    api.datasets
      .image({ datasetId, index, window: windowRequest })
      .then((result) => {
        if (cancelled) return;
        setShown({ key: `${index}:${JSON.stringify(windowRequest)}`, result });
        setError(null);
      })
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [datasetId, index, windowRequest]);

  const go = (delta: number) => onIndex(Math.min(count - 1, Math.max(0, index + delta)));
  // On the window: focus sits on the modal's buttons, and the arrows mean the same wherever it is.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      onIndex(Math.min(count - 1, Math.max(0, index + (e.key === 'ArrowLeft' ? -1 : 1))));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [index, count, onIndex]);

  const result = shown?.result ?? null;
  const loading = shown?.key !== key && !error;
  return (
    <Modal opened onClose={onClose} size="auto" title={`Synthetic image ${index + 1} of ${count} — not a real patient`} data-testid="synthetic-viewer">
      <Stack gap="sm" data-testid="synthetic-viewer-body">
        {imageClass && (
          <Text size="sm" data-testid="synthetic-viewer-class">
            {imageClass.label === null ? '' : `Class “${imageClass.label}” · `}Modality {imageClass.modality}
            {imageClass.bodyPart ? ` · Body part ${imageClass.bodyPart}` : ''}
          </Text>
        )}
        <WindowPresets current={windowRequest} colour={false} onWindow={setWindowRequest} />
        <FormError message={error} />
        <Box w={VIEW_SIZE} h={VIEW_SIZE} bg="dark.9" pos="relative" style={{ borderRadius: 'var(--mantine-radius-sm)', overflow: 'hidden' }}>
          <Center h="100%">
            {result && (
              <img
                data-testid="synthetic-viewer-image"
                src={result.dataUrl}
                alt={`Synthetic image ${index + 1}`}
                style={{ width: '100%', height: '100%', objectFit: 'contain', imageRendering: 'pixelated', opacity: loading ? 0.6 : 1 }}
              />
            )}
            {loading && <Loader pos="absolute" size="sm" color="gray.4" aria-label="Rendering" />}
          </Center>
        </Box>
        <Group justify="space-between" wrap="nowrap">
          <Button variant="default" data-testid="synthetic-prev" disabled={index === 0} onClick={() => go(-1)}>
            ← Previous
          </Button>
          <Text size="xs" c="dimmed" ta="center">
            {result ? `${result.width} × ${result.height}` : ''}
            {result && result.center !== null && result.windowWidth !== null ? ` · W ${formatWl(result.windowWidth)} / C ${formatWl(result.center)}` : ''}
            {' · ← and → step through the images'}
          </Text>
          <Button variant="default" data-testid="synthetic-next" disabled={index >= count - 1} onClick={() => go(1)}>
            Next →
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
