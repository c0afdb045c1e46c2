import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { VerificationView } from '../../../../electron/shared/approval-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { FolderIcon } from '../../components/icons';
import { BundleVerification } from './BundleVerification';

// Checks a bundle the way anyone outside the hospital would, with `airlock verify`: no workspace data is used.
export function VerifyPage() {
  const [path, setPath] = useState('');
  const [result, setResult] = useState<{ view: VerificationView; path: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const verify = async (target: string) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult({ view: await api.bundles.verify({ path: target }), path: target });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const choose = async (zip: boolean) => {
    setError(null);
    try {
      const chosen = await api.bundles.choose({ zip });
      if (chosen.path === null) return;
      setPath(chosen.path);
      await verify(chosen.path);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void verify(path);
  };

  return (
    <Stack gap="lg" data-testid="verify-screen">
      <PageHeader
        title="Verify a bundle"
        description="Checks an exported bundle offline: every file’s SHA-256 against the signed manifest, no file missing or added, every approval signature, the tier’s policy, and that the approvals cover exactly this dataset, spec, result and card."
      />
      <Paper withBorder radius="md" p="md">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <TextInput
              data-testid="verify-path"
              label="Bundle folder or zip"
              placeholder="/path/to/bundle or /path/to/bundle.zip"
              leftSection={<FolderIcon size={16} />}
              spellCheck={false}
              autoComplete="off"
              value={path}
              onChange={(e) => setPath(e.currentTarget.value)}
            />
            <Group gap="sm">
              <Button type="submit" loading={busy} data-testid="verify-submit">
                Verify
              </Button>
              <Button variant="default" onClick={() => void choose(false)} data-testid="verify-choose-folder">
                Choose folder…
              </Button>
              <Button variant="default" onClick={() => void choose(true)} data-testid="verify-choose-zip">
                Choose zip…
              </Button>
            </Group>
            <Text size="xs" c="dimmed">
              The same checks as <code>airlock verify BUNDLE</code> on any machine.
            </Text>
          </Stack>
        </form>
      </Paper>
      <FormError message={error} onClose={() => setError(null)} />
      {result && <BundleVerification result={result.view} path={result.path} />}
    </Stack>
  );
}
