import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { FindingsView } from '../../../../electron/shared/validation-schemas';
import { LockIcon } from '../../components/icons';

const SHOWN = 500;

// Row-level evidence stays inside the workstation: row numbers only, never values, and never in a report.
export function FindingsPanel({ findings }: { findings: FindingsView }) {
  // One line per training row, however many predicates single it out.
  const singled = new Map<number, number>();
  for (const s of findings.singledOut) singled.set(s.trainingRow, (singled.get(s.trainingRow) ?? 0) + 1);
  // Shown counting from 1, as the dataset preview numbers its rows.
  const singledRows = [...singled.entries()].sort((a, b) => a[0] - b[0]).map(([row, n]) => [row + 1, n]);
  return (
    <Paper radius="md" p="md" data-testid="validation-findings" style={{ border: '2px dashed var(--mantine-color-orange-5)', background: 'var(--mantine-color-orange-0)' }} component="section" aria-label="Row-level findings">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Group gap="xs">
              <Title order={3}>Row-level findings</Title>
              <Badge color="orange" variant="filled" leftSection={<LockIcon size={12} />} data-testid="validation-findings-badge">
                In-app only · never in a report
              </Badge>
            </Group>
            <Text size="sm" c="dimmed" mt={2} maw={900}>
              Which rows the privacy checks caught, by row number only (counted from 1 within the training rows and the synthetic dataset). These lines are shown on this workstation and are left out of every HTML, JSON or PDF report, which hold aggregates only.
            </Text>
          </div>
        </Group>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" style={{ alignItems: 'start' }}>
          <FindingList
            title="Identical copies of training rows"
            empty="No synthetic row is identical to a training row."
            testId="findings-identical"
            count={findings.identical.length}
            columns={['Synthetic row', 'Training row']}
            rows={findings.identical.map((f) => [f.syntheticRow + 1, f.trainingRow + 1])}
          />
          <FindingList
            title="Training rows singled out"
            empty="No training row was singled out by a predicate from the synthetic data."
            testId="findings-singled"
            count={singledRows.length}
            columns={['Training row', 'Predicates isolating it']}
            rows={singledRows}
          />
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

interface ListProps {
  title: string;
  empty: string;
  testId: string;
  count: number;
  columns: [string, string];
  rows: number[][];
}

function FindingList({ title, empty, testId, count, columns, rows }: ListProps) {
  return (
    <Paper withBorder radius="md" p="sm" data-testid={testId} data-count={count}>
      <Group justify="space-between" mb={6}>
        <Text size="sm" fw={650}>
          {title}
        </Text>
        <Badge color={count > 0 ? 'red' : 'teal'} variant="light">
          {count.toLocaleString()}
        </Badge>
      </Group>
      {count === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={240} maxHeight={260} type="native">
            <Table fz="sm" verticalSpacing={3} striped stickyHeader>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{columns[0]}</Table.Th>
                  <Table.Th>{columns[1]}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.slice(0, SHOWN).map((r, i) => (
                  <Table.Tr key={i}>
                    <Table.Td ff="monospace">{r[0]}</Table.Td>
                    <Table.Td ff="monospace">{r[1]}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {rows.length > SHOWN && (
            <Text size="xs" c="dimmed" mt={4}>
              Showing the first {SHOWN} of {rows.length.toLocaleString()}.
            </Text>
          )}
        </>
      )}
    </Paper>
  );
}
