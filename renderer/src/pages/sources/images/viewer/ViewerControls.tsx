import { ActionIcon, Button, Group, Slider, Text, Tooltip } from '@mantine/core';
import { forwardRef } from 'react';
import type { WindowRequest } from '../../../../../../electron/shared/ingest-schemas';
import { FitIcon, ZoomInIcon, ZoomOutIcon } from '../../../../components/icons';
import { PRESETS, formatWl } from './windowing';
import type { PresetName, Wl } from './windowing';

interface PresetProps {
  current: WindowRequest;
  colour: boolean;
  onWindow: (request: WindowRequest) => void;
}

export function WindowPresets({ current, colour, onWindow }: PresetProps) {
  const isPreset = (name: PresetName) => current.kind === 'preset' && current.name === name;
  return (
    <Group gap={6} px="sm" py={8} wrap="wrap" role="group" aria-label="Window presets" className="sources-viewer-bar">
      <PresetButton label="File default" values="from file" active={current.kind === 'file'} disabled={colour} testId="preset-file" onClick={() => onWindow({ kind: 'file' })} />
      {PRESETS.map((p) => (
        <Tooltip key={p.name} label={`CT window: width ${p.width} HU, centre ${p.center} HU`} withArrow openDelay={400}>
          <PresetButton
            label={p.label}
            values={`${p.width}/${p.center}`}
            active={isPreset(p.name)}
            disabled={colour}
            testId={`preset-${p.name}`}
            onClick={() => onWindow({ kind: 'preset', name: p.name })}
          />
        </Tooltip>
      ))}
    </Group>
  );
}

interface PresetButtonProps {
  label: string;
  values: string;
  active: boolean;
  disabled: boolean;
  testId: string;
  onClick: () => void;
}

// Name over width/centre, so all six fit on one row beside the metadata panel.
const PresetButton = forwardRef<HTMLButtonElement, PresetButtonProps>(function PresetButton({ label, values, active, disabled, testId, onClick, ...rest }, ref) {
  return (
    <Button ref={ref} {...rest} h={40} px={10} variant={active ? 'filled' : 'default'} data-testid={testId} aria-pressed={active} onClick={onClick} disabled={disabled}>
      <span className="sources-preset">
        <Text span size="sm" fw={600} inherit>
          {label}
        </Text>
        <Text span fz={11} fw={500} c={active ? 'teal.0' : disabled ? undefined : 'dimmed'}>
          {values}
        </Text>
      </span>
    </Button>
  );
});

export function WindowReadout({ wl, colour }: { wl: Wl | null; colour: boolean }) {
  return (
    <Text size="sm" ff="monospace" fw={600} c="gray.1" data-testid="viewer-wl" title="Window centre and width" className="nowrap">
      {colour ? 'Colour image' : wl ? `C ${formatWl(wl.center)} · W ${formatWl(wl.width)}` : 'C … · W …'}
    </Text>
  );
}

interface SliceProps {
  index: number;
  count: number;
  scale: number;
  fitted: boolean;
  size: string | null;
  onIndex: (index: number) => void;
  onZoom: (kind: 'in' | 'out' | 'fit') => void;
}

export function SliceAndZoom({ index, count, scale, fitted, size, onIndex, onZoom }: SliceProps) {
  return (
    <Group gap="md" px="sm" py={8} wrap="nowrap" className="sources-viewer-bar">
      <Text size="sm" fw={600} w={104} className="nowrap" data-testid="viewer-slice" aria-live="polite">
        Slice {count === 0 ? 0 : index + 1} / {count}
      </Text>
      <Slider
        style={{ flex: 1 }}
        min={1}
        max={Math.max(2, count)}
        value={index + 1}
        onChange={(v) => onIndex(v - 1)}
        disabled={count <= 1}
        label={(v) => `Slice ${v}`}
        thumbLabel="Slice"
        data-testid="viewer-slider"
      />
      <Group gap={4} wrap="nowrap">
        <Tooltip label="Zoom out (−)" withArrow>
          <ActionIcon variant="default" size="md" aria-label="Zoom out" data-testid="viewer-zoom-out" onClick={() => onZoom('out')}>
            <ZoomOutIcon size={16} />
          </ActionIcon>
        </Tooltip>
        <Text size="xs" ff="monospace" w={48} ta="center" title={fitted ? 'Fitted to the panel' : undefined} data-testid="viewer-zoom">
          {Math.round(scale * 100)}%
        </Text>
        <Tooltip label="Zoom in (+)" withArrow>
          <ActionIcon variant="default" size="md" aria-label="Zoom in" data-testid="viewer-zoom-in" onClick={() => onZoom('in')}>
            <ZoomInIcon size={16} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Fit to panel (0)" withArrow>
          <ActionIcon variant={fitted ? 'light' : 'default'} size="md" aria-label="Fit to panel" aria-pressed={fitted} data-testid="viewer-fit" onClick={() => onZoom('fit')}>
            <FitIcon size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
      {size && (
        <Text size="xs" c="dimmed" className="nowrap" visibleFrom="lg">
          {size}
        </Text>
      )}
    </Group>
  );
}
