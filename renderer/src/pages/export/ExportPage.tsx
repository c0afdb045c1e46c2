import { Button, Center, Checkbox, Group, Loader, Paper, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import type { ExportResult, ExportableDataset, GateAnswer } from '../../../../electron/shared/approval-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { ExportsIcon, FolderIcon } from '../../components/icons';
import { datasetStatus } from '../approvals/DatasetsStatus';
import { ExportResultPanel } from './ExportResultPanel';
import { GatePanel } from './GatePanel';

// Approved datasets first: those are the ones a steward comes here to export.
function defaultDataset(list: ExportableDataset[]): number | null {
  return (list.find((d) => !d.retired && d.latestRequest?.status === 'approved') ?? list[0])?.datasetId ?? null;
}

export function ExportPage() {
  const [datasets, setDatasets] = useState<ExportableDataset[] | null>(null);
  const [datasetId, setDatasetId] = useState<number | null>(null);
  const [gate, setGate] = useState<GateAnswer | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [destination, setDestination] = useState('');
  const [zip, setZip] = useState(false);
  const [csv, setCsv] = useState(true);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.approvals
      .datasets()
      .then((list) => {
        if (cancelled) return;
        setDatasets(list);
        setDatasetId((d) => d ?? defaultDataset(list));
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setLoadError(errorMessage(e));
        setDatasets([]);
      });
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (datasetId === null) return;
    let cancelled = false;
    setGate(null);
    setResult(null);
    api.export
      .check({ datasetId })
      .then((g) => !cancelled && setGate(g))
      .catch((e: unknown) => !cancelled && setLoadError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [datasetId]);

  const choose = async () => {
    setError(null);
    try {
      const { path } = await api.export.chooseFolder();
      if (path !== null) setDestination(path);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (datasetId === null) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.export.run({ datasetId, destination, zip, csv, password }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  const options = (datasets ?? []).map((d) => ({
    value: String(d.datasetId),
    label: `${d.specName} · dataset #${d.datasetId} v${d.datasetVersion} · ${d.kind === 'images' ? 'images' : `${d.rows.toLocaleString()} rows`} · ${datasetStatus(d).label}`,
  }));

  return (
    <Stack gap="lg" data-testid="export-screen">
      <PageHeader
        title="Export"
        description="An approved synthetic dataset leaves the workspace as a signed bundle: the data, its card, its validation report, the signed approvals and a manifest of SHA-256 hashes, checkable offline by anyone."
      />
      <FormError message={loadError} />
      {datasets === null ? (
        <Center p="xl">
          <Loader size="sm" aria-label="Loading datasets" />
        </Center>
      ) : datasets.length === 0 ? (
        <Paper withBorder radius="md" p="xl">
          <Stack align="center" gap="xs" data-testid="export-empty">
            <ExportsIcon size={28} />
            <Text fw={600}>Nothing to export yet</Text>
            <Text size="sm" c="dimmed" ta="center" maw={480}>
              Train and validate a synthetic dataset, request its approval on the Approvals screen, and export it here once reviewers have signed it.
            </Text>
          </Stack>
        </Paper>
      ) : (
        <Paper withBorder radius="md" p="md">
          <Stack gap="md">
            <Select
              data-testid="export-dataset"
              label="Synthetic dataset"
              data={options}
              value={datasetId === null ? null : String(datasetId)}
              onChange={(v) => v !== null && setDatasetId(Number(v))}
              allowDeselect={false}
              searchable
              comboboxProps={{ withinPortal: true }}
            />
            {gate === null ? <Loader size="sm" aria-label="Asking the export gate" /> : <GatePanel gate={gate} />}
            {gate?.allowed && (
              <form onSubmit={(e) => void submit(e)} noValidate data-testid="export-form">
                <Stack gap="sm">
                  <TextInput
                    data-testid="export-destination"
                    label="Destination folder"
                    description="A new folder (made inside one that exists) or an empty one."
                    placeholder="/path/to/new/folder"
                    leftSection={<FolderIcon size={16} />}
                    spellCheck={false}
                    autoComplete="off"
                    value={destination}
                    onChange={(e) => setDestination(e.currentTarget.value)}
                    rightSectionWidth={92}
                    rightSectionPointerEvents="all"
                    rightSection={
                      <Button size="compact-sm" variant="default" onClick={() => void choose()} data-testid="export-choose">
                        Choose…
                      </Button>
                    }
                  />
                  <Group gap="lg">
                    <Checkbox data-testid="export-csv" label="CSV beside JSON Lines (formula-protected)" checked={csv} onChange={(e) => setCsv(e.currentTarget.checked)} />
                    <Checkbox data-testid="export-zip-option" label="Also make a zip of the bundle" checked={zip} onChange={(e) => setZip(e.currentTarget.checked)} />
                  </Group>
                  <PasswordInput
                    data-testid="export-password"
                    label="Your password"
                    description="It unlocks your key, which signs the bundle’s manifest."
                    autoComplete="current-password"
                    value={password}
                    onChange={(e) => setPassword(e.currentTarget.value)}
                  />
                  <FormError message={error} onClose={() => setError(null)} />
                  <Group>
                    <Button type="submit" loading={busy} data-testid="export-submit" leftSection={<ExportsIcon size={16} />}>
                      Export bundle
                    </Button>
                  </Group>
                </Stack>
              </form>
            )}
          </Stack>
        </Paper>
      )}
      {result && <ExportResultPanel key={result.bundleId} result={result} />}
    </Stack>
  );
}
