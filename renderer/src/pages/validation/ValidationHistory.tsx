import { Badge, Table, Text } from '@mantine/core';
import { TIER_LABELS } from '../../../../electron/shared/criteria';
import type { ValidationView } from '../../../../electron/shared/validation-schemas';
import { formatDateTime, formatDateTimeShort } from '../../format';
import { HashValue } from '../training/HashValue';
import { OUTCOME, outcomeOf } from './validationFormat';

interface Props {
  validations: ValidationView[];
  selected: number | null;
  onSelect: (validationId: number) => void;
}

// Every validation of the dataset, newest first: results are never edited, so each run of the validator is a row.
export function ValidationHistory({ validations, selected, onSelect }: Props) {
  return (
    <Table.ScrollContainer minWidth={760} type="native">
      <Table fz="sm" verticalSpacing={6} horizontalSpacing="md" highlightOnHover data-testid="validation-history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Validation</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Release tier</Table.Th>
            <Table.Th>Seed</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Result SHA-256</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {validations.map((v) => {
            const o = OUTCOME[outcomeOf(v)];
            const isSelected = v.id === selected;
            return (
              <Table.Tr
                key={v.id}
                data-testid={`validation-item-${v.id}`}
                aria-selected={isSelected}
                onClick={() => onSelect(v.id)}
                bg={isSelected ? 'teal.0' : undefined}
                style={{ cursor: 'pointer' }}
              >
                <Table.Td fw={600} className="nowrap">
                  #{v.id}
                </Table.Td>
                <Table.Td>
                  <Badge color={o.color} variant={v.status === 'done' ? 'filled' : 'light'} data-testid={`validation-item-outcome-${v.id}`}>
                    {o.label}
                  </Badge>
                </Table.Td>
                <Table.Td className="nowrap">{TIER_LABELS[v.tier]}</Table.Td>
                <Table.Td ff="monospace" className="nowrap">
                  {v.seed}
                </Table.Td>
                <Table.Td className="nowrap" title={formatDateTime(v.startedAt)}>
                  {v.actor} · {formatDateTimeShort(v.startedAt)}
                </Table.Td>
                <Table.Td onClick={(e) => e.stopPropagation()}>
                  {v.resultSha256 ? (
                    <HashValue value={v.resultSha256} length={16} testId={`validation-item-hash-${v.id}`} />
                  ) : (
                    <Text size="sm" c="dimmed">
                      no result
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
