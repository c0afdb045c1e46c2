import { Center, Loader, Paper, Stack } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ResultOf } from '../../../../electron/shared/contract';
import type { Spec, SpecVersionView } from '../../../../electron/shared/spec-schema';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { SpecEditorBody, type EditorTab } from './SpecEditorBody';

export type EditorSource = { kind: 'new'; spec: Spec } | { kind: 'saved'; specId: number; version?: number };

interface Props {
  source: EditorSource;
  canEdit: boolean;
  onBack: () => void;
  onSaved: (saved: SpecVersionView, message: string) => void;
  onStartRun: (runId: number) => void;
}

// Fetches the version to show; the body below is keyed by it, so opening another version starts a fresh draft.
export function SpecEditor({ source, canEdit, onBack, onSaved, onStartRun }: Props) {
  const [loaded, setLoaded] = useState<ResultOf<'specs:get'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<EditorTab>('form');
  const seq = useRef(0);
  const specId = source.kind === 'saved' ? source.specId : null;
  const initialVersion = source.kind === 'saved' ? source.version : undefined;

  const load = useCallback(
    async (version?: number) => {
      if (specId === null) return;
      const mine = ++seq.current;
      try {
        const got = await api.specs.get(version === undefined ? { specId } : { specId, version });
        if (mine !== seq.current) return;
        setLoaded(got);
        setError(null);
      } catch (e) {
        if (mine === seq.current) setError(errorMessage(e));
      }
    },
    [specId],
  );

  useEffect(() => {
    void load(initialVersion);
  }, [load, initialVersion]);

  const saved = (view: SpecVersionView) => {
    const latest = loaded?.versions.at(-1)?.version;
    const unchanged = specId === view.specId && latest === view.version;
    onSaved(view, unchanged ? `No changes to save: this is still version ${view.version}.` : `Saved “${view.spec.name}” as version ${view.version}.`);
    if (specId === view.specId) void load();
  };

  if (source.kind === 'new')
    return <SpecEditorBody key="new" spec={source.spec} saved={null} specId={null} canEdit={canEdit} tab={tab} onTab={setTab} onBack={onBack} onSaved={saved} onOpenVersion={() => undefined} onStartRun={onStartRun} />;

  if (!loaded || loaded.current.specId !== source.specId)
    return (
      <Paper withBorder radius="md" p="xl" data-testid="spec-editor">
        {error ? (
          <Stack>
            <FormError message={error} />
          </Stack>
        ) : (
          <Center>
            <Loader size="sm" aria-label="Loading spec" />
          </Center>
        )}
      </Paper>
    );

  return (
    <SpecEditorBody
      key={`${loaded.current.specId}-${loaded.current.version}`}
      spec={loaded.current.spec}
      saved={loaded}
      specId={loaded.current.specId}
      canEdit={canEdit}
      tab={tab}
      onTab={setTab}
      onBack={onBack}
      onSaved={saved}
      onOpenVersion={(v) => void load(v)}
      onStartRun={onStartRun}
      loadError={error}
    />
  );
}
