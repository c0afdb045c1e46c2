import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { SessionInfo } from '../../../electron/shared/contract';
import { api, ApiError } from '../api';
import { AuthCard } from '../components/AuthCard';
import { FolderField } from '../components/FolderField';
import type { ProbeState } from '../components/FolderField';
import { FormError } from '../components/FormError';
import { InfoIcon, LockIcon } from '../components/icons';
import { getLastWorkspace, setLastWorkspace } from '../storage';
import { focusFirstInvalid, useFormState } from '../useFormState';
import { hasErrors } from '../validation';

interface Props {
  notice: string | null;
  onUnlocked: (session: SessionInfo) => void;
  onCreate: (path: string) => void;
}

export function LockScreen({ notice, onUnlocked, onCreate }: Props) {
  const form = useFormState({ path: getLastWorkspace(), username: '', password: '' });
  const passwordRef = useRef<HTMLInputElement>(null);
  // With a remembered folder, the user name is the first thing left to type.
  const [focusUsername] = useState(() => Boolean(form.values.path));
  const { values } = form;

  const hintFor = (state: ProbeState) => {
    if (state === 'missing' || state === 'empty-folder') {
      return (
        <>
          No workspace here yet —{' '}
          <Anchor component="button" type="button" size="xs" onClick={() => onCreate(values.path)}>
            create one
          </Anchor>
          .
        </>
      );
    }
    if (state === 'not-a-workspace') return 'This folder is not an Airlock workspace.';
    return null;
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const errors = {
      path: values.path.trim() ? undefined : 'Choose the workspace folder.',
      username: values.username.trim() ? undefined : 'Enter your user name.',
      password: values.password ? undefined : 'Enter your password.',
    };
    form.setErrors(errors);
    if (hasErrors(errors)) {
      focusFirstInvalid(formEl);
      return;
    }
    await form.run(async () => {
      try {
        const session = await api.session.login({ path: values.path.trim(), username: values.username.trim(), password: values.password });
        setLastWorkspace(session.workspacePath);
        onUnlocked(session);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'INVALID_CREDENTIALS') {
          form.setValue('password', '');
          passwordRef.current?.focus();
        }
        throw error;
      }
    });
  };

  return (
    <AuthCard
      testId="lock-screen"
      subtitle="Unlock a workspace"
      footer={
        <Text ta="center" size="sm" c="dimmed">
          Setting up a new project?{' '}
          <Anchor component="button" type="button" size="sm" data-testid="goto-create" onClick={() => onCreate(values.path)}>
            Create a new workspace
          </Anchor>
        </Text>
      }
    >
      {notice && (
        <Alert data-testid="lock-notice" color="blue" variant="light" icon={<InfoIcon />}>
          {notice}
        </Alert>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <FolderField
            testId="login-path"
            value={values.path}
            onChange={(v) => form.setValue('path', v)}
            error={form.errors.path}
            autoFocus={!focusUsername}
            hintFor={hintFor}
          />
          <TextInput
            data-testid="login-username"
            label="User name"
            autoComplete="username"
            spellCheck={false}
            autoFocus={focusUsername}
            {...form.text('username')}
          />
          <PasswordInput data-testid="login-password" label="Password" autoComplete="current-password" ref={passwordRef} {...form.text('password')} />
          <FormError message={form.formError} />
          <Button type="submit" data-testid="login-submit" loading={form.busy} leftSection={<LockIcon size={16} />} size="md" fullWidth>
            Unlock
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
