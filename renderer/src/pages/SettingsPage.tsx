import { Button, Center, Group, Loader, NumberInput, Paper, Stack } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api, errorMessage } from '../api';
import { FormError } from '../components/FormError';
import { PageHeader } from '../components/PageHeader';
import { SuccessAlert } from '../components/SuccessAlert';
import { AuditArchiveCard } from './settings/AuditArchiveCard';
import { PolicyCard } from './settings/PolicyCard';

const MIN = 1;
const MAX = 240;

export function SettingsPage({ onSaved }: { onSaved: (idleTimeoutMinutes: number) => void }) {
  const [minutes, setMinutes] = useState<number | string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.settings
      .get()
      .then((s) => setMinutes(s.idleTimeoutMinutes))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = typeof minutes === 'number' ? minutes : Number.NaN;
    if (!Number.isInteger(value) || value < MIN || value > MAX) {
      setFieldError(`Enter a whole number of minutes from ${MIN} to ${MAX}.`);
      return;
    }
    setBusy(true);
    setError(null);
    setSuccess(null);
    try {
      const saved = await api.settings.update({ idleTimeoutMinutes: value });
      setMinutes(saved.idleTimeoutMinutes);
      setSuccess(`Saved. Airlock now locks after ${saved.idleTimeoutMinutes} ${saved.idleTimeoutMinutes === 1 ? 'minute' : 'minutes'} without activity.`);
      onSaved(saved.idleTimeoutMinutes);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="lg" data-testid="settings-screen">
      <PageHeader title="Settings" description="Workspace-wide settings. Changes apply to every user and are recorded in the audit trail." />
      <SuccessAlert message={success} onClose={() => setSuccess(null)} />
      <Paper withBorder radius="md" p="lg" maw={560}>
        {minutes === null && !error ? (
          <Center p="md">
            <Loader size="sm" />
          </Center>
        ) : (
          <form onSubmit={(e) => void submit(e)} noValidate>
            <Stack gap="md">
              <NumberInput
                data-testid="settings-idle"
                label="Lock after inactivity (minutes)"
                description={`Airlock locks the workspace when nobody has used it for this long. From ${MIN} to ${MAX} minutes.`}
                min={MIN}
                max={MAX}
                step={1}
                allowDecimal={false}
                allowNegative={false}
                clampBehavior="none"
                value={minutes ?? ''}
                error={fieldError}
                onChange={(value) => {
                  setMinutes(value);
                  setFieldError(undefined);
                }}
                maw={420}
                autoFocus
              />
              <FormError message={error} />
              <Group>
                <Button type="submit" loading={busy} data-testid="settings-save">
                  Save settings
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Paper>
      <PolicyCard />
      <AuditArchiveCard />
    </Stack>
  );
}
