import { Button, Checkbox, Group, Paper, SegmentedControl, Select, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { ColumnView } from '../../../../../electron/shared/ingest-schemas';
import { ruleSchema, type Rule } from '../../../../../electron/shared/rules-schema';

type Kind = 'inequality' | 'presence' | 'range';

interface Props {
  // Columns the spec keeps, with their source details when known (stewards).
  columns: string[];
  sourceColumns: ColumnView[] | null;
  onAdd: (rule: Rule) => void;
}

const ORDERED = new Set(['integer', 'number', 'date', 'datetime']);

// "1, 2" → ["1", "2"]: flag values are written as the cells read.
const valueList = (text: string): string[] =>
  text
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

// A bound is a number, or a date for date columns; empty means none.
function bound(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

// A rule written by hand: inequality, presence or range, checked with the shared schema before it joins the spec.
export function RuleForm({ columns, sourceColumns, onAdd }: Props) {
  const [kind, setKind] = useState<Kind>('inequality');
  const [a, setA] = useState<string | null>(null);
  const [b, setB] = useState<string | null>(null);
  const [strict, setStrict] = useState(false);
  const [whenColumn, setWhenColumn] = useState<string | null>(null);
  const [whenValues, setWhenValues] = useState('');
  const [required, setRequired] = useState(false);
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [error, setError] = useState<string | null>(null);

  const types = new Map((sourceColumns ?? []).map((c) => [c.name, c.type]));
  // Without source details every column is offered; the server checks the types on save.
  const ordered = columns.filter((c) => !types.has(c) || ORDERED.has(types.get(c) ?? ''));
  const when = whenColumn ? { column: whenColumn, values: valueList(whenValues) } : undefined;

  const build = (): unknown => {
    if (kind === 'inequality') return { kind, low: a ?? '', high: b ?? '', strict, ...(when ? { when } : {}) };
    if (kind === 'presence') return { kind, column: a ?? '', when: when ?? { column: '', values: [] }, required };
    return { kind, column: a ?? '', min: bound(min), max: bound(max) };
  };

  const add = () => {
    const parsed = ruleSchema.safeParse(build());
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'This rule is not complete.');
      return;
    }
    const r = parsed.data;
    if (r.kind === 'inequality' && r.low === r.high) return setError('Compare two different columns.');
    if (r.kind === 'range' && r.min === undefined && r.max === undefined) return setError('Give a lowest value, a highest value, or both.');
    setError(null);
    onAdd(r);
    setA(null);
    setB(null);
    setWhenColumn(null);
    setWhenValues('');
    setMin('');
    setMax('');
  };

  const pick = (label: string, value: string | null, set: (v: string | null) => void, data: string[], testId: string, clearable = false) => (
    <Select label={label} data={data} value={value} onChange={set} searchable clearable={clearable} data-testid={testId} comboboxProps={{ withinPortal: true }} />
  );

  return (
    <Paper withBorder radius="sm" p="sm" data-testid="rule-form">
      <Group justify="space-between" mb="xs">
        <Text size="sm" fw={500}>
          Add a rule by hand
        </Text>
        <SegmentedControl
          size="xs"
          value={kind}
          onChange={(v) => {
            setKind(v);
            setError(null);
          }}
          data={[
            { value: 'inequality', label: 'Inequality' },
            { value: 'presence', label: 'Presence' },
            { value: 'range', label: 'Range' },
          ]}
          data-testid="rule-form-kind"
        />
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {kind === 'inequality' && (
          <>
            {pick('Lower column', a, setA, ordered, 'rule-form-low')}
            {pick('Higher column', b, setB, ordered, 'rule-form-high')}
          </>
        )}
        {kind === 'presence' && pick('Column that has a value…', a, setA, columns, 'rule-form-column')}
        {kind === 'range' && (
          <>
            {pick('Column', a, setA, ordered, 'rule-form-column')}
            <div />
            <TextInput label="At least" description="A number, or YYYY-MM-DD for a date" value={min} onChange={(e) => setMin(e.currentTarget.value)} data-testid="rule-form-min" />
            <TextInput label="At most" value={max} onChange={(e) => setMax(e.currentTarget.value)} data-testid="rule-form-max" />
          </>
        )}
        {kind !== 'range' && (
          <>
            {pick(kind === 'presence' ? '…only when this column' : 'Only where (optional)', whenColumn, setWhenColumn, columns, 'rule-form-when', kind === 'inequality')}
            <TextInput label="is one of" description="Values as the cells read, separated by commas" value={whenValues} onChange={(e) => setWhenValues(e.currentTarget.value)} disabled={!whenColumn} data-testid="rule-form-values" />
          </>
        )}
      </SimpleGrid>
      <Group justify="space-between" mt="sm" wrap="nowrap">
        <Group gap="md">
          {kind === 'inequality' && <Checkbox label="Strictly less (<)" checked={strict} onChange={(e) => setStrict(e.currentTarget.checked)} />}
          {kind === 'presence' && <Checkbox label="…and always has one then" checked={required} onChange={(e) => setRequired(e.currentTarget.checked)} />}
        </Group>
        <Button size="xs" variant="light" onClick={add} data-testid="rule-form-add">
          Add rule
        </Button>
      </Group>
      {error && (
        <Text size="xs" c="red.8" role="alert" mt={6} data-testid="rule-form-error">
          {error}
        </Text>
      )}
    </Paper>
  );
}
