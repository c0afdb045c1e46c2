import { Alert, Code, List, Stack, Table, Text } from '@mantine/core';
import type { VerificationView } from '../../../../electron/shared/approval-schemas';
import { RELEASE_TIERS, TIER_LABELS, type ReleaseTier } from '../../../../electron/shared/criteria';
import { AlertIcon, CheckIcon } from '../../components/icons';
import { utc } from '../approvals/approvalsFormat';

const tierName = (t: string): string => ((RELEASE_TIERS as readonly string[]).includes(t) ? TIER_LABELS[t as ReleaseTier] : t);

// ✓ with what the bundle is and who approved it, or one line per failure naming the file.
export function BundleVerification({ result, path }: { result: VerificationView; path: string }) {
  const s = result.summary;
  if (result.ok) {
    return (
      <Alert color="teal" variant="light" icon={<CheckIcon />} title="✓ Bundle verified" data-testid="verify-result" data-state="verified">
        <Stack gap="sm">
          <Text size="sm">
            Every file of <Code>{path}</Code> has its listed SHA-256, no file is missing or extra, and all {result.checked.signatures} signatures verify
            ({result.checked.files} files checked). Bundle <Code data-testid="verify-bundle-id">{result.bundleId}</Code>.
          </Text>
          {s && (
            <>
              <Table fz="sm" verticalSpacing={3} withRowBorders={false} data-testid="verify-summary">
                <Table.Tbody>
                  <Table.Tr>
                    <Table.Td c="dimmed" w={170}>
                      Dataset SHA-256
                    </Table.Td>
                    <Table.Td ff="monospace" data-testid="verify-dataset-hash">
                      {s.datasetSha256}
                    </Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Td c="dimmed">Release tier</Table.Td>
                    <Table.Td>
                      {tierName(s.tier)} · {s.requiredApprovals} approval{s.requiredApprovals === 1 ? '' : 's'} required by its policy
                    </Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
              <List size="sm" spacing={4} data-testid="verify-approvals">
                {s.approvals.map((a) => (
                  <List.Item key={`${a.username}-${a.signedAt}`}>
                    <b>{a.printedName}</b> ({a.username}) · {utc(a.signedAt)} · “{a.meaning}” · <Code>key {a.keyFingerprint.slice(0, 16)}</Code>
                  </List.Item>
                ))}
                {s.exporter && (
                  <List.Item>
                    Exported by <b>{s.exporter.printedName}</b> ({s.exporter.username}) · <Code>key {s.exporter.keyFingerprint.slice(0, 16)}</Code>
                  </List.Item>
                )}
              </List>
              <Text size="xs" c="dimmed">
                The keys travel inside the bundle: compare these fingerprints with the ones your hospital publishes.
              </Text>
            </>
          )}
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" icon={<AlertIcon />} title="✗ Bundle does not verify" role="alert" data-testid="verify-result" data-state="failed">
      <Stack gap="xs">
        <Text size="sm">
          {result.failures.length === 1 ? 'One check failed' : `${result.failures.length} checks failed`} on <Code>{path}</Code>. Do not use or pass on this bundle
          as it is.
        </Text>
        <List size="sm" spacing={4} data-testid="verify-failures">
          {result.failures.map((f, i) => (
            <List.Item key={i} data-file={f.file}>
              {f.message}
            </List.Item>
          ))}
        </List>
      </Stack>
    </Alert>
  );
}
