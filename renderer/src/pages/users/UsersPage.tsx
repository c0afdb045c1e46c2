import { Button, Center, Loader, Paper, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { UserView } from '../../../../electron/shared/contract';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { SuccessAlert } from '../../components/SuccessAlert';
import { UsersIcon } from '../../components/icons';
import { AddUserModal } from './AddUserModal';
import { DisableUserModal, EditRolesModal, TemporaryPasswordModal } from './UserActionModals';
import { UsersTable } from './UsersTable';
import type { UserAction } from './UsersTable';

type Dialog = { kind: 'add' } | { kind: UserAction; user: UserView } | null;

export function UsersPage({ currentUser }: { currentUser: string }) {
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  const reload = useCallback(async () => {
    try {
      setUsers(await api.users.list());
      setLoadError(null);
    } catch (error) {
      setLoadError(errorMessage(error));
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const close = () => setDialog(null);
  const done = (message: string) => {
    setDialog(null);
    setSuccess(message);
    void reload();
  };

  return (
    <Stack gap="lg" data-testid="users-screen">
      <PageHeader
        title="Users"
        description="People who can unlock this workspace, and what each of them may do."
        actions={
          <Button data-testid="add-user" leftSection={<UsersIcon size={16} />} onClick={() => setDialog({ kind: 'add' })}>
            Add user
          </Button>
        }
      />
      <SuccessAlert message={success} onClose={() => setSuccess(null)} />
      {!dialog && <FormError message={loadError} />}
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        {users === null ? (
          <Center p="xl">{loadError ? <Text c="dimmed">The user list could not be loaded.</Text> : <Loader size="sm" />}</Center>
        ) : (
          <UsersTable users={users} currentUser={currentUser} onAction={(kind, user) => setDialog({ kind, user })} />
        )}
      </Paper>
      {dialog?.kind === 'add' && <AddUserModal onClose={close} onAdded={done} />}
      {dialog?.kind === 'disable' && <DisableUserModal user={dialog.user} onClose={close} onDone={done} />}
      {(dialog?.kind === 'enable' || dialog?.kind === 'reset') && (
        <TemporaryPasswordModal user={dialog.user} mode={dialog.kind} onClose={close} onDone={done} />
      )}
      {dialog?.kind === 'roles' && <EditRolesModal user={dialog.user} onClose={close} onDone={done} />}
    </Stack>
  );
}
