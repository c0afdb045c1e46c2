import { Badge, Group, List, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import type { ReportDocumentView } from '../../../../electron/shared/validation-schemas';
import { AlertIcon, CheckIcon } from '../../components/icons';

// The answer first: PASS only if every criterion passed; otherwise the failed criteria, in words.
export function VerdictBanner({ document }: { document: ReportDocumentView }) {
  const { verdict, criteria } = document;
  const color = verdict.pass ? 'teal' : 'red';
  const counted = criteria.filter((c) => c.status !== 'not-applicable');
  const passed = counted.filter((c) => c.status === 'pass').length;
  const failed = counted.length - passed;
  const na = criteria.length - counted.length;
  return (
    <Paper
      radius="md"
      p="lg"
      data-testid="validation-verdict"
      data-verdict={verdict.pass ? 'pass' : 'fail'}
      style={{ border: `2px solid var(--mantine-color-${color}-6)`, background: `var(--mantine-color-${color}-0)` }}
    >
      <Group align="flex-start" wrap="nowrap" gap="lg">
        <ThemeIcon size={64} radius="xl" color={color} variant="filled" aria-hidden="true">
          {verdict.pass ? <CheckIcon size={36} /> : <AlertIcon size={36} />}
        </ThemeIcon>
        <Stack gap={6} style={{ minWidth: 0, flex: 1 }}>
          <Group gap="md" align="baseline" wrap="wrap">
            <Text fz={40} fw={800} lh={1} c={`${color}.8`} style={{ letterSpacing: 1 }} data-testid="validation-verdict-word">
              {verdict.pass ? 'PASS' : 'FAIL'}
            </Text>
            <Group gap={6} data-testid="validation-verdict-count">
              <Badge color="teal" variant="light" tt="none">
                {passed} met
              </Badge>
              <Badge color="red" variant={failed > 0 ? 'filled' : 'light'} tt="none">
                {failed} not met
              </Badge>
              {na > 0 && (
                <Badge color="gray" variant="outline" tt="none">
                  {na} not applicable
                </Badge>
              )}
            </Group>
          </Group>
          <Text size="lg" fw={600} data-testid="validation-headline">
            {verdict.headline}
          </Text>
          {verdict.failed.length > 0 && (
            <div>
              <Text size="sm" fw={650} mt={4} mb={4}>
                {verdict.failed.length === 1 ? 'The criterion not met:' : `The ${verdict.failed.length} criteria not met:`}
              </Text>
              <List size="sm" spacing={4} data-testid="validation-failed" withPadding>
                {verdict.failed.map((f, i) => (
                  <List.Item key={i}>{f}</List.Item>
                ))}
              </List>
            </div>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}
