import { Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import type { FormEvent } from 'react';
import { api } from '../api';
import { FormError } from '../components/FormError';
import { focusFirstInvalid, useFormState } from '../useFormState';
import { checkNewPassword, hasErrors, passwordHint } from '../validation';

interface Props {
  opened: boolean;
  onClose: () => void;
  onChanged: () => void;
}

export function ChangePasswordModal({ opened, onClose, onChanged }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title="Change your password" size="md">
      {/* Mounted only while open, so every opening starts with empty fields. */}
      {opened && <ChangePasswordForm onCancel={onClose} onChanged={onChanged} />}
    </Modal>
  );
}

function ChangePasswordForm({ onCancel, onChanged }: { onCancel: () => void; onChanged: () => void }) {
  const form = useFormState({ current: '', password: '', confirm: '' });
  const { values } = form;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const errors = {
      current: values.current ? undefined : 'Enter your current password.',
      ...checkNewPassword(values.password, values.confirm),
    };
    if (!errors.password && values.password === values.current) errors.password = 'Choose a password different from the current one.';
    form.setErrors(errors);
    if (hasErrors(errors)) {
      focusFirstInvalid(formEl);
      return;
    }
    const ok = await form.run(async () => {
      await api.session.changePassword({ currentPassword: values.current, newPassword: values.password });
    });
    if (ok) onChanged();
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="md">
        <PasswordInput
          data-testid="changepw-current"
          data-autofocus
          label="Current password"
          autoComplete="current-password"
          {...form.text('current')}
        />
        <PasswordInput
          data-testid="changepw-new"
          label="New password"
          description={passwordHint}
          autoComplete="new-password"
          {...form.text('password')}
        />
        <PasswordInput data-testid="changepw-confirm" label="Confirm new password" autoComplete="new-password" {...form.text('confirm')} />
        <FormError message={form.formError} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" data-testid="changepw-submit" loading={form.busy}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
