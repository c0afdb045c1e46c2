import { Badge, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { Fragment } from 'react';
import { CRITERIA } from '../../../../electron/shared/criteria';
import { IMAGE_CRITERIA } from '../../../../electron/shared/image-criteria';
import type { ReportDocumentView } from '../../../../electron/shared/validation-schemas';
import { splitInterval } from './validationFormat';

type Row = ReportDocumentView['criteria'][number];

const FAMILIES = [
  { id: 'fidelity', title: 'Fidelity' },
  { id: 'diversity', title: 'Diversity' },
  { id: 'utility', title: 'Utility' },
  { id: 'privacy', title: 'Privacy' },
] as const;

const STATUS: Record<Row['status'], { label: string; color: string; variant: 'filled' | 'light' | 'outline' }> = {
  pass: { label: 'Pass', color: 'teal', variant: 'light' },
  fail: { label: 'Fail', color: 'red', variant: 'filled' },
  'not-applicable': { label: 'n/a', color: 'gray', variant: 'outline' },
};

// Image criteria ("images.…") name their family in their definition; table ids start with it.
const imageFamilies = new Map<string, string>(IMAGE_CRITERIA.map((c) => [c.id, c.family]));
const familyOf = (id: string) => imageFamilies.get(id) ?? id.split('.')[0] ?? 'other';
const labels = new Map<string, string>([...CRITERIA, ...IMAGE_CRITERIA].map((c) => [c.id, c.label]));
// The report may say so in words; the spec's own overrides (when readable) say it for certain.
const mentionsChanged = (r: Row) => /changed from|tier default|changed default/i.test(`${r.sentence} ${r.note ?? ''}`);

interface Props {
  criteria: Row[];
  /** Criteria whose threshold the spec changed from the tier's default, when the spec could be read. */
  changed: ReadonlySet<string>;
  tierLabel: string;
}

export function CriteriaTable({ criteria, changed, tierLabel }: Props) {
  const groups = [...FAMILIES.map((f) => ({ ...f, rows: criteria.filter((c) => familyOf(c.id) === f.id) })), { id: 'other', title: 'Other', rows: criteria.filter((c) => !FAMILIES.some((f) => f.id === familyOf(c.id))) }].filter((g) => g.rows.length > 0);
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }} component="section" aria-label="Acceptance criteria">
      <Stack gap={2} p="md" pb="sm">
        <Title order={3}>Acceptance criteria</Title>
        <Text size="sm" c="dimmed">
          Each criterion was written in the spec before the result was known ({tierLabel} tier defaults unless marked as changed). A criterion whose 95% interval straddles its threshold is judged on the measured value and marked.
        </Text>
      </Stack>
      <Table.ScrollContainer minWidth={760} type="native">
        <Table fz="sm" verticalSpacing={8} horizontalSpacing="md" data-testid="validation-criteria" style={{ tableLayout: 'fixed' }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={84}>Result</Table.Th>
              <Table.Th>Criterion</Table.Th>
              <Table.Th w={190} ta="right">
                Measured
              </Table.Th>
              <Table.Th w={110} ta="right">
                Threshold
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((g) => (
              <Fragment key={g.id}>
                <Table.Tr bg="gray.0">
                  <Table.Td colSpan={4} py={6}>
                    <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ letterSpacing: 0.6 }}>
                      {g.title}
                    </Text>
                  </Table.Td>
                </Table.Tr>
                {g.rows.map((c) => {
                  const s = STATUS[c.status];
                  return (
                    <Table.Tr key={c.id} data-testid={`criterion-${c.id}`} data-status={c.status} bg={c.status === 'fail' ? 'red.0' : undefined}>
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <Badge color={s.color} variant={s.variant} w={56}>
                          {s.label}
                        </Badge>
                      </Table.Td>
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        {labels.get(c.id) && (
                          <Text size="sm" fw={600} c={c.status === 'not-applicable' ? 'dimmed' : undefined}>
                            {labels.get(c.id)}
                          </Text>
                        )}
                        <Text size="sm" c={c.status === 'not-applicable' ? 'dimmed' : undefined}>
                          {c.sentence}
                        </Text>
                        {c.note && (
                          <Text size="xs" c="dimmed" mt={2}>
                            {c.note}
                          </Text>
                        )}
                        {(c.straddles || changed.has(c.id) || mentionsChanged(c)) && (
                          <Group gap={6} mt={4}>
                            {c.straddles && (
                              <Tooltip label="The 95% interval of the measured value lies on both sides of the threshold: another sample could decide the other way." withArrow multiline w={300}>
                                <Badge color="yellow" variant="light" size="sm" tt="none" data-testid={`criterion-straddles-${c.id}`}>
                                  interval straddles the threshold
                                </Badge>
                              </Tooltip>
                            )}
                            {(changed.has(c.id) || mentionsChanged(c)) && (
                              <Badge color="indigo" variant="light" size="sm" tt="none" data-testid={`criterion-changed-${c.id}`}>
                                changed from the tier default
                              </Badge>
                            )}
                          </Group>
                        )}
                      </Table.Td>
                      <Table.Td ta="right" style={{ verticalAlign: 'top' }}>
                        <Measured text={c.measured} />
                      </Table.Td>
                      <Table.Td ta="right" ff="monospace" style={{ verticalAlign: 'top' }}>
                        {c.threshold}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

// "0.952 (95% CI 0.917 – 0.982)": the value large, its interval beneath it.
function Measured({ text }: { text: string }) {
  const { value, interval } = splitInterval(text);
  return (
    <>
      <Text size="sm" ff="monospace" fw={600}>
        {value}
      </Text>
      {interval && (
        <Text size="xs" ff="monospace" c="dimmed" className="nowrap">
          {interval}
        </Text>
      )}
    </>
  );
}
