import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import type { FormEvent } from 'react';
import type { SessionInfo } from '../../../electron/shared/contract';
import { displayNameSchema, usernameSchema } from '../../../electron/shared/contract';
import { api } from '../api';
import { AuthCard } from '../components/AuthCard';
import { FolderField } from '../components/FolderField';
import type { ProbeState } from '../components/FolderField';
import { FormError } from '../components/FormError';
import { InfoIcon } from '../components/icons';
import { setLastWorkspace } from '../storage';
import { focusFirstInvalid, useFormState } from '../useFormState';
import { check, checkNewPassword, hasErrors, passwordHint } from '../validation';

interface Props {
  initialPath: string;
  onCreated: (session: SessionInfo) => void;
  onCancel: () => void;
}

function hintFor(state: ProbeState) {
  if (state === 'workspace') return 'This folder already holds an Airlock workspace. Go back and unlock it instead.';
  if (state === 'not-a-workspace') return 'This folder already contains other files. Choose an empty or new folder.';
  if (state === 'missing') return 'The folder will be created.';
  return null;
}

export function CreateWorkspaceScreen({ initialPath, onCreated, onCancel }: Props) {
  const form = useFormState({ path: initialPath, username: '', displayName: '', password: '', confirm: '' });
  const { values } = form;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const errors = {
      path: values.path.trim() ? undefined : 'Choose a folder for the workspace.',
      username: check(usernameSchema, values.username),
      displayName: check(displayNameSchema, values.displayName),
      ...checkNewPassword(values.password, values.confirm),
    };
    form.setErrors(errors);
    if (hasErrors(errors)) {
      focusFirstInvalid(formEl);
      return;
    }
    await form.run(async () => {
      const session = await api.workspace.create({
        path: values.path.trim(),
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        password: values.password,
      });
      setLastWorkspace(session.workspacePath);
      onCreated(session);
    });
  };

  return (
    <AuthCard
      testId="create-screen"
      subtitle="Create a new workspace"
      footer={
        <Text ta="center" size="sm" c="dimmed">
          Already have a workspace?{' '}
          <Anchor component="button" type="button" size="sm" data-testid="goto-lock" onClick={onCancel}>
            Back to unlock
          </Anchor>
        </Text>
      }
    >
      <Alert color="gray" variant="light" icon={<InfoIcon />} p="sm">
        <Text size="sm">
          The workspace is one encrypted file. Its key is random; each user’s password unlocks a copy of it. If every admin forgets their
          password, the data cannot be recovered.
        </Text>
      </Alert>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <FolderField
            testId="create-path"
            value={values.path}
            onChange={(v) => form.setValue('path', v)}
            error={form.errors.path}
            autoFocus
            hintFor={hintFor}
          />
          <TextInput
            data-testid="create-username"
            label="Admin user name"
            description="Letters, digits, dot, dash and underscore."
            autoComplete="off"
            spellCheck={false}
            {...form.text('username')}
          />
          <TextInput data-testid="create-displayname" label="Full name" autoComplete="name" {...form.text('displayName')} />
          <PasswordInput data-testid="create-password" label="Password" description={passwordHint} autoComplete="new-password" {...form.text('password')} />
          <PasswordInput data-testid="create-confirm" label="Confirm password" autoComplete="new-password" {...form.text('confirm')} />
          <FormError message={form.formError} />
          <Button type="submit" data-testid="create-submit" loading={form.busy} size="md" fullWidth>
            Create workspace
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
