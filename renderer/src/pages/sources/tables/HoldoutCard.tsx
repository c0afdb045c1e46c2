import { Button, Group, Modal, NumberInput, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { TableDetailView } from '../../../../../electron/shared/ingest-schemas';
import { api, errorMessage } from '../../../api';
import { FormError } from '../../../components/FormError';
import { focusFirstInvalid } from '../../../useFormState';
import { HOLDOUT_MAX_PERCENT, checkHoldout, formatCount, formatPercent, plural, toFraction } from '../sourcesFormat';

export function HoldoutCard({ table, onRedrawn }: { table: TableDetailView; onRedrawn: () => void }) {
  const [open, setOpen] = useState(false);
  const h = table.holdout;
  return (
    <Paper withBorder radius="md" p="md" data-testid="holdout-card">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div>
          <Title order={4}>Holdout</Title>
          <Text size="sm" c="dimmed">
            Rows set aside to validate synthetic data; they are never used for training.
          </Text>
        </div>
        <Button variant="default" onClick={() => setOpen(true)} data-testid="holdout-redraw">
          Redraw…
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" mt="md">
        <Fact label="Held out" value={`${plural(h.rows, 'row')} of ${formatCount(table.rowCount)}`} />
        <Fact label="Fraction" value={formatPercent(h.fraction)} />
        <Fact label="Seed" value={h.seed} mono />
        <Fact
          label="Grouped by"
          value={h.groupColumn ? `${h.groupColumn} (${formatCount(h.holdoutGroups)} of ${formatCount(h.groups)} groups)` : 'No grouping'}
          mono={Boolean(h.groupColumn)}
          dimmed={!h.groupColumn}
        />
      </SimpleGrid>
      {open && (
        <RedrawModal
          table={table}
          onClose={() => setOpen(false)}
          onDone={() => {
            setOpen(false);
            onRedrawn();
          }}
        />
      )}
    </Paper>
  );
}

function Fact({ label, value, mono, dimmed }: { label: string; value: string; mono?: boolean; dimmed?: boolean }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700} style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      <Text size="sm" fw={500} ff={mono ? 'monospace' : undefined} c={dimmed ? 'dimmed' : undefined} style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </div>
  );
}

const NO_GROUP = '__none__';

function RedrawModal({ table, onClose, onDone }: { table: TableDetailView; onClose: () => void; onDone: () => void }) {
  const h = table.holdout;
  const [percent, setPercent] = useState<number | string>(Math.round(h.fraction * 1000) / 10);
  const [seed, setSeed] = useState(h.seed);
  const [group, setGroup] = useState(h.groupColumn ?? NO_GROUP);
  const [errors, setErrors] = useState<{ percent?: string; seed?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const found = checkHoldout(percent, seed);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(formEl);
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      await api.tables.setHoldout({ tableId: table.id, holdout: { fraction: toFraction(Number(percent)), seed: seed.trim(), groupColumn: group === NO_GROUP ? null : group } });
      onDone();
    } catch (e) {
      setFormError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Redraw the holdout of ${table.name}`} size="lg">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            The split is drawn again from the seed. Rows that move to or from the holdout change for everything trained later; the change is recorded in the audit trail.
          </Text>
          <SimpleGrid cols={2} spacing="md">
            <NumberInput
              data-testid="holdout-fraction"
              data-autofocus
              label="Holdout"
              suffix="%"
              min={0}
              max={HOLDOUT_MAX_PERCENT}
              step={5}
              decimalScale={1}
              clampBehavior="strict"
              value={percent}
              error={errors.percent}
              onChange={setPercent}
            />
            <TextInput data-testid="holdout-seed" label="Seed" spellCheck={false} autoComplete="off" value={seed} error={errors.seed} onChange={(e) => setSeed(e.currentTarget.value)} />
          </SimpleGrid>
          <Select
            data-testid="holdout-group"
            label="Group column"
            description="Keep all rows of one patient on the same side, e.g. id"
            data={[{ value: NO_GROUP, label: 'No grouping (rows split one by one)' }, ...table.columns.map((c) => ({ value: c.name, label: c.name }))]}
            value={group}
            allowDeselect={false}
            searchable
            onChange={(v) => setGroup(v ?? NO_GROUP)}
          />
          <FormError message={formError} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="holdout-submit">
              Redraw holdout
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
