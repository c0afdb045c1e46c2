import { Button, Center, Group, Loader, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import type { AuditEntryView, AuditVerifyResult } from '../../../../electron/shared/contract';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { SearchIcon, ShieldIcon } from '../../components/icons';
import { AuditTable } from './AuditTable';
import { VerifyResult } from './VerifyResult';

const LIMIT = 500;
const ALL = '__all__';

export function AuditPage() {
  const [text, setText] = useState('');
  const [debouncedText] = useDebouncedValue(text.trim(), 250);
  const [action, setAction] = useState(ALL);
  const [entries, setEntries] = useState<AuditEntryView[] | null>(null);
  // Actions seen so far, so filtering by one action does not empty the list of choices.
  const [knownActions, setKnownActions] = useState<string[]>([]);
  const [refreshKey, setRefreshKey] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [verifyResult, setVerifyResult] = useState<AuditVerifyResult | null>(null);
  const requestSeq = useRef(0);

  useEffect(() => {
    const seq = ++requestSeq.current;
    api.audit
      .list({ text: debouncedText || undefined, action: action === ALL ? undefined : action, limit: LIMIT })
      .then((list) => {
        if (seq !== requestSeq.current) return;
        setEntries(list);
        setError(null);
        setKnownActions((prev) => {
          const merged = new Set([...prev, ...list.map((e) => e.action)]);
          return merged.size === prev.length ? prev : [...merged].sort();
        });
      })
      .catch((e: unknown) => {
        if (seq === requestSeq.current) setError(errorMessage(e));
      });
  }, [debouncedText, action, refreshKey]);

  const verify = async () => {
    setVerifying(true);
    setVerifyResult(null);
    setError(null);
    try {
      setVerifyResult(await api.audit.verify());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setVerifying(false);
    }
  };

  const filtered = Boolean(debouncedText) || action !== ALL;
  return (
    <Stack gap="lg" data-testid="audit-screen">
      <PageHeader
        title="Audit trail"
        description="Every change to this workspace, newest first, in a tamper-evident hash chain."
        actions={
          <Button data-testid="audit-verify" leftSection={<ShieldIcon size={16} />} loading={verifying} onClick={() => void verify()}>
            Verify chain
          </Button>
        }
      />
      {verifyResult && <VerifyResult result={verifyResult} onClose={() => setVerifyResult(null)} />}
      <FormError message={error} />
      <Group gap="sm" align="flex-end">
        <TextInput
          data-testid="audit-search"
          label="Search"
          placeholder="User, action, subject or detail"
          leftSection={<SearchIcon size={16} />}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          w={320}
        />
        <Select
          data-testid="audit-action"
          label="Action"
          data={[{ value: ALL, label: 'All actions' }, ...knownActions.map((a) => ({ value: a, label: a }))]}
          value={action}
          onChange={(value) => setAction(value ?? ALL)}
          allowDeselect={false}
          w={220}
        />
        <Button variant="default" onClick={() => setRefreshKey((k) => k + 1)}>
          Refresh
        </Button>
        {entries && (
          <Text size="sm" c="dimmed" ml="auto" pb={8} data-testid="audit-count">
            {entries.length === LIMIT ? `Showing the latest ${LIMIT} entries` : `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}`}
            {filtered ? ' matching the filters' : ''}
          </Text>
        )}
      </Group>
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        {entries === null ? (
          <Center p="xl">{error ? <Text c="dimmed">The audit trail could not be loaded.</Text> : <Loader size="sm" />}</Center>
        ) : entries.length === 0 ? (
          <Center p="xl" data-testid="audit-empty">
            <Text c="dimmed">{filtered ? 'No audit entries match these filters.' : 'No audit entries yet.'}</Text>
          </Center>
        ) : (
          <AuditTable entries={entries} />
        )}
      </Paper>
    </Stack>
  );
}
