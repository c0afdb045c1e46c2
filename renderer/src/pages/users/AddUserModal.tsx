import { Button, Group, Modal, PasswordInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { FormEvent } from 'react';
import { displayNameSchema, rolesSchema, usernameSchema } from '../../../../electron/shared/contract';
import type { Role } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { FormError } from '../../components/FormError';
import { focusFirstInvalid, useFormState } from '../../useFormState';
import { check, checkNewPassword, hasErrors, passwordHint } from '../../validation';
import { RolesField } from './RolesField';

interface Props {
  onClose: () => void;
  onAdded: (message: string) => void;
}

export function AddUserModal({ onClose, onAdded }: Props) {
  const form = useFormState({ username: '', displayName: '', roles: [] as Role[], password: '', confirm: '' });
  const { values } = form;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const errors = {
      username: check(usernameSchema, values.username),
      displayName: check(displayNameSchema, values.displayName),
      roles: check(rolesSchema, values.roles),
      ...checkNewPassword(values.password, values.confirm),
    };
    form.setErrors(errors);
    if (hasErrors(errors)) {
      focusFirstInvalid(formEl);
      return;
    }
    await form.run(async () => {
      const user = await api.users.add({
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        roles: values.roles,
        password: values.password,
      });
      onAdded(`Added ${user.displayName} (${user.username}). Hand over the temporary password in person.`);
    });
  };

  return (
    <Modal opened onClose={onClose} title="Add user" size="lg">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <SimpleGrid cols={2} spacing="md">
            <TextInput
              data-testid="adduser-username"
              data-autofocus
              label="User name"
              description="Used to unlock. Cannot be changed later."
              autoComplete="off"
              spellCheck={false}
              {...form.text('username')}
            />
            <TextInput
              data-testid="adduser-displayname"
              label="Full name"
              description="Shown in the audit trail and on signatures."
              autoComplete="off"
              {...form.text('displayName')}
            />
          </SimpleGrid>
          <RolesField value={values.roles} onChange={(roles) => form.setValue('roles', roles)} error={form.errors.roles} testIdPrefix="adduser-role-" />
          <div>
            <SimpleGrid cols={2} spacing="md">
              <PasswordInput data-testid="adduser-password" label="Temporary password" autoComplete="new-password" {...form.text('password')} />
              <PasswordInput data-testid="adduser-confirm" label="Confirm temporary password" autoComplete="new-password" {...form.text('confirm')} />
            </SimpleGrid>
            <Text size="xs" c="dimmed" mt={6}>
              {passwordHint} Give it to the person directly; they can change it after unlocking.
            </Text>
          </div>
          <FormError message={form.formError} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" data-testid="adduser-submit" loading={form.busy}>
              Add user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
