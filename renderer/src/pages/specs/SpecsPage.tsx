import { Button, Center, Loader, Paper, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { SessionInfo } from '../../../../electron/shared/contract';
import type { SpecSummaryView } from '../../../../electron/shared/spec-schema';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { ClosedNotice } from '../../components/ClosedNotice';
import { SuccessAlert } from '../../components/SuccessAlert';
import { SpecsIcon } from '../../components/icons';
import { NewSpecModal } from './NewSpecModal';
import { ImageSpecEditor } from './image/ImageSpecEditor';
import { ImageSpecList } from './image/ImageSpecList';
import { SpecEditor, type EditorSource } from './SpecEditor';
import { SpecList } from './SpecList';

const DESCRIPTION = 'What to generate from each source, with which model, and how the result will be judged. Reviewers read them before any approval.';

interface Props {
  session: SessionInfo;
  onOpenRun: (runId: number) => void;
}

export function SpecsPage({ session, onOpenRun }: Props) {
  const canEdit = session.roles.includes('steward');
  const canRead = canEdit || session.roles.includes('reviewer');
  const [specs, setSpecs] = useState<SpecSummaryView[] | null>(null);
  const [tableNames, setTableNames] = useState<Map<number, string>>(new Map());
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<EditorSource | null>(null);
  const [picking, setPicking] = useState(false);
  const [editingImage, setEditingImage] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setSpecs(await api.specs.list());
      setLoadError(null);
    } catch (e) {
      setLoadError(errorMessage(e));
    }
  }, []);

  useEffect(() => {
    if (!canRead) return;
    void reload();
    // Table names are a nicety for stewards; reviewers see table numbers.
    if (canEdit)
      api.sources
        .list()
        .then((s) => setTableNames(new Map(s.tables.map((t) => [t.id, t.name]))))
        .catch(() => undefined);
  }, [canRead, canEdit, reload]);

  if (!canRead) return <ReadersOnly />;

  if (editingImage)
    return (
      <Stack gap="md" data-testid="specs-screen">
        <SuccessAlert message={notice} onClose={() => setNotice(null)} />
        <ImageSpecEditor
          onBack={() => {
            setEditingImage(false);
            setNotice(null);
          }}
          onSaved={setNotice}
          onStartRun={onOpenRun}
        />
      </Stack>
    );

  if (editing)
    return (
      <Stack gap="md" data-testid="specs-screen">
        <SuccessAlert message={notice} onClose={() => setNotice(null)} />
        <SpecEditor
          source={editing}
          canEdit={canEdit}
          onBack={() => {
            setEditing(null);
            setNotice(null);
            void reload();
          }}
          onSaved={(view, message) => {
            setNotice(message);
            if (editing.kind === 'new') setEditing({ kind: 'saved', specId: view.specId });
          }}
          onStartRun={onOpenRun}
        />
      </Stack>
    );

  return (
    <Stack gap="lg" data-testid="specs-screen">
      <PageHeader
        title="Specs"
        description={DESCRIPTION}
        actions={
          canEdit && (
            <>
              <Button data-testid="spec-new" leftSection={<SpecsIcon size={16} />} onClick={() => setPicking(true)}>
                New spec
              </Button>
              <Button
                data-testid="spec-new-image"
                variant="light"
                leftSection={<SpecsIcon size={16} />}
                onClick={() => {
                  setNotice(null);
                  setEditingImage(true);
                }}
              >
                New image spec
              </Button>
            </>
          )
        }
      />
      <FormError message={loadError} />
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        {specs === null ? (
          <Center p="xl">{loadError ? <Text c="dimmed">The specs could not be loaded.</Text> : <Loader size="sm" aria-label="Loading specs" />}</Center>
        ) : specs.length === 0 ? (
          <Stack align="center" gap="xs" p="xl" data-testid="specs-empty">
            <SpecsIcon size={28} />
            <Text fw={600}>No specs yet</Text>
            <Text size="sm" c="dimmed" ta="center" maw={440}>
              {canEdit ? 'Start one from an imported table with New spec.' : 'Data stewards write specs; they will appear here for you to review.'}
            </Text>
          </Stack>
        ) : (
          <SpecList specs={specs} tableNames={tableNames} onOpen={(specId) => setEditing({ kind: 'saved', specId })} />
        )}
      </Paper>
      <ImageSpecList canEdit={canEdit} onOpenRun={onOpenRun} />
      {picking && (
        <NewSpecModal
          onClose={() => setPicking(false)}
          onDraft={(spec) => {
            setPicking(false);
            setNotice(null);
            setEditing({ kind: 'new', spec });
          }}
        />
      )}
    </Stack>
  );
}

function ReadersOnly() {
  return (
    <Stack gap="lg" data-testid="specs-screen">
      <PageHeader title="Specs" description={DESCRIPTION} />
      <ClosedNotice testId="specs-forbidden" title="Specs are available to data stewards and reviewers.">
        Ask an administrator to add one of those roles to your account.
      </ClosedNotice>
    </Stack>
  );
}
