import { Badge, Group, SegmentedControl, Table, Text, Tooltip } from '@mantine/core';
import type { ColumnView } from '../../../../../electron/shared/ingest-schemas';
import { type TREATMENTS, type Spec } from '../../../../../electron/shared/spec-schema';
import { AlertIcon } from '../../../components/icons';
import { Section } from './Section';

type Treatment = (typeof TREATMENTS)[number];

const TREATMENT_DATA = [
  { value: 'synthesise', label: 'Synthesise' },
  { value: 'drop', label: 'Drop' },
  { value: 'condition', label: 'Condition' },
];

interface Props {
  columns: Spec['columns'];
  // Null while loading, or for reviewers (source details are for stewards).
  sourceColumns: ColumnView[] | null;
  readOnly: boolean;
  error: string | undefined;
  errorAt: (path: string) => string | undefined;
  onChange: (index: number, treatment: Treatment) => void;
}

export function ColumnsSection({ columns, sourceColumns, readOnly, error, errorAt, onChange }: Props) {
  const byName = new Map((sourceColumns ?? []).map((c) => [c.name, c]));
  const count = (t: Treatment) => columns.filter((c) => c.treatment === t).length;
  return (
    <Section
      title="Columns"
      description={
        <>
          What happens to each source column: synthesised, dropped, or given to the generator as a condition. {count('synthesise')} synthesised · {count('drop')} dropped ·{' '}
          {count('condition')} conditioned on.
          {!sourceColumns && ' Column types and identifying flags are shown to data stewards, who can open the source.'}
        </>
      }
      error={error}
      flush
    >
      <Table.ScrollContainer minWidth={640} type="native">
        <Table fz="sm" verticalSpacing={6} horizontalSpacing="md" data-testid="spec-columns">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={200}>Column</Table.Th>
              {sourceColumns && <Table.Th>Type</Table.Th>}
              <Table.Th w={300}>Treatment</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {columns.map((c, i) => (
              <ColumnRow
                key={`${i}-${c.name}`}
                column={c}
                source={byName.get(c.name)}
                known={sourceColumns !== null}
                readOnly={readOnly}
                error={errorAt(`columns.${i}`) ?? errorAt(`columns.${i}.treatment`) ?? errorAt(`columns.${i}.name`)}
                onChange={(t) => onChange(i, t)}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Section>
  );
}

interface RowProps {
  column: Spec['columns'][number];
  source: ColumnView | undefined;
  known: boolean;
  readOnly: boolean;
  error: string | undefined;
  onChange: (t: Treatment) => void;
}

function ColumnRow({ column, source, known, readOnly, error, onChange }: RowProps) {
  const identifying = source?.phi.identifying ?? false;
  // Identifiers and free text cannot be learnt as distributions; main refuses to keep them.
  const mustDrop = source?.type === 'identifier' || source?.type === 'text';
  const hint = identifying ? `suggested: ${source?.phi.suggested === 'keep' ? 'keep' : 'drop'}` : mustDrop ? 'suggested: drop' : null;
  return (
    <Table.Tr data-identifying={identifying}>
      <Table.Td>
        <Text size="sm" fw={600} ff="monospace" style={{ overflowWrap: 'anywhere' }}>
          {column.name}
        </Text>
        {known && !source && (
          <Text size="xs" c="red.8">
            Not a column of the source table.
          </Text>
        )}
      </Table.Td>
      {known && (
        <Table.Td>
          <Group gap={6} wrap="wrap">
            {source && !(identifying && source.phi.kind === source.type) && (
              <Badge variant="default" size="sm" tt="none" fw={500} radius="sm">
                {source.type}
              </Badge>
            )}
            {identifying && source && (
              <Tooltip label={source.phi.reason} multiline w={320} withArrow openDelay={150}>
                <Badge color="orange" variant="light" size="sm" tt="none" leftSection={<AlertIcon size={12} />} miw="max-content" tabIndex={0} style={{ cursor: 'help' }}>
                  {(source.phi.kind ?? 'identifying').replace(/-/g, ' ')}
                </Badge>
              </Tooltip>
            )}
          </Group>
        </Table.Td>
      )}
      <Table.Td>
        <SegmentedControl
          data-testid={`spec-treatment-${column.name}`}
          aria-label={`Treatment of column ${column.name}`}
          size="xs"
          data={TREATMENT_DATA}
          value={column.treatment}
          readOnly={readOnly}
          onChange={(v) => onChange(v as Treatment)}
          // Synthesise is the norm; colour marks the exceptions a reviewer looks for.
          color={column.treatment === 'drop' ? 'gray' : column.treatment === 'condition' ? 'indigo' : undefined}
        />
        {hint && (
          <Text size="xs" mt={2} c={column.treatment === 'drop' ? 'dimmed' : 'orange.8'} data-testid={`spec-hint-${column.name}`}>
            {hint}
          </Text>
        )}
        {error && (
          <Text size="xs" c="red.8" mt={2} role="alert">
            {error}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
