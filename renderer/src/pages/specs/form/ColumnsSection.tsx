import { Badge, Group, SegmentedControl, Table, Text, Tooltip } from '@mantine/core';
import type { ColumnView } from '../../../../../electron/shared/ingest-schemas';
import { type TREATMENTS, type Spec } from '../../../../../electron/shared/spec-schema';
import { AlertIcon } from '../../../components/icons';
import { Section } from './Section';

type Treatment = (typeof TREATMENTS)[number];

type SpecColumn = Spec['columns'][number];

const TREATMENT_DATA = [
  { value: 'synthesise', label: 'Synthesise' },
  { value: 'drop', label: 'Drop' },
  { value: 'condition', label: 'Condition' },
];
// Dates (ISO, or numbers confirmed as dates) can also be coarsened or shifted per patient before training.
const DATE_TREATMENT_DATA = [
  ...TREATMENT_DATA,
  { value: 'generalise:year', label: 'Year' },
  { value: 'generalise:month', label: 'Month' },
  { value: 'shift', label: 'Shift' },
];
const DATE_HINT: Record<string, string> = {
  'generalise:year': 'generalised to the year before training',
  'generalise:month': 'generalised to the month before training',
  shift: 'each patient’s dates moved by one secret offset (intervals kept)',
};

const choiceOf = (c: SpecColumn): string => (c.treatment === 'generalise' ? `generalise:${c.to ?? 'year'}` : c.treatment);
function columnFor(name: string, choice: string): SpecColumn {
  if (choice === 'generalise:year' || choice === 'generalise:month') return { name, treatment: 'generalise', to: choice === 'generalise:year' ? 'year' : 'month' };
  return { name, treatment: choice as Treatment };
}
const isDate = (source: ColumnView | undefined): boolean =>
  source?.type === 'date' || source?.type === 'datetime' || source?.date?.status === 'confirmed' || source?.date?.status === 'recognised';

interface Props {
  columns: Spec['columns'];
  // Null while loading, or for reviewers (source details are for stewards).
  sourceColumns: ColumnView[] | null;
  readOnly: boolean;
  error: string | undefined;
  errorAt: (path: string) => string | undefined;
  onChange: (index: number, column: SpecColumn) => void;
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
  onChange: (column: SpecColumn) => void;
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
          data={isDate(source) || column.treatment === 'generalise' || column.treatment === 'shift' ? DATE_TREATMENT_DATA : TREATMENT_DATA}
          value={choiceOf(column)}
          readOnly={readOnly}
          onChange={(v) => onChange(columnFor(column.name, v))}
          // Synthesise is the norm; colour marks the exceptions a reviewer looks for.
          color={column.treatment === 'drop' ? 'gray' : column.treatment === 'condition' ? 'indigo' : undefined}
        />
        {DATE_HINT[choiceOf(column)] && (
          <Text size="xs" mt={2} c="dimmed" data-testid={`spec-date-hint-${column.name}`}>
            {DATE_HINT[choiceOf(column)]}
          </Text>
        )}
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
