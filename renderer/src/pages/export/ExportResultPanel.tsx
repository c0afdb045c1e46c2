import { Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { ExportResult, VerificationView } from '../../../../electron/shared/approval-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { HashValue } from '../training/HashValue';
import { BundleVerification } from '../verify/BundleVerification';

// Where the bundle went and what identifies it, with a check of the written files right away.
export function ExportResultPanel({ result }: { result: ExportResult }) {
  const [verification, setVerification] = useState<VerificationView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      setVerification(await api.bundles.verify({ path: result.dir }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const rows: [string, ReactNode][] = [
    ['Bundle id', <Text key="id" size="sm" ff="monospace" data-testid="export-bundle-id">{result.bundleId}</Text>],
    ['Folder', <Text key="dir" size="sm" ff="monospace" data-testid="export-dir">{result.dir}</Text>],
    ['Zip', <Text key="zip" size="sm" ff="monospace" data-testid="export-zip">{result.zipPath ?? 'not made'}</Text>],
    ['Manifest SHA-256', <HashValue key="m" value={result.manifestSha256} length={64} testId="export-manifest-hash" />],
    ['Files', <Text key="f" size="sm">{result.files.length} files plus manifest.json</Text>],
  ];

  return (
    <Paper withBorder radius="md" p="md" data-testid="export-result">
      <Stack gap="sm">
        <Title order={4}>Bundle written</Title>
        <Table fz="sm" verticalSpacing={4} withRowBorders={false}>
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Td c="dimmed" w={170}>
                  {label}
                </Table.Td>
                <Table.Td>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="sm" c="dimmed">
          The export is recorded in the audit trail with this bundle id and manifest hash. Anyone can check the bundle offline with{' '}
          <code>airlock verify {result.dir}</code>.
        </Text>
        <Group>
          <Button variant="default" loading={busy} onClick={() => void verify()} data-testid="export-verify">
            Verify this bundle now
          </Button>
        </Group>
        <FormError message={error} />
        {verification && <BundleVerification result={verification} path={result.dir} />}
      </Stack>
    </Paper>
  );
}
