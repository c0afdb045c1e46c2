import { Badge, Button, Group, Modal, Paper, Select, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import type { ResultOf } from '../../../../electron/shared/contract';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { formatDateTime, formatDateTimeShort } from '../../format';

type VersionRow = ResultOf<'specs:get'>['versions'][number];
type Change = ResultOf<'specs:diff'>[number];

interface Props {
  specId: number;
  versions: VersionRow[];
  current: number;
  onOpen: (version: number) => void;
}

export function VersionHistory({ specId, versions, current, onOpen }: Props) {
  const latest = versions[versions.length - 1]?.version ?? current;
  const [from, setFrom] = useState<string | null>(versions.length > 1 ? String(latest - 1) : null);
  const [to, setTo] = useState<string | null>(String(latest));
  const [diff, setDiff] = useState<{ from: number; to: number; changes: Change[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const options = [...versions].reverse().map((v) => ({ value: String(v.version), label: `v${v.version}` }));

  const compare = async () => {
    if (!from || !to) return;
    setBusy(true);
    setError(null);
    try {
      const changes = await api.specs.diff({ specId, from: Number(from), to: Number(to) });
      setDiff({ from: Number(from), to: Number(to), changes });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" data-testid="spec-versions">
      <Stack gap="sm">
        <div>
          <Title order={4}>Versions</Title>
          <Text size="xs" c="dimmed">
            Every save is a new version. A version a training run used is frozen.
          </Text>
        </div>
        <Stack gap={4}>
          {[...versions].reverse().map((v) => (
            <UnstyledButton
              key={v.version}
              data-testid={`spec-version-${v.version}`}
              aria-current={v.version === current ? 'true' : undefined}
              onClick={() => onOpen(v.version)}
              px="sm"
              py={6}
              style={{
                borderRadius: 'var(--mantine-radius-sm)',
                border: `1px solid ${v.version === current ? 'var(--mantine-color-teal-5)' : 'var(--mantine-color-gray-3)'}`,
                background: v.version === current ? 'var(--mantine-color-teal-0)' : 'var(--mantine-color-white)',
              }}
            >
              <Group justify="space-between" gap="xs" wrap="nowrap">
                <Text size="sm" fw={650}>
                  v{v.version}
                </Text>
                {v.frozen && (
                  <Badge size="xs" color="indigo" variant="light" data-testid={`spec-version-frozen-${v.version}`}>
                    frozen
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed" title={formatDateTime(v.createdAt)}>
                {v.createdBy} · {formatDateTimeShort(v.createdAt)}
              </Text>
              <Text size="xs" c="dimmed" ff="monospace" title={`Content hash (SHA-256 of the canonical spec): ${v.hash}`}>
                {v.hash.slice(0, 12)}
              </Text>
            </UnstyledButton>
          ))}
        </Stack>
        {versions.length > 1 && (
          <Stack gap={6}>
            <Text size="sm" fw={600}>
              Compare
            </Text>
            <Group gap="xs" wrap="nowrap" grow>
              <Select data-testid="spec-compare-from" aria-label="Compare from version" size="xs" data={options} value={from} onChange={setFrom} allowDeselect={false} />
              <Select data-testid="spec-compare-to" aria-label="Compare to version" size="xs" data={options} value={to} onChange={setTo} allowDeselect={false} />
            </Group>
            <Button size="xs" variant="light" data-testid="spec-compare" loading={busy} disabled={!from || !to || from === to} onClick={() => void compare()}>
              Compare versions
            </Button>
            <FormError message={error} onClose={() => setError(null)} />
          </Stack>
        )}
      </Stack>
      {diff && <DiffModal {...diff} onClose={() => setDiff(null)} />}
    </Paper>
  );
}

const KIND_COLOR = { added: 'teal', removed: 'red', changed: 'blue' } as const;

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function DiffModal({ from, to, changes, onClose }: { from: number; to: number; changes: Change[]; onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title={`Changes from v${from} to v${to}`} size="xl">
      {changes.length === 0 ? (
        <Text c="dimmed" data-testid="spec-diff-empty">
          The two versions have the same content.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560} type="native">
          <Table fz="sm" verticalSpacing={6} striped data-testid="spec-diff">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Path</Table.Th>
                <Table.Th>Before (v{from})</Table.Th>
                <Table.Th>After (v{to})</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.map((c) => (
                <Table.Tr key={`${c.kind}-${c.path}`}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                        {c.path}
                      </Text>
                      {c.kind !== 'changed' && (
                        <Badge size="xs" variant="light" color={KIND_COLOR[c.kind]}>
                          {c.kind}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td c={c.kind === 'added' ? 'dimmed' : 'red.9'} style={{ overflowWrap: 'anywhere' }}>
                    {show(c.from)}
                  </Table.Td>
                  <Table.Td c={c.kind === 'removed' ? 'dimmed' : 'teal.9'} style={{ overflowWrap: 'anywhere' }}>
                    {show(c.to)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Modal>
  );
}
