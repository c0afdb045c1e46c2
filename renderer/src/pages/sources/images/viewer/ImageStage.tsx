import { Box, Center, Loader, Stack, Text } from '@mantine/core';
import { useRef } from 'react';
import type { PointerEvent, ReactNode, Ref } from 'react';
import type { Rendered } from './useRenderQueue';

interface Props {
  stageRef: Ref<HTMLDivElement>;
  // Drawn over the image's corner, outside the scrolling area, so it stays put while zoomed.
  overlay: ReactNode;
  rendered: Rendered | null;
  error: string | null;
  busy: boolean;
  scale: number;
  alt: string;
  // Returns false when the image has no window to drag (colour images).
  onDragStart: () => boolean;
  onDrag: (dx: number, dy: number) => void;
  onFocusRequest: () => void;
}

export function ImageStage({ stageRef, overlay, rendered, error, busy, scale, alt, onDragStart, onDrag, onFocusRequest }: Props) {
  const drag = useRef<{ x: number; y: number; id: number } | null>(null);

  const down = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    onFocusRequest();
    if (!rendered || !onDragStart()) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, id: e.pointerId };
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d && d.id === e.pointerId) onDrag(e.clientX - d.x, e.clientY - d.y);
  };
  const up = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.id !== e.pointerId) return;
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };

  const result = rendered?.result;
  return (
    <Box className="sources-stage-wrap">
      <Box
        ref={stageRef}
        className="sources-stage"
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        style={{ cursor: rendered ? 'crosshair' : undefined }}
      >
        {result ? (
          <img
            src={result.dataUrl}
            alt={alt}
            data-testid="viewer-image"
            draggable={false}
            width={Math.max(1, Math.round(result.width * scale))}
            height={Math.max(1, Math.round(result.height * scale))}
            style={{ imageRendering: scale >= 3 ? 'pixelated' : 'auto' }}
          />
        ) : error ? null : (
          <Center w="100%">
            <Loader color="gray.4" size="sm" aria-label="Rendering image" />
          </Center>
        )}
      </Box>
      <div className="sources-stage-corner">{overlay}</div>
      {error && (
        <Center className="sources-stage-overlay">
          <Stack gap={4} align="center" maw={420} p="md" className="sources-stage-message">
            <Text fw={600} c="red.2" ta="center">
              This image could not be shown
            </Text>
            <Text size="sm" c="gray.3" ta="center" data-testid="viewer-error">
              {error}
            </Text>
          </Stack>
        </Center>
      )}
      {busy && result && <Loader className="sources-stage-busy" color="gray.4" size="xs" aria-label="Rendering" />}
    </Box>
  );
}
