import { Button, Center, Group, Loader, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { SessionInfo } from '../../../../electron/shared/contract';
import type { RunView } from '../../../../electron/shared/train-schemas';
import type { ValidationView } from '../../../../electron/shared/validation-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { ValidationIcon } from '../../components/icons';
import { DatasetPicker } from './DatasetPicker';
import { ValidationDetail } from './ValidationDetail';
import { ValidationHistory } from './ValidationHistory';
import { validationCandidates } from './validationFormat';

export function ValidationPage({ session }: { session: SessionInfo }) {
  const canValidate = session.roles.includes('steward');
  const [runs, setRuns] = useState<RunView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [datasetId, setDatasetId] = useState<number | null>(null);
  const [history, setHistory] = useState<ValidationView[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.runs
      .list()
      .then((list) => {
        if (cancelled) return;
        setRuns(list);
        setDatasetId((d) => d ?? validationCandidates(list)[0]?.dataset.id ?? null);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setLoadError(errorMessage(e));
        setRuns([]);
      });
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (datasetId === null) return;
    let cancelled = false;
    setHistory(null);
    setSelected(null);
    api.validations
      .list({ datasetId })
      .then((list) => {
        if (cancelled) return;
        setHistory(list);
        setSelected(list[0]?.id ?? null);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setLoadError(errorMessage(e));
        setHistory([]);
      });
    return () => {
      cancelled = true;
    };
  }, [datasetId]);

  // The detail polls; its fresh copy keeps the history row (outcome, result hash) current too.
  const onChanged = useCallback((v: ValidationView) => {
    setHistory((list) => {
      if (!list) return list;
      const i = list.findIndex((x) => x.id === v.id);
      if (i < 0) return list;
      if (list[i] === v) return list;
      const next = [...list];
      next[i] = v;
      return next;
    });
  }, []);

  const start = async () => {
    if (datasetId === null) return;
    setStarting(true);
    setStartError(null);
    try {
      const v = await api.validations.start({ datasetId });
      setHistory((list) => [v, ...(list ?? []).filter((x) => x.id !== v.id)]);
      setSelected(v.id);
    } catch (e) {
      setStartError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  const candidates = validationCandidates(runs ?? []);
  const running = history?.some((v) => v.status === 'running') ?? false;

  return (
    <Stack gap="lg" data-testid="validation-screen">
      <PageHeader
        title="Validation"
        description="Evidence that a synthetic table or image set is faithful, useful and private, measured on the real holdout the generator never saw and judged against the criteria its spec wrote down beforehand."
      />
      <FormError message={loadError} />
      {runs === null ? (
        <Paper withBorder radius="md" p="xl">
          <Center>
            <Loader size="sm" aria-label="Loading datasets" />
          </Center>
        </Paper>
      ) : candidates.length === 0 ? (
        <Paper withBorder radius="md" p="xl">
          <Stack align="center" gap="xs" data-testid="validation-empty">
            <ValidationIcon size={28} />
            <Text fw={600}>No synthetic datasets to validate yet</Text>
            <Text size="sm" c="dimmed" ta="center" maw={480}>
              {canValidate ? 'Train a spec on the Training screen; each dataset it produces can be validated here.' : 'Synthetic datasets trained by data stewards, and their validations, appear here.'}
            </Text>
          </Stack>
        </Paper>
      ) : (
        <Paper withBorder radius="md" p="md">
          <Group align="flex-start" gap="md" wrap="nowrap">
            <DatasetPicker candidates={candidates} value={datasetId} onChange={setDatasetId} />
            {canValidate && (
              <Tooltip label="This dataset is being validated now." disabled={!running} withArrow>
                <span style={{ marginTop: 25 }}>
                  <Button data-testid="validation-start" size="sm" loading={starting} disabled={datasetId === null || running} onClick={() => void start()}>
                    Validate
                  </Button>
                </span>
              </Tooltip>
            )}
          </Group>
          <FormError message={startError} onClose={() => setStartError(null)} />
          {!canValidate && (
            <Text size="sm" c="dimmed" mt="sm" data-testid="validation-readonly">
              Read-only: data stewards run validations; reviewers read their results and reports.
            </Text>
          )}
        </Paper>
      )}
      {history && history.length > 0 && (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Stack gap={2} p="md" pb="xs">
            <Title order={4}>Validations of this dataset</Title>
            <Text size="sm" c="dimmed">
              Results are never edited: validating again adds a new result. The same dataset, spec, validator and seed give the same result hash.
            </Text>
          </Stack>
          <ValidationHistory validations={history} selected={selected} onSelect={setSelected} />
        </Paper>
      )}
      {history && history.length === 0 && datasetId !== null && (
        <Text size="sm" c="dimmed" data-testid="validation-none">
          {canValidate ? 'This dataset has not been validated yet. Choose Validate to measure it against its spec’s criteria.' : 'This dataset has not been validated yet.'}
        </Text>
      )}
      {selected !== null && <ValidationDetail key={selected} validationId={selected} canControl={canValidate} onChanged={onChanged} />}
    </Stack>
  );
}
