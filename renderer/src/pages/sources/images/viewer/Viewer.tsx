import { Alert, Box, Paper, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { InstanceView, WindowRequest } from '../../../../../../electron/shared/ingest-schemas';
import { AlertIcon } from '../../../../components/icons';
import { ImageStage } from './ImageStage';
import { MetadataPanel } from './MetadataPanel';
import { useRenderQueue } from './useRenderQueue';
import { SliceAndZoom, WindowPresets, WindowReadout } from './ViewerControls';
import { clampZoom, displayedWindow, dragStep, draggedWindow } from './windowing';
import type { Wl } from './windowing';

const ZOOM_STEP = 1.25;
// One slice per wheel notch; small trackpad deltas add up to a notch first.
const WHEEL_NOTCH = 50;

function middleSlice(instances: InstanceView[]): number {
  const middle = Math.floor(instances.length / 2);
  const before = instances.slice(0, middle).reduce((n, i) => n + Math.max(1, i.frames), 0);
  return before + Math.floor(Math.max(1, instances[middle]?.frames ?? 1) / 2);
}

interface Props {
  instances: InstanceView[];
  title: string;
}

export function Viewer({ instances, title }: Props) {
  const slices = useMemo(() => instances.flatMap((instance) => Array.from({ length: Math.max(1, instance.frames) }, (_, frame) => ({ instance, frame }))), [instances]);
  // Opens on the slice the series thumbnail shows: the middle frame of the middle image.
  const [index, setIndex] = useState(() => middleSlice(instances));
  const [windowRequest, setWindowRequest] = useState<WindowRequest>({ kind: 'file' });
  const [zoom, setZoom] = useState<number | null>(null);
  const { last, error, busy, request } = useRenderQueue();
  const stage = useElementSize();
  const containerRef = useRef<HTMLDivElement>(null);
  const dragFrom = useRef<{ wl: Wl; step: number } | null>(null);
  const fitRef = useRef(1);
  const countRef = useRef(slices.length);

  const slice = slices[Math.min(index, slices.length - 1)] ?? null;
  useEffect(() => {
    if (slice) request({ instanceId: slice.instance.id, frame: slice.frame, window: windowRequest });
  }, [slice, windowRequest, request]);

  const result = last?.result ?? null;
  const fit = result && stage.width > 0 && stage.height > 0 ? Math.min((stage.width - 16) / result.width, (stage.height - 16) / result.height) : 1;
  const scale = zoom ?? fit;
  const colour = result !== null && result.center === null && result.windowWidth === null;
  const wl = displayedWindow(windowRequest, last);

  useEffect(() => {
    fitRef.current = fit;
    countRef.current = slices.length;
  }, [fit, slices.length]);

  useEffect(() => {
    window.scrollTo({ top: 0 });
    containerRef.current?.focus({ preventScroll: true });
  }, []);

  const go = useCallback((delta: number) => setIndex((i) => Math.min(countRef.current - 1, Math.max(0, i + delta))), []);
  const zoomBy = useCallback((factor: number) => setZoom((z) => clampZoom((z ?? fitRef.current) * factor)), []);
  const onZoom = (kind: 'in' | 'out' | 'fit') => (kind === 'fit' ? setZoom(null) : zoomBy(kind === 'in' ? ZOOM_STEP : 1 / ZOOM_STEP));

  // React's wheel listener is passive; this one must cancel the page scroll (and Ctrl+wheel page zoom).
  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    let pending = 0;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const delta = e.deltaMode === 1 ? e.deltaY * 40 : e.deltaMode === 2 ? e.deltaY * 400 : e.deltaY;
      if (delta === 0) return;
      if (e.ctrlKey || e.metaKey) {
        zoomBy(delta < 0 ? 1.1 : 1 / 1.1);
        return;
      }
      pending = Math.abs(delta) >= WHEEL_NOTCH ? delta : pending + delta;
      if (Math.abs(pending) < WHEEL_NOTCH) return;
      go(Math.sign(pending));
      pending = 0;
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [go, zoomBy]);

  // Capture phase, so the slice keys mean the same even when the slider thumb has focus.
  const onKeyDownCapture = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const page = Math.max(1, Math.round(slices.length / 10));
    const actions: Record<string, () => void> = {
      ArrowDown: () => go(1),
      ArrowUp: () => go(-1),
      PageDown: () => go(page),
      PageUp: () => go(-page),
      Home: () => go(-slices.length),
      End: () => go(slices.length),
      '+': () => onZoom('in'),
      '=': () => onZoom('in'),
      '-': () => onZoom('out'),
      '0': () => onZoom('fit'),
    };
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    action();
  };

  const onDragStart = () => {
    if (!result || colour) return false;
    const from = wl ?? { center: (result.min + result.max) / 2, width: Math.max(1, result.max - result.min) };
    dragFrom.current = { wl: from, step: dragStep(result.min, result.max) };
    return true;
  };
  const onDrag = (dx: number, dy: number) => {
    const from = dragFrom.current;
    if (from) setWindowRequest({ kind: 'custom', ...draggedWindow(from.wl, dx, dy, from.step) });
  };

  const burnedIn = slice?.instance.burnedIn === 'YES';
  return (
    <Box style={{ flex: 1, minWidth: 0 }}>
      {burnedIn && (
        <Alert color="red" variant="filled" icon={<AlertIcon />} mb="sm" py={10} data-testid="burned-in-warning" role="alert">
          <Text span size="sm" fw={700}>
            Burned-in annotation.
          </Text>{' '}
          This image may show patient details burned into the pixels.
        </Alert>
      )}
      <div className="sources-viewer-row" data-burned-in={burnedIn || undefined}>
        <Paper
          withBorder
          radius="md"
          ref={containerRef}
          tabIndex={0}
          data-testid="viewer"
          className="sources-viewer"
          aria-label={`Image viewer for ${title}. Arrow up and down or the mouse wheel change the slice; drag on the image to change the window.`}
          onKeyDownCapture={onKeyDownCapture}
        >
          <WindowPresets current={windowRequest} colour={colour} onWindow={setWindowRequest} />
          <ImageStage
            stageRef={stage.ref}
            overlay={<WindowReadout wl={wl} colour={colour} />}
            rendered={last}
            error={error}
            busy={busy}
            scale={scale}
            alt={`${title}, slice ${index + 1} of ${slices.length}`}
            onDragStart={onDragStart}
            onDrag={onDrag}
            onFocusRequest={() => containerRef.current?.focus({ preventScroll: true })}
          />
          <SliceAndZoom
            index={Math.min(index, slices.length - 1)}
            count={slices.length}
            scale={scale}
            fitted={zoom === null}
            size={slice ? `${slice.instance.columns} × ${slice.instance.rows}` : null}
            onIndex={setIndex}
            onZoom={onZoom}
          />
        </Paper>
        <MetadataPanel instanceId={slice?.instance.id ?? null} />
      </div>
    </Box>
  );
}
