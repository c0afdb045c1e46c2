import { Center, Loader, Paper, Stack, Tabs, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { ExportableDataset, RequestView } from '../../../../electron/shared/approval-schemas';
import type { SessionInfo } from '../../../../electron/shared/contract';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { SuccessAlert } from '../../components/SuccessAlert';
import { ApprovalsIcon } from '../../components/icons';
import { DatasetsStatus } from './DatasetsStatus';
import { RequestDialog } from './RequestDialog';
import { RequestsTable } from './RequestsTable';
import { RetireDialog } from './RetireDialog';
import { ReviewScreen } from './ReviewScreen';

type Tab = 'inbox' | 'datasets';
type Dialog = { kind: 'request' | 'retire'; dataset: ExportableDataset } | null;

interface Props {
  session: SessionInfo;
  /** A signature, request or revocation happened: the nav badge counts again. */
  onChanged: () => void;
}

// Reviewers start in the inbox, stewards at their datasets' request status; both lists are readable to every role.
export function ApprovalsPage({ session, onChanged }: Props) {
  const isReviewer = session.roles.includes('reviewer');
  const isSteward = session.roles.includes('steward');
  const [tab, setTab] = useState<Tab>(isReviewer || !isSteward ? 'inbox' : 'datasets');
  const [requests, setRequests] = useState<RequestView[] | null>(null);
  const [datasets, setDatasets] = useState<ExportableDataset[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const [r, d] = await Promise.all([api.approvals.list({}), api.approvals.datasets()]);
      setRequests(r);
      setDatasets(d);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
      setRequests((x) => x ?? []);
      setDatasets((x) => x ?? []);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const changed = () => {
    onChanged();
    void reload();
  };

  if (openId !== null) {
    return (
      <ReviewScreen
        requestId={openId}
        session={session}
        onBack={() => {
          setOpenId(null);
          void reload();
        }}
        onChanged={changed}
      />
    );
  }

  const signable = requests?.filter((r) => r.canSign).length ?? 0;
  return (
    <Stack gap="lg" data-testid="approvals-screen">
      <PageHeader
        title="Approvals"
        description="A synthetic dataset leaves the workspace only after model-risk reviewers sign it off: each signature names the person, the UTC time and what it means, and covers the frozen dataset, spec, validation result and card."
      />
      <SuccessAlert message={notice} onClose={() => setNotice(null)} />
      <FormError message={error} />
      <Tabs value={tab} onChange={(v) => v && setTab(v as Tab)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="inbox" data-testid="approvals-tab-inbox">
            Requests{isReviewer && signable > 0 ? ` (${signable} to sign)` : ''}
          </Tabs.Tab>
          <Tabs.Tab value="datasets" data-testid="approvals-tab-datasets">
            Datasets
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="inbox" pt="md">
          {!isReviewer && (
            <Text size="sm" c="dimmed" mb="sm" data-testid="approvals-readonly">
              Read-only: model-risk reviewers sign requests; you can read each request, its card, its report and its signatures.
            </Text>
          )}
          <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
            {requests === null ? (
              <Center p="xl">
                <Loader size="sm" aria-label="Loading requests" />
              </Center>
            ) : requests.length === 0 ? (
              <Stack align="center" gap="xs" p="xl" data-testid="approvals-empty">
                <ApprovalsIcon size={28} />
                <Text fw={600}>No approval requests yet</Text>
                <Text size="sm" c="dimmed" ta="center" maw={480}>
                  A data steward requests approval of a validated synthetic dataset; the request appears here for reviewers to sign.
                </Text>
              </Stack>
            ) : (
              <RequestsTable requests={requests} onOpen={setOpenId} />
            )}
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="datasets" pt="md">
          <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
            {datasets === null ? (
              <Center p="xl">
                <Loader size="sm" aria-label="Loading datasets" />
              </Center>
            ) : datasets.length === 0 ? (
              <Text size="sm" c="dimmed" p="xl" ta="center" data-testid="approval-datasets-empty">
                No synthetic datasets yet. Train a spec, validate the dataset it produces, then request its approval here.
              </Text>
            ) : (
              <DatasetsStatus
                datasets={datasets}
                canRequest={isSteward}
                canRetire={isSteward || session.roles.includes('admin')}
                onRequest={(dataset) => setDialog({ kind: 'request', dataset })}
                onRetire={(dataset) => setDialog({ kind: 'retire', dataset })}
                onOpen={setOpenId}
              />
            )}
          </Paper>
        </Tabs.Panel>
      </Tabs>
      {dialog?.kind === 'request' && (
        <RequestDialog
          dataset={dialog.dataset}
          onClose={() => setDialog(null)}
          onRequested={(r) => {
            setDialog(null);
            setNotice(`Request #${r.id} sent: it needs ${r.requiredApprovals} reviewer approval${r.requiredApprovals === 1 ? '' : 's'} before the dataset can be exported.`);
            changed();
          }}
        />
      )}
      {dialog?.kind === 'retire' && (
        <RetireDialog
          dataset={dialog.dataset}
          onClose={() => setDialog(null)}
          onRetired={() => {
            setNotice(`Dataset #${dialog.dataset.datasetId} is retired: it can no longer be approved or exported.`);
            setDialog(null);
            changed();
          }}
        />
      )}
    </Stack>
  );
}
