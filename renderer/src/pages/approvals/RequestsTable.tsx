import { Badge, Button, Table, Text } from '@mantine/core';
import type { RequestView } from '../../../../electron/shared/approval-schemas';
import { formatDateTime, formatDateTimeShort } from '../../format';
import { OUTCOME } from '../validation/validationFormat';
import { STATUS, statusText, tierLabel } from './approvalsFormat';

interface Props {
  requests: RequestView[];
  onOpen: (requestId: number) => void;
}

// Newest first; a request the user can sign now is marked so it stands out from the ones they can only read.
export function RequestsTable({ requests, onOpen }: Props) {
  return (
    <Table.ScrollContainer minWidth={900} type="native">
      <Table fz="sm" verticalSpacing={8} horizontalSpacing="md" highlightOnHover data-testid="approvals-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Request</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Dataset</Table.Th>
            <Table.Th>Release tier</Table.Th>
            <Table.Th>Validation</Table.Th>
            <Table.Th>Requested</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {requests.map((r) => {
            const verdict = OUTCOME[r.verdict];
            return (
              <Table.Tr key={r.id} data-testid={`approval-row-${r.id}`} data-status={r.status} data-can-sign={r.canSign} onClick={() => onOpen(r.id)} style={{ cursor: 'pointer' }}>
                <Table.Td fw={600} className="nowrap">
                  #{r.id}
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS[r.status].color} variant={r.status === 'pending' ? 'light' : 'filled'} tt="none" data-testid={`approval-status-${r.id}`}>
                    {statusText(r)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {r.specName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    Dataset #{r.datasetId} v{r.datasetVersion} · run #{r.runId} · {r.datasetKind === 'images' ? 'images' : 'table'}
                  </Text>
                </Table.Td>
                <Table.Td className="nowrap">{tierLabel(r.tier)}</Table.Td>
                <Table.Td className="nowrap">
                  <Badge color={verdict.color} variant="filled">
                    {verdict.label}
                  </Badge>{' '}
                  <Text span size="xs" c="dimmed">
                    #{r.validationId}
                  </Text>
                </Table.Td>
                <Table.Td className="nowrap" title={formatDateTime(r.requestedAt)}>
                  {r.requestedBy} · {formatDateTimeShort(r.requestedAt)}
                </Table.Td>
                <Table.Td className="nowrap" ta="right">
                  <Button size="compact-sm" variant={r.canSign ? 'filled' : 'default'} data-testid={`approval-open-${r.id}`} onClick={(e) => {
                    e.stopPropagation();
                    onOpen(r.id);
                  }}>
                    {r.canSign ? 'Review and sign' : 'Open'}
                  </Button>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
