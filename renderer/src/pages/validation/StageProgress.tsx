import { Button, Group, Loader, Paper, Progress, SimpleGrid, Text, ThemeIcon } from '@mantine/core';
import type { ValidationView } from '../../../../electron/shared/validation-schemas';
import { CheckIcon } from '../../components/icons';

interface Props {
  validation: ValidationView;
  canCancel: boolean;
  cancelling: boolean;
  onCancel: () => void;
}

// The overall bar counts finished stages plus the running stage's own progress; the list names every stage.
export function StageProgress({ validation, canCancel, cancelling, onCancel }: Props) {
  const { stages } = validation;
  const done = stages.filter((s) => s.state === 'done').length;
  const running = stages.find((s) => s.state === 'running') ?? stages.find((s) => s.id === validation.stage) ?? null;
  const within = Math.min(1, Math.max(0, validation.progress ?? 0));
  const percent = stages.length > 0 ? Math.min(100, ((done + (running ? within : 0)) / stages.length) * 100) : 0;
  const at = running ? stages.indexOf(running) + 1 : done;

  return (
    <Paper withBorder radius="md" p="md" data-testid="validation-progress">
      <Group justify="space-between" align="flex-start" wrap="nowrap" mb="xs">
        <div style={{ minWidth: 0 }}>
          <Text fw={650}>Validating…</Text>
          <Text size="sm" c="dimmed" data-testid="validation-stage">
            {running ? `Stage ${at} of ${stages.length}: ${running.label}` : 'Starting the validator…'}
          </Text>
        </div>
        <Group gap="md" wrap="nowrap">
          <Text size="sm" ff="monospace" c="dimmed" data-testid="validation-percent">
            {Math.round(percent)}%
          </Text>
          {canCancel && (
            <Button variant="default" color="red" data-testid="validation-cancel" loading={cancelling} onClick={onCancel}>
              Cancel validation
            </Button>
          )}
        </Group>
      </Group>
      <Progress value={percent} size="lg" animated aria-label="Validation progress" data-testid="validation-progress-bar" />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" verticalSpacing={6} mt="md" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {stages.map((s, i) => (
          <Group key={s.id} component="li" gap="xs" wrap="nowrap" data-testid={`validation-stage-${s.id}`} data-state={s.state}>
            {s.state === 'done' ? (
              <ThemeIcon size={20} radius="xl" color="teal" variant="light" aria-label="done">
                <CheckIcon size={13} />
              </ThemeIcon>
            ) : s.state === 'running' ? (
              <Loader size={18} aria-label="running" />
            ) : (
              <ThemeIcon size={20} radius="xl" color="gray" variant="outline" aria-label="pending" style={{ borderStyle: 'dashed' }}>
                <Text size="10px" c="dimmed">
                  {i + 1}
                </Text>
              </ThemeIcon>
            )}
            <Text size="sm" c={s.state === 'pending' ? 'dimmed' : undefined} fw={s.state === 'running' ? 600 : 400} truncate title={s.label}>
              {s.label}
              {s.state === 'running' && (
                <Text span size="xs" c="dimmed" ff="monospace">
                  {' '}
                  {Math.round(within * 100)}%
                </Text>
              )}
            </Text>
          </Group>
        ))}
      </SimpleGrid>
    </Paper>
  );
}
