import { Badge, Table, Text, UnstyledButton } from '@mantine/core';
import type { RunView } from '../../../../electron/shared/train-schemas';
import { formatDateTime, formatTime } from '../../format';
import { GeneratorBadge } from '../specs/SpecList';
import { STATUS_COLOR, backendLabel } from './trainingFormat';

interface Props {
  runs: RunView[];
  selected: number | null;
  onSelect: (runId: number) => void;
}

export function RunsTable({ runs, selected, onSelect }: Props) {
  return (
    <Table.ScrollContainer minWidth={760} maxHeight={300} type="native">
      <Table highlightOnHover stickyHeader fz="sm" verticalSpacing={8} horizontalSpacing="md" data-testid="runs-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={80}>Run</Table.Th>
            <Table.Th>Spec</Table.Th>
            <Table.Th>Generator</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Backend</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((r) => {
            const active = r.id === selected;
            return (
              // The row takes the click; the button in it is the keyboard stop.
              <Table.Tr key={r.id} onClick={() => onSelect(r.id)} bg={active ? 'teal.0' : undefined} style={{ cursor: 'pointer' }}>
                <Table.Td>
                  <UnstyledButton data-testid={`run-item-${r.id}`} aria-current={active ? 'true' : undefined} aria-label={`Open run ${r.id}`} fw={600} fz="sm">
                    #{r.id}
                  </UnstyledButton>
                </Table.Td>
                <Table.Td>
                  {r.specName}{' '}
                  <Text span size="sm" c="dimmed">
                    v{r.specVersion}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <GeneratorBadge kind={r.generator} />
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[r.status]} variant="light" size="sm" miw="max-content">
                    {r.status}
                    {r.status === 'running' && r.epochs > 0 ? ` ${Math.floor((r.epochsDone / r.epochs) * 100)}%` : ''}
                  </Badge>
                </Table.Td>
                <Table.Td title={formatDateTime(r.startedAt)}>{formatTime(r.startedAt)}</Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace" c={r.backend ? undefined : 'dimmed'}>
                    {r.backend ? backendLabel(r.backend) : '—'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
