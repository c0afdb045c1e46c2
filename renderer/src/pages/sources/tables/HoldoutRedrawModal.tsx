import { Alert, Button, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { TableDetailView } from '../../../../../electron/shared/ingest-schemas';
import { api, errorMessage } from '../../../api';
import { FormError } from '../../../components/FormError';
import { InfoIcon } from '../../../components/icons';
import { focusFirstInvalid } from '../../../useFormState';
import { HOLDOUT_MAX_PERCENT, checkHoldout, toFraction } from '../sourcesFormat';

const NO_GROUP = '__none__';

// The redraw form: group column, share and seed. A leaking split starts on the column it leaks on.
export function HoldoutRedrawModal({ table, onClose, onDone }: { table: TableDetailView; onClose: () => void; onDone: () => void }) {
  const h = table.holdout;
  const leakColumns = h.leaks.map((l) => l.column);
  const [percent, setPercent] = useState<number | string>(Math.round(h.fraction * 1000) / 10);
  const [seed, setSeed] = useState(h.seed);
  const [group, setGroup] = useState(h.groupColumn ?? leakColumns[0] ?? NO_GROUP);
  const [errors, setErrors] = useState<{ percent?: string; seed?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const patientColumns = new Set([...leakColumns, ...(h.groupColumn ? [h.groupColumn] : [])]);

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
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="holdout-redraw-form">
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            The split is drawn again from the seed; a new seed draws a different one. Runs trained from now on use the new split. The change is recorded in the audit trail with the
            old and new split.
          </Text>
          <Alert color="blue" variant="light" icon={<InfoIcon />} data-testid="holdout-earlier-runs">
            Runs already trained on this table keep the split they trained against: their validation still tests them on rows they never saw.
          </Alert>
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
            data={[
              { value: NO_GROUP, label: 'No grouping (rows split one by one)' },
              ...table.columns.map((c) => ({ value: c.name, label: patientColumns.has(c.name) ? `${c.name} (identifies patients)` : c.name })),
            ]}
            value={group}
            allowDeselect={false}
            searchable
            onChange={(v) => setGroup(v ?? NO_GROUP)}
          />
          {group === NO_GROUP && patientColumns.size > 0 && (
            <Text size="sm" c="orange.8" data-testid="holdout-ungrouped-warning">
              Without grouping, rows of one patient in {[...patientColumns].map((c) => `“${c}”`).join(', ')} can land on both sides of the split.
            </Text>
          )}
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
