import { Alert, Badge, Button, Center, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { RequestDetail, SignatureView } from '../../../../electron/shared/approval-schemas';
import type { SessionInfo } from '../../../../electron/shared/contract';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { SuccessAlert } from '../../components/SuccessAlert';
import { ArrowLeftIcon, InfoIcon } from '../../components/icons';
import { formatDateTime } from '../../format';
import { HashValue } from '../training/HashValue';
import { OUTCOME } from '../validation/validationFormat';
import { STATUS, datasetLabel, statusText, tierLabel, utc } from './approvalsFormat';
import { HtmlFrame } from './HtmlFrame';
import { RevokeDialog } from './RevokeDialog';
import { SignDialog } from './SignDialog';
import { SignaturesList } from './SignaturesList';

interface Props {
  requestId: number;
  session: SessionInfo;
  onBack: () => void;
  /** After a signature or revocation: the inbox and the nav badge refresh. */
  onChanged: () => void;
}

// One request: what it froze, the card and the report side by side, who signed it, and the Sign action.
export function ReviewScreen({ requestId, session, onBack, onChanged }: Props) {
  const [detail, setDetail] = useState<RequestDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [signing, setSigning] = useState(false);
  const [revoking, setRevoking] = useState<SignatureView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setDetail(await api.approvals.get({ requestId }));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [requestId]);

  useEffect(() => {
    void load();
  }, [load]);

  const back = (
    <Button variant="subtle" leftSection={<ArrowLeftIcon size={16} />} onClick={onBack} data-testid="review-back" w="fit-content" px={6}>
      All requests
    </Button>
  );
  if (!detail) {
    return (
      <Stack gap="md" data-testid="review-screen">
        {back}
        <FormError message={error} />
        {!error && (
          <Center p="xl">
            <Loader size="sm" aria-label="Loading the request" />
          </Center>
        )}
      </Stack>
    );
  }

  const r = detail.request;
  const verdict = OUTCOME[r.verdict];
  const isAdmin = session.roles.includes('admin');
  const canRevoke = (s: SignatureView) => isAdmin || (session.roles.includes('reviewer') && s.username.toLowerCase() === session.username.toLowerCase());
  const hashes: [string, string, string][] = [
    ['Synthetic data', r.datasetSha256, 'review-hash-dataset'],
    ['Spec version', r.specHash, 'review-hash-spec'],
    ['Validation result', r.resultSha256, 'review-hash-result'],
    ['Dataset card', r.cardSha256, 'review-hash-card'],
  ];

  return (
    <Stack gap="lg" data-testid="review-screen" data-request={r.id} data-status={r.status}>
      {back}
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="lg">
          <Stack gap={6} style={{ minWidth: 0 }}>
            <Group gap="sm">
              <Title order={3}>Request #{r.id}</Title>
              <Badge color={STATUS[r.status].color} variant={r.status === 'pending' ? 'light' : 'filled'} tt="none" size="lg" data-testid="review-status">
                {statusText(r)}
              </Badge>
            </Group>
            <Text size="sm" data-testid="review-dataset">
              {datasetLabel(r)} · {r.datasetKind === 'images' ? 'images' : 'table'}
            </Text>
            <Group gap="xs">
              <Badge variant="outline" tt="none">
                {tierLabel(r.tier)} · {r.requiredApprovals} approval{r.requiredApprovals === 1 ? '' : 's'} needed
              </Badge>
              <Badge color={verdict.color} variant="filled" data-testid="review-verdict">
                Validation #{r.validationId}: {verdict.label}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed" title={formatDateTime(r.requestedAt)}>
              Requested by {r.requestedBy} · {utc(r.requestedAt)}
            </Text>
          </Stack>
          {r.canSign && (
            <Button size="md" data-testid="review-sign" onClick={() => setSigning(true)}>
              Sign…
            </Button>
          )}
        </Group>
        {!r.canSign && r.cannotSignBecause && (
          <Alert color="gray" variant="light" icon={<InfoIcon />} p="xs" mt="md" data-testid="review-cannot-sign">
            {r.cannotSignBecause}
          </Alert>
        )}
      </Paper>
      <SuccessAlert message={notice} onClose={() => setNotice(null)} />
      <FormError message={error} onClose={() => setError(null)} />
      <Paper withBorder radius="md" p="md">
        <Title order={4} mb={4}>
          Frozen by this request
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          A signature covers exactly these SHA-256 hashes; anything that changes the dataset makes a new version that needs its own approval.
        </Text>
        <Table fz="sm" verticalSpacing={4} data-testid="review-hashes">
          <Table.Tbody>
            {hashes.map(([label, value, id]) => (
              <Table.Tr key={id}>
                <Table.Td w={180} c="dimmed">
                  {label}
                </Table.Td>
                <Table.Td>
                  <HashValue value={value} length={64} testId={id} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Stack gap={6}>
          <Title order={4}>Dataset card</Title>
          <HtmlFrame html={detail.cardHtml} title={`Dataset card of request #${r.id}`} testId="review-card" />
        </Stack>
        <Stack gap={6}>
          <Title order={4}>Validation report</Title>
          <HtmlFrame html={detail.reportHtml} title={`Validation report #${r.validationId}`} testId="review-report" />
        </Stack>
      </SimpleGrid>
      <Paper withBorder radius="md" p="md">
        <Title order={4} mb="sm">
          Signatures
        </Title>
        <SignaturesList signatures={detail.signatures} canRevoke={canRevoke} onRevoke={setRevoking} />
      </Paper>
      {signing && (
        <SignDialog
          detail={detail}
          signerName={session.displayName}
          onClose={() => setSigning(false)}
          onSigned={(d, meaning) => {
            setSigning(false);
            setDetail(d);
            setNotice(`You signed request #${r.id}: “${meaning}”.`);
            onChanged();
          }}
        />
      )}
      {revoking && (
        <RevokeDialog
          signature={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={(d) => {
            setRevoking(null);
            setDetail(d);
            setNotice(`The approval by ${revoking.printedName} is revoked.`);
            onChanged();
          }}
        />
      )}
    </Stack>
  );
}
