import { Box, Group, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import type { RunView } from '../../../../electron/shared/train-schemas';
import { formatLoss } from './trainingFormat';

const H = 240;
const PAD = { left: 60, right: 16, top: 12, bottom: 30 };
const COLORS = ['teal', 'indigo', 'orange', 'grape', 'red', 'blue', 'lime', 'cyan'].map((c) => `var(--mantine-color-${c}-6)`);

interface Series {
  name: string;
  color: string;
  points: { epoch: number; value: number }[];
}

function toSeries(losses: RunView['losses']): Series[] {
  const names: string[] = [];
  for (const l of losses) for (const name of Object.keys(l.losses)) if (!names.includes(name)) names.push(name);
  return names.map((name, i) => ({
    name,
    color: COLORS[i % COLORS.length] ?? 'currentColor',
    // A diverged step (NaN, Infinity) has no place on the axis; the gap shows it.
    points: losses.flatMap((l) => {
      const value = l.losses[name];
      return value !== undefined && Number.isFinite(value) ? [{ epoch: l.epoch, value }] : [];
    }),
  }));
}

export function LossChart({ losses }: { losses: RunView['losses'] }) {
  // Drawn at the container's own width so labels stay at their real size.
  const { ref, width } = useElementSize();
  const W = Math.max(320, Math.round(width) || 640);
  const series = toSeries(losses);
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return null;
  // Loops, not Math.min(...): a long run has more points than a spread should carry.
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const p of all) {
    xMin = Math.min(xMin, p.epoch);
    xMax = Math.max(xMax, p.epoch);
    yMin = Math.min(yMin, p.value);
    yMax = Math.max(yMax, p.value);
  }
  if (xMax === xMin) xMax = xMin + 1;
  if (yMax === yMin) {
    yMin -= 1;
    yMax += 1;
  }
  const x = (epoch: number) => PAD.left + ((epoch - xMin) / (xMax - xMin)) * (W - PAD.left - PAD.right);
  const y = (value: number) => PAD.top + (1 - (value - yMin) / (yMax - yMin)) * (H - PAD.top - PAD.bottom);
  const bottom = H - PAD.bottom;
  const summary = series.map((s) => `${s.name} ${formatLoss(s.points.at(-1)?.value ?? Number.NaN)}`).join(', ');

  return (
    <Box data-testid="run-loss-chart" ref={ref}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={`Training losses by epoch, ${xMin} to ${xMax}. Latest: ${summary}.`} height={H} style={{ display: 'block' }}>
        <g fontSize={11} fill="var(--mantine-color-gray-7)" fontFamily="var(--mantine-font-family-monospace)">
          <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={bottom} stroke="var(--mantine-color-gray-5)" />
          <line x1={PAD.left} y1={bottom} x2={W - PAD.right} y2={bottom} stroke="var(--mantine-color-gray-5)" />
          <line x1={PAD.left} y1={y((yMin + yMax) / 2)} x2={W - PAD.right} y2={y((yMin + yMax) / 2)} stroke="var(--mantine-color-gray-2)" strokeDasharray="4 4" />
          <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end">
            {formatLoss(yMax)}
          </text>
          <text x={PAD.left - 6} y={bottom} textAnchor="end">
            {formatLoss(yMin)}
          </text>
          <text x={PAD.left} y={H - 8} textAnchor="start">
            {xMin}
          </text>
          <text x={W - PAD.right} y={H - 8} textAnchor="end">
            {xMax}
          </text>
          <text x={(PAD.left + W - PAD.right) / 2} y={H - 8} textAnchor="middle" fill="var(--mantine-color-gray-6)">
            epoch
          </text>
        </g>
        {series.map((s) =>
          s.points.length === 1 ? (
            <circle key={s.name} cx={x(s.points[0]?.epoch ?? xMin)} cy={y(s.points[0]?.value ?? yMin)} r={3} fill={s.color} />
          ) : (
            <polyline
              key={s.name}
              data-series={s.name}
              points={s.points.map((p) => `${x(p.epoch).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}
              fill="none"
              stroke={s.color}
              strokeWidth={2}
              strokeLinejoin="round"
              vectorEffect="non-scaling-stroke"
            />
          ),
        )}
      </svg>
      <Group gap="md" mt={6} justify="center" data-testid="run-loss-legend">
        {series.map((s) => (
          <Group key={s.name} gap={6} wrap="nowrap">
            <span aria-hidden="true" style={{ width: 14, height: 3, borderRadius: 2, background: s.color, display: 'inline-block' }} />
            <Text size="xs">
              {s.name}{' '}
              <Text span size="xs" c="dimmed" ff="monospace">
                {formatLoss(s.points.at(-1)?.value ?? Number.NaN)}
              </Text>
            </Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}
