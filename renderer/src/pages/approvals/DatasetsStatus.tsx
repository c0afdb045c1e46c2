import { Badge, Button, Group, Table, Text } from '@mantine/core';
import type { ExportableDataset } from '../../../../electron/shared/approval-schemas';
import { STATUS, statusText, tierLabel } from './approvalsFormat';

interface Props {
  datasets: ExportableDataset[];
  canRequest: boolean;
  canRetire: boolean;
  onRequest: (d: ExportableDataset) => void;
  onRetire: (d: ExportableDataset) => void;
  onOpen: (requestId: number) => void;
}

/** The dataset's sign-off state in words: "No request", "Pending · 0 of 1 approvals", "Approved", … */
export function datasetStatus(d: ExportableDataset): { label: string; color: string } {
  if (d.retired) return STATUS.retired;
  if (!d.latestRequest) return { label: 'No request', color: 'gray' };
  return { label: statusText(d.latestRequest), color: STATUS[d.latestRequest.status].color };
}

// Every synthetic dataset with its newest request: what a steward checks before exporting.
export function DatasetsStatus({ datasets, canRequest, canRetire, onRequest, onRetire, onOpen }: Props) {
  return (
    <Table.ScrollContainer minWidth={860} type="native">
      <Table fz="sm" verticalSpacing={8} horizontalSpacing="md" data-testid="approval-datasets">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Dataset</Table.Th>
            <Table.Th>Approval</Table.Th>
            <Table.Th>Release tier</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {datasets.map((d) => {
            const st = datasetStatus(d);
            const req = d.latestRequest;
            const open = req !== null && !d.retired && (req.status === 'pending' || req.status === 'approved');
            return (
              <Table.Tr key={d.datasetId} data-testid={`approval-dataset-${d.datasetId}`}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {d.specName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    Dataset #{d.datasetId} v{d.datasetVersion} · run #{d.runId} · {d.kind === 'images' ? `${d.rows.toLocaleString()} images` : `${d.rows.toLocaleString()} rows`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={st.color} variant={st.label === 'Approved' ? 'filled' : 'light'} tt="none" data-testid={`approval-dataset-status-${d.datasetId}`}>
                    {st.label}
                  </Badge>
                  {req && (
                    <Text span size="xs" c="dimmed" ml={6}>
                      request #{req.id}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td className="nowrap">{req ? tierLabel(req.tier) : '—'}</Table.Td>
                <Table.Td ta="right">
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    {req && (
                      <Button size="compact-sm" variant="default" data-testid={`approval-dataset-open-${d.datasetId}`} onClick={() => onOpen(req.id)}>
                        Open request
                      </Button>
                    )}
                    {canRequest && !d.retired && !open && (
                      <Button size="compact-sm" data-testid={`approval-request-${d.datasetId}`} onClick={() => onRequest(d)}>
                        Request approval…
                      </Button>
                    )}
                    {canRetire && !d.retired && (
                      <Button size="compact-sm" variant="default" color="red" data-testid={`approval-retire-${d.datasetId}`} onClick={() => onRetire(d)}>
                        Retire…
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
