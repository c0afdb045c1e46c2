import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { SuccessAlert } from '../../components/SuccessAlert';

// The write-once folder that keeps a copy of every signed audit checkpoint, so an older copy of the whole
// workspace put back is still caught by `audit verify`.
export function AuditArchiveCard() {
  const [folder, setFolder] = useState('');
  const [current, setCurrent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.settings
      .get()
      .then((s) => {
        setCurrent(s.auditAnchorFolder);
        setFolder(s.auditAnchorFolder ?? '');
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSuccess(null);
    try {
      const saved = await api.settings.setAuditAnchor({ folder: folder.trim() === '' ? null : folder.trim() });
      setCurrent(saved.auditAnchorFolder);
      setSuccess(saved.auditAnchorFolder ? `Every audit checkpoint is now also written to ${saved.auditAnchorFolder}.` : 'Checkpoints are now kept in the workspace only.');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="lg" maw={560} data-testid="audit-archive-card">
      <form onSubmit={(e) => void save(e)} noValidate>
        <Stack gap="sm">
          <Title order={4}>Audit archive folder</Title>
          <Text size="sm" c="dimmed">
            A signed checkpoint of the audit trail is written at every logout and every 100 entries. A copy in a write-once folder outside the workspace (a mounted archive share) lets
            `audit verify` catch an older copy of the whole workspace put back. {current ? `Now: ${current}.` : 'None set.'}
          </Text>
          <SuccessAlert message={success} onClose={() => setSuccess(null)} />
          <TextInput data-testid="audit-archive-folder" label="Folder (full path; empty for none)" value={folder} onChange={(e) => setFolder(e.currentTarget.value)} spellCheck={false} autoComplete="off" />
          <FormError message={error} />
          <Group>
            <Button type="submit" variant="default" loading={busy} data-testid="audit-archive-save">
              Save archive folder
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
