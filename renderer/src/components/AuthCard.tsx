import { Box, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ShieldIcon } from './icons';

// The centered card shared by the lock and create-workspace screens.
export function AuthCard({ testId, subtitle, children, footer }: { testId: string; subtitle: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <Box className="auth-backdrop" data-testid={testId}>
      <Stack w="100%" maw={480} gap="md">
        <Paper withBorder shadow="sm" radius="lg" p="xl">
          <Stack gap="lg">
            <Group gap="sm" wrap="nowrap">
              <ThemeIcon size={44} radius="md" variant="light">
                <ShieldIcon size={26} />
              </ThemeIcon>
              <div>
                <Title order={1} size="h2" lh={1.1}>
                  Airlock
                </Title>
                <Text size="sm" c="dimmed">
                  Approved synthetic data from sensitive sources.
                </Text>
              </div>
            </Group>
            <Text fw={600}>{subtitle}</Text>
            {children}
          </Stack>
        </Paper>
        {footer}
      </Stack>
    </Box>
  );
}
