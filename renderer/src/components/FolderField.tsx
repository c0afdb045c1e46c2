import { Button, Text, TextInput } from '@mantine/core';
import { useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { ResultOf } from '../../../electron/shared/contract';
import { api, errorMessage } from '../api';
import { FolderIcon } from './icons';

export type ProbeState = ResultOf<'workspace:probe'>['state'];

interface Props {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  testId: string;
  autoFocus?: boolean;
  description?: string;
  // Turns the probe result into a hint under the field (null: no hint).
  hintFor: (state: ProbeState) => ReactNode;
}

export function FolderField({ value, onChange, error, testId, autoFocus, description, hintFor }: Props) {
  const [hint, setHint] = useState<ReactNode>(null);
  const [browseError, setBrowseError] = useState<string | null>(null);
  const probeSeq = useRef(0);

  const probe = async (path: string) => {
    const seq = ++probeSeq.current;
    if (!path.trim()) {
      setHint(null);
      return;
    }
    try {
      const { state } = await api.workspace.probe({ path });
      if (seq === probeSeq.current) setHint(hintFor(state));
    } catch {
      // The hint is a convenience; submitting reports any real problem.
      if (seq === probeSeq.current) setHint(null);
    }
  };

  const browse = async () => {
    setBrowseError(null);
    try {
      const { path } = await api.workspace.chooseFolder();
      if (path === null) return;
      onChange(path);
      await probe(path);
    } catch (e) {
      setBrowseError(errorMessage(e));
    }
  };

  return (
    <div>
      <TextInput
        data-testid={testId}
        label="Workspace folder"
        description={description}
        placeholder="/path/to/workspace"
        value={value}
        error={error ?? browseError ?? undefined}
        autoFocus={autoFocus}
        spellCheck={false}
        autoComplete="off"
        leftSection={<FolderIcon size={16} />}
        onChange={(e) => {
          onChange(e.currentTarget.value);
          setHint(null);
        }}
        onBlur={(e) => void probe(e.currentTarget.value)}
        rightSectionWidth={92}
        rightSectionPointerEvents="all"
        rightSection={
          <Button size="compact-sm" variant="default" onClick={() => void browse()} data-testid={`${testId}-browse`}>
            Browse…
          </Button>
        }
      />
      {hint && (
        <Text size="xs" mt={6} c="dimmed" data-testid={`${testId}-hint`}>
          {hint}
        </Text>
      )}
    </div>
  );
}
