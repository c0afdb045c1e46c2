import { Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import type { RunView } from '../../../../electron/shared/train-schemas';
import { backendLabel } from './trainingFormat';

// Which compute backend trained the model, and why faster ones were passed over: reviewers ask about both.
export function BackendLine({ backend, running, generator }: { backend: RunView['backend']; running: boolean; generator: string }) {
  if (!backend)
    return (
      <Text size="sm" c="dimmed" data-testid="run-backend">
        {generator === 'copula' ? 'None: the copula needs no tensor backend.' : running ? 'Choosing a compute backend…' : 'None: training stopped before one was chosen.'}
      </Text>
    );
  const fallbacks = backend.fallbacks;
  return (
    <Group gap="xs" wrap="nowrap" data-testid="run-backend">
      <Text size="sm" ff="monospace">
        {backendLabel(backend)}
      </Text>
      {fallbacks.length > 0 && (
        <Tooltip
          withArrow
          position="bottom-start"
          multiline
          w={360}
          label={
            <Stack gap={2}>
              {fallbacks.map((f) => (
                <Text key={f.name} size="xs">
                  <b>{f.name}</b>: {f.reason}
                </Text>
              ))}
            </Stack>
          }
        >
          <Badge
            size="sm"
            variant="light"
            color="gray"
            tt="none"
            tabIndex={0}
            style={{ cursor: 'help', flexShrink: 0 }}
            data-testid="run-backend-fallbacks"
            aria-label={`Not used: ${fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; ')}`}
          >
            {fallbacks.length} {fallbacks.length === 1 ? 'fallback' : 'fallbacks'}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
