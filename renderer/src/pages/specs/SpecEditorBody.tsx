import { Alert, Badge, Box, Button, Group, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ResultOf } from '../../../../electron/shared/contract';
import type { TableDetailView } from '../../../../electron/shared/ingest-schemas';
import type { Spec, SpecVersionView } from '../../../../electron/shared/spec-schema';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { ArrowLeftIcon, InfoIcon } from '../../components/icons';
import { formatDateTimeShort } from '../../format';
import { DiscardModal, SaveBar } from './SaveBar';
import { SpecJsonView } from './SpecJsonView';
import { VersionHistory } from './VersionHistory';
import { SpecForm } from './form/SpecForm';
import { RulesSection } from './form/RulesSection';
import { sameContent } from './specDraft';
import { useSpecDraft } from './useSpecDraft';

export type EditorTab = 'form' | 'json';

interface Props {
  spec: Spec;
  saved: ResultOf<'specs:get'> | null;
  specId: number | null;
  canEdit: boolean;
  tab: EditorTab;
  onTab: (tab: EditorTab) => void;
  onBack: () => void;
  onSaved: (view: SpecVersionView) => void;
  onOpenVersion: (version: number) => void;
  onStartRun: (runId: number) => void;
  loadError?: string | null;
}

export function SpecEditorBody({ spec, saved, specId, canEdit, tab, onTab, onBack, onSaved, onOpenVersion, onStartRun, loadError }: Props) {
  const model = useSpecDraft(spec);
  const [table, setTable] = useState<TableDetailView | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'start' | null>(null);
  const [pending, setPending] = useState<(() => void) | null>(null);
  const current = saved?.current ?? null;
  const latest = saved?.versions.at(-1)?.version ?? 0;
  const dirty = !current || !model.valid || model.jsonError !== null || !sameContent(model.valid, current.spec);
  const readOnly = !canEdit;
  const tableId = spec.source.tableId;

  // Column types and identifying flags come from the source, which only stewards may read.
  useEffect(() => {
    if (!canEdit) return;
    let cancelled = false;
    api.tables
      .get({ tableId, previewRows: 0 })
      .then((t) => !cancelled && setTable(t))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [canEdit, tableId]);

  // Leaving with unsaved edits asks first.
  const guard = (action: () => void) => (canEdit && current && dirty ? setPending(() => action) : action());

  const save = async () => {
    if (!model.valid) return;
    setBusy('save');
    setFormError(null);
    try {
      onSaved(await api.specs.save({ specId, spec: model.valid }));
    } catch (e) {
      setFormError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const start = async () => {
    if (!current) return;
    setBusy('start');
    setFormError(null);
    try {
      const run = await api.runs.start({ specId: current.specId, version: current.version });
      onStartRun(run.id);
    } catch (e) {
      setFormError(errorMessage(e));
      setBusy(null);
    }
  };

  const nextVersion = latest + 1;
  return (
    <Stack gap="md" data-testid="spec-editor" data-version={current?.version ?? ''}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Group gap="sm" align="flex-start" wrap="nowrap" miw={0}>
          <Button variant="subtle" color="gray" px={8} onClick={() => guard(onBack)} aria-label="Back to all specs" data-testid="spec-back">
            <ArrowLeftIcon />
          </Button>
          <div style={{ minWidth: 0 }}>
            <Group gap="xs" wrap="wrap">
              <Title order={2} style={{ overflowWrap: 'anywhere' }}>
                {current ? current.spec.name : 'New spec'}
              </Title>
              {current && <Badge variant="light" size="lg" data-testid="spec-current-version">v{current.version}</Badge>}
              {current?.frozen && <Badge color="indigo" variant="light" size="lg" data-testid="spec-frozen">frozen</Badge>}
            </Group>
            <Text size="sm" c="dimmed" mt={2}>
              {current
                ? `Version ${current.version} of ${latest}, saved by ${current.createdBy} ${formatDateTimeShort(current.createdAt)}`
                : 'A draft from the source table, with identifying columns dropped. Nothing is stored until you save.'}
            </Text>
          </div>
        </Group>
        {canEdit && current && (
          <Tooltip label="Save your changes first: a run trains a saved version." disabled={!dirty} withArrow>
            <span>
              <Button data-testid="spec-start-training" disabled={dirty} loading={busy === 'start'} onClick={() => void start()}>
                Start training v{current.version}
              </Button>
            </span>
          </Tooltip>
        )}
      </Group>
      <FormError message={loadError ?? null} />
      <VersionNotice current={current} latest={latest} canEdit={canEdit} />
      {!canEdit && (
        <Text size="sm" c="dimmed" data-testid="spec-readonly">
          Read-only: reviewers read specs; data stewards edit them.
        </Text>
      )}
      <Group align="flex-start" gap="lg" wrap="nowrap">
        <Stack gap="md" miw={0} style={{ flex: 1 }}>
          <Tabs value={tab} onChange={(v) => onTab(v === 'json' ? 'json' : 'form')} keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="form" data-testid="spec-tab-form">
                Form
              </Tabs.Tab>
              <Tabs.Tab value="json" data-testid="spec-tab-json" rightSection={model.jsonError ? <Badge size="xs" color="red" variant="light">error</Badge> : null}>
                JSON
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="form">
              {model.jsonError && (
                <Alert color="orange" variant="light" icon={<InfoIcon />} p="sm" mb="md">
                  The JSON view has an error, so the form shows the last valid spec. Editing the form replaces the JSON.
                </Alert>
              )}
              <SpecForm model={model} table={table} readOnly={readOnly} />
              <Box mt="md">
                <RulesSection model={model} sourceColumns={table?.columns ?? null} readOnly={readOnly} suggestAtOnce={!current} />
              </Box>
            </Tabs.Panel>
            <Tabs.Panel value="json">
              <SpecJsonView json={model.json} error={model.jsonError} readOnly={readOnly} onChange={model.setJson} />
            </Tabs.Panel>
          </Tabs>
          {canEdit ? (
            <SaveBar
              model={model}
              columnNames={model.draft.columns.map((c) => c.name)}
              formError={formError}
              onDismissError={() => setFormError(null)}
              status={!current ? 'Saving creates version 1.' : dirty ? `Unsaved changes. Saving creates version ${nextVersion}.` : `No changes since version ${current.version}.`}
              busy={busy === 'save'}
              onSave={() => void save()}
            />
          ) : null}
        </Stack>
        {saved && specId !== null && (
          <Box w={250} style={{ flex: 'none', position: 'sticky', top: 76 }}>
            <VersionHistory key={latest} specId={specId} versions={saved.versions} current={saved.current.version} onOpen={(v) => guard(() => onOpenVersion(v))} />
          </Box>
        )}
      </Group>
      {pending && (
        <DiscardModal
          onKeep={() => setPending(null)}
          onDiscard={() => {
            pending();
            setPending(null);
          }}
        />
      )}
    </Stack>
  );
}

function VersionNotice({ current, latest, canEdit }: { current: SpecVersionView | null; latest: number; canEdit: boolean }) {
  if (!current) return null;
  const edits = canEdit ? ` Your edits save as a new version, v${latest + 1}.` : '';
  if (current.frozen)
    return (
      <Alert color="indigo" variant="light" icon={<InfoIcon />} p="sm" data-testid="spec-frozen-notice">
        Version {current.version} is frozen: a training run used it, so it never changes.{edits}
      </Alert>
    );
  if (current.version !== latest)
    return (
      <Alert color="gray" variant="light" icon={<InfoIcon />} p="sm" data-testid="spec-old-notice">
        This is version {current.version}; the latest is v{latest}.{edits}
      </Alert>
    );
  return null;
}
