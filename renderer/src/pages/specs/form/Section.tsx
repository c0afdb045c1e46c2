import { Box, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { AlertIcon } from '../../../components/icons';

interface Props {
  title: string;
  description?: ReactNode;
  error?: string | undefined;
  // Tables run edge to edge; fields get padding.
  flush?: boolean;
  children: ReactNode;
}

export function Section({ title, description, error, flush, children }: Props) {
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }} component="section" aria-label={title}>
      <Stack gap={2} p="md" pb={flush ? 'sm' : 0}>
        <Title order={4}>{title}</Title>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
        {error && (
          <Group gap={6} wrap="nowrap" c="red.8" role="alert" mt={4}>
            <AlertIcon size={16} />
            <Text size="sm">{error}</Text>
          </Group>
        )}
      </Stack>
      <Box p={flush ? 0 : 'md'}>{children}</Box>
    </Paper>
  );
}
