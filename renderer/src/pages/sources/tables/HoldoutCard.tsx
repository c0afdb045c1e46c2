import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { TableDetailView } from '../../../../../electron/shared/ingest-schemas';
import { AlertIcon } from '../../../components/icons';
import { formatCount, formatPercent, plural } from '../sourcesFormat';
import { HoldoutRedrawModal } from './HoldoutRedrawModal';

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
        <Button variant={h.leaks.length > 0 ? 'filled' : 'default'} color={h.leaks.length > 0 ? 'orange' : undefined} onClick={() => setOpen(true)} data-testid="holdout-redraw">
          Redraw holdout…
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
      {(h.note || h.leaks.length > 0) && (
        <Stack gap="xs" mt="md">
          {h.note && (
            <Text size="sm" data-testid="holdout-note">
              {h.note}
            </Text>
          )}
          {h.leaks.map((l) => (
            <Alert key={l.column} color="orange" variant="light" icon={<AlertIcon />} title="Patients on both sides of the holdout" data-testid={`holdout-leak-${l.column}`}>
              {l.message}
            </Alert>
          ))}
        </Stack>
      )}
      {open && (
        <HoldoutRedrawModal
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
