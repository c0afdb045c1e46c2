import { Badge, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import type { SpecSummaryView } from '../../../../electron/shared/spec-schema';
import { formatDateTime, formatTime } from '../../format';
import { GENERATOR_OPTIONS } from './specFields';
import { IMAGE_GENERATOR_LABEL } from './image/imageFields';

export const GENERATOR_COLOR: Record<string, string> = { copula: 'blue', tvae: 'grape', ctgan: 'orange', dcgan: 'pink', cvae: 'cyan' };

export function GeneratorBadge({ kind }: { kind: string }) {
  const label = GENERATOR_OPTIONS.find((o) => o.value === kind)?.label ?? IMAGE_GENERATOR_LABEL[kind] ?? kind;
  return (
    <Badge variant="light" color={GENERATOR_COLOR[kind] ?? 'gray'} size="sm" tt="none" miw="max-content">
      {label}
    </Badge>
  );
}

export function SpecList({ specs, tableNames, onOpen }: { specs: SpecSummaryView[]; tableNames: Map<number, string>; onOpen: (specId: number) => void }) {
  return (
    <Table.ScrollContainer minWidth={720} type="native">
      <Table highlightOnHover fz="sm" verticalSpacing="sm" horizontalSpacing="md" data-testid="spec-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Spec</Table.Th>
            <Table.Th>Generator</Table.Th>
            <Table.Th>Latest version</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {specs.map((s) => (
            // The row takes the click; the button inside gives it a keyboard stop and a name.
            <Table.Tr key={s.specId} onClick={() => onOpen(s.specId)} style={{ cursor: 'pointer' }}>
              <Table.Td>
                <UnstyledButton data-testid={`spec-item-${s.specId}`} aria-label={`Open spec ${s.name}`}>
                  <Stack gap={0}>
                    <Text size="sm" fw={600}>
                      {s.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {tableNames.get(s.tableId) ?? `Table #${s.tableId}`}
                    </Text>
                  </Stack>
                </UnstyledButton>
              </Table.Td>
              <Table.Td>
                <GeneratorBadge kind={s.generator} />
              </Table.Td>
              <Table.Td>
                v{s.latestVersion}
                <Text span size="xs" c="dimmed">
                  {' '}
                  ({s.versions} {s.versions === 1 ? 'version' : 'versions'})
                </Text>
              </Table.Td>
              <Table.Td title={formatDateTime(s.updatedAt)}>{formatTime(s.updatedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
