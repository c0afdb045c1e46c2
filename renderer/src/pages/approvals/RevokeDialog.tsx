import { Button, Group, Modal, PasswordInput, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { RequestDetail, SignatureView } from '../../../../electron/shared/approval-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { utc } from './approvalsFormat';

interface Props {
  signature: SignatureView;
  onClose: () => void;
  onRevoked: (detail: RequestDetail) => void;
}

// A revocation is itself signed: a reason and the password, like the approval it withdraws.
export function RevokeDialog({ signature, onClose, onRevoked }: Props) {
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onRevoked(await api.approvals.revoke({ signatureId: signature.id, reason, password }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Revoke this approval?" size="lg" closeOnClickOutside={false}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="revoke-dialog">
        <Stack gap="md">
          <Text size="sm">
            “{signature.meaning}” by <b>{signature.printedName}</b> ({utc(signature.signedAt)}) will no longer open the export gate. The approval and its
            revocation both stay on record.
          </Text>
          <Textarea data-testid="revoke-reason" label="Reason" required autosize minRows={2} maxRows={6} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          <PasswordInput data-testid="revoke-password" label="Your password" required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <FormError message={error} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={busy} data-testid="revoke-submit">
              Revoke approval
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
