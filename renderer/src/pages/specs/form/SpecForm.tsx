import { Button, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { TableDetailView } from '../../../../../electron/shared/ingest-schemas';
import type { Spec } from '../../../../../electron/shared/spec-schema';
import { randomSeed } from '../specDraft';
import type { SpecDraft } from '../useSpecDraft';
import { AcceptanceSection, EvaluationSection } from './AcceptanceSection';
import { ColumnsSection } from './ColumnsSection';
import { GeneratorSection } from './GeneratorSection';
import { NumField } from './NumField';
import { Section } from './Section';
import { UsesSection } from './UsesSection';

interface Props {
  model: SpecDraft;
  table: TableDetailView | null;
  readOnly: boolean;
}

export function SpecForm({ model, table, readOnly }: Props) {
  const { draft, update, errorAt, errorUnder } = model;
  const set = <K extends keyof Spec>(key: K, value: Spec[K]) => update((d) => ({ ...d, [key]: value }));
  const trainingRows = table ? table.rowCount - table.holdout.rows : null;

  return (
    <Stack gap="md">
      <Section title="Spec" description="A name reviewers will recognise, and the source it reads.">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput
            data-testid="spec-name"
            label="Name"
            withAsterisk
            value={draft.name}
            readOnly={readOnly}
            error={errorAt('name')}
            onChange={(e) => set('name', e.currentTarget.value)}
          />
          <div>
            <Text size="sm" fw={500}>
              Source
            </Text>
            <Text size="sm" mt={6} data-testid="spec-source">
              {table ? table.name : `Table #${draft.source.tableId}`}
              {table && (
                <Text span size="sm" c="dimmed">
                  {' '}
                  · {table.rowCount.toLocaleString()} rows, {table.holdout.rows.toLocaleString()} held out
                </Text>
              )}
            </Text>
            <Text size="xs" c="dimmed" ff="monospace" title={`SHA-256 of the source file: ${draft.source.sha256}`}>
              sha256 {draft.source.sha256.slice(0, 16)}…
            </Text>
            {errorUnder('source') && (
              <Text size="xs" c="red.8" role="alert">
                {errorUnder('source')}
              </Text>
            )}
          </div>
        </SimpleGrid>
      </Section>
      <ColumnsSection
        columns={draft.columns}
        sourceColumns={table?.columns ?? null}
        readOnly={readOnly}
        error={errorAt('columns')}
        errorAt={errorAt}
        onChange={(index, column) => set('columns', draft.columns.map((c, i) => (i === index ? column : c)))}
      />
      <GeneratorSection generator={draft.generator} readOnly={readOnly} errorAt={errorAt} errorUnder={errorUnder} onChange={(g) => set('generator', g)} />
      <Section title="Output" description="How much synthetic data to make, and the seed that makes the run repeatable.">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <NumField
            data-testid="spec-rows"
            label="Rows to generate"
            description={trainingRows !== null ? `The training split has ${trainingRows.toLocaleString()} rows; matching it keeps comparisons fair.` : 'How many synthetic rows the run samples.'}
            withAsterisk
            value={draft.rows}
            readOnly={readOnly}
            error={errorAt('rows')}
            onChange={(v) => set('rows', v)}
          />
          <NumField
            data-testid="spec-seed"
            label="Seed"
            description="The same spec, data and seed give the same synthetic rows."
            withAsterisk
            value={draft.seed}
            readOnly={readOnly}
            error={errorAt('seed')}
            onChange={(v) => set('seed', v)}
            rightSectionWidth={84}
            rightSectionPointerEvents="all"
            rightSection={
              readOnly ? undefined : (
                <Button size="compact-xs" variant="light" data-testid="spec-seed-random" onClick={() => set('seed', randomSeed())}>
                  Random
                </Button>
              )
            }
          />
        </SimpleGrid>
      </Section>
      <AcceptanceSection draft={draft} readOnly={readOnly} errorAt={errorAt} update={update} />
      <EvaluationSection draft={draft} readOnly={readOnly} errorAt={errorAt} update={update} />
      <UsesSection
        intendedUse={draft.intendedUse}
        prohibitedUses={draft.prohibitedUses}
        readOnly={readOnly}
        errorAt={errorAt}
        onIntended={(t) => set('intendedUse', t)}
        onProhibited={(u) => set('prohibitedUses', u)}
      />
    </Stack>
  );
}
