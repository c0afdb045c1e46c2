import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import type { FormEvent } from 'react';
import { rolesSchema } from '../../../../electron/shared/contract';
import type { UserView } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { FormError } from '../../components/FormError';
import { focusFirstInvalid, useFormState } from '../../useFormState';
import { check, checkNewPassword, hasErrors, passwordHint } from '../../validation';
import { RolesField } from './RolesField';

interface ActionProps {
  user: UserView;
  onClose: () => void;
  onDone: (message: string) => void;
}

function ModalButtons({ onCancel, submitLabel, busy, testId }: { onCancel: () => void; submitLabel: string; busy: boolean; testId: string }) {
  return (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={busy} data-testid={testId}>
        {submitLabel}
      </Button>
    </Group>
  );
}

export function DisableUserModal({ user, onClose, onDone }: ActionProps) {
  const form = useFormState({});
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await form.run(async () => {
      await api.users.disable({ username: user.username });
      onDone(`Disabled ${user.displayName} (${user.username}).`);
    });
  };
  return (
    <Modal opened onClose={onClose} title={`Disable ${user.displayName}?`}>
      <form onSubmit={(e) => void submit(e)}>
        <Stack gap="md">
          <Text size="sm">
            <b>{user.username}</b> will no longer be able to unlock this workspace: their copy of the workspace key is removed. Their past
            actions stay in the audit trail. You can enable the account again later with a new temporary password.
          </Text>
          <FormError message={form.formError} />
          {/* The confirm button takes focus so Enter confirms and Escape cancels. */}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={form.busy} data-testid="disable-confirm" data-autofocus>
              Disable user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

// Enabling and resetting both issue a new temporary password; only the call and wording differ.
export function TemporaryPasswordModal({ user, onClose, onDone, mode }: ActionProps & { mode: 'enable' | 'reset' }) {
  const form = useFormState({ password: '', confirm: '' });
  const { values } = form;
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const errors = checkNewPassword(values.password, values.confirm);
    form.setErrors(errors);
    if (hasErrors(errors)) {
      focusFirstInvalid(formEl);
      return;
    }
    await form.run(async () => {
      const args = { username: user.username, password: values.password };
      if (mode === 'enable') await api.users.enable(args);
      else await api.users.resetPassword(args);
      onDone(
        mode === 'enable'
          ? `Enabled ${user.displayName} (${user.username}) with a new temporary password.`
          : `Set a new temporary password for ${user.displayName} (${user.username}).`,
      );
    });
  };
  return (
    <Modal opened onClose={onClose} title={mode === 'enable' ? `Enable ${user.displayName}` : `Reset password for ${user.displayName}`}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <Text size="sm">
            {mode === 'enable'
              ? `${user.username} will be able to unlock the workspace again with this temporary password.`
              : `${user.username}'s current password stops working. Give them the temporary password in person.`}
          </Text>
          <PasswordInput
            data-testid="temppw-password"
            data-autofocus
            label="New temporary password"
            description={passwordHint}
            autoComplete="new-password"
            {...form.text('password')}
          />
          <PasswordInput data-testid="temppw-confirm" label="Confirm temporary password" autoComplete="new-password" {...form.text('confirm')} />
          <FormError message={form.formError} />
          <ModalButtons onCancel={onClose} busy={form.busy} testId="temppw-submit" submitLabel={mode === 'enable' ? 'Enable user' : 'Reset password'} />
        </Stack>
      </form>
    </Modal>
  );
}

export function EditRolesModal({ user, onClose, onDone }: ActionProps) {
  const form = useFormState({ roles: [...user.roles] });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const error = check(rolesSchema, form.values.roles);
    form.setErrors({ roles: error });
    if (error) return;
    await form.run(async () => {
      const updated = await api.users.setRoles({ username: user.username, roles: form.values.roles });
      onDone(`Updated the roles of ${updated.displayName} (${updated.username}): ${updated.roles.join(', ')}.`);
    });
  };
  return (
    <Modal opened onClose={onClose} title={`Roles of ${user.displayName}`}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <RolesField value={form.values.roles} onChange={(roles) => form.setValue('roles', roles)} error={form.errors.roles} testIdPrefix="editroles-role-" autoFocus />
          <FormError message={form.formError} />
          <ModalButtons onCancel={onClose} busy={form.busy} testId="editroles-submit" submitLabel="Save roles" />
        </Stack>
      </form>
    </Modal>
  );
}
