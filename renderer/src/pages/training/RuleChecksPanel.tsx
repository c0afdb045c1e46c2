import { Badge, Paper, Table, Text, Title } from '@mantine/core';
import type { RuleCheck } from '../../../../electron/shared/rules-schema';
import { brokenShare, methodText } from '../../../../electron/shared/rules-text';

const METHOD_COLOR: Record<RuleCheck['method'], string> = { construction: 'teal', rejection: 'blue', clip: 'grape' };

interface Props {
  checks: RuleCheck[];
  /** Which table the checks are of, e.g. "dataset v2". */
  of: string;
}

// Each spec rule in words, with the share of synthetic rows that break it, the rows discarded for it and how it was kept.
export function RuleChecksPanel({ checks, of }: Props) {
  if (checks.length === 0) return null;
  const broken = checks.filter((c) => c.violations > 0).length;
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }} data-testid="run-rule-checks">
      <div style={{ padding: 'var(--mantine-spacing-md)', paddingBottom: 'var(--mantine-spacing-sm)' }}>
        <Title order={4}>Rules</Title>
        <Text size="sm" c="dimmed" data-testid="run-rule-summary">
          {broken === 0 ? `Every row of ${of} keeps all ${checks.length} rules of the spec.` : `${broken} of ${checks.length} rules are broken by some rows of ${of}.`}
        </Text>
      </div>
      <Table fz="sm" verticalSpacing={6} horizontalSpacing="md">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Rule</Table.Th>
            <Table.Th ta="right">Broken</Table.Th>
            <Table.Th ta="right">Rows rejected</Table.Th>
            <Table.Th>Kept</Table.Th>
            <Table.Th ta="right">Real rows breaking it</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {checks.map((c, i) => (
            <Table.Tr key={i} data-testid="rule-check" data-violations={c.violations}>
              <Table.Td>{c.text}</Table.Td>
              <Table.Td ta="right" c={c.violations > 0 ? 'red' : undefined} title={`${c.violations} of the ${c.rows} rows it applies to`}>
                {brokenShare(c)}
              </Table.Td>
              <Table.Td ta="right">{c.rejected}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={METHOD_COLOR[c.method]} size="sm">
                  {methodText(c.method)}
                </Badge>
              </Table.Td>
              <Table.Td ta="right" c="dimmed">
                {c.realViolations} of {c.realRows}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
