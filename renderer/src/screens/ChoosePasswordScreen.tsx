import { Alert, Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import type { FormEvent } from 'react';
import type { SessionInfo } from '../../../electron/shared/contract';
import { api } from '../api';
import { AuthCard } from '../components/AuthCard';
import { FormError } from '../components/FormError';
import { InfoIcon, LockIcon } from '../components/icons';
import { focusFirstInvalid, useFormState } from '../useFormState';
import { checkNewPassword, hasErrors, passwordHint } from '../validation';

interface Props {
  session: SessionInfo;
  onChosen: (session: SessionInfo) => void;
  onLogout: () => void;
}

// Shown right after logging in with a password an admin set: main refuses every other request until it is replaced.
export function ChoosePasswordScreen({ session, onChosen, onLogout }: Props) {
  const form = useFormState({ current: '', password: '', confirm: '' });
  const { values } = form;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const errors = {
      current: values.current ? undefined : 'Enter the temporary password you were given.',
      ...checkNewPassword(values.password, values.confirm),
    };
    if (!errors.password && values.password === values.current) errors.password = 'Choose a password different from the temporary one.';
    form.setErrors(errors);
    if (hasErrors(errors)) {
      focusFirstInvalid(formEl);
      return;
    }
    await form.run(async () => {
      await api.session.changePassword({ currentPassword: values.current, newPassword: values.password });
      const { session: fresh } = await api.session.status();
      if (fresh) onChosen(fresh);
      else onLogout();
    });
  };

  return (
    <AuthCard
      testId="choose-password-screen"
      subtitle="Choose a new password"
      footer={
        <Text ta="center" size="sm" c="dimmed">
          Not {session.displayName}?{' '}
          <Anchor component="button" type="button" size="sm" data-testid="choose-password-logout" onClick={onLogout}>
            Lock and log in as someone else
          </Anchor>
        </Text>
      }
    >
      <Alert color="blue" variant="light" icon={<InfoIcon />} data-testid="choose-password-notice">
        {session.displayName} ({session.username}), your password was set by an admin and is temporary. Choose your own before you continue:
        nobody else, the admin included, should know it.
      </Alert>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <PasswordInput data-testid="choose-password-current" label="Temporary password" autoComplete="current-password" autoFocus {...form.text('current')} />
          <PasswordInput data-testid="choose-password-new" label="New password" description={passwordHint} autoComplete="new-password" {...form.text('password')} />
          <PasswordInput data-testid="choose-password-confirm" label="Confirm new password" autoComplete="new-password" {...form.text('confirm')} />
          <FormError message={form.formError} />
          <Button type="submit" data-testid="choose-password-submit" loading={form.busy} leftSection={<LockIcon size={16} />} size="md" fullWidth>
            Set my password and continue
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
