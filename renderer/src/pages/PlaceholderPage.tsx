import { Badge, Group, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import type { PageDef } from '../shell/pages';
import { PageHeader } from '../components/PageHeader';

export function PlaceholderPage({ page, planned }: { page: PageDef; planned: NonNullable<PageDef['planned']> }) {
  return (
    <Stack gap="lg" data-testid={`${page.id}-screen`}>
      <PageHeader title={page.label} description={planned.tagline} />
      <Paper withBorder p="xl" radius="md" maw={720}>
        <Group align="flex-start" wrap="nowrap" gap="lg">
          <ThemeIcon size={48} radius="md" variant="light" color="gray">
            {page.icon}
          </ThemeIcon>
          <Stack gap="sm">
            <Text>{planned.description}</Text>
            <Group gap="xs">
              <Badge color="gray" variant="light">
                Coming in a later release
              </Badge>
            </Group>
          </Stack>
        </Group>
      </Paper>
    </Stack>
  );
}
