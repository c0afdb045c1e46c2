import { Group, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import type { ReactNode } from 'react';
import { LockIcon } from './icons';

// A screen the session cannot use (a missing role, a key not yet received): what it is and what to do, in words.
export function ClosedNotice({ testId, title, children, color = 'gray' }: { testId: string; title: string; children: ReactNode; color?: string }) {
  return (
    <Paper withBorder p="xl" radius="md" maw={720} data-testid={testId}>
      <Group align="flex-start" wrap="nowrap" gap="lg">
        <ThemeIcon size={44} radius="md" variant="light" color={color}>
          <LockIcon size={22} />
        </ThemeIcon>
        <Stack gap={4}>
          <Text fw={600}>{title}</Text>
          <Text size="sm" c="dimmed">
            {children}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}
