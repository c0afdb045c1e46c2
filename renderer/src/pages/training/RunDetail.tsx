import { Alert, Badge, Button, Center, Group, Loader, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import type { RunView } from '../../../../electron/shared/train-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { AlertIcon } from '../../components/icons';
import { formatDateTime, formatDateTimeShort } from '../../format';
import { GeneratorBadge } from '../specs/SpecList';
import { BackendLine } from './BackendLine';
import { DatasetsPanel } from './DatasetsPanel';
import { HashValue } from './HashValue';
import { LossChart } from './LossChart';
import { PreviewGrid } from './PreviewGrid';
import { RuleChecksPanel } from './RuleChecksPanel';
import { STATUS_COLOR, formatEta } from './trainingFormat';
import { useRun } from './useRun';

const IDLE_STAGE: Record<RunView['status'], string> = { running: 'Starting…', done: 'Finished', failed: 'Stopped', cancelled: 'Stopped' };

interface Props {
  runId: number;
  canControl: boolean;
  onChanged: (run: RunView) => void;
}

export function RunDetail({ runId, canControl, onChanged }: Props) {
  const { run, error, replace, reload } = useRun(runId);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'cancel' | 'resume' | null>(null);
  const [dataset, setDataset] = useState<number | null>(null);

  useEffect(() => {
    if (run) onChanged(run);
  }, [run, onChanged]);

  const act = async (kind: 'cancel' | 'resume') => {
    setBusy(kind);
    setActionError(null);
    try {
      replace(kind === 'cancel' ? await api.runs.cancel({ runId }) : await api.runs.resume({ runId }));
    } catch (e) {
      setActionError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  if (!run)
    return (
      <Paper withBorder radius="md" p="xl" data-testid="run-detail">
        {error ? <FormError message={error} /> : <Center><Loader size="sm" aria-label="Loading run" /></Center>}
      </Paper>
    );

  const running = run.status === 'running';
  const hasEpochs = run.epochs > 0;
  const waiting = running && run.epochsDone === 0;
  const percent = hasEpochs ? Math.min(100, (run.epochsDone / run.epochs) * 100) : run.status === 'done' ? 100 : 0;
  const hyper = Object.entries(run.hyperparameters).filter(([k]) => k !== 'kind');
  // The rule checks of the dataset version shown below (a later sample has its own), else of the run's table.
  const shown = run.datasets.find((d) => d.id === dataset) ?? null;
  const checks = shown?.ruleChecks ?? run.ruleChecks;

  return (
    <Stack gap="md" data-testid="run-detail" data-run-id={run.id} data-status={run.status}>
      <Paper withBorder radius="md" p="md">
        <Stack gap="md">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <div style={{ minWidth: 0 }}>
              <Group gap="xs">
                <Title order={3}>Run #{run.id}</Title>
                <Badge data-testid="run-status" color={STATUS_COLOR[run.status]} variant={running ? 'filled' : 'light'} size="lg">
                  {run.status}
                </Badge>
                <GeneratorBadge kind={run.generator} />
              </Group>
              <Text size="sm" c="dimmed" mt={4}>
                {run.specName} v{run.specVersion} · started by {run.actor}{' '}
                <span title={formatDateTime(run.startedAt)}>{formatDateTimeShort(run.startedAt)}</span>
                {run.finishedAt && ` · finished ${formatDateTimeShort(run.finishedAt)}`}
              </Text>
            </div>
            {canControl && (
              <Group gap="xs" wrap="nowrap">
                {running && (
                  <Button variant="default" color="red" data-testid="run-cancel" loading={busy === 'cancel'} onClick={() => void act('cancel')}>
                    Cancel run
                  </Button>
                )}
                {run.canResume && !running && (
                  <Button data-testid="run-resume" loading={busy === 'resume'} onClick={() => void act('resume')}>
                    Resume
                  </Button>
                )}
              </Group>
            )}
          </Group>
          <FormError message={actionError} onClose={() => setActionError(null)} />
          <FormError message={error && `Could not refresh this run: ${error}`} />
          {run.notes.length > 0 && (
            // What the run decided for the steward (a holdout with no patient, colour made greyscale…): said, not hidden.
            <Alert data-testid="run-notes" color="yellow" variant="light" icon={<AlertIcon />} title={run.notes.length === 1 ? 'Note' : 'Notes'}>
              <Stack gap={4}>
                {run.notes.map((n) => (
                  <Text key={n} size="sm">
                    {n}
                  </Text>
                ))}
              </Stack>
            </Alert>
          )}
          {run.status === 'failed' && run.error && (
            <Alert data-testid="run-error" color="red" variant="light" icon={<AlertIcon />} title="Training failed" role="alert">
              {run.error.message}
              <Text size="xs" c="dimmed" mt={4} ff="monospace">
                {run.error.code}
              </Text>
            </Alert>
          )}
          {run.status === 'cancelled' && (
            <Text size="sm" c="dimmed" data-testid="run-cancelled-note">
              Cancelled after {run.epochsDone} of {run.epochs} epochs.{run.canResume ? ' Resume continues from the last checkpoint.' : ''}
            </Text>
          )}
          <div>
            <Group justify="space-between" mb={6} wrap="nowrap">
              <Text size="sm">
                {run.stage ? (
                  <Text span fw={600} data-testid="run-stage">
                    {run.stage}
                  </Text>
                ) : (
                  <Text span c="dimmed">
                    {IDLE_STAGE[run.status]}
                  </Text>
                )}
                {hasEpochs && (
                  <Text span c="dimmed">
                    {' '}
                    · epoch {run.epochsDone} of {run.epochs}
                  </Text>
                )}
              </Text>
              {running && run.etaSeconds !== null && (
                <Text size="sm" c="dimmed" data-testid="run-eta">
                  {formatEta(run.etaSeconds)}
                </Text>
              )}
            </Group>
            <Progress
              data-testid="run-progress"
              aria-label="Training progress"
              // Before the first epoch ends there is nothing to measure: a faint moving bar says work is under way.
              value={waiting ? 100 : percent}
              size="lg"
              color={waiting ? 'blue.2' : STATUS_COLOR[run.status]}
              animated={running}
            />
          </div>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
            <Fact label="Backend">
              <BackendLine backend={run.backend} running={running} generator={run.generator} />
            </Fact>
            <Fact label="Seed">
              <Text size="sm" ff="monospace" data-testid="run-seed">
                {run.seed}
              </Text>
            </Fact>
            <Fact label="Spec hash">
              <HashValue value={run.specHash} testId="run-spec-hash" />
            </Fact>
            <Fact label="Source hash">
              <HashValue value={run.sourceSha256} testId="run-source-hash" />
            </Fact>
          </SimpleGrid>
          {hyper.length > 0 && (
            <Text size="xs" c="dimmed" data-testid="run-hyperparameters">
              {hyper.map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('×') : String(v)}`).join(' · ')}
            </Text>
          )}
        </Stack>
      </Paper>
      <Group align="stretch" gap="md" wrap="wrap">
        {run.previewGrid && <PreviewGrid dataUrl={run.previewGrid} running={running} />}
        <Paper withBorder radius="md" p="md" miw={360} style={{ flex: 1 }}>
          <Title order={4} mb={4}>
            Losses
          </Title>
          {run.losses.length > 0 ? (
            <LossChart runId={run.id} losses={run.losses} running={running} />
          ) : (
            <Text size="sm" c="dimmed" data-testid="run-no-losses">
              {run.generator === 'copula'
                ? 'The Gaussian copula is fitted in one pass; it has no loss curve.'
                : running
                  ? 'The first epoch’s losses appear here when it finishes.'
                  : 'No losses were recorded.'}
            </Text>
          )}
        </Paper>
      </Group>
      {run.status === 'done' && <RuleChecksPanel checks={checks} of={shown ? `dataset v${shown.version}` : 'the synthetic table'} />}
      {run.status === 'done' && (
        <DatasetsPanel
          run={run}
          canSample={canControl}
          selected={dataset}
          onSelect={setDataset}
          onSampled={(d) => {
            setDataset(d.id);
            reload();
          }}
        />
      )}
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      {children}
    </div>
  );
}
