import { Paper, Text, Title } from '@mantine/core';

const SIZE = 384;

// The latest 4×4 grid of samples an image run produced, scaled up without smoothing so pixels stay honest.
export function PreviewGrid({ dataUrl, running }: { dataUrl: string; running: boolean }) {
  return (
    <Paper withBorder radius="md" p="md" style={{ flex: 'none' }}>
      <Title order={4} mb={2}>
        {running ? 'Samples while training (updates every few seconds)' : 'Last samples from training'}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        Synthetic, not real patients.
      </Text>
      <img
        data-testid="run-grid"
        src={dataUrl}
        alt="A 4 by 4 grid of the model’s current samples"
        width={SIZE}
        height={SIZE}
        style={{ display: 'block', imageRendering: 'pixelated', background: 'var(--mantine-color-dark-8)', borderRadius: 'var(--mantine-radius-sm)', maxWidth: '100%', height: 'auto', aspectRatio: '1' }}
      />
    </Paper>
  );
}
