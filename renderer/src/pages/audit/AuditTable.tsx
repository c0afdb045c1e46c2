import { Badge, Table, Text } from '@mantine/core';
import type { AuditEntryView } from '../../../../electron/shared/contract';
import { formatDateTime, formatDetails, toUtcIso } from '../../format';

const FAMILY_COLORS: Record<string, string> = { login: 'blue', logout: 'blue', session: 'blue', user: 'violet', workspace: 'teal', settings: 'orange' };

// Colored by family; events that signal trouble stand out in red whatever their family.
export function actionColor(action: string): string {
  if (/\.(failed|locked)$/.test(action)) return 'red';
  const family = action.split('.')[0] ?? '';
  return FAMILY_COLORS[family] ?? 'gray';
}

export function AuditTable({ entries }: { entries: AuditEntryView[] }) {
  return (
    <Table striped highlightOnHover fz="sm" verticalSpacing={8} horizontalSpacing="md" data-testid="audit-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={64} ta="right">
            #
          </Table.Th>
          <Table.Th w={200}>Time</Table.Th>
          <Table.Th w={140}>Actor</Table.Th>
          <Table.Th w={170}>Action</Table.Th>
          <Table.Th w={140}>Subject</Table.Th>
          <Table.Th>Details</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.map((entry) => {
          const details = formatDetails(entry.details);
          return (
            <Table.Tr key={entry.seq} data-testid={`audit-row-${entry.seq}`}>
              <Table.Td ta="right" ff="monospace" c="dimmed">
                {entry.seq}
              </Table.Td>
              <Table.Td className="nowrap" title={`${toUtcIso(entry.ts)} (UTC)`}>
                {formatDateTime(entry.ts)}
              </Table.Td>
              <Table.Td>{entry.actor}</Table.Td>
              <Table.Td>
                <Badge color={actionColor(entry.action)} variant="light" size="sm" tt="none" radius="sm" ff="monospace">
                  {entry.action}
                </Badge>
              </Table.Td>
              <Table.Td>{entry.subject ?? <Text span c="dimmed">—</Text>}</Table.Td>
              <Table.Td>
                <Text size="xs" c={details ? undefined : 'dimmed'} lineClamp={2} title={details || undefined} style={{ wordBreak: 'break-word' }}>
                  {details || '—'}
                </Text>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
