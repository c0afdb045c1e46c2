import { Center, Loader, Paper, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { SessionInfo } from '../../../../electron/shared/contract';
import type { RunView } from '../../../../electron/shared/train-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { TrainingIcon } from '../../components/icons';
import { RunDetail } from './RunDetail';
import { RunsTable } from './RunsTable';

interface Props {
  session: SessionInfo;
  // Set when arriving from "Start training": that run opens straight away.
  initialRunId: number | null;
}

export function TrainingPage({ session, initialRunId }: Props) {
  const canControl = session.roles.includes('steward');
  const [runs, setRuns] = useState<RunView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(initialRunId);

  useEffect(() => {
    let cancelled = false;
    api.runs
      .list()
      .then((list) => {
        if (cancelled) return;
        setRuns(list);
        setLoadError(null);
        setSelected((s) => s ?? list[0]?.id ?? null);
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

  // The detail polls; its fresh copy keeps the list row (status, progress) current too.
  const onChanged = useCallback((run: RunView) => {
    setRuns((list) => {
      if (!list) return list;
      const i = list.findIndex((r) => r.id === run.id);
      if (i < 0) return [run, ...list];
      if (list[i] === run) return list;
      const next = [...list];
      next[i] = run;
      return next;
    });
  }, []);

  return (
    <Stack gap="lg" data-testid="training-screen">
      <PageHeader title="Training" description="Generative models trained on this workstation, with their progress, losses and the synthetic datasets they produced." />
      <FormError message={loadError} />
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        {runs === null ? (
          <Center p="xl">
            <Loader size="sm" aria-label="Loading runs" />
          </Center>
        ) : runs.length === 0 ? (
          <Stack align="center" gap="xs" p="xl" data-testid="runs-empty">
            <TrainingIcon size={28} />
            <Text fw={600}>No training runs yet</Text>
            <Text size="sm" c="dimmed" ta="center" maw={440}>
              {canControl ? 'Open a saved spec on the Specs screen and choose Start training.' : 'Runs started by data stewards appear here.'}
            </Text>
          </Stack>
        ) : (
          <RunsTable runs={runs} selected={selected} onSelect={setSelected} />
        )}
      </Paper>
      {selected !== null && <RunDetail key={selected} runId={selected} canControl={canControl} onChanged={onChanged} />}
    </Stack>
  );
}
